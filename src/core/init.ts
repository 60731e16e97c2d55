/**
 * Drawing initial weights, pure maths on core's seeded stream (no TensorFlow): the initializations the
 * papers compare with Keras' definitions, and their preferential-attachment (PA) rewired versions
 * (Scabini, De Baets & Bruno 2023). The kernel writes these draws into TF.js models (`kernel/init.ts`).
 *
 * Weights are drawn here, not with TF.js' initializers: TF.js' Glorot/He normal leave out the truncation
 * correction (variance 0.77× the intended one) and treat seed 0 as "no seed" (a different draw every
 * time). Every seed, 0 included, reproduces.
 */
import type { Layer, LayeredNetwork } from './network';
import { type Rng, createRng } from './random';
import { paRewire } from './rewiring';

/** Named initializations. `mothNormal` is N(0, 1)/5, the moth-flight papers' choice (Zahn et al.). */
export type InitName =
  'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'orthogonal' | 'mothNormal';

/** A weight initialization: a name or a parametrised distribution. */
export type Init =
  | InitName
  | { kind: 'normal'; sd: number; mean?: number }
  | { kind: 'uniform'; limit: number }
  | { kind: 'orthogonal'; gain: number };

/** A PA-rewired initialization: weights drawn from `base`, then moved by core `paRewire` (values kept). */
export interface PaInit {
  kind: 'pa';
  base: Init;
}

/** Any initialization {@link initialize} accepts: those of `mlp`, or their PA-rewired version. */
export type ModelInit = Init | PaInit;

/**
 * The PA-rewired version of an initialization.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.initialize(nm.mlp([4, 8, 3]), nm.paInit('glorotNormal'), { seed: 1 });
 * ```
 */
export function paInit(base: Init): PaInit {
  return { kind: 'pa', base };
}

/** Whether `init` is a PA-rewired initialization. */
export function isPa(init: ModelInit): init is PaInit {
  return typeof init === 'object' && init.kind === 'pa';
}

/** Keras' truncated normal: drawn from N(0, sd²/c²) and redrawn outside ±2 of that sd, so the sd is `sd`. */
const TRUNCATED_SD_CORRECTION = 0.87962566103423978;

function truncatedNormal(rng: Rng, sd: number): number {
  const s = sd / TRUNCATED_SD_CORRECTION;
  for (;;) {
    const z = rng.normal();
    if (Math.abs(z) <= 2) return z * s;
  }
}

/**
 * A matrix with orthonormal columns (or rows, when wider than tall) times `gain`, as Keras' `Orthogonal`:
 * QR of a standard normal matrix with R's diagonal made positive (modified Gram–Schmidt does that itself).
 */
function orthogonal(nIn: number, nOut: number, gain: number, rng: Rng): Float64Array {
  const rows = Math.max(nIn, nOut);
  const cols = Math.min(nIn, nOut);
  // q[c] is column c (length rows) of the tall matrix.
  const q = Array.from({ length: cols }, () => Float64Array.from({ length: rows }, () => rng.normal()));
  for (let c = 0; c < cols; c++) {
    const v = q[c];
    for (let p = 0; p < c; p++) {
      const u = q[p];
      let dot = 0;
      for (let r = 0; r < rows; r++) dot += u[r] * v[r];
      for (let r = 0; r < rows; r++) v[r] -= dot * u[r];
    }
    let norm = 0;
    for (let r = 0; r < rows; r++) norm += v[r] * v[r];
    norm = Math.sqrt(norm);
    if (!(norm > 1e-12))
      throw new Error('orthogonal init: degenerate random matrix (draw again with another seed)');
    for (let r = 0; r < rows; r++) v[r] /= norm;
  }
  const w = new Float64Array(nIn * nOut);
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      // Tall (nIn ≥ nOut): W[i][j] = q[j][i]; wide: W = Qᵀ, W[i][j] = q[i][j].
      w[i * nOut + j] = gain * (nIn >= nOut ? q[j][i] : q[i][j]);
    }
  }
  return w;
}

/**
 * Draws one `nIn × nOut` kernel (row-major) from an initialization of `mlp`, with Keras' definitions:
 * Glorot/He normal are truncated normals (±2 sd) whose sd is exactly `sqrt(2/(fan_in+fan_out))` /
 * `sqrt(2/fan_in)`; the uniform versions have limits `sqrt(6/(fan_in+fan_out))` / `sqrt(6/fan_in)`;
 * `mothNormal` is N(0, 1)/5 (not truncated); orthogonal is Keras' `Orthogonal(gain)`.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const w = drawKernel(100, 50, 'glorotNormal', nm.createRng(1)); // variance ≈ 2/150
 * ```
 */
export function drawKernel(nIn: number, nOut: number, init: Init, rng: Rng): Float64Array {
  const n = nIn * nOut;
  const fill = (f: () => number): Float64Array => Float64Array.from({ length: n }, f);
  if (typeof init === 'string') {
    switch (init) {
      case 'glorotNormal':
        return fill(() => truncatedNormal(rng, Math.sqrt(2 / (nIn + nOut))));
      case 'glorotUniform': {
        const limit = Math.sqrt(6 / (nIn + nOut));
        return fill(() => (2 * rng.next() - 1) * limit);
      }
      case 'heNormal':
        return fill(() => truncatedNormal(rng, Math.sqrt(2 / nIn)));
      case 'heUniform': {
        const limit = Math.sqrt(6 / nIn);
        return fill(() => (2 * rng.next() - 1) * limit);
      }
      case 'orthogonal':
        return orthogonal(nIn, nOut, 1, rng);
      case 'mothNormal':
        return fill(() => rng.normal() / 5);
      default:
        throw new RangeError(`unknown initialization '${String(init)}'`);
    }
  }
  switch (init.kind) {
    case 'normal':
      if (!(init.sd > 0)) throw new RangeError(`normal init needs sd > 0, got ${init.sd}`);
      return fill(() => (init.mean ?? 0) + init.sd * rng.normal());
    case 'uniform':
      if (!(init.limit > 0)) throw new RangeError(`uniform init needs limit > 0, got ${init.limit}`);
      return fill(() => (2 * rng.next() - 1) * init.limit);
    case 'orthogonal':
      return orthogonal(nIn, nOut, init.gain, rng);
    default:
      throw new RangeError(`unknown initialization ${JSON.stringify(init)}`);
  }
}

/**
 * Draws the weights of a fresh dense network with neuron counts `sizes` (biases 0) as a
 * {@link LayeredNetwork}: one random stream from `seed`, layers in order (see {@link drawKernel}); a
 * {@link PaInit} is then rewired with `paRewire(net, {seed})`. Values are rounded to float32, as they
 * will be in a TF.js model.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.drawNetwork([20, 30, 10], 'heNormal', 3);
 * net.layers[0].weights.length; // 600
 * ```
 */
export function drawNetwork(sizes: readonly number[], init: ModelInit, seed: number): LayeredNetwork {
  if (sizes.length < 2)
    throw new RangeError(`need at least an input and an output size, got [${sizes.join(', ')}]`);
  sizes.forEach((n, l) => {
    if (!Number.isInteger(n) || n < 1)
      throw new RangeError(`layer ${l} size must be an integer ≥ 1, got ${n}`);
  });
  const rng = createRng(seed);
  const base = isPa(init) ? init.base : init;
  const layers: Layer[] = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const weights = Float64Array.from(Float32Array.from(drawKernel(sizes[l], sizes[l + 1], base, rng)));
    layers.push({ nIn: sizes[l], nOut: sizes[l + 1], weights, bias: new Float64Array(sizes[l + 1]) });
  }
  const net: LayeredNetwork = { layers };
  return isPa(init) ? paRewire(net, { seed }) : net;
}
