/**
 * The network-view payload (`application/vnd.nnmotifs.network+json`): the contract between the kernel's
 * `networkView` builder, the lab's network renderer, the Network Inspector and the exporters.
 *
 * Columnar on purpose: a 50 k-edge view is three number arrays, not 50 k objects, so it serialises small and
 * parses fast. Node and edge indices are positions in these arrays.
 */
import type { MotifName } from '../core/census';
import type { FigureMeta } from './spec';

/** Version of the network-view payload; renderers reject payloads with a newer version. */
export const NETWORK_SPEC_VERSION = 1;

/** Largest number of edges a network-view payload may carry; bigger payloads are refused with an error. */
export const NETWORK_VIEW_MAX_EDGES = 2_000_000;

/** One neuron layer as drawn: column `index` of the layered layout. */
export interface NetworkViewLayer {
  /** Display name, e.g. `input`, `hidden 1`, `output`. */
  name: string;
  /** Neurons in this layer before pruning (live or not). */
  size: number;
}

/** Live neurons (at least one live edge), columnar: entry `k` of every array describes node `k`. */
export interface NetworkViewNodes {
  /** Neuron layer of each node (index into `layers`). */
  layer: number[];
  /** Index of the neuron inside its layer (0-based, as in the weight matrices). */
  index: number[];
  /** Node strength: sum of |w| over the node's live edges (in + out). */
  strength: number[];
  /** Number of live edges of the node (in + out). */
  degree: number[];
}

/** Live edges, columnar: edge `k` goes from node `source[k]` to node `target[k]` with weight `weight[k]`. */
export interface NetworkViewEdges {
  source: number[];
  target: number[];
  /** Signed weight (positive excitatory, negative inhibitory). */
  weight: number[];
}

/** Instances of one motif class, for highlighting: each instance is the list of its edge indices. */
export interface NetworkViewMotifOverlay {
  motif: MotifName;
  /** Label shown in the picker, e.g. `bi-fan (412 of 10 233 shown)`. */
  label: string;
  /** Total number of instances in the network (may exceed `instances.length`). */
  total: number;
  /** Up to a limit of instances; each is the edge indices (into `edges`) of one instance. */
  instances: number[][];
}

/** The payload of `application/vnd.nnmotifs.network+json`. */
export interface NetworkViewSpec {
  version: typeof NETWORK_SPEC_VERSION;
  layers: NetworkViewLayer[];
  nodes: NetworkViewNodes;
  edges: NetworkViewEdges;
  /**
   * Biases per weight layer: entry `l` holds the bias of every neuron of neuron layer `l + 1` (all of them,
   * live or not), or `null` when the layer has no bias. Lets the Network Inspector rebuild the network with
   * its biases (bias-node motif counts depend on them). Absent in payloads written before it existed.
   */
  biases?: (number[] | null)[];
  /** Motif classes the user can pick from to highlight their instances. */
  overlays: NetworkViewMotifOverlay[];
  /** Layout shown first; the user can switch. Default `layered`. */
  layout?: 'layered' | 'forceatlas2';
  /** Same meta as figures: kind `networkView`, title, export name, provenance. */
  meta: FigureMeta;
}
