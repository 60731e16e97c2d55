/**
 * Multi-layer perceptrons on TensorFlow.js with the initializations the papers compare.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { getTf } from './tf';

/** Named initializations. `mothNormal` is N(0, 1)/5, the moth-flight papers' choice (Zahn et al.). */
export type InitName =
  'glorotUniform' | 'glorotNormal' | 'heUniform' | 'heNormal' | 'orthogonal' | 'mothNormal';

/** A weight initialization: a name or a parametrised distribution. */
export type Init =
  | InitName
  | { kind: 'normal'; sd: number; mean?: number }
  | { kind: 'uniform'; limit: number }
  | { kind: 'orthogonal'; gain: number };

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Activation of the hidden layers. Default `relu`. */
  activation?: string;
  /** Activation of the output layer. Default `linear`. */
  outputActivation?: string;
  /** Weight initialization of every layer. Default `glorotUniform`. Biases start at 0. */
  init?: Init;
  /** Seed of the initialization: layer `l` uses seed `seed + l`. Default 0. */
  seed?: number;
  /** Model name (shown in summaries and provenance). */
  name?: string;
}

/** TF.js' initializer class (not exported by name from the public namespace). */
type Initializer = ReturnType<typeof tfjs.initializers.glorotUniform>;

function initializer(tf: typeof tfjs, init: Init, seed: number): Initializer {
  const i = tf.initializers;
  if (typeof init === 'string') {
    switch (init) {
      case 'glorotUniform':
        return i.glorotUniform({ seed });
      case 'glorotNormal':
        return i.glorotNormal({ seed });
      case 'heUniform':
        return i.heUniform({ seed });
      case 'heNormal':
        return i.heNormal({ seed });
      case 'orthogonal':
        return i.orthogonal({ gain: 1, seed });
      case 'mothNormal':
        return i.randomNormal({ mean: 0, stddev: 0.2, seed });
    }
  }
  switch (init.kind) {
    case 'normal':
      if (!(init.sd > 0)) throw new RangeError(`mlp: normal init needs sd > 0, got ${init.sd}`);
      return i.randomNormal({ mean: init.mean ?? 0, stddev: init.sd, seed });
    case 'uniform':
      if (!(init.limit > 0)) throw new RangeError(`mlp: uniform init needs limit > 0, got ${init.limit}`);
      return i.randomUniform({ minval: -init.limit, maxval: init.limit, seed });
    case 'orthogonal':
      return i.orthogonal({ gain: init.gain, seed });
  }
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
  const seed = options.seed ?? 0;
  const init = options.init ?? 'glorotUniform';
  const model = tf.sequential(options.name ? { name: options.name } : {});
  for (let l = 1; l < sizes.length; l++) {
    const last = l === sizes.length - 1;
    model.add(
      tf.layers.dense({
        units: sizes[l],
        inputShape: l === 1 ? [sizes[0]] : undefined,
        activation: (last ? (options.outputActivation ?? 'linear') : (options.activation ?? 'relu')) as
          'linear' | 'relu',
        kernelInitializer: initializer(tf, init, seed + l - 1),
        biasInitializer: 'zeros'
      })
    );
  }
  return model;
}
