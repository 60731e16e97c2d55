/**
 * Training and pruning figures: loss/accuracy curves per epoch (also drawn live while training), pruning
 * curves (loss vs sparsity) and sparsity per layer. Pure functions from numbers to figure specs.
 */
import { defaultLayerNames } from './strength';
import { figureSpec, FigureSpec, JsonObject, JsonValue, PALETTE } from './spec';

/** Per-epoch values; `valLoss`, `acc`, `valAcc` may be empty or absent. */
export interface TrainingCurves {
  loss: readonly number[];
  valLoss?: readonly number[];
  acc?: readonly number[];
  valAcc?: readonly number[];
}

/** Options of {@link trainingCurvesFigure}. */
export interface TrainingCurvesFigureOptions {
  /** Figure title. Default `Training`. */
  title?: string;
  /** Loss name with its unit for the axis title. Default `loss`. E.g. `MSE (scaled outputs²)`. */
  lossLabel?: string;
  /** Logarithmic loss axis. Default `true`. */
  logLoss?: boolean;
  /** The running mean of the epoch in progress, drawn as one hollow point at a fractional epoch. */
  current?: { epoch: number; loss: number; acc?: number };
  /** Total number of epochs planned: fixes the x range so a live figure does not rescale. */
  epochs?: number;
  /** Export file name without extension. Default `training-curves`. */
  exportName?: string;
  /** Extra provenance (model name, optimizer, seed, …). */
  provenance?: JsonObject;
}

const finite = (xs: readonly number[] | undefined): boolean =>
  xs !== undefined && xs.length > 0 && xs.some(Number.isFinite);

function lineTrace(
  name: string,
  y: readonly number[],
  colour: string,
  axes: { x: string; y: string },
  dash: 'solid' | 'dash',
  unit: string
): JsonObject {
  return {
    type: 'scatter',
    mode: y.length > 30 ? 'lines' : 'lines+markers',
    name,
    x: y.map((_, i) => i + 1),
    y: y.map(v => (Number.isFinite(v) ? v : null)),
    xaxis: axes.x,
    yaxis: axes.y,
    line: { color: colour, dash },
    marker: { color: colour, size: 5 },
    hovertemplate: `${name}<br>epoch %{x}<br>%{y:.4g}${unit}<extra></extra>`
  };
}

/**
 * Loss (and accuracy, when there is any) per epoch for training and validation data, like tfjs-vis'
 * `fitCallbacks` charts. Loss on the left panel (log scale by default), accuracy in % on the right.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.trainingCurvesFigure({ loss: [0.9, 0.5, 0.3], valLoss: [1, 0.6, 0.45] });
 * spec.data.length; // 2
 * ```
 */
export function trainingCurvesFigure(
  curves: TrainingCurves,
  options: TrainingCurvesFigureOptions = {}
): FigureSpec {
  const title = options.title ?? 'Training';
  const lossLabel = options.lossLabel ?? 'loss';
  const withAcc = finite(curves.acc) || finite(curves.valAcc) || options.current?.acc !== undefined;
  const lossAxes = { x: 'x', y: 'y' };
  const accAxes = { x: 'x2', y: 'y2' };
  const pct = (xs: readonly number[] | undefined): number[] => (xs ?? []).map(v => 100 * v);
  const data: JsonObject[] = [lineTrace('training loss', curves.loss, PALETTE[0], lossAxes, 'solid', '')];
  if (finite(curves.valLoss)) {
    data.push(lineTrace('validation loss', curves.valLoss ?? [], PALETTE[1], lossAxes, 'dash', ''));
  }
  if (withAcc) {
    if (finite(curves.acc)) {
      data.push(lineTrace('training accuracy', pct(curves.acc), PALETTE[2], accAxes, 'solid', ' %'));
    }
    if (finite(curves.valAcc)) {
      data.push(lineTrace('validation accuracy', pct(curves.valAcc), PALETTE[3], accAxes, 'dash', ' %'));
    }
  }
  const cur = options.current;
  if (cur !== undefined && Number.isFinite(cur.loss)) {
    const point = (y: number, axes: { x: string; y: string }, colour: string, name: string): JsonObject => ({
      type: 'scatter',
      mode: 'markers',
      name,
      x: [cur.epoch],
      y: [y],
      xaxis: axes.x,
      yaxis: axes.y,
      marker: { color: colour, size: 9, symbol: 'circle-open', line: { width: 2, color: colour } },
      hovertemplate: `${name}<br>epoch %{x:.2f}<br>%{y:.4g}<extra></extra>`
    });
    data.push(point(cur.loss, lossAxes, PALETTE[0], 'current epoch (running mean loss)'));
    if (withAcc && cur.acc !== undefined) {
      data.push(point(100 * cur.acc, accAxes, PALETTE[2], 'current epoch (running accuracy)'));
    }
  }
  const epochs = Math.max(options.epochs ?? 0, curves.loss.length, Math.ceil(cur?.epoch ?? 0), 1);
  const xaxis = (domain: number[]): JsonObject => ({
    title: { text: 'epoch' },
    range: [0.5, epochs + 0.5],
    domain,
    dtick: epochs <= 20 ? 1 : null
  });
  const layout: JsonObject = {
    xaxis: xaxis(withAcc ? [0, 0.45] : [0, 1]),
    yaxis: { title: { text: lossLabel }, type: options.logLoss === false ? 'linear' : 'log' },
    showlegend: true,
    legend: { orientation: 'h', y: -0.2 },
    margin: { t: 60, r: 20, b: 80, l: 70 }
  };
  if (withAcc) {
    layout.xaxis2 = { ...xaxis([0.55, 1]), anchor: 'y2' };
    layout.yaxis2 = { title: { text: 'accuracy (%)' }, range: [0, 100], anchor: 'x2' };
  }
  return figureSpec({
    kind: 'trainingCurves',
    title,
    exportName: options.exportName ?? 'training-curves',
    data,
    layout,
    provenance: { epochs: curves.loss.length, ...options.provenance }
  });
}

/** One pruning run: the loss reached after retraining at each sparsity level. */
export interface PruningCurve {
  /** Legend name. Default `run 1`, `run 2`, …. */
  name?: string;
  /** Fractions of weights pruned, in [0, 1]. */
  sparsity: readonly number[];
  /** Loss at each level (same length). */
  loss: readonly number[];
}

/** Options of {@link pruningCurveFigure}. */
export interface PruningCurveFigureOptions {
  /** Figure title. Default `Loss vs sparsity`. */
  title?: string;
  /** Loss name with its unit. Default `validation loss`. */
  lossLabel?: string;
  /** Draw this loss as a dashed line and mark each run's optimally sparse level (last level ≤ it). */
  threshold?: number;
  /** Export file name without extension. Default `pruning-curve`. */
  exportName?: string;
  /** Extra provenance. */
  provenance?: JsonObject;
}

/**
 * Pruning curves: loss after retraining vs the fraction of weights pruned (log loss axis), one line per
 * run; with a `threshold`, a dashed line at it and a star at each run's "optimally sparse" level.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.pruningCurveFigure([{ sparsity: [0, 0.5, 0.9], loss: [1e-4, 2e-4, 5e-3] }], { threshold: 1e-3 });
 * ```
 */
export function pruningCurveFigure(
  runs: readonly PruningCurve[],
  options: PruningCurveFigureOptions = {}
): FigureSpec {
  const title = options.title ?? 'Loss vs sparsity';
  const lossLabel = options.lossLabel ?? 'validation loss';
  const { threshold } = options;
  const data: JsonObject[] = [];
  runs.forEach((run, r) => {
    if (run.sparsity.length !== run.loss.length) {
      throw new RangeError(
        `pruningCurveFigure: run ${r} has ${run.sparsity.length} sparsity levels but ${run.loss.length} losses`
      );
    }
    const name = run.name ?? `run ${r + 1}`;
    const colour = PALETTE[r % PALETTE.length];
    data.push({
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: run.sparsity.map(s => 100 * s),
      y: run.loss.map(v => (Number.isFinite(v) ? v : null)),
      line: { color: colour },
      marker: { color: colour, size: 6 },
      hovertemplate: `${name}<br>%{x:.1f} % pruned<br>loss %{y:.4g}<extra></extra>`
    });
    if (threshold !== undefined) {
      let best = -1;
      run.loss.forEach((v, i) => {
        if (v <= threshold) best = i;
      });
      if (best >= 0) {
        data.push({
          type: 'scatter',
          mode: 'markers',
          name: `${name}: optimally sparse (${(100 * run.sparsity[best]).toFixed(1)} %)`,
          x: [100 * run.sparsity[best]],
          y: [run.loss[best]],
          marker: { color: colour, size: 14, symbol: 'star' },
          hovertemplate: `optimally sparse<br>%{x:.1f} % pruned<br>loss %{y:.4g}<extra></extra>`
        });
      }
    }
  });
  const shapes: JsonValue[] = [];
  if (threshold !== undefined) {
    shapes.push({
      type: 'line',
      xref: 'paper',
      x0: 0,
      x1: 1,
      yref: 'y',
      y0: threshold,
      y1: threshold,
      line: { color: PALETTE[7], dash: 'dash', width: 1 }
    });
  }
  return figureSpec({
    kind: 'pruningCurve',
    title,
    exportName: options.exportName ?? 'pruning-curve',
    data,
    layout: {
      xaxis: { title: { text: 'sparsity (% of weights pruned)' }, range: [0, 100] },
      yaxis: { title: { text: lossLabel }, type: 'log' },
      shapes,
      showlegend: true
    },
    provenance: {
      runs: runs.length,
      ...(threshold !== undefined ? { threshold } : {}),
      ...options.provenance
    }
  });
}

/** Options of {@link sparsityPerLayerFigure}. */
export interface SparsityPerLayerFigureOptions {
  /** Figure title. Default `Sparsity per layer`. */
  title?: string;
  /** Target sparsity of each level (x axis of the lines). Default 1, 2, … as "level". */
  levels?: readonly number[];
  /** Names of the weight layers. Default `input → hidden 1`, …. */
  layerNames?: readonly string[];
  /** Export file name without extension. Default `sparsity-per-layer`. */
  exportName?: string;
  /** Extra provenance. */
  provenance?: JsonObject;
}

/**
 * Fraction of pruned weights in each weight layer: bars for one network, or one line per layer across
 * pruning levels (x = target sparsity of the level).
 *
 * @param sparsity - `sparsity[level][layer]` in [0, 1].
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.sparsityPerLayerFigure([[0.5, 0.5], [0.9, 0.88]], { levels: [0.5, 0.9] });
 * spec.data.length; // 2 lines, one per weight layer
 * ```
 */
export function sparsityPerLayerFigure(
  sparsity: readonly (readonly number[])[],
  options: SparsityPerLayerFigureOptions = {}
): FigureSpec {
  const title = options.title ?? 'Sparsity per layer';
  const nLayers = sparsity[0]?.length ?? 0;
  sparsity.forEach((row, i) => {
    if (row.length !== nLayers) {
      throw new RangeError(
        `sparsityPerLayerFigure: level ${i} has ${row.length} layers, level 0 has ${nLayers}`
      );
    }
  });
  const neuronNames = defaultLayerNames(nLayers + 1);
  const names = options.layerNames ?? neuronNames.slice(1).map((n, l) => `${neuronNames[l]} → ${n}`);
  if (names.length !== nLayers) {
    throw new RangeError(`sparsityPerLayerFigure: ${nLayers} weight layers but ${names.length} names`);
  }
  const { levels } = options;
  if (levels !== undefined && levels.length !== sparsity.length) {
    throw new RangeError(
      `sparsityPerLayerFigure: ${sparsity.length} levels but ${levels.length} level values`
    );
  }
  let data: JsonObject[];
  let xaxis: JsonObject;
  if (sparsity.length === 1) {
    data = [
      {
        type: 'bar',
        name: 'pruned weights',
        x: [...names],
        y: sparsity[0].map(s => 100 * s),
        marker: { color: names.map((_, l) => PALETTE[l % PALETTE.length]) },
        hovertemplate: '%{x}<br>%{y:.1f} % pruned<extra></extra>'
      }
    ];
    xaxis = { title: { text: 'weight layer' } };
  } else {
    const x = levels !== undefined ? levels.map(s => 100 * s) : sparsity.map((_, i) => i + 1);
    data = names.map((name, l) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x,
      y: sparsity.map(row => 100 * row[l]),
      line: { color: PALETTE[l % PALETTE.length] },
      marker: { color: PALETTE[l % PALETTE.length], size: 6 },
      hovertemplate: `${name}<br>level %{x}<br>%{y:.1f} % pruned<extra></extra>`
    }));
    xaxis = { title: { text: levels !== undefined ? 'target sparsity of the level (%)' : 'pruning level' } };
  }
  return figureSpec({
    kind: 'sparsityPerLayer',
    title,
    exportName: options.exportName ?? 'sparsity-per-layer',
    data,
    layout: {
      xaxis,
      yaxis: { title: { text: 'pruned weights in the layer (%)' }, range: [0, 100] },
      showlegend: sparsity.length > 1
    },
    provenance: { levels: sparsity.length, layers: nLayers, ...options.provenance }
  });
}
