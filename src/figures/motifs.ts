import { MOTIF_NAMES } from '../core/census';
import type { MotifSignificance } from '../core/significance';
import { quantiles } from '../core/stats';
import {
  cornerNote,
  errorBars,
  figureSpec,
  FigureSpec,
  finiteOrNull,
  JsonObject,
  JsonValue,
  PALETTE
} from './spec';

/** Human labels of the motif names used in every API. */
export const MOTIF_LABELS: Readonly<Record<string, string>> = {
  edges: 'edges',
  soDiverging: '2nd-order diverging',
  soConverging: '2nd-order converging',
  soChain: '2nd-order chain',
  toDiverging: '3rd-order diverging',
  toConverging: '3rd-order converging',
  toChain: '3rd-order chain',
  biFan: 'bi-fan',
  biParallel: 'bi-parallel'
};

/** One network's significance result with the name shown in legends. */
export interface NamedSignificance {
  name: string;
  result: MotifSignificance;
}

/** Options shared by the motif figures. */
export interface MotifFigureOptions {
  title?: string;
  exportName?: string;
  provenance?: JsonObject;
  /** Which census keys to show; default the motifs with a defined Z in at least one result (`edges` has none). */
  motifs?: readonly string[];
}

/** Positive Z (over-represented) and negative Z (under-represented) colours from the palette. */
const POSITIVE = PALETTE[0];
const NEGATIVE = PALETTE[1];

/**
 * Significance stars of an empirical p-value: `***` p < 0.001, `**` p < 0.01, `*` p < 0.05, `` otherwise.
 *
 * @example
 * ```ts
 * stars(0.004); // '**'
 * ```
 */
export function stars(p: number): string {
  if (!(p >= 0)) return '';
  return p < 0.001 ? '***' : p < 0.01 ? '**' : p < 0.05 ? '*' : '';
}

function defaultMotifs(entries: readonly NamedSignificance[]): string[] {
  const base = MOTIF_NAMES.filter(m => entries.some(e => Number.isFinite(e.result.z[m])));
  return base.length > 0 ? base : [...MOTIF_NAMES];
}

function nullDescription(r: MotifSignificance): JsonObject {
  return {
    nullModel: r.null.model,
    samples: r.null.samples,
    seed: r.null.seed,
    chain: r.chain,
    biasNode: r.biasNode,
    pruneDeadGhost: r.pruneDeadGhost
  };
}

function checkEntries(entries: readonly NamedSignificance[], who: string): void {
  if (entries.length === 0) throw new RangeError(`${who}: no results to draw`);
}

/**
 * Motif Z-scores as bars, one group per motif and one bar per network, with significance stars
 * (empirical p) above the bars and a shaded band at |Z| < 2. With a single network, bars are coloured by
 * the sign of Z (blue over-, vermillion under-represented); with several, by network.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([6, 8, 4], { seed: 1 }));
 * const r = nm.motifSignificance(net, { samples: 200 });
 * nm.show.figure(nm.figures.motifZScoreFigure([{ name: 'trained', result: r }]));
 * ```
 */
export function motifZScoreFigure(
  entries: readonly NamedSignificance[],
  options: MotifFigureOptions = {}
): FigureSpec {
  checkEntries(entries, 'motifZScoreFigure');
  const motifs = options.motifs ?? defaultMotifs(entries);
  const labels = motifs.map(m => MOTIF_LABELS[m] ?? m);
  const single = entries.length === 1;
  const data: JsonObject[] = entries.map((e, k) => {
    const z = motifs.map(m => finiteOrNull(e.result.z[m] ?? NaN));
    const p = motifs.map(m => e.result.p[m] ?? NaN);
    const colour: JsonValue = single
      ? z.map(v => ((v ?? 0) >= 0 ? POSITIVE : NEGATIVE))
      : PALETTE[k % PALETTE.length];
    return {
      type: 'bar',
      name: e.name,
      x: labels,
      y: z,
      text: p.map(stars),
      textposition: 'outside',
      marker: { color: colour },
      customdata: motifs.map((m, i) => [
        e.result.counts[m] ?? 0,
        finiteOrNull(e.result.null.mean[m] ?? NaN),
        finiteOrNull(e.result.null.sd[m] ?? NaN),
        finiteOrNull(p[i])
      ]),
      hovertemplate:
        `${e.name}<br>%{x}<br>Z = %{y:.2f}<br>count %{customdata[0]}` +
        '<br>null %{customdata[1]:.4g} ± %{customdata[2]:.3g}<br>p = %{customdata[3]:.3g}<extra></extra>'
    };
  });
  const title = options.title ?? 'Motif Z-scores';
  return figureSpec({
    kind: 'motifZScores',
    title,
    exportName: options.exportName ?? 'motif-z-scores',
    data,
    layout: {
      barmode: 'group',
      xaxis: { title: { text: 'Motif' } },
      yaxis: { title: { text: 'Z-score (real − null mean) / null sd' }, zeroline: true },
      showlegend: !single,
      shapes: [
        {
          type: 'rect',
          xref: 'paper',
          x0: 0,
          x1: 1,
          y0: -2,
          y1: 2,
          fillcolor: '#888888',
          opacity: 0.12,
          line: { width: 0 },
          layer: 'below'
        }
      ],
      annotations: [
        cornerNote(
          `null: ${entries[0].result.null.model}, ${entries[0].result.null.samples} samples; grey band |Z| < 2; * p < .05, ** p < .01, *** p < .001`
        )
      ],
      margin: { t: 70, r: 20, b: 90, l: 70 }
    },
    provenance: {
      networks: entries.map(e => e.name),
      ...nullDescription(entries[0].result),
      ...options.provenance
    }
  });
}

/**
 * Real motif counts next to the null model's mean ± sd (the null's spread), on a log axis: one marker
 * trace for the real counts and one for the null with error bars.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const r = nm.motifSignificance(nm.fromModel(nm.mlp([6, 8, 4], { seed: 1 })), { samples: 100 });
 * nm.show.figure(nm.figures.motifCountsFigure({ name: 'net', result: r }));
 * ```
 */
export function motifCountsFigure(entry: NamedSignificance, options: MotifFigureOptions = {}): FigureSpec {
  const r = entry.result;
  const motifs = options.motifs ?? [...MOTIF_NAMES];
  const labels = motifs.map(m => MOTIF_LABELS[m] ?? m);
  const title = options.title ?? `Motif counts of ${entry.name} vs null model`;
  return figureSpec({
    kind: 'motifCounts',
    title,
    exportName: options.exportName ?? 'motif-counts',
    data: [
      {
        type: 'scatter',
        mode: 'markers',
        name: `null (${r.null.model}) mean ± sd`,
        x: labels,
        y: motifs.map(m => finiteOrNull(r.null.mean[m] ?? NaN)),
        error_y: { type: 'data', array: motifs.map(m => finiteOrNull(r.null.sd[m] ?? NaN)), visible: true },
        marker: { color: PALETTE[7], symbol: 'line-ew-open', size: 18 }
      },
      {
        type: 'scatter',
        mode: 'markers',
        name: entry.name,
        x: labels,
        y: motifs.map(m => r.counts[m] ?? 0),
        marker: { color: PALETTE[0], size: 10 }
      }
    ],
    layout: {
      xaxis: { title: { text: 'Motif' } },
      yaxis: { title: { text: 'Count (number of motif instances)' }, type: 'log' },
      margin: { t: 60, r: 20, b: 90, l: 70 }
    },
    provenance: { network: entry.name, ...nullDescription(r), ...options.provenance }
  });
}

/**
 * Significance profiles (Milo et al.: `SP_i = Z_i / ‖Z‖`), one line per network, so networks of different
 * sizes can be compared by the shape of their profile.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const r = nm.motifSignificance(nm.fromModel(nm.mlp([6, 8, 4], { seed: 1 })), { samples: 100 });
 * nm.show.figure(nm.figures.significanceProfileFigure([{ name: 'net', result: r }]));
 * ```
 */
export function significanceProfileFigure(
  entries: readonly NamedSignificance[],
  options: MotifFigureOptions = {}
): FigureSpec {
  checkEntries(entries, 'significanceProfileFigure');
  const motifs = options.motifs ?? defaultMotifs(entries);
  const labels = motifs.map(m => MOTIF_LABELS[m] ?? m);
  const title = options.title ?? 'Motif significance profile';
  return figureSpec({
    kind: 'significanceProfile',
    title,
    exportName: options.exportName ?? 'significance-profile',
    data: entries.map((e, k) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: e.name,
      x: labels,
      y: motifs.map(m => finiteOrNull(e.result.significanceProfile[m] ?? NaN)),
      line: { color: PALETTE[k % PALETTE.length] },
      marker: { color: PALETTE[k % PALETTE.length] }
    })),
    layout: {
      xaxis: { title: { text: 'Motif' } },
      yaxis: { title: { text: 'Normalised Z (significance profile)' }, range: [-1.05, 1.05], zeroline: true },
      margin: { t: 60, r: 20, b: 90, l: 70 }
    },
    provenance: {
      networks: entries.map(e => e.name),
      ...nullDescription(entries[0].result),
      ...options.provenance
    }
  });
}

/** One pruning level's results: the fraction of weights removed and one result per network. */
export interface SparsityLevel {
  /** Fraction of weights pruned, in [0, 1]. */
  sparsity: number;
  results: readonly MotifSignificance[];
}

/**
 * Motif Z-scores across sparsity levels (Zahn, Daniel & Kutz): for every motif, the median Z over the
 * networks of a level as a line, with the interquartile range as error bars.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * // levels = [{ sparsity: 0.5, results: [r1, r2] }, { sparsity: 0.9, results: [r3, r4] }]
 * // nm.show.figure(nm.figures.zVsSparsityFigure(levels));
 * ```
 */
export function zVsSparsityFigure(
  levels: readonly SparsityLevel[],
  options: MotifFigureOptions = {}
): FigureSpec {
  if (levels.length === 0) throw new RangeError('zVsSparsityFigure: no sparsity levels');
  const sorted = [...levels].sort((a, b) => a.sparsity - b.sparsity);
  const all = sorted.flatMap(l => l.results.map(result => ({ name: '', result })));
  checkEntries(all, 'zVsSparsityFigure');
  const motifs = options.motifs ?? defaultMotifs(all);
  const x = sorted.map(l => 100 * l.sparsity);
  const data: JsonObject[] = motifs.map((m, k) => {
    const q = sorted.map(l => quartiles(l.results.map(r => r.z[m]).filter(Number.isFinite)));
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name: MOTIF_LABELS[m] ?? m,
      x,
      y: q.map(s => finiteOrNull(s.median)),
      error_y: errorBars(
        q.map(s => s.median),
        q.map(s => s.q1),
        q.map(s => s.q3)
      ),
      line: { color: PALETTE[k % PALETTE.length] },
      marker: { color: PALETTE[k % PALETTE.length] }
    };
  });
  const title = options.title ?? 'Motif Z-scores across sparsity';
  return figureSpec({
    kind: 'zVsSparsity',
    title,
    exportName: options.exportName ?? 'motif-z-vs-sparsity',
    data,
    layout: {
      xaxis: { title: { text: 'Weights pruned (%)' } },
      yaxis: { title: { text: 'Median Z-score over networks (bars: IQR)' }, zeroline: true }
    },
    provenance: {
      levels: sorted.map(l => l.sparsity),
      networksPerLevel: sorted.map(l => l.results.length),
      ...nullDescription(all[0].result),
      ...options.provenance
    }
  });
}

/** Median and quartiles (NumPy's linear interpolation); NaN for an empty sample. */
function quartiles(values: number[]): { q1: number; median: number; q3: number } {
  const [q1, median, q3] = quantiles(values, [0.25, 0.5, 0.75]);
  return { q1, median, q3 };
}
