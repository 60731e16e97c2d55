/**
 * The network-view builder: a {@link LayeredNetwork} as a `application/vnd.nnmotifs.network+json` payload
 * (live neurons, live edges with signed weights, strength and degree per node, motif overlays).
 */
import { type ChainConvention, type MotifName, MOTIF_NAMES } from '../core/census';
import { motifGraphInstances } from '../core/instances';
import { motifGraph } from '../core/live';
import { type LayeredNetwork, layerSizes } from '../core/network';
import { MOTIF_LABELS } from './motifs';
import {
  NETWORK_SPEC_VERSION,
  NETWORK_VIEW_MAX_EDGES,
  type NetworkViewMotifOverlay,
  type NetworkViewSpec
} from './network-spec';
import { type JsonObject } from './spec';
import { defaultLayerNames } from './strength';

/** Options of {@link networkView}. */
export interface NetworkViewOptions {
  /** Title. Default `Network`. */
  title?: string;
  /** Names of the neuron layers; default `input`, `hidden 1`, …, `output`. */
  layerNames?: readonly string[];
  /**
   * Motif classes offered for highlighting; the first is highlighted when the view opens. Default every
   * motif but `edges`, none highlighted.
   */
  motifs?: readonly MotifName[];
  /** Most instances listed per motif class (the total is always exact). Default 500. */
  maxInstances?: number;
  /** Chain convention of the chain overlays, default `'paths'` (as in `motifCensus`). */
  chain?: ChainConvention;
  /** Remove ghost and dead neurons' edges before drawing (as the census does). Default `true`. */
  pruneDeadGhost?: boolean;
  /** Layout shown first. Default `layered`. */
  layout?: 'layered' | 'forceatlas2';
  /** Export file name without extension. Default `network`. */
  exportName?: string;
  /** Extra provenance (network name, seed, …) stored in `meta.provenance`. */
  provenance?: JsonObject;
}

/** The default overlays: every motif class except single edges. */
const DEFAULT_OVERLAY_MOTIFS: readonly MotifName[] = MOTIF_NAMES.filter(m => m !== 'edges');

const groupDigits = (n: number): string => n.toLocaleString('en-US').replace(/,/g, ' ');

/**
 * The network view of a layered network: its live neurons (at least one live edge) in layer columns, its
 * live edges with their signed weights, and the instances of chosen motif classes for highlighting.
 * Node strength here is the sum of |w| over the node's live edges (in + out), what the drawing sizes nodes by.
 *
 * @param net - the network.
 * @param options - see {@link NetworkViewOptions}.
 * @returns the payload; throws a `RangeError` for networks with more than `NETWORK_VIEW_MAX_EDGES` live
 *   edges (sample or prune them first) and for layer names that do not match the layers.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0.5, 2) }] };
 * const spec = nm.figures.networkView(net, { motifs: ['biFan'] });
 * spec.edges.weight; // [1, -1, 0.5, 2]
 * spec.overlays[0].total; // 1
 * ```
 */
export function networkView(net: LayeredNetwork, options: NetworkViewOptions = {}): NetworkViewSpec {
  const sizes = layerSizes(net);
  const names = options.layerNames ?? defaultLayerNames(sizes.length);
  if (names.length !== sizes.length) {
    throw new RangeError(
      `networkView: ${sizes.length} neuron layers but ${names.length} layer names were given`
    );
  }
  const maxInstances = options.maxInstances ?? 500;
  if (!(maxInstances >= 0))
    throw new RangeError(`networkView: maxInstances must be ≥ 0, got ${maxInstances}`);
  const chain = options.chain ?? 'paths';
  const pruneDeadGhost = options.pruneDeadGhost ?? true;
  const graph = motifGraph(net, { biasNode: false, pruneDeadGhost });
  const edgeCount = graph.layers.reduce((n, layer) => n + layer.colIdx.length, 0);
  if (edgeCount > NETWORK_VIEW_MAX_EDGES) {
    throw new RangeError(
      `networkView: the network has ${groupDigits(edgeCount)} live edges, more than a view can draw ` +
        `(${groupDigits(NETWORK_VIEW_MAX_EDGES)}); prune it or view a few layers`
    );
  }

  // Node ids: live neurons in layer order, then neuron order.
  const degree = sizes.map(n => new Int32Array(n));
  const strength = sizes.map(n => new Float64Array(n));
  graph.layers.forEach((layer, l) => {
    const { weights, nOut } = net.layers[l];
    for (let i = 0; i < layer.nRows; i++) {
      for (let e = layer.rowPtr[i]; e < layer.rowPtr[i + 1]; e++) {
        const j = layer.colIdx[e];
        const w = Math.abs(weights[i * nOut + j]);
        degree[l][i]++;
        degree[l + 1][j]++;
        strength[l][i] += w;
        strength[l + 1][j] += w;
      }
    }
  });
  const nodeId = sizes.map(n => new Int32Array(n).fill(-1));
  const nodes = {
    layer: [] as number[],
    index: [] as number[],
    strength: [] as number[],
    degree: [] as number[]
  };
  sizes.forEach((n, k) => {
    for (let i = 0; i < n; i++) {
      if (degree[k][i] === 0) continue;
      nodeId[k][i] = nodes.layer.length;
      nodes.layer.push(k);
      nodes.index.push(i);
      nodes.strength.push(strength[k][i]);
      nodes.degree.push(degree[k][i]);
    }
  });

  // Edges in the census view's order, so an instance edge maps to its index by a search in its row.
  const edges = { source: [] as number[], target: [] as number[], weight: [] as number[] };
  const edgeOffset: number[] = [];
  graph.layers.forEach((layer, l) => {
    edgeOffset.push(edges.source.length);
    const { weights, nOut } = net.layers[l];
    for (let i = 0; i < layer.nRows; i++) {
      for (let e = layer.rowPtr[i]; e < layer.rowPtr[i + 1]; e++) {
        const j = layer.colIdx[e];
        edges.source.push(nodeId[l][i]);
        edges.target.push(nodeId[l + 1][j]);
        edges.weight.push(weights[i * nOut + j]);
      }
    }
  });
  const edgeIndex = (l: number, i: number, j: number): number => {
    const { rowPtr, colIdx } = graph.layers[l];
    let lo = rowPtr[i];
    let hi = rowPtr[i + 1] - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (colIdx[mid] < j) lo = mid + 1;
      else hi = mid;
    }
    return edgeOffset[l] + lo;
  };

  const overlays: NetworkViewMotifOverlay[] = (options.motifs ?? DEFAULT_OVERLAY_MOTIFS).map(motif => {
    const found = motifGraphInstances(graph, motif, { limit: maxInstances, chain });
    const shown = found.instances.length;
    const name = MOTIF_LABELS[motif] ?? motif;
    return {
      motif,
      label:
        shown === found.total
          ? `${name} (${groupDigits(found.total)})`
          : `${name} (${groupDigits(shown)} of ${groupDigits(found.total)} shown)`,
      total: found.total,
      instances: found.instances.map(instance => instance.map(([l, i, j]) => edgeIndex(l, i, j)))
    };
  });

  const title = options.title ?? 'Network';
  return {
    version: NETWORK_SPEC_VERSION,
    layers: names.map((name, k) => ({ name, size: sizes[k] })),
    nodes,
    edges,
    biases: net.layers.map(layer => (layer.bias === undefined ? null : Array.from(layer.bias))),
    overlays,
    layout: options.layout ?? 'layered',
    // Motifs the caller asked for by name: the view opens with the first one highlighted.
    ...(options.motifs !== undefined && overlays.length > 0 ? { highlight: overlays[0].motif } : {}),
    meta: {
      kind: 'networkView',
      title,
      exportName: options.exportName ?? 'network',
      provenance: {
        network: String(net.meta?.source ?? 'network'),
        edges: pruneDeadGhost ? 'live edges after ghost/dead neuron removal' : 'every existing edge',
        strength: 'sum of |w| over the live edges of a neuron (in + out)',
        chain,
        pruneDeadGhost,
        maxInstances,
        ...(options.provenance ?? {})
      }
    }
  };
}

/**
 * Plain-text summary of a network view, the `text/plain` of its bundle for frontends without the extension.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = networkView(nm.fromModel(nm.mlp([2, 2, 1], { seed: 1 })));
 * networkViewText(spec); // '[nnmotifs network] Network: 5 neurons, 6 edges in 3 layers (input 2, …)'
 * ```
 */
export function networkViewText(spec: NetworkViewSpec): string {
  const layers = spec.layers.map(l => `${l.name} ${l.size}`).join(', ');
  const lines = [
    `[nnmotifs network] ${spec.meta.title}: ${spec.nodes.layer.length} live neurons, ` +
      `${spec.edges.source.length} live edges in ${spec.layers.length} layers (${layers})`
  ];
  for (const o of spec.overlays) lines.push(`  - ${o.label}`);
  return lines.join('\n');
}
