/**
 * The one walk over a TF.js model's layers that every kernel helper uses (`fromModel`, `assignNetwork`,
 * `initialize`, the training loop): Dense layers in order, a standalone `Activation` folded into the Dense
 * layer before it, and the layers an MLP may hold between Dense layers (`InputLayer`, `Flatten`, `Dropout`,
 * noise layers) passed over but recorded, so each caller decides what they mean for it. Weights-only
 * helpers ignore them (they have no weights and are the identity at inference); the training loop, which
 * has no dropout or noise, refuses a model where one of them is active.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { MLP_PASS_THROUGH_LAYERS } from '../core/formats/tfjs';

/** A Dense layer of a model with the layers around it that the walk folded or passed over. */
export interface DenseLayer {
  readonly layer: tfjs.layers.Layer;
  readonly nIn: number;
  readonly nOut: number;
  /** The Dense layer's activation, or that of a standalone `Activation` layer right after a linear one. */
  readonly activation: string;
  /** Pass-through layers right after this Dense layer (before the next one), e.g. `Dropout`. */
  readonly after: readonly { name: string; className: string; rate: number }[];
}

/** Layers that change what the network computes while training (their `rate` > 0). */
const TRAINING_ONLY = new Set(['Dropout', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout']);

/**
 * The Dense layers of a model (see the module comment).
 *
 * @param who - the caller's name for error messages (`fromModel`, `train`, …).
 * @throws Error naming the layer when the model holds a layer that is not part of an MLP, an `Activation`
 *   before any Dense layer or after a Dense layer with its own non-linear activation, consecutive Dense
 *   layers whose shapes do not chain, or no Dense layer at all.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.denseLayers(nm.mlp([4, 8, 3]), 'example').map(d => [d.nIn, d.nOut]); // [[4, 8], [8, 3]]
 * ```
 */
export function denseLayers(model: tfjs.LayersModel, who: string): DenseLayer[] {
  const out: {
    layer: tfjs.layers.Layer;
    nIn: number;
    nOut: number;
    activation: string;
    after: DenseLayer['after'][number][];
  }[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig();
    const prev = out[out.length - 1];
    if (MLP_PASS_THROUGH_LAYERS.has(cls)) {
      const rate = Number(config.rate ?? config.stddev ?? 0);
      if (prev !== undefined && cls !== 'InputLayer')
        prev.after.push({ name: layer.name, className: cls, rate });
      continue;
    }
    if (cls === 'Activation') {
      const act = String(config.activation ?? 'linear');
      if (prev === undefined)
        throw new Error(`${who}: layer "${layer.name}" (Activation) comes before any Dense layer`);
      if (prev.activation !== 'linear' && act !== 'linear') {
        throw new Error(
          `${who}: layer "${layer.name}" (Activation ${act}) follows Dense layer "${prev.layer.name}" that has its own activation '${prev.activation}'; an MLP layer has one activation`
        );
      }
      if (act !== 'linear') prev.activation = act;
      continue;
    }
    if (cls !== 'Dense') {
      throw new Error(
        `${who}: layer "${layer.name}" (${cls}) is not part of an MLP; only Dense layers ` +
          `(with ${[...MLP_PASS_THROUGH_LAYERS, 'Activation'].join('/')} between them) are supported`
      );
    }
    const kernel = layer.getWeights()[0];
    if (kernel === undefined || kernel.shape.length !== 2) {
      throw new Error(
        `${who}: layer "${layer.name}" has a kernel of shape [${kernel?.shape ?? ''}], expected 2-D`
      );
    }
    const [nIn, nOut] = kernel.shape as [number, number];
    if (prev !== undefined && prev.nOut !== nIn) {
      throw new Error(
        `${who}: layer "${layer.name}" takes ${nIn} inputs but the previous Dense layer has ${prev.nOut} outputs`
      );
    }
    out.push({ layer, nIn, nOut, activation: String(config.activation ?? 'linear'), after: [] });
  }
  if (out.length === 0) throw new Error(`${who}: model "${model.name}" has no Dense layer`);
  return out;
}

/**
 * Throws when a model holds a layer that acts only during training (Dropout or a noise layer with a rate
 * above 0): the training loop has none of them, and training as if they were absent would silently
 * differ from what the model says.
 */
export function refuseTrainingOnlyLayers(model: tfjs.LayersModel, who: string): void {
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    const config = layer.getConfig();
    const rate = Number(config.rate ?? config.stddev ?? 0);
    if (TRAINING_ONLY.has(cls) && rate > 0) {
      throw new Error(
        `${who}: layer "${layer.name}" (${cls}, rate ${rate}) is active during training, and the training loop ` +
          `has no ${cls}; remove it (or set its rate to 0) to train this model with nnmotifs`
      );
    }
  }
}
