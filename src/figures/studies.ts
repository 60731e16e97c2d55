/**
 * Figures of the paper-reproduction studies: metric distributions grouped by accuracy bin, a symmetric-KL
 * heatmap between groups, a metric against test accuracy, and means with confidence intervals per
 * initialization (La Malfa et al.; Scabini, De Baets & Bruno). Pure functions: numbers in, specs out.
 */
import { meanInterval } from '../core/stats';
import { figureSpec, FigureSpec, JsonObject, PALETTE } from './spec';

/** Options shared by the study figures. */
export interface StudyFigureOptions {
  title?: string;
  exportName?: string;
  provenance?: JsonObject;
}

/** A named sample, e.g. the node strengths of every network in one accuracy bin. */
export interface NamedSample {
  name: string;
  values: ArrayLike<number>;
}

function finite(values: ArrayLike<number>): number[] {
  return Array.from(values).filter(v => Number.isFinite(v));
}

/**
 * One box per group (e.g. per accuracy bin), every value drawn as a point; the group size in its label.
 *
 * @param options - `xTitle` and `yTitle` (with units) are required; `logY` for positive metrics that span
 *   orders of magnitude (non-positive values are then left out).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.groupedDistributionFigure([{ name: '0.1–0.2', values: [1, 2] }, { name: '0.8–0.9', values: [0.1] }],
 *   { xTitle: 'Test accuracy bin', yTitle: 'Layer fluctuation (a.u.)', logY: true });
 * ```
 */
export function groupedDistributionFigure(
  groups: readonly NamedSample[],
  options: StudyFigureOptions & { xTitle: string; yTitle: string; logY?: boolean; maxPoints?: number }
): FigureSpec {
  if (groups.length === 0) throw new RangeError('groupedDistributionFigure: no groups');
  const maxPoints = options.maxPoints ?? 2000;
  const title = options.title ?? 'Distribution per group';
  const data: JsonObject[] = groups.map((g, k) => {
    const y = finite(g.values).filter(v => !options.logY || v > 0);
    const colour = PALETTE[k % PALETTE.length];
    return {
      type: 'box',
      name: `${g.name} (n = ${y.length})`,
      y,
      boxpoints: y.length <= maxPoints ? 'all' : 'outliers',
      jitter: 0.4,
      pointpos: 0,
      marker: { color: colour, size: 3, opacity: 0.5 },
      line: { color: colour }
    };
  });
  return figureSpec({
    kind: 'groupedDistribution',
    title,
    exportName: options.exportName ?? 'grouped-distribution',
    data,
    layout: {
      xaxis: { title: { text: options.xTitle } },
      yaxis: { title: { text: options.yTitle }, ...(options.logY ? { type: 'log' } : {}) },
      showlegend: false,
      margin: { t: 60, r: 20, b: 80, l: 80 }
    },
    provenance: {
      groups: groups.map(g => g.name),
      sizes: groups.map(g => g.values.length),
      ...options.provenance
    }
  });
}

/**
 * Heatmap of a symmetric divergence matrix between named groups (e.g. core `pairwiseSymmetricKL` between
 * accuracy bins), with the value written in every cell; `NaN` cells are left blank.
 *
 * @param options - `axisTitle` names the groups (default `Group`); `valueTitle` the colour bar (default
 *   `Symmetric KL divergence (nats)`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.klHeatmapFigure(['low', 'high'], [[0, 2.5], [2.5, 0]], { axisTitle: 'Test accuracy bin' });
 * ```
 */
export function klHeatmapFigure(
  names: readonly string[],
  matrix: readonly (readonly number[])[],
  options: StudyFigureOptions & { axisTitle?: string; valueTitle?: string } = {}
): FigureSpec {
  const k = names.length;
  if (k === 0) throw new RangeError('klHeatmapFigure: no groups');
  if (matrix.length !== k || matrix.some(row => row.length !== k)) {
    throw new RangeError(`klHeatmapFigure: the matrix must be ${k} × ${k} for ${k} names`);
  }
  const z = matrix.map(row => row.map(v => (Number.isFinite(v) ? v : null)));
  const title = options.title ?? 'Symmetric KL divergence between groups';
  const axisTitle = options.axisTitle ?? 'Group';
  const valueTitle = options.valueTitle ?? 'Symmetric KL divergence (nats)';
  return figureSpec({
    kind: 'klHeatmap',
    title,
    exportName: options.exportName ?? 'kl-heatmap',
    data: [
      {
        type: 'heatmap',
        x: [...names],
        y: [...names],
        z,
        colorscale: 'Viridis',
        colorbar: { title: { text: valueTitle } },
        texttemplate: '%{z:.2f}',
        hovertemplate: '%{y} vs %{x}<br>%{z:.3g}<extra></extra>'
      }
    ],
    layout: {
      xaxis: { title: { text: axisTitle }, type: 'category' },
      yaxis: { title: { text: axisTitle }, type: 'category', autorange: 'reversed' },
      margin: { t: 60, r: 20, b: 80, l: 100 }
    },
    provenance: { groups: [...names], ...options.provenance }
  });
}

/** Points of one group of runs: a metric (`y`) against test accuracy (`x`), same length. */
export interface ScatterGroup {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/**
 * A per-network metric against test accuracy, one colour per group (e.g. initialization std).
 *
 * @param options - `yTitle` (with units) required; `xTitle` default `Test accuracy (%)` with `x` given as
 *   fractions and drawn in percent; `logY` for positive metrics.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.metricVsAccuracyFigure([{ name: 'std 0.05', x: [0.8, 0.82], y: [0.3, 0.31] }], { yTitle: 'Y (a.u.)' });
 * ```
 */
export function metricVsAccuracyFigure(
  groups: readonly ScatterGroup[],
  options: StudyFigureOptions & { yTitle: string; xTitle?: string; logY?: boolean }
): FigureSpec {
  if (groups.length === 0) throw new RangeError('metricVsAccuracyFigure: no groups');
  groups.forEach(g => {
    if (g.x.length !== g.y.length) {
      throw new RangeError(
        `metricVsAccuracyFigure: group "${g.name}" has ${g.x.length} accuracies but ${g.y.length} values`
      );
    }
  });
  const title = options.title ?? 'Metric against test accuracy';
  return figureSpec({
    kind: 'metricVsAccuracy',
    title,
    exportName: options.exportName ?? 'metric-vs-accuracy',
    data: groups.map((g, k) => ({
      type: 'scatter',
      mode: 'markers',
      name: g.name,
      x: Array.from(g.x, v => (Number.isFinite(v) ? 100 * v : null)),
      y: Array.from(g.y, v => (Number.isFinite(v) ? v : null)),
      marker: { color: PALETTE[k % PALETTE.length], size: 5, opacity: 0.7 }
    })),
    layout: {
      xaxis: { title: { text: options.xTitle ?? 'Test accuracy (%)' } },
      yaxis: { title: { text: options.yTitle }, ...(options.logY ? { type: 'log' } : {}) },
      margin: { t: 60, r: 20, b: 60, l: 80 }
    },
    provenance: {
      groups: groups.map(g => g.name),
      sizes: groups.map(g => g.x.length),
      ...options.provenance
    }
  });
}

/** One series of {@link intervalFigure} (e.g. `PA rewired`): a sample per category (e.g. initialization). */
export interface IntervalSeries {
  name: string;
  /** `samples[c]` is the sample of category `c`, in the order of the `categories` argument. */
  samples: readonly ArrayLike<number>[];
}

/**
 * Means with confidence intervals (`mean ± z·sd/√n`, core `meanInterval`) per category, series side
 * by side (e.g. test accuracy per initialization, with and without PA rewiring).
 *
 * @param options - `yTitle` (with units) required; `scale` multiplies every value (e.g. 100 for percent);
 *   `z` default 1.96; `xTitle` default `Initialization`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.intervalFigure(['glorot', 'he'], [
 *   { name: 'not rewired', samples: [[0.8, 0.82], [0.85, 0.86]] },
 *   { name: 'PA rewired', samples: [[0.81, 0.83], [0.85, 0.87]] }
 * ], { yTitle: 'Test accuracy (%)', scale: 100 });
 * ```
 */
export function intervalFigure(
  categories: readonly string[],
  series: readonly IntervalSeries[],
  options: StudyFigureOptions & { yTitle: string; xTitle?: string; scale?: number; z?: number }
): FigureSpec {
  if (categories.length === 0 || series.length === 0) {
    throw new RangeError('intervalFigure: need at least one category and one series');
  }
  series.forEach(s => {
    if (s.samples.length !== categories.length) {
      throw new RangeError(
        `intervalFigure: series "${s.name}" has ${s.samples.length} samples for ${categories.length} categories`
      );
    }
  });
  const scale = options.scale ?? 1;
  const z = options.z ?? 1.96;
  const width = 0.5;
  const offset = (k: number): number =>
    series.length === 1 ? 0 : -width / 2 + (width * k) / (series.length - 1);
  const title = options.title ?? 'Mean with confidence interval';
  const data: JsonObject[] = series.map((s, k) => {
    const stats = s.samples.map(v =>
      meanInterval(
        Array.from(v, x => x * scale),
        z
      )
    );
    const colour = PALETTE[k % PALETTE.length];
    return {
      type: 'scatter',
      mode: 'markers',
      name: s.name,
      x: categories.map((_, c) => c + offset(k)),
      y: stats.map(st => st.mean),
      error_y: { type: 'data', array: stats.map(st => st.halfWidth), visible: true, color: colour },
      customdata: stats.map((st, c) => [categories[c], st.n, st.lo, st.hi]),
      hovertemplate: `${s.name}<br>%{customdata[0]}: %{y:.4g} [%{customdata[2]:.4g}, %{customdata[3]:.4g}], n = %{customdata[1]}<extra></extra>`,
      marker: { color: colour, size: 8 }
    };
  });
  return figureSpec({
    kind: 'intervals',
    title,
    exportName: options.exportName ?? 'intervals',
    data,
    layout: {
      xaxis: {
        title: { text: options.xTitle ?? 'Initialization' },
        tickmode: 'array',
        tickvals: categories.map((_, c) => c),
        ticktext: [...categories],
        range: [-0.6, categories.length - 0.4]
      },
      yaxis: { title: { text: options.yTitle } },
      margin: { t: 60, r: 20, b: 60, l: 80 }
    },
    provenance: {
      categories: [...categories],
      series: series.map(s => s.name),
      interval: `mean ± ${z}·sd/√n`,
      ...options.provenance
    }
  });
}
