/**
 * The network-view payload (`application/vnd.nnmotifs.network+json`): the contract between the kernel's
 * `networkView` builder, the lab's network renderer, the Network Inspector and the exporters. Defined once,
 * as a zod schema; the TypeScript types are derived from it, and the lab validates payloads with it.
 *
 * Columnar on purpose: a 50 k-edge view is three number arrays, not 50 k objects, so it serialises small and
 * parses fast. Node and edge indices are positions in these arrays.
 */
import { z } from 'zod';
import { MOTIF_NAMES } from '../core/census';

/** Version of the network-view payload; renderers reject payloads with a newer version. */
export const NETWORK_SPEC_VERSION = 1;

/** Largest number of edges a network-view payload may carry; bigger payloads are refused with an error. */
export const NETWORK_VIEW_MAX_EDGES = 2_000_000;

const name = z.string().max(200);

/** One neuron layer as drawn: column `index` of the layered layout. */
export const NetworkViewLayerSchema = z.object({
  /** Display name, e.g. `input`, `hidden 1`, `output`. */
  name,
  /** Neurons in this layer before pruning (live or not). */
  size: z.number().int().min(0).max(1e9)
});

/** Live neurons (at least one live edge), columnar: entry `k` of every array describes node `k`. */
export const NetworkViewNodesSchema = z.object({
  /** Neuron layer of each node (index into `layers`). */
  layer: z.array(z.number()),
  /** Index of the neuron inside its layer (0-based, as in the weight matrices). */
  index: z.array(z.number()),
  /** Node strength: sum of |w| over the node's live edges (in + out). */
  strength: z.array(z.number()),
  /** Number of live edges of the node (in + out). */
  degree: z.array(z.number())
});

/** Live edges, columnar: edge `k` goes from node `source[k]` to node `target[k]` with weight `weight[k]`. */
export const NetworkViewEdgesSchema = z.object({
  source: z.array(z.number()),
  target: z.array(z.number()),
  /** Signed weight (positive excitatory, negative inhibitory). */
  weight: z.array(z.number())
});

/** Instances of one motif class, for highlighting: each instance is the list of its edge indices. */
export const NetworkViewMotifOverlaySchema = z.object({
  motif: z.enum(MOTIF_NAMES),
  /** Label shown in the picker, e.g. `bi-fan (412 of 10 233 shown)`. */
  label: name,
  /** Total number of instances in the network (may exceed `instances.length`). */
  total: z.number().min(0).max(Number.MAX_SAFE_INTEGER),
  /** Up to a limit of instances; each is the edge indices (into `edges`) of one instance. */
  instances: z.array(z.array(z.number()))
});

/** What a view shows and where it came from (the same fields as a figure's meta). */
export const NetworkViewMetaSchema = z.object({
  kind: name,
  title: z.string().max(2000),
  exportName: name,
  provenance: z.record(z.string(), z.unknown())
});

/** The payload of `application/vnd.nnmotifs.network+json`. */
export const NetworkViewSchema = z.object({
  version: z.literal(NETWORK_SPEC_VERSION),
  layers: z.array(NetworkViewLayerSchema),
  nodes: NetworkViewNodesSchema,
  edges: NetworkViewEdgesSchema,
  /**
   * Biases per weight layer: entry `l` holds the bias of every neuron of neuron layer `l + 1` (all of them,
   * live or not), or `null` when the layer has no bias. Lets the Network Inspector rebuild the network with
   * its biases (bias-node motif counts depend on them). Absent in payloads written before it existed.
   */
  biases: z.array(z.union([z.array(z.number()), z.null()])).optional(),
  /** Motif classes the user can pick from to highlight their instances. */
  overlays: z.array(NetworkViewMotifOverlaySchema),
  /** Layout shown first; the user can switch. Default `layered`. */
  layout: z.enum(['layered', 'forceatlas2']).optional(),
  /** Motif highlighted when the view opens (one of `overlays`); none when absent. */
  highlight: z.enum(MOTIF_NAMES).optional(),
  /** Same meta as figures: kind `networkView`, title, export name, provenance. */
  meta: NetworkViewMetaSchema
});

/** One neuron layer of a view. */
export type NetworkViewLayer = z.infer<typeof NetworkViewLayerSchema>;
/** The nodes of a view. */
export type NetworkViewNodes = z.infer<typeof NetworkViewNodesSchema>;
/** The edges of a view. */
export type NetworkViewEdges = z.infer<typeof NetworkViewEdgesSchema>;
/** The instances of one motif class. */
export type NetworkViewMotifOverlay = z.infer<typeof NetworkViewMotifOverlaySchema>;
/** The payload of `application/vnd.nnmotifs.network+json`. */
export type NetworkViewSpec = z.infer<typeof NetworkViewSchema>;
