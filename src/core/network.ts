/**
 * The network model every analysis works on: a feed-forward stack of dense layers.
 *
 * Convention (Keras/TF.js kernels): layer `l` has a weight matrix of shape `nIn × nOut`, stored row-major
 * in a `Float64Array` (`weights[i * nOut + j]` is the weight from source neuron `i` to target neuron `j`),
 * an optional bias of length `nOut`, and an optional 0/1 mask of the same shape as the weights that marks
 * the connections that exist after pruning. An edge `i → j` exists when the mask allows it (or there is no
 * mask) and the weight is non-zero.
 */

/** One dense layer between `nIn` source neurons and `nOut` target neurons. */
export interface Layer {
  readonly nIn: number;
  readonly nOut: number;
  /** Row-major `nIn × nOut`. */
  readonly weights: Float64Array;
  /** Length `nOut`, or absent. */
  readonly bias?: Float64Array;
  /** Row-major `nIn × nOut` of 0/1, or absent (= every weight is a connection). */
  readonly mask?: Uint8Array;
  /** Activation applied after this layer (`relu`, `tanh`, `linear`, `softmax`, ...), if known. */
  readonly activation?: string;
}

/** A layered feed-forward network: `layers[l]` connects neuron layer `l` to neuron layer `l + 1`. */
export interface LayeredNetwork {
  readonly layers: readonly Layer[];
  /** Free-form provenance (source file, training run, pruning level, ...). */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** Neuron counts of every neuron layer: `[n_0, n_1, ..., n_L]`. */
export function layerSizes(net: LayeredNetwork): number[] {
  if (net.layers.length === 0) return [];
  return [net.layers[0].nIn, ...net.layers.map(l => l.nOut)];
}

/** Whether the connection `i → j` of `layer` exists (mask allows it and the weight is non-zero). */
export function hasEdge(layer: Layer, i: number, j: number): boolean {
  const k = i * layer.nOut + j;
  return (layer.mask === undefined || layer.mask[k] !== 0) && layer.weights[k] !== 0;
}

/**
 * The 0/1 adjacency of a layer: 1 where an edge exists (mask allows it and the weight is non-zero).
 * Row-major `nIn × nOut`.
 */
export function adjacency(layer: Layer): Uint8Array {
  const n = layer.nIn * layer.nOut;
  const out = new Uint8Array(n);
  const { weights, mask } = layer;
  for (let k = 0; k < n; k++) {
    out[k] = (mask === undefined || mask[k] !== 0) && weights[k] !== 0 ? 1 : 0;
  }
  return out;
}
