import type { LinkWeightSummary } from '../core/metrics';
import { figureSpec, FigureSpec, JsonObject, PALETTE } from './spec';
import { defaultLayerNames } from './strength';

/** Options shared by the metric figures. */
export interface MetricFigureOptions {
  title?: string;
  exportName?: string;
  provenance?: JsonObject;
}

/**
 * Link-weight distributions (La Malfa et al.): one histogram per weight layer (probability density, so
 * layers of different sizes compare), with mean and sd in the legend.
 *
 * @param summaries - `linkWeights(net)` from core, one summary per weight layer.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([8, 16, 4], { seed: 1 }));
 * nm.show.figure(nm.figures.linkWeightFigure(nm.linkWeights(net)));
 * ```
 */
export function linkWeightFigure(
  summaries: readonly LinkWeightSummary[],
  options: MetricFigureOptions & { layerNames?: readonly string[] } = {}
): FigureSpec {
  if (summaries.length === 0) throw new RangeError('linkWeightFigure: no layers');
  const names = options.layerNames ?? summaries.map((_, l) => `layer ${l + 1}`);
  if (names.length !== summaries.length) {
    throw new RangeError(`linkWeightFigure: ${summaries.length} layers but ${names.length} names`);
  }
  const data: JsonObject[] = summaries.map((s, l) => {
    const { edges, counts } = s.histogram;
    const centres: number[] = [];
    const density: number[] = [];
    for (let k = 0; k < counts.length; k++) {
      const width = edges[k + 1] - edges[k];
      centres.push((edges[k] + edges[k + 1]) / 2);
      density.push(s.count > 0 && width > 0 ? counts[k] / (s.count * width) : 0);
    }
    const colour = PALETTE[l % PALETTE.length];
    return {
      type: 'scatter',
      mode: 'lines',
      line: { shape: 'hvh', color: colour },
      name: `${names[l]} (mean ${s.mean.toPrecision(2)}, sd ${s.sd.toPrecision(2)})`,
      x: centres,
      y: density,
      hovertemplate: `${names[l]}<br>w ≈ %{x:.3g}<br>density %{y:.3g}<extra></extra>`
    };
  });
  const title = options.title ?? 'Link-weight distribution per layer';
  return figureSpec({
    kind: 'linkWeights',
    title,
    exportName: options.exportName ?? 'link-weights',
    data,
    layout: {
      xaxis: { title: { text: 'Weight w (a.u.)' }, zeroline: true },
      yaxis: { title: { text: 'Probability density (1 / a.u.)' } }
    },
    provenance: options.provenance
  });
}

/** One run's layer fluctuations with its name (e.g. seed or accuracy bin). */
export interface NamedFluctuation {
  name: string;
  /** `layerFluctuation(net)`: one value per neuron layer. */
  values: readonly number[];
}

/**
 * Layer fluctuation `Y_l` across neuron layers, one line per run (La Malfa et al.).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const runs = [1, 2, 3].map(seed => ({
 *   name: `seed ${seed}`,
 *   values: nm.layerFluctuation(nm.fromModel(nm.mlp([8, 16, 4], { seed })))
 * }));
 * nm.show.figure(nm.figures.layerFluctuationFigure(runs));
 * ```
 */
export function layerFluctuationFigure(
  runs: readonly NamedFluctuation[],
  options: MetricFigureOptions & { layerNames?: readonly string[] } = {}
): FigureSpec {
  if (runs.length === 0) throw new RangeError('layerFluctuationFigure: no runs');
  const n = runs[0].values.length;
  runs.forEach(r => {
    if (r.values.length !== n) {
      throw new RangeError(
        `layerFluctuationFigure: run "${r.name}" has ${r.values.length} layers, the first run has ${n}`
      );
    }
  });
  const names = options.layerNames ?? defaultLayerNames(n);
  const title = options.title ?? 'Layer fluctuation';
  return figureSpec({
    kind: 'layerFluctuation',
    title,
    exportName: options.exportName ?? 'layer-fluctuation',
    data: runs.map((r, k) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: r.name,
      x: [...names],
      y: r.values.map(v => (Number.isFinite(v) ? v : null)),
      line: { color: PALETTE[k % PALETTE.length] },
      marker: { color: PALETTE[k % PALETTE.length] }
    })),
    layout: {
      xaxis: { title: { text: 'Neuron layer' } },
      yaxis: { title: { text: 'Layer fluctuation Y (sd of node strength, a.u.)' } },
      showlegend: runs.length > 1
    },
    provenance: { runs: runs.map(r => r.name), ...options.provenance }
  });
}

/** Strength-variance scores of the same initialization before and after rewiring. */
export interface RewiringComparison {
  /** Initialization name, e.g. `glorotUniform`. */
  name: string;
  /** Scores (`strengthVarianceScore`) of K draws before rewiring. */
  before: readonly number[];
  /** Scores of the same draws after PA rewiring. */
  after: readonly number[];
}

/**
 * Strength variance before and after preferential-attachment rewiring (Scabini et al.): a pair of boxes
 * per initialization.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.strengthVarianceFigure([{ name: 'glorot', before: [0.9, 1.1], after: [0.1, 0.2] }]);
 * ```
 */
export function strengthVarianceFigure(
  comparisons: readonly RewiringComparison[],
  options: MetricFigureOptions = {}
): FigureSpec {
  if (comparisons.length === 0) throw new RangeError('strengthVarianceFigure: no initializations');
  const title = options.title ?? 'Strength variance before and after PA rewiring';
  const trace = (which: 'before' | 'after', colour: string): JsonObject => ({
    type: 'box',
    name: which === 'before' ? 'before rewiring' : 'after PA rewiring',
    x: comparisons.flatMap(c => c[which].map(() => c.name)),
    y: comparisons.flatMap(c => [...c[which]]),
    boxpoints: 'all',
    jitter: 0.3,
    pointpos: 0,
    marker: { color: colour, size: 4 },
    line: { color: colour }
  });
  return figureSpec({
    kind: 'strengthVariance',
    title,
    exportName: options.exportName ?? 'strength-variance-rewiring',
    data: [trace('before', PALETTE[1]), trace('after', PALETTE[0])],
    layout: {
      boxmode: 'group',
      xaxis: { title: { text: 'Initialization' } },
      yaxis: { title: { text: 'Strength variance score (mean of in/out strength variances)' }, type: 'log' },
      margin: { t: 60, r: 20, b: 60, l: 80 }
    },
    provenance: {
      initializations: comparisons.map(c => c.name),
      draws: comparisons.map(c => c.before.length),
      ...options.provenance
    }
  });
}
