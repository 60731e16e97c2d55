/**
 * Multi-layer perceptrons on TensorFlow.js with the initializations the papers compare.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { assignNetwork, drawNetwork, type ModelInit } from './init';
import { getTf } from './tf';

export type { Init, InitName } from '../core/init';

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Activation of the hidden layers. Default `relu`. */
  activation?: string;
  /** Activation of the output layer. Default `linear`. */
  outputActivation?: string;
  /**
   * Weight initialization of every layer (Keras' definitions, drawn from nnmotifs' seeded generator; wrap
   * with `paInit(...)` for the PA-rewired version). Default `glorotUniform`. Biases start at 0.
   */
  init?: ModelInit;
  /** Seed of the initialization; the same seed gives the same weights everywhere. Default 0. */
  seed?: number;
  /** Model name (shown in summaries and provenance). */
  name?: string;
}

/**
 * Builds a dense feed-forward network (an MLP) with the given neuron counts.
 *
 * @param sizes - neurons per layer, input first: `[10, 400, 400, 400, 16, 7]` is the moth network.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.mlp([4, 8, 3], { activation: 'tanh', init: 'orthogonal', seed: 1 });
 * model.predict(nm.tf().zeros([1, 4]));
 * ```
 */
export function mlp(sizes: readonly number[], options: MlpOptions = {}): tfjs.Sequential {
  if (sizes.length < 2) {
    throw new RangeError(`mlp: need at least an input and an output size, got [${sizes.join(', ')}]`);
  }
  sizes.forEach((n, l) => {
    if (!Number.isInteger(n) || n < 1 || n > 1_000_000) {
      throw new RangeError(`mlp: layer ${l} size must be an integer in [1, 1e6], got ${n}`);
    }
  });
  const tf = getTf();
  const model = tf.sequential(options.name ? { name: options.name } : {});
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    model.add(
      tf.layers.dense({
        units: sizes[l],
        inputShape: l === 1 ? [sizes[0]] : undefined,
        activation: (last ? (options.outputActivation ?? 'linear') : (options.activation ?? 'relu')) as
          'linear' | 'relu',
        kernelInitializer: 'zeros',
        biasInitializer: 'zeros'
      })
    );
  }
  // TF.js' own initializers treat seed 0 as "unseeded" and leave out the truncated-normal correction of
  // Glorot/He normal, so the weights are drawn by drawNetwork (seeded, Keras' definitions) instead.
  return assignNetwork(
    model,
    drawNetwork(sizes, options.init ?? 'glorotUniform', options.seed ?? 0)
  ) as tfjs.Sequential;
}
