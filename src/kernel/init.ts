/**
 * Re-initialising existing TF.js models: any initialization of `models.ts`, its preferential-attachment
 * (PA) rewired version, and `stabilize_strength` (keep the lowest strength-variance draw out of K). The
 * weights are drawn by core (`core/init.ts`, pure maths); this file writes them into models.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { drawNetwork, type ModelInit } from '../core/init';
import type { LayeredNetwork } from '../core/network';
import { stabilizeStrength } from '../core/rewiring';
import { mlp } from './models';
import { denseLayers } from './dense-layers';
import { getTf } from './tf';

export { drawKernel, drawNetwork, paInit } from '../core/init';
export type { ModelInit, PaInit } from '../core/init';

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
  const dense = denseLayers(model, 'modelSizes');
  return [dense[0].nIn, ...dense.map(d => d.nOut)];
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
  const dense = denseLayers(model, 'assignNetwork').map(d => d.layer);
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
  const dense = denseLayers(model, 'initialize').map(d => d.layer);
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
