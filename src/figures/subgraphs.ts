/**
 * Figures of the coloured subgraph census (Zambra, Testolin & Maritan 2020): ΔZ = Z_trained − Z_init per
 * subgraph class for several groups of networks (e.g. initializations), and how many classes are significant
 * before and after training. Pure functions from numbers to figure specs.
 */
import { mean } from '../core/stats';
import { describeSubgraphClass } from '../core/subgraphs';
import { cornerNote, errorBars, figureSpec, FigureSpec, finiteOrNull, JsonObject, PALETTE } from './spec';

/** Edge-colour symbols of Zambra et al.'s classes (−2 … 2); other colours are written as numbers. */
const COLOUR_SYMBOLS: Readonly<Record<number, string>> = { [-2]: '−−', [-1]: '−', 1: '+', 2: '++' };

/**
 * A short readable label of a subgraph class key: nodes lettered `a, b, …` by layer (then canonical
 * position), edges `x→y` followed by their colour (`++` strong positive, `+` mild positive, `−` mild
 * negative, `−−` strong negative), and the number of nodes per layer in front.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.subgraphClassLabel('3:0,0,0,1,1,0'); // '1-1-1: a→b+ b→c+'
 * ```
 */
export function subgraphClassLabel(key: string): string {
  const info = describeSubgraphClass(key);
  const levels = info.levels ?? new Array<number>(info.size).fill(0);
  const order = Array.from({ length: info.size }, (_, p) => p).sort(
    (p, q) => (levels[p] ?? 0) - (levels[q] ?? 0) || p - q
  );
  const letter = new Array<string>(info.size);
  order.forEach((p, i) => (letter[p] = String.fromCharCode(97 + i)));
  const edges = info.edges
    .map(e => ({
      text: `${letter[e.from]}→${letter[e.to]}${COLOUR_SYMBOLS[e.colour] ?? `(${e.colour})`}`,
      e
    }))
    .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
    .map(x => x.text);
  if (info.levels === null) return edges.join(' ');
  const perLevel: number[] = [];
  for (const l of info.levels) perLevel[l] = (perLevel[l] ?? 0) + 1;
  return `${perLevel.join('-')}: ${edges.join(' ')}`;
}

/** ΔZ per class of every network of one group (e.g. one initialization). */
export interface DeltaZGroup {
  name: string;
  /** One record per network: class key → ΔZ (as `deltaZ` returns it). */
  deltaZ: readonly Readonly<Record<string, number>>[];
}

/** Options of {@link subgraphDeltaZFigure}. */
export interface SubgraphDeltaZFigureOptions {
  title?: string;
  exportName?: string;
  provenance?: JsonObject;
  /** Candidate classes (default: every class of any record), e.g. those significant somewhere. */
  classes?: readonly string[];
  /** Show this many candidates with the largest |mean ΔZ| in any group (default 15). */
  top?: number;
}

interface Spread {
  mean: number;
  min: number;
  max: number;
  n: number;
}

/** Mean, min and max of the finite values (`n = 0` and NaNs when there are none). */
function spread(values: readonly number[]): Spread {
  const v = values.filter(Number.isFinite);
  if (v.length === 0) return { mean: NaN, min: NaN, max: NaN, n: 0 };
  return {
    mean: mean(v),
    min: Math.min(...v),
    max: Math.max(...v),
    n: v.length
  };
}

/**
 * ΔZ = Z_trained − Z_init per coloured subgraph class, one bar per group (mean over its networks, error
 * bars from the smallest to the largest network's ΔZ). Non-finite ΔZ (a class with no null spread) are left
 * out of the mean. Classes are ranked by their largest |mean ΔZ| over the groups, largest first.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 6, 6, 3], { seed: 1 }));
 * const before = nm.subgraphSignificance(net, { size: 3, samples: 5, seed: 1 });
 * const after = nm.subgraphSignificance(nm.paRewire(net, { seed: 1 }), { size: 3, samples: 5, seed: 1 });
 * const dz1 = nm.deltaZ(after, before); // one per network
 * nm.show.figure(nm.figures.subgraphDeltaZFigure([{ name: 'orthogonal', deltaZ: [dz1] }]));
 * ```
 */
export function subgraphDeltaZFigure(
  groups: readonly DeltaZGroup[],
  options: SubgraphDeltaZFigureOptions = {}
): FigureSpec {
  if (groups.length === 0) throw new RangeError('subgraphDeltaZFigure: no groups to draw');
  const top = options.top ?? 15;
  if (!(top >= 1)) throw new RangeError(`subgraphDeltaZFigure: top must be ≥ 1, got ${top}`);
  const candidates =
    options.classes ?? [...new Set(groups.flatMap(g => g.deltaZ.flatMap(r => Object.keys(r))))].sort();
  const stats = new Map<string, Spread[]>();
  for (const key of candidates) {
    stats.set(
      key,
      groups.map(g => spread(g.deltaZ.map(r => r[key] ?? NaN)))
    );
  }
  const size = (key: string): number =>
    Math.max(0, ...(stats.get(key) ?? []).map(s => Math.abs(s.mean)).filter(Number.isFinite));
  const shown = [...candidates].sort((a, b) => size(b) - size(a) || (a < b ? -1 : 1)).slice(0, top);
  const labels = shown.map(subgraphClassLabel);
  const data: JsonObject[] = groups.map((g, k) => {
    const s = shown.map(key => (stats.get(key) as Spread[])[k]);
    return {
      type: 'bar',
      name: g.name,
      x: labels,
      y: s.map(v => finiteOrNull(v.mean)),
      error_y: errorBars(
        s.map(v => v.mean),
        s.map(v => v.min),
        s.map(v => v.max)
      ),
      marker: { color: PALETTE[k % PALETTE.length] },
      customdata: shown.map((key, i) => [key, s[i].n]),
      hovertemplate: `${g.name}<br>%{x}<br>ΔZ = %{y:.2f} (mean of %{customdata[1]})<br>%{customdata[0]}<extra></extra>`
    };
  });
  const title = options.title ?? 'Change of subgraph Z-scores with training';
  return figureSpec({
    kind: 'subgraphDeltaZ',
    title,
    exportName: options.exportName ?? 'subgraph-delta-z',
    data,
    layout: {
      barmode: 'group',
      xaxis: { title: { text: 'Coloured 4-node subgraph class (nodes per layer: edges)' }, tickangle: -40 },
      yaxis: {
        title: { text: 'ΔZ = Z_trained − Z_init (mean over networks; bars: min–max)' },
        zeroline: true
      },
      annotations: [
        cornerNote('edge colours: ++ strong positive, + mild positive, − mild negative, −− strong negative')
      ],
      margin: { t: 70, r: 20, b: 160, l: 70 }
    },
    provenance: {
      groups: groups.map(g => g.name),
      networks: groups.map(g => g.deltaZ.length),
      classes: shown,
      ...options.provenance
    }
  });
}

/** Numbers of significant classes of the networks of one group, before and after training. */
export interface SignificantClassesGroup {
  name: string;
  /** One count per network, at initialization. */
  before: readonly number[];
  /** One count per network, after training (same order). */
  after: readonly number[];
}

/** Options of {@link significantClassesFigure}. */
export interface SignificantClassesFigureOptions {
  title?: string;
  exportName?: string;
  provenance?: JsonObject;
  /** The number of significant classes expected by chance alone, drawn as a dashed line. */
  chance?: number;
  /** The significance level, for the axis title. Default 0.05. */
  alpha?: number;
}

/**
 * How many subgraph classes are significant (p < α) in each group's networks at initialization and after
 * training: bars at the mean over networks, error bars from the smallest to the largest network, and an
 * optional dashed line at the count expected by chance.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.show.figure(nm.figures.significantClassesFigure([{ name: 'Glorot', before: [12, 9], after: [30, 41] }], { chance: 15 }));
 * ```
 */
export function significantClassesFigure(
  groups: readonly SignificantClassesGroup[],
  options: SignificantClassesFigureOptions = {}
): FigureSpec {
  if (groups.length === 0) throw new RangeError('significantClassesFigure: no groups to draw');
  const alpha = options.alpha ?? 0.05;
  const names = groups.map(g => g.name);
  const trace = (
    label: string,
    pick: (g: SignificantClassesGroup) => readonly number[],
    k: number
  ): JsonObject => {
    const s = groups.map(g => spread(pick(g)));
    return {
      type: 'bar',
      name: label,
      x: names,
      y: s.map(v => finiteOrNull(v.mean)),
      error_y: errorBars(
        s.map(v => v.mean),
        s.map(v => v.min),
        s.map(v => v.max)
      ),
      marker: { color: PALETTE[k] },
      customdata: groups.map(g => pick(g).join(', ')),
      hovertemplate: `${label}<br>%{x}<br>mean %{y:.1f} classes<br>networks: %{customdata}<extra></extra>`
    };
  };
  const title = options.title ?? 'Significant subgraph classes before and after training';
  const shapes: JsonObject[] =
    options.chance === undefined
      ? []
      : [
          {
            type: 'line',
            xref: 'paper',
            x0: 0,
            x1: 1,
            y0: options.chance,
            y1: options.chance,
            line: { color: PALETTE[7], dash: 'dash', width: 1.5 }
          }
        ];
  return figureSpec({
    kind: 'significantClasses',
    title,
    exportName: options.exportName ?? 'significant-subgraph-classes',
    data: [trace('initial', g => g.before, 0), trace('trained', g => g.after, 1)],
    layout: {
      barmode: 'group',
      xaxis: { title: { text: 'Initialization' } },
      yaxis: {
        title: { text: `Significant classes (p < ${alpha}; count per network)` },
        rangemode: 'tozero'
      },
      shapes,
      annotations:
        options.chance === undefined
          ? []
          : [
              {
                xref: 'paper',
                yref: 'y',
                x: 1,
                y: options.chance,
                xanchor: 'right',
                yanchor: 'bottom',
                showarrow: false,
                text: `expected by chance ≈ ${options.chance.toFixed(1)}`,
                font: { size: 11 }
              }
            ]
    },
    provenance: {
      groups: names,
      alpha,
      ...(options.chance === undefined ? {} : { chance: options.chance }),
      ...options.provenance
    }
  });
}
