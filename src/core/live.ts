/**
 * Live edges of a layered network: ghost and dead node removal, and the optional bias node.
 *
 * A pruned network keeps edges that can never carry a signal from the inputs to the outputs. The motif
 * census of Zahn, Daniel & Kutz counts only the edges that survive two clean-ups:
 *
 * - **ghost node** — a hidden or output neuron with no incoming edge: its outgoing edges are removed, layer
 *   by layer from the input side (a removal can make the next layer's neurons ghosts);
 * - **dead node** — an input or hidden neuron with no outgoing edge: its incoming edges are removed, layer by
 *   layer from the output side.
 *
 * One forward pass followed by one backward pass reaches the fixed point: the backward pass only removes
 * incoming edges of neurons that have no outgoing edge, so it cannot create a ghost that still has outgoing
 * edges. Output neurons are never dead and their (non-existent) outgoing edges are never looked up, so a
 * disconnected output neuron is harmless (the authors' loop indexes past the last layer there).
 *
 * **Bias node.** With `biasNode: true` every layer `l` whose bias exists gets one extra source neuron in
 * neuron layer `l`, with an edge to target `j` wherever `bias[j] ≠ 0`. It has no incoming edge and is never
 * a ghost; a neuron fed only by its bias is therefore *not* a ghost (it computes a constant, which is what
 * the bias node models), and a dead neuron loses its bias edge with its other incoming edges. With
 * `biasNode: false` biases are ignored entirely.
 *
 * **How the census sees it.** {@link motifGraph} returns, per layer, a compressed sparse row adjacency
 * with `nRows = nIn + 1` rows when the layer has a bias node: rows `0 … nIn−1` are the real source neurons
 * and row `nIn` is the bias node. Columns are always the `nOut` real target neurons, so the columns of layer
 * `l` are exactly the real rows of layer `l + 1`; the bias row of layer `l + 1` has no column in layer `l`,
 * which is why no chain can pass through a bias node.
 */

import { type LayeredNetwork, adjacency } from './network';

/** Options shared by {@link liveEdges} and {@link motifGraph}. */
export interface LiveOptions {
  /** Add one bias source node per layer that has a bias. Default `false`. */
  readonly biasNode?: boolean;
  /** Remove ghost and dead nodes' edges. Default `true`; `false` keeps every existing edge. */
  readonly pruneDeadGhost?: boolean;
}

/** The edges that survive ghost/dead removal, and which neurons are live. */
export interface LiveEdges {
  /** Per layer, row-major `nIn × nOut`: 1 where the weight edge is live. */
  readonly masks: Uint8Array[];
  /** Per layer, length `nOut`: 1 where the bias edge is live; `undefined` without a bias node. */
  readonly biasMasks: (Uint8Array | undefined)[];
  /**
   * Per neuron layer `0 … L`, 1 for a live neuron: it has at least one live edge (inputs: outgoing,
   * outputs: incoming, hidden neurons: both, which after pruning is the same as any).
   */
  readonly live: Uint8Array[];
  /** Per layer: 1 when the bias node of that layer has at least one live edge. */
  readonly liveBias: Uint8Array;
}

/**
 * Removes the edges of ghost and dead nodes and reports the live edges and neurons.
 *
 * @param net - the network.
 * @param options - `biasNode` (default `false`), `pruneDeadGhost` (default `true`).
 * @returns live weight masks, live bias masks and live-neuron flags.
 * @example
 * ```ts
 * const W = (rows: number[][]) => ({ nIn: rows.length, nOut: rows[0].length, weights: Float64Array.from(rows.flat()) });
 * // neuron 1 of the hidden layer has no input: a ghost, so its edge to the output is removed
 * const live = liveEdges({ layers: [W([[1, 0]]), W([[1], [1]])] });
 * live.masks[1]; // Uint8Array [1, 0]
 * ```
 */
export function liveEdges(net: LayeredNetwork, options: LiveOptions = {}): LiveEdges {
  const biasNode = options.biasNode ?? false;
  const prune = options.pruneDeadGhost ?? true;
  const layers = net.layers;
  const L = layers.length;
  const masks = layers.map(layer => adjacency(layer));
  const biasMasks = layers.map(layer => {
    if (!biasNode || layer.bias === undefined) return undefined;
    const m = new Uint8Array(layer.nOut);
    for (let j = 0; j < layer.nOut; j++) m[j] = layer.bias[j] !== 0 ? 1 : 0;
    return m;
  });

  if (prune) {
    // Ghosts, forward: neuron layer k = 1 … L−1 (output neurons have no outgoing edges to remove).
    for (let k = 1; k < L; k++) {
      const inLayer = layers[k - 1];
      const inMask = masks[k - 1];
      const inBias = biasMasks[k - 1];
      const outLayer = layers[k];
      const outMask = masks[k];
      for (let j = 0; j < outLayer.nIn; j++) {
        let fed = inBias !== undefined && inBias[j] !== 0;
        for (let i = 0; !fed && i < inLayer.nIn; i++) fed = inMask[i * inLayer.nOut + j] !== 0;
        if (!fed) outMask.fill(0, j * outLayer.nOut, (j + 1) * outLayer.nOut);
      }
    }
    // Dead nodes, backward: neuron layer k = L−1 … 1 (input neurons have no incoming edges to remove).
    for (let k = L - 1; k >= 1; k--) {
      const outLayer = layers[k];
      const outMask = masks[k];
      const inLayer = layers[k - 1];
      const inMask = masks[k - 1];
      const inBias = biasMasks[k - 1];
      for (let j = 0; j < outLayer.nIn; j++) {
        let used = false;
        const row = j * outLayer.nOut;
        for (let c = 0; !used && c < outLayer.nOut; c++) used = outMask[row + c] !== 0;
        if (used) continue;
        for (let i = 0; i < inLayer.nIn; i++) inMask[i * inLayer.nOut + j] = 0;
        if (inBias !== undefined) inBias[j] = 0;
      }
    }
  }

  const live: Uint8Array[] = [];
  if (L > 0) {
    live.push(new Uint8Array(layers[0].nIn));
    for (const layer of layers) live.push(new Uint8Array(layer.nOut));
  }
  const liveBias = new Uint8Array(L);
  for (let l = 0; l < L; l++) {
    const { nIn, nOut } = layers[l];
    const m = masks[l];
    const src = live[l];
    const dst = live[l + 1];
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        if (m[i * nOut + j] !== 0) {
          src[i] = 1;
          dst[j] = 1;
        }
      }
    }
    const b = biasMasks[l];
    if (b !== undefined) {
      for (let j = 0; j < nOut; j++) {
        if (b[j] !== 0) {
          liveBias[l] = 1;
          dst[j] = 1;
        }
      }
    }
  }
  return { masks, biasMasks, live, liveBias };
}

/**
 * One layer of a {@link MotifGraph}: a compressed sparse row adjacency whose last row is the bias node
 * when `nRows > nReal`.
 */
export interface MotifLayer {
  /** Source rows: the `nReal` real neurons, plus one bias row when the layer has a bias node. */
  nRows: number;
  /** Real source neurons (`nIn` of the layer); equals the previous layer's `nCols`. */
  nReal: number;
  /** Target neurons (`nOut`). */
  nCols: number;
  /** Length `nRows + 1`; the edges of row `r` are `rowPtr[r] … rowPtr[r+1]−1`. */
  rowPtr: Int32Array;
  /** Target column of every edge. Order within a row is unspecified. */
  colIdx: Int32Array;
  /** Per edge: 1 when the weight (or bias) is negative, else 0. */
  neg: Uint8Array;
}

/** The graph the motif census counts: live edges as CSR per layer, bias rows included when asked. */
export interface MotifGraph {
  readonly layers: MotifLayer[];
  readonly biasNode: boolean;
}

/**
 * Builds the census view of a network: live edges (after ghost/dead removal unless disabled), one CSR
 * adjacency per layer, the bias node as an extra last row of the layers that have a bias.
 *
 * @param net - the network.
 * @param options - `biasNode` (default `false`), `pruneDeadGhost` (default `true`).
 * @example
 * ```ts
 * const g = motifGraph(
 *   { layers: [{ nIn: 2, nOut: 1, weights: Float64Array.of(1, -2), bias: Float64Array.of(0.5) }] },
 *   { biasNode: true }
 * );
 * g.layers[0].nRows; // 3: two inputs and the bias node
 * ```
 */
export function motifGraph(net: LayeredNetwork, options: LiveOptions = {}): MotifGraph {
  const biasNode = options.biasNode ?? false;
  const live = liveEdges(net, options);
  const layers = net.layers.map((layer, l): MotifLayer => {
    const { nIn, nOut, weights } = layer;
    const m = live.masks[l];
    const b = live.biasMasks[l];
    const nRows = b !== undefined ? nIn + 1 : nIn;
    const rowPtr = new Int32Array(nRows + 1);
    let e = 0;
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) e += m[i * nOut + j];
      rowPtr[i + 1] = e;
    }
    if (b !== undefined) {
      for (let j = 0; j < nOut; j++) e += b[j];
      rowPtr[nIn + 1] = e;
    }
    const colIdx = new Int32Array(e);
    const neg = new Uint8Array(e);
    e = 0;
    for (let i = 0; i < nIn; i++) {
      for (let j = 0; j < nOut; j++) {
        const k = i * nOut + j;
        if (m[k] !== 0) {
          colIdx[e] = j;
          neg[e++] = weights[k] < 0 ? 1 : 0;
        }
      }
    }
    if (b !== undefined && layer.bias !== undefined) {
      for (let j = 0; j < nOut; j++) {
        if (b[j] !== 0) {
          colIdx[e] = j;
          neg[e++] = layer.bias[j] < 0 ? 1 : 0;
        }
      }
    }
    return { nRows, nReal: nIn, nCols: nOut, rowPtr, colIdx, neg };
  });
  return { layers, biasNode };
}
