/**
 * Conversions between TensorFlow.js models and {@link LayeredNetwork}.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { Layer, LayeredNetwork } from '../core/network';

/** Layers that carry no weights and keep a 2-D activation's shape, so they may sit between Dense layers. */
const PASS_THROUGH = new Set([
  'InputLayer',
  'Dropout',
  'Flatten',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout'
]);

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
  const layers: Layer[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (PASS_THROUGH.has(cls)) continue;
    if (cls === 'Activation') {
      const prev = layers[layers.length - 1] as Layer & { activation?: string };
      const act = String(layer.getConfig().activation ?? 'linear');
      if (prev === undefined) {
        throw new Error(`fromModel: layer "${layer.name}" (Activation) comes before any Dense layer`);
      }
      layers[layers.length - 1] = { ...prev, activation: act };
      continue;
    }
    if (cls !== 'Dense') {
      throw new Error(
        `fromModel: layer "${layer.name}" (${cls}) is not part of an MLP; only Dense layers ` +
          `(with ${[...PASS_THROUGH, 'Activation'].join('/')} between them) can be converted`
      );
    }
    const [kernel, bias] = layer.getWeights();
    if (kernel.shape.length !== 2) {
      throw new Error(
        `fromModel: layer "${layer.name}" has a kernel of shape [${kernel.shape}], expected 2-D`
      );
    }
    const [nIn, nOut] = kernel.shape;
    const prev = layers[layers.length - 1];
    if (prev !== undefined && prev.nOut !== nIn) {
      throw new Error(
        `fromModel: layer "${layer.name}" takes ${nIn} inputs but the previous Dense layer has ${prev.nOut} outputs`
      );
    }
    layers.push({
      nIn,
      nOut,
      weights: Float64Array.from(kernel.dataSync()),
      ...(bias !== undefined ? { bias: Float64Array.from(bias.dataSync()) } : {}),
      activation: String(layer.getConfig().activation ?? 'linear')
    });
  }
  if (layers.length === 0) {
    throw new Error(`fromModel: model "${model.name}" has no Dense layer`);
  }
  return { layers, meta: { source: `tfjs model "${model.name}"` } };
}
