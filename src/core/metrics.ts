/**
 * Complex-network metrics of a layered network (La Malfa et al., "Characterizing learning dynamics of deep
 * neural networks via complex networks", 2021; their CNT code) and the strength-variance score of Scabini,
 * De Baets & Bruno (2023).
 *
 * Sums are signed (no absolute values unless `absolute: true`), and a weight behind a mask 0 counts as 0:
 * every metric sees the network that exists after pruning.
 */
import type { Layer, LayeredNetwork } from './network';
import { hasEdge, layerSizes } from './network';
import { histogram, mean, quantiles, sd, variance, type Histogram } from './stats';

/**
 * The weights of a layer as they act after pruning: a copy with every masked entry set to 0.
 *
 * @example
 * ```ts
 * effectiveWeights({ nIn: 1, nOut: 2, weights: new Float64Array([3, 4]), mask: new Uint8Array([1, 0]) });
 * // Float64Array [3, 0]
 * ```
 */
export function effectiveWeights(layer: Layer): Float64Array {
  const w = Float64Array.from(layer.weights);
  const { mask } = layer;
  if (mask !== undefined) {
    for (let k = 0; k < w.length; k++) if (mask[k] === 0) w[k] = 0;
  }
  return w;
}

/** Options of {@link linkWeights}. */
export interface LinkWeightsOptions {
  /** Add the layer's biases to its sample of values (default `true`). */
  includeBias?: boolean;
  /** Histogram bins (default 50). */
  bins?: number;
  /**
   * Only existing connections (mask allows, weight ≠ 0) and non-zero biases (default `false`: every
   * weight, pruned ones as 0, which is what the CNT analyses of dense networks use).
   */
  edgesOnly?: boolean;
}

/** Distribution of the link weights of one layer. */
export interface LinkWeightSummary {
  /** Number of values summarised. */
  count: number;
  mean: number;
  /** Population standard deviation (ddof 0, NumPy's `np.std` default). */
  sd: number;
  min: number;
  max: number;
  /** Linear-interpolation quantiles (NumPy default). */
  quantiles: { q05: number; q25: number; q50: number; q75: number; q95: number };
  /** Equal-width histogram over [min, max]. */
  histogram: Histogram;
}

/**
 * Per-layer distribution of the link weights: mean, sd, extremes, quantiles and a histogram.
 *
 * Each layer's sample is its `nIn·nOut` weights (a masked weight counts as 0) plus, by default, its biases.
 * Empty samples (possible with `edgesOnly`) give `count` 0 and `NaN` statistics.
 *
 * @param options - `includeBias` (default `true`), `bins` (default 50), `edgesOnly` (default `false`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[1, -1], [2, 0]], bias: [0.5, 0.5] }]);
 * nm.linkWeights(net)[0].mean; // 0.5  (values 1, -1, 2, 0, 0.5, 0.5)
 * ```
 */
export function linkWeights(net: LayeredNetwork, options: LinkWeightsOptions = {}): LinkWeightSummary[] {
  const includeBias = options.includeBias ?? true;
  const bins = options.bins ?? 50;
  const edgesOnly = options.edgesOnly ?? false;
  return net.layers.map(layer => {
    const w = effectiveWeights(layer);
    const bias = includeBias && layer.bias !== undefined ? layer.bias : new Float64Array(0);
    const keep = (v: number): boolean => !edgesOnly || v !== 0;
    let count = 0;
    for (const v of w) if (keep(v)) count++;
    for (const v of bias) if (keep(v)) count++;
    const values = new Float64Array(count);
    let n = 0;
    let min = NaN;
    let max = NaN;
    for (const source of [w, bias]) {
      for (const v of source) {
        if (!keep(v)) continue;
        values[n++] = v;
        if (!(v >= min)) min = v;
        if (!(v <= max)) max = v;
      }
    }
    const [q05, q25, q50, q75, q95] = quantiles(values, [0.05, 0.25, 0.5, 0.75, 0.95]);
    return {
      count,
      mean: mean(values),
      sd: sd(values, 0),
      min,
      max,
      quantiles: { q05, q25, q50, q75, q95 },
      histogram: histogram(values, { bins })
    };
  });
}

/** Options of {@link nodeStrength} and {@link layerFluctuation}. */
export interface NodeStrengthOptions {
  /** `'out'`: Σ of outgoing weights; `'in'`: Σ of incoming weights (+ bias); `'total'`: both (default). */
  direction?: 'total' | 'in' | 'out';
  /** Sum absolute values `|w|`, `|b|` instead of signed ones (default `false`). */
  absolute?: boolean;
  /** Count a neuron's bias as part of its incoming strength (default `true`). */
  includeBias?: boolean;
}

/**
 * Node strength of every neuron, one `Float64Array` per neuron layer (`L + 1` arrays for `L` layers).
 *
 * For neuron `i` of neuron layer `l`: out-strength `Σ_j W_l[i,j]`, in-strength `Σ_k W_{l−1}[k,i] + b_{l−1}[i]`,
 * total = out + in. Input neurons have no in-strength and output neurons no out-strength (those parts
 * are 0). Masked weights count as 0.
 *
 * The CNT code of La Malfa et al. adds a constant 1 to the strengths of input and output neurons; we do
 * not. A constant added to every neuron of a layer shifts that layer's strengths and changes no
 * fluctuation value ({@link layerFluctuation} is a standard deviation).
 *
 * @param options - `direction` (default `'total'`), `absolute` (default `false`), `includeBias` (default `true`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[1, 2]], bias: [0.5, 0] }, { weights: [[1], [-1]] }]);
 * nm.nodeStrength(net); // [[3], [2.5, 1], [0]]
 * ```
 */
export function nodeStrength(net: LayeredNetwork, options: NodeStrengthOptions = {}): Float64Array[] {
  const direction = options.direction ?? 'total';
  const absolute = options.absolute ?? false;
  const includeBias = options.includeBias ?? true;
  const f = absolute ? Math.abs : (v: number): number => v;
  const strengths = layerSizes(net).map(n => new Float64Array(n));
  net.layers.forEach((layer, l) => {
    const { nIn, nOut } = layer;
    const w = effectiveWeights(layer);
    const source = strengths[l];
    const target = strengths[l + 1];
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const v = f(w[i * nOut + j]);
        if (direction !== 'in') source[i] += v;
        if (direction !== 'out') target[j] += v;
      }
    }
    if (direction !== 'out' && includeBias && layer.bias !== undefined) {
      for (let j = 0; j < nOut; j++) target[j] += f(layer.bias[j]);
    }
  });
  return strengths;
}

/**
 * Layer fluctuation `Y_l = std_i(s_i)`: the spread of the node strengths within each neuron layer
 * (`L + 1` values), with the population standard deviation (ddof 0, NumPy's default, as the CNT code).
 *
 * @param options - passed to {@link nodeStrength}.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[1, 2]], bias: [0.5, 0] }, { weights: [[1], [-1]] }]);
 * nm.layerFluctuation(net); // [0, 0.75, 0]
 * ```
 */
export function layerFluctuation(net: LayeredNetwork, options: NodeStrengthOptions = {}): number[] {
  return nodeStrength(net, options).map(s => sd(s, 0));
}

/**
 * Strength-variance score of one layer (Scabini, De Baets & Bruno 2023), lower = more balanced.
 *
 * In PyTorch's layout `W_pt` (`n_out × n_in`, the transpose of ours), input-neuron strengths are the
 * column sums of `W_pt` (= our row sums) and output-neuron strengths its row sums (= our column sums).
 * Score = (Var(input strengths) + Var(output strengths)) / 2 with the population variance (ddof 0).
 * (PyTorch's `var` defaults to ddof 1; that only rescales each term by `n/(n−1)` for a given shape.)
 * Masked weights count as 0; biases are not part of the score.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.strengthVarianceScore({ nIn: 2, nOut: 2, weights: new Float64Array([1, 2, 3, 4]) });
 * // row sums 3, 7 → Var 4; column sums 4, 6 → Var 1; score 2.5
 * ```
 */
export function strengthVarianceScore(layer: Layer): number {
  const { nIn, nOut } = layer;
  const w = effectiveWeights(layer);
  const inputStrength = new Float64Array(nIn);
  const outputStrength = new Float64Array(nOut);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      inputStrength[i] += w[i * nOut + j];
      outputStrength[j] += w[i * nOut + j];
    }
  }
  return (variance(inputStrength, 0) + variance(outputStrength, 0)) / 2;
}

/** In- and out-degree of the neurons of one neuron layer. */
export interface LayerDegrees {
  in: Int32Array;
  out: Int32Array;
}

/**
 * Degrees after pruning: for each neuron layer, the number of existing incoming and outgoing edges of
 * every neuron (an edge exists where the mask allows it and the weight is non-zero; biases are not edges
 * here). Input neurons have in-degree 0, output neurons out-degree 0.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[1, 0], [2, 3]] }]);
 * nm.degrees(net); // [{in: [0, 0], out: [1, 2]}, {in: [2, 1], out: [0, 0]}]
 * ```
 */
export function degrees(net: LayeredNetwork): LayerDegrees[] {
  const result = layerSizes(net).map(n => ({ in: new Int32Array(n), out: new Int32Array(n) }));
  net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.nIn; i++) {
      for (let j = 0; j < layer.nOut; j++) {
        if (hasEdge(layer, i, j)) {
          result[l].out[i]++;
          result[l + 1].in[j]++;
        }
      }
    }
  });
  return result;
}
