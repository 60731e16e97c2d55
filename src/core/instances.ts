/**
 * Motif instances: which edges form each counted motif, for highlighting them in a network view.
 *
 * An instance is the list of its edges `[layer, source, target]` (weight layer `layer`, source neuron
 * `source` of neuron layer `layer`, target neuron `target` of neuron layer `layer + 1`; with `biasNode` the
 * source `nIn` of a layer is its bias node). Instances follow the census conventions of `census.ts` exactly,
 * so with no limit there are as many instances as the census counts:
 *
 * | motif          | one instance |
 * |----------------|--------------|
 * | `edges`        | one edge |
 * | `soDiverging` / `toDiverging`   | 2 / 3 edges out of one source, targets in increasing order |
 * | `soConverging` / `toConverging` | 2 / 3 edges into one target, sources in increasing order |
 * | `soChain` / `toChain` | `paths`: the 2 / 3 edges of one path from the input side; `pairs`: one (source, target) pair joined by ≥ 1 path, shown by one such path (through the lowest-numbered neuron next to the target, then next to that) |
 * | `biFan`        | sources `i < j`, targets `k < m`: edges `i→k, i→m, j→k, j→m` |
 * | `biParallel`   | `a→b→d` and `a→c→d` with `b < c`: edges `a→b, b→d, a→c, c→d` |
 *
 * Instances come in a fixed order (layer, then source, then the other nodes in increasing order), so the
 * first `limit` are the same on every run. The total is the census count, computed without enumerating.
 */

import { type ChainConvention, type MotifName, MOTIF_NAMES, countMotifGraph } from './census';
import { type LiveOptions, type MotifGraph, type MotifLayer, motifGraph } from './live';
import { type LayeredNetwork } from './network';

/** One edge of an instance: weight layer, source neuron (the bias node is source `nIn`), target neuron. */
export type InstanceEdge = readonly [layer: number, source: number, target: number];

/** Options of {@link motifInstances}. */
export interface MotifInstancesOptions extends LiveOptions {
  /** Most instances to list (the total is exact whatever the limit). Default 1000; `Infinity` for all. */
  readonly limit?: number;
  /** Chain convention, default `'paths'` (as in `motifCensus`). */
  readonly chain?: ChainConvention;
}

/** Result of {@link motifInstances}. */
export interface MotifInstances {
  readonly motif: MotifName;
  /** Number of instances in the network: the census count of `motif` with the same options. */
  readonly total: number;
  /** The first `min(limit, total)` instances, each the list of its edges. */
  readonly instances: InstanceEdge[][];
}

/**
 * Lists the instances of one motif class, up to a limit, with the exact total.
 *
 * @param net - the network.
 * @param motif - one of `MOTIF_NAMES`.
 * @param options - `limit` (1000), `chain` (`'paths'`), `biasNode` (`false`), `pruneDeadGhost` (`true`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const dense = (nIn: number, nOut: number) => ({ nIn, nOut, weights: new Float64Array(nIn * nOut).fill(1) });
 * const fans = nm.motifInstances({ layers: [dense(2, 2)] }, 'biFan');
 * fans.total; // 1
 * fans.instances[0]; // [[0, 0, 0], [0, 0, 1], [0, 1, 0], [0, 1, 1]]
 * ```
 */
export function motifInstances(
  net: LayeredNetwork,
  motif: MotifName,
  options: MotifInstancesOptions = {}
): MotifInstances {
  const graph = motifGraph(net, {
    biasNode: options.biasNode ?? false,
    pruneDeadGhost: options.pruneDeadGhost ?? true
  });
  return motifGraphInstances(graph, motif, options);
}

/**
 * {@link motifInstances} on a census view already built with `motifGraph` (several motifs of one network
 * share it).
 *
 * @param graph - the census view (see `motifGraph` in `live.ts`).
 * @param motif - one of `MOTIF_NAMES`.
 * @param options - `limit` (1000) and `chain` (`'paths'`); the live options are the graph's.
 * @example
 * ```ts
 * const g = motifGraph({ layers: [{ nIn: 1, nOut: 2, weights: Float64Array.of(1, -1) }] });
 * motifGraphInstances(g, 'soDiverging').instances; // [[[0, 0, 0], [0, 0, 1]]]
 * ```
 */
export function motifGraphInstances(
  graph: MotifGraph,
  motif: MotifName,
  options: Pick<MotifInstancesOptions, 'limit' | 'chain'> = {}
): MotifInstances {
  const limit = options.limit ?? 1000;
  if (!(limit >= 0)) throw new RangeError(`motifInstances: limit must be ≥ 0, got ${limit}`);
  const chain = options.chain ?? 'paths';
  const motifIndex = MOTIF_NAMES.indexOf(motif);
  if (motifIndex < 0) {
    throw new RangeError(
      `motifInstances: unknown motif "${String(motif)}" (one of ${MOTIF_NAMES.join(', ')})`
    );
  }
  const counts = new Float64Array(MOTIF_NAMES.length);
  countMotifGraph(graph, { chain }, counts);
  const total = counts[motifIndex];
  const out = new Collector(Math.min(limit, total));
  if (out.full()) return { motif, total, instances: out.instances };
  const layers = graph.layers;
  const pairs = chain === 'pairs';
  switch (motif) {
    case 'edges':
      layers.forEach((layer, l) => edgeInstances(layer, l, out));
      break;
    case 'soDiverging':
    case 'toDiverging':
      layers.forEach((layer, l) => diverging(layer, l, motif === 'soDiverging' ? 2 : 3, out));
      break;
    case 'soConverging':
    case 'toConverging':
      layers.forEach((layer, l) => converging(layer, l, motif === 'soConverging' ? 2 : 3, out));
      break;
    case 'soChain':
      for (let l = 0; l + 1 < layers.length; l++) chains(layers.slice(l, l + 2), l, pairs, out);
      break;
    case 'toChain':
      for (let l = 0; l + 2 < layers.length; l++) chains(layers.slice(l, l + 3), l, pairs, out);
      break;
    case 'biFan':
      layers.forEach((layer, l) => biFans(layer, l, out));
      break;
    case 'biParallel':
      for (let l = 0; l + 1 < layers.length; l++) biParallels(layers[l], layers[l + 1], l, out);
      break;
  }
  return { motif, total, instances: out.instances };
}

/** Collects instances until the limit; the enumerators poll `full()` to stop early. */
class Collector {
  readonly instances: InstanceEdge[][] = [];
  constructor(private readonly limit: number) {}
  full(): boolean {
    return this.instances.length >= this.limit;
  }
  add(instance: InstanceEdge[]): void {
    this.instances.push(instance);
  }
}

/** Targets of row `r` (ascending: `motifGraph` writes them in column order). */
function row(layer: MotifLayer, r: number): Int32Array {
  return layer.colIdx.subarray(layer.rowPtr[r], layer.rowPtr[r + 1]);
}

/** The sources of every column of a layer, ascending (compressed sparse column). */
function columns(layer: MotifLayer): { ptr: Int32Array; idx: Int32Array } {
  const ptr = new Int32Array(layer.nCols + 1);
  for (const c of layer.colIdx) ptr[c + 1]++;
  for (let c = 0; c < layer.nCols; c++) ptr[c + 1] += ptr[c];
  const next = ptr.slice(0, layer.nCols);
  const idx = new Int32Array(layer.colIdx.length);
  for (let r = 0; r < layer.nRows; r++) for (const c of row(layer, r)) idx[next[c]++] = r;
  return { ptr, idx };
}

function edgeInstances(layer: MotifLayer, l: number, out: Collector): void {
  for (let r = 0; r < layer.nRows && !out.full(); r++) {
    for (const c of row(layer, r)) {
      if (out.full()) return;
      out.add([[l, r, c]]);
    }
  }
}

/** Every `size`-subset (2 or 3) of `items`, ascending, as the edges `edge(item)`, until `out` is full. */
function subsets(
  items: ArrayLike<number>,
  size: 2 | 3,
  edge: (x: number) => InstanceEdge,
  out: Collector
): void {
  const n = items.length;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      if (size === 2) {
        if (out.full()) return;
        out.add([edge(items[a]), edge(items[b])]);
        continue;
      }
      for (let c = b + 1; c < n; c++) {
        if (out.full()) return;
        out.add([edge(items[a]), edge(items[b]), edge(items[c])]);
      }
    }
  }
}

function diverging(layer: MotifLayer, l: number, size: 2 | 3, out: Collector): void {
  for (let r = 0; r < layer.nRows && !out.full(); r++) subsets(row(layer, r), size, c => [l, r, c], out);
}

function converging(layer: MotifLayer, l: number, size: 2 | 3, out: Collector): void {
  const { ptr, idx } = columns(layer);
  for (let c = 0; c < layer.nCols && !out.full(); c++) {
    subsets(idx.subarray(ptr[c], ptr[c + 1]), size, r => [l, r, c], out);
  }
}

/**
 * Chains through `span` (2 or 3 consecutive layers starting at weight layer `l`). Paths are listed in
 * depth-first order from each source. Pairs list, per source, its reachable ends in increasing order, each
 * with one joining path: found breadth-first, every neuron keeps the lowest-numbered neuron it is reached
 * from, and the path is read back from the end (listing every joining path would make an instance of a
 * dense network as large as the network). Chains start at any row (a bias node too) but pass only through
 * real neurons: the columns of a layer are the real rows of the next.
 */
function chains(span: readonly MotifLayer[], l: number, pairs: boolean, out: Collector): void {
  const first = span[0];
  for (let a = 0; a < first.nRows && !out.full(); a++) {
    if (!pairs) {
      const walk = (depth: number, node: number, path: InstanceEdge[]): void => {
        if (depth === span.length) {
          out.add(path);
          return;
        }
        for (const next of row(span[depth], node)) {
          if (out.full()) return;
          walk(depth + 1, next, [...path, [l + depth, node, next]]);
        }
      };
      walk(0, a, []);
      continue;
    }
    // parents[t]: neuron reached at depth t + 1 → the neuron at depth t it was first reached from
    const parents: Map<number, number>[] = [];
    let level = [a];
    for (const layer of span) {
      const parent = new Map<number, number>();
      for (const u of level) for (const v of row(layer, u)) if (!parent.has(v)) parent.set(v, u);
      parents.push(parent);
      level = [...parent.keys()].sort((x, y) => x - y);
    }
    for (const end of level) {
      if (out.full()) return;
      const path: InstanceEdge[] = [];
      let node = end;
      for (let t = span.length - 1; t >= 0; t--) {
        const from = parents[t].get(node) as number;
        path.unshift([l + t, from, node]);
        node = from;
      }
      out.add(path);
    }
  }
}

/** Targets shared by source `i` and each later source `j`, found through the columns (cost ≈ two-paths). */
function biFans(layer: MotifLayer, l: number, out: Collector): void {
  const { ptr, idx } = columns(layer);
  for (let i = 0; i < layer.nRows && !out.full(); i++) {
    const shared = new Map<number, number[]>();
    for (const k of row(layer, i)) {
      for (let e = ptr[k]; e < ptr[k + 1]; e++) {
        const j = idx[e];
        if (j <= i) continue;
        const ks = shared.get(j) ?? [];
        shared.set(j, ks);
        ks.push(k);
      }
    }
    for (const j of [...shared.keys()].sort((x, y) => x - y)) {
      const ks = shared.get(j) as number[];
      for (let a = 0; a < ks.length; a++) {
        for (let b = a + 1; b < ks.length; b++) {
          if (out.full()) return;
          const [k, m] = [ks[a], ks[b]];
          out.add([
            [l, i, k],
            [l, i, m],
            [l, j, k],
            [l, j, m]
          ]);
        }
      }
    }
  }
}

/** Two-paths `a→b→d` grouped by `d` for each source `a`; every pair of middles is one bi-parallel. */
function biParallels(first: MotifLayer, second: MotifLayer, l: number, out: Collector): void {
  for (let a = 0; a < first.nRows && !out.full(); a++) {
    const middles = new Map<number, number[]>();
    for (const b of row(first, a)) {
      for (const d of row(second, b)) {
        const bs = middles.get(d) ?? [];
        middles.set(d, bs);
        bs.push(b);
      }
    }
    for (const d of [...middles.keys()].sort((x, y) => x - y)) {
      const bs = middles.get(d) as number[];
      for (let x = 0; x < bs.length; x++) {
        for (let y = x + 1; y < bs.length; y++) {
          if (out.full()) return;
          out.add([
            [l, a, bs[x]],
            [l + 1, bs[x], d],
            [l, a, bs[y]],
            [l + 1, bs[y], d]
          ]);
        }
      }
    }
  }
}
