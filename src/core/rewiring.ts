/**
 * Preferential-attachment (PA) rewiring of Scabini, De Baets & Bruno (2023), "Improving deep neural
 * network random initialization through neuronal rewiring".
 *
 * Rewiring moves weights between connections without changing their values: every layer keeps the exact
 * multiset of its weights, only the assignment of values to (source, target) pairs changes so that the
 * node strengths become balanced (lower {@link strengthVarianceScore}). Each row is re-assigned in turn:
 * neurons that have accumulated a large strength so far are likely to receive the row's smallest values.
 */
import { strengthVarianceScore } from './metrics';
import type { Layer, LayeredNetwork } from './network';
import type { Rng } from './random';
import { createRng } from './random';

/**
 * One rewiring pass over a row-major `rows × cols` matrix (the authors' `rewire`), returning a new matrix.
 *
 * Row 0 stays. For row `r ≥ 1`: `st` = column sums of rows `0 … r−1` (as already rewired),
 * `P = st + |min(st)| + 1` normalised to probabilities, all column indices are drawn without replacement
 * with probabilities `P` (Efraimidis–Spirakis: key `u^(1/p)` per column, sorted descending; computed as
 * `ln(u)/p`, which orders identically), and row `r`'s values sorted ascending are placed on the drawn
 * columns in draw order — the column most likely drawn first (largest accumulated strength) tends to
 * receive the smallest value. Each row keeps its own values.
 *
 * @param w - row-major `rows × cols`; not modified.
 * @param rows - in the authors' PyTorch layout, the output neurons.
 * @param cols - the input neurons.
 * @param rng - random stream; advanced by `cols` draws per row after the first.
 * @example
 * ```ts
 * const w = new Float64Array([1, -1, 0.5, -0.5, 2, -2]); // 3 × 2
 * const out = paRewireMatrix(w, 3, 2, createRng(1)); // row 0 stays [1, -1]; rows 1, 2 keep their values
 * ```
 */
export function paRewireMatrix(w: Float64Array, rows: number, cols: number, rng: Rng): Float64Array {
  if (
    !Number.isInteger(rows) ||
    !Number.isInteger(cols) ||
    rows < 0 ||
    cols < 0 ||
    w.length !== rows * cols
  ) {
    throw new RangeError(`paRewireMatrix: ${w.length} values do not form a ${rows} × ${cols} matrix`);
  }
  const out = Float64Array.from(w);
  const st = new Float64Array(cols);
  const keys = new Float64Array(cols);
  const targets = Array.from({ length: cols }, (_, c) => c);
  const values = new Float64Array(cols);
  for (let r = 1; r < rows; r++) {
    let min = Infinity;
    for (let c = 0; c < cols; c++) {
      st[c] += out[(r - 1) * cols + c];
      if (st[c] < min) min = st[c];
    }
    const shift = Math.abs(min) + 1;
    let total = 0;
    for (let c = 0; c < cols; c++) total += st[c] + shift;
    for (let c = 0; c < cols; c++) {
      const p = (st[c] + shift) / total;
      keys[c] = Math.log(rng.next()) / p;
    }
    for (let c = 0; c < cols; c++) targets[c] = c;
    // Descending keys = draw order; ties (probability 0 in theory) keep column order.
    targets.sort((a, b) => keys[b] - keys[a] || a - b);
    values.set(out.subarray(r * cols, (r + 1) * cols));
    values.sort();
    for (let k = 0; k < cols; k++) out[r * cols + targets[k]] = values[k];
  }
  return out;
}

function transpose(w: Float64Array, rows: number, cols: number): Float64Array {
  const t = new Float64Array(w.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j];
  return t;
}

function assertDense(layer: Layer, where: string): void {
  if (layer.mask !== undefined && layer.mask.some(m => m !== 1)) {
    throw new RangeError(`${where}PA rewiring is defined for dense layers; rewire before pruning`);
  }
}

function copyLayer(layer: Layer, weights: Float64Array): Layer {
  const out: { -readonly [K in keyof Layer]: Layer[K] } = { nIn: layer.nIn, nOut: layer.nOut, weights };
  if (layer.bias !== undefined) out.bias = Float64Array.from(layer.bias);
  if (layer.mask !== undefined) out.mask = Uint8Array.from(layer.mask);
  if (layer.activation !== undefined) out.activation = layer.activation;
  return out;
}

/**
 * PA rewiring of one dense layer (the authors' `PA_rewiring`: `rewire(W); rewire(Wᵀ)` on the PyTorch
 * weight `W` of shape `n_out × n_in`, which is the transpose of our `nIn × nOut`). The first pass balances
 * the input-neuron strengths, the second the output-neuron strengths. Returns a new layer; the bias is
 * unchanged (copied).
 *
 * @throws RangeError for a masked layer with any mask entry 0 (rewiring a pruned layer would move weights
 *   onto pruned connections); an all-ones mask is accepted and kept.
 * @example
 * ```ts
 * const layer = { nIn: 3, nOut: 2, weights: new Float64Array([1, -2, 0.5, 3, -1, 2]) };
 * const rewired = paRewireLayer(layer, createRng(0));
 * rewired.weights; // the same six values, moved
 * ```
 */
export function paRewireLayer(layer: Layer, rng: Rng): Layer {
  assertDense(layer, '');
  const { nIn, nOut } = layer;
  // First pass on W_pt (rows = output neurons, columns = input neurons).
  const pt = paRewireMatrix(transpose(layer.weights, nIn, nOut), nOut, nIn, rng);
  // Second pass on W_ptᵀ, which is our own layout (rows = input neurons).
  const ours = paRewireMatrix(transpose(pt, nOut, nIn), nIn, nOut, rng);
  return copyLayer(layer, ours);
}

/** Options of {@link paRewire}. */
export interface PaRewireOptions {
  /** Seed of the random stream (default 0). */
  seed?: number;
  /** Indices of the weight layers to rewire (default all), in any order; rewired in increasing order. */
  layers?: readonly number[];
}

/**
 * PA rewiring of a network: a new network whose chosen layers are rewired with {@link paRewireLayer}
 * (one random stream from `seed`, layers in increasing order); the other layers, biases and `meta` are
 * copied unchanged.
 *
 * @param options - `seed` (default 0), `layers` (default all).
 * @throws RangeError for a layer index out of range or a pruned (masked) layer among those rewired.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[1, -2], [0.5, 3]] }, { weights: [[1], [-1]] }]);
 * const rewired = nm.paRewire(net, { seed: 42 });
 * const onlyFirst = nm.paRewire(net, { seed: 42, layers: [0] });
 * ```
 */
export function paRewire(net: LayeredNetwork, options: PaRewireOptions = {}): LayeredNetwork {
  const n = net.layers.length;
  const chosen = new Set(options.layers ?? net.layers.map((_, l) => l));
  for (const l of chosen) {
    if (!Number.isInteger(l) || l < 0 || l >= n) {
      throw new RangeError(`paRewire: layer ${l} does not exist (the network has layers 0..${n - 1})`);
    }
    assertDense(net.layers[l], `paRewire: layer ${l}: `);
  }
  const rng = createRng(options.seed ?? 0);
  const layers = net.layers.map((layer, l) =>
    chosen.has(l) ? paRewireLayer(layer, rng) : copyLayer(layer, Float64Array.from(layer.weights))
  );
  return net.meta === undefined ? { layers } : { layers, meta: { ...net.meta } };
}

/** Options of {@link stabilizeStrength}. */
export interface StabilizeStrengthOptions {
  /** Number of candidate networks to draw (≥ 1). */
  k: number;
  /** Seed of the random stream passed to `draw` (default 0). */
  seed?: number;
}

/** Result of {@link stabilizeStrength}. */
export interface StabilizeStrengthResult {
  /** The candidate with the lowest mean strength-variance score. */
  network: LayeredNetwork;
  /** Mean {@link strengthVarianceScore} over the layers of every candidate, in draw order. */
  scores: number[];
  /** Index of the chosen candidate (the first one on ties). */
  chosen: number;
}

/**
 * The authors' `stabilize_strength`: draws `k` random networks and keeps the one whose layers have the
 * lowest mean {@link strengthVarianceScore}.
 *
 * `draw` receives one random stream (from `seed`) shared by all draws, so the whole selection is
 * reproducible from the seed.
 *
 * @param draw - makes one candidate, e.g. a Glorot-initialised network (optionally PA-rewired).
 * @param options - `k` (required), `seed` (default 0).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const draw = (rng: nm.Rng): nm.LayeredNetwork => ({
 *   layers: [{ nIn: 4, nOut: 3, weights: Float64Array.from({ length: 12 }, () => rng.normal() * 0.5) }]
 * });
 * const { network, scores, chosen } = nm.stabilizeStrength(draw, { k: 10, seed: 1 });
 * scores[chosen] === Math.min(...scores); // true
 * ```
 */
export function stabilizeStrength(
  draw: (rng: Rng) => LayeredNetwork,
  options: StabilizeStrengthOptions
): StabilizeStrengthResult {
  const { k } = options;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`stabilizeStrength: k must be an integer ≥ 1, got ${k}`);
  const rng = createRng(options.seed ?? 0);
  const scores: number[] = [];
  let best: LayeredNetwork | undefined;
  let chosen = 0;
  for (let i = 0; i < k; i++) {
    const candidate = draw(rng);
    const layerScores = candidate.layers.map(strengthVarianceScore);
    const score = layerScores.reduce((a, b) => a + b, 0) / layerScores.length;
    scores.push(score);
    if (best === undefined || score < scores[chosen]) {
      best = candidate;
      chosen = i;
    }
  }
  return { network: best as LayeredNetwork, scores, chosen };
}
