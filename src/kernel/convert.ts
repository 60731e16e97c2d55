/**
 * Conversions between TensorFlow.js models and {@link LayeredNetwork}.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Layer, LayeredNetwork } from '../core/network';
import { validateNetwork } from '../core/validate';
import { denseLayers } from './dense-layers';
import { getTf } from './tf';

/**
 * Reads the dense layers of a TF.js model into a {@link LayeredNetwork} (weights `nIn × nOut`, biases,
 * activations). Layers that are not part of an MLP (convolutions, recurrent layers, ...) are rejected with
 * an error that names them.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * net.layers.map(l => [l.nIn, l.nOut]); // [[4, 8], [8, 3]]
 * ```
 */
export function fromModel(model: tfjs.LayersModel): LayeredNetwork {
  const layers: Layer[] = denseLayers(model, 'fromModel').map(d => {
    const [kernel, bias] = d.layer.getWeights();
    return {
      nIn: d.nIn,
      nOut: d.nOut,
      weights: Float64Array.from(kernel.dataSync()),
      ...(bias !== undefined ? { bias: Float64Array.from(bias.dataSync()) } : {}),
      activation: d.activation
    };
  });
  return { layers, meta: { source: `tfjs model "${model.name}"` } };
}

/** Options of {@link toModel}. */
export interface ToModelOptions {
  /** Activation of hidden layers whose activation the network does not record. Default `relu` (as {@link mlp}). */
  activation?: string;
  /** Activation of the last layer if the network does not record one. Default `linear`. */
  outputActivation?: string;
  /** Model name. */
  name?: string;
}

/**
 * Builds a TF.js Sequential model of Dense layers computing the same function as the network.
 *
 * Masked connections become zero weights (TF.js has no masks, so the mask itself is not carried over:
 * `fromModel(toModel(net))` gives the masked weights without a mask). Weights are rounded to float32, as
 * TF.js computes in float32. Layers without a bias get `useBias: false`.
 *
 * @param net - the network (validated first).
 * @param options - activations for layers that do not record one, and the model name.
 * @throws {@link NetworkError} if the network is invalid; an `Error` naming the layer if TF.js does not know
 *   its activation.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * await nm.saveNetwork(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })), 'mlp.json');
 * const net = await nm.loadNetwork('mlp.json');
 * const model = nm.toModel(net, { activation: 'tanh' });
 * model.predict(nm.tf().zeros([1, net.layers[0].nIn]));
 * ```
 */
export function toModel(net: LayeredNetwork, options: ToModelOptions = {}): tfjs.Sequential {
  validateNetwork(net);
  const tf = getTf();
  const model = tf.sequential(options.name !== undefined ? { name: options.name } : {});
  const last = net.layers.length - 1;
  net.layers.forEach((layer, l) => {
    const activation =
      layer.activation ??
      (l === last ? (options.outputActivation ?? 'linear') : (options.activation ?? 'relu'));
    let dense: tfjs.layers.Layer;
    try {
      dense = tf.layers.dense({
        units: layer.nOut,
        useBias: layer.bias !== undefined,
        // TF.js types activations as a closed union; unknown names are rejected at run time just below.
        activation: activation as 'linear',
        ...(l === 0 ? { inputShape: [layer.nIn] } : {})
      });
    } catch (err) {
      throw new Error(
        `toModel: layer ${l}: TF.js cannot build activation "${activation}" ` +
          `(${err instanceof Error ? err.message : String(err)})`
      );
    }
    model.add(dense);
    const kernel = new Float32Array(layer.nIn * layer.nOut);
    for (let k = 0; k < kernel.length; k++) kernel[k] = layer.mask?.[k] === 0 ? 0 : layer.weights[k];
    tf.tidy(() => {
      const values: tfjs.Tensor[] = [tf.tensor2d(kernel, [layer.nIn, layer.nOut])];
      if (layer.bias !== undefined) values.push(tf.tensor1d(Float32Array.from(layer.bias)));
      dense.setWeights(values);
    });
  });
  return model;
}
