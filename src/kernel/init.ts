/**
 * Re-initialising existing TF.js models: any initialization of `models.ts`, its preferential-attachment
 * (PA) rewired version (Scabini, De Baets & Bruno 2023), and `stabilize_strength` (keep the lowest
 * strength-variance draw out of K).
 *
 * Weights are drawn in JavaScript from core's seeded stream with Keras' definitions, not with TF.js'
 * initializers: TF.js' Glorot/He normal leave out the truncation correction (variance 0.77× the intended
 * one) and treat seed 0 as "no seed" (a different draw every time). Every seed, 0 included, reproduces.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Layer, LayeredNetwork } from '../core/network';
import { Rng, createRng } from '../core/random';
import { paRewire, stabilizeStrength } from '../core/rewiring';
import { Init, mlp } from './models';
import { getTf } from './tf';

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

function isPa(init: ModelInit): init is PaInit {
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
 * {@link PaInit} is then rewired with core `paRewire(net, {seed})`. Values are rounded to float32, as they
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

/** The Dense layers of a model, in order, with their kernel shapes. */
function denseLayers(model: tfjs.LayersModel): tfjs.layers.Layer[] {
  const dense = model.layers.filter(l => l.getClassName() === 'Dense');
  if (dense.length === 0) throw new Error(`model "${model.name}" has no Dense layer`);
  return dense;
}

/**
 * Neuron counts of a model made of Dense layers, input first (e.g. `[784, 300, 100, 10]`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * modelSizes(nm.mlp([4, 8, 3])); // [4, 8, 3]
 * ```
 */
export function modelSizes(model: tfjs.LayersModel): number[] {
  const shapes = denseLayers(model).map(l => l.getWeights()[0].shape as [number, number]);
  return [shapes[0][0], ...shapes.map(s => s[1])];
}

/**
 * Writes a network's weights (and biases, when it has them) into the Dense layers of a model, in place.
 * Masked weights are written as 0. Shapes must match layer by layer.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.mlp([4, 8, 3], { seed: 1 });
 * nm.assignNetwork(model, nm.fromModel(nm.mlp([4, 8, 3], { seed: 2 }))); // now holds seed 2's weights
 * ```
 */
export function assignNetwork(model: tfjs.LayersModel, net: LayeredNetwork): tfjs.LayersModel {
  const tf = getTf();
  const dense = denseLayers(model);
  if (dense.length !== net.layers.length) {
    throw new RangeError(
      `assignNetwork: the model has ${dense.length} Dense layers, the network ${net.layers.length}`
    );
  }
  dense.forEach((layer, l) => {
    const src = net.layers[l];
    const current = layer.getWeights();
    const [nIn, nOut] = current[0].shape;
    if (nIn !== src.nIn || nOut !== src.nOut) {
      throw new RangeError(
        `assignNetwork: layer ${l} is ${nIn} × ${nOut} in the model but ${src.nIn} × ${src.nOut} in the network`
      );
    }
    const w = Float32Array.from(src.weights);
    if (src.mask !== undefined) for (let k = 0; k < w.length; k++) if (src.mask[k] === 0) w[k] = 0;
    const values: tfjs.Tensor[] = [tf.tensor2d(w, [nIn, nOut], 'float32')];
    if (current.length > 1) {
      values.push(src.bias !== undefined ? tf.tensor1d(Float32Array.from(src.bias), 'float32') : current[1]);
    }
    layer.setWeights(values);
    values.forEach(t => {
      if (!current.includes(t)) t.dispose();
    });
  });
  return model;
}

/** Options of {@link initialize}. */
export interface InitializeOptions {
  /** Seed of the draw (one stream, layers in order) and of PA rewiring. Default 0. */
  seed?: number;
  /** `zeros` (default) resets the biases to 0; `keep` leaves them as they are. */
  bias?: 'zeros' | 'keep';
}

/**
 * Re-initialises the Dense kernels of an existing model in place and returns the model.
 *
 * @param init - any initialization of `mlp`, or `paInit(base)` for its PA-rewired version.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.mlp([10, 400, 400, 400, 16, 7], { activation: 'tanh' });
 * nm.initialize(model, nm.paInit('mothNormal'), { seed: 3 });
 * ```
 */
export function initialize(
  model: tfjs.LayersModel,
  init: ModelInit,
  options: InitializeOptions = {}
): tfjs.LayersModel {
  const dense = denseLayers(model);
  const net = drawNetwork(modelSizes(model), init, options.seed ?? 0);
  const keep = options.bias === 'keep';
  const layers = net.layers.map((layer, l) => {
    const old = dense[l].getWeights()[1];
    const bias = keep && old !== undefined ? Float64Array.from(old.dataSync()) : new Float64Array(layer.nOut);
    return { ...layer, bias };
  });
  return assignNetwork(model, { layers });
}

/** Options of {@link stabilizeStrengthModel}. */
export interface StabilizeStrengthModelOptions {
  /** Number of candidate initializations to draw (≥ 1). */
  k: number;
  /** Initialization of every candidate (default `glorotUniform`); may be PA-rewired. */
  init?: ModelInit;
  /** Seed of the selection: candidate seeds are drawn from it. Default 0. */
  seed?: number;
  /** Hidden activation of the returned model (default `relu`). */
  activation?: string;
  /** Output activation of the returned model (default `linear`). */
  outputActivation?: string;
  /** Name of the returned model. */
  name?: string;
}

/** Result of {@link stabilizeStrengthModel}. */
export interface StabilizeStrengthModelResult {
  /** A new model holding the chosen candidate's weights (biases 0). */
  model: tfjs.Sequential;
  /** Mean strength-variance score over the layers of each candidate, in draw order. */
  scores: number[];
  /** Index of the chosen candidate (lowest score). */
  chosen: number;
}

/**
 * `stabilize_strength` of Scabini et al. on TF.js models: draws `k` initializations of an MLP with neuron
 * counts `sizes` and returns a model with the one whose layers have the lowest mean strength-variance
 * score (core `strengthVarianceScore`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const { model, scores, chosen } = nm.stabilizeStrengthModel([784, 100, 10], { k: 10, init: 'glorotNormal' });
 * scores[chosen] === Math.min(...scores); // true
 * ```
 */
export function stabilizeStrengthModel(
  sizes: readonly number[],
  options: StabilizeStrengthModelOptions
): StabilizeStrengthModelResult {
  const init = options.init ?? 'glorotUniform';
  const { network, scores, chosen } = stabilizeStrength(rng => drawNetwork(sizes, init, rng.uint32()), {
    k: options.k,
    seed: options.seed ?? 0
  });
  const model = mlp(sizes, {
    activation: options.activation,
    outputActivation: options.outputActivation,
    ...(options.name !== undefined ? { name: options.name } : {})
  });
  assignNetwork(model, network);
  return { model, scores, chosen };
}
