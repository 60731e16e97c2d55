/**
 * Validation of `application/vnd.nnmotifs.network+json` payloads before the network view draws them.
 *
 * Outputs of untrusted notebooks are data: zod checks the shape of everything small (layers, overlays,
 * meta), and plain loops check the big columns (finite numbers, integer indices in range, equal lengths),
 * after their lengths are checked against the caps, so an absurd payload is refused before any work
 * proportional to its claims. The strings are never parsed as markup by the view (it writes them with
 * `textContent`, and the SVG writer escapes them), so they are kept as written. DOM-free for unit tests.
 */
import { z } from 'zod';
import {
  NETWORK_SPEC_VERSION,
  NETWORK_VIEW_MAX_EDGES,
  NetworkViewMotifOverlaySchema,
  NetworkViewSchema,
  type NetworkViewSpec
} from '../figures/network-spec';
import type { JsonObject } from '../figures/spec';
import { checkVersion, formatIssues, PayloadError, payloadErrorText, payloadObject } from './payload-common';

/** Size limits of a network-view payload. */
export interface NetworkLimits {
  /** Most edges. Default `NETWORK_VIEW_MAX_EDGES` (2 000 000). */
  maxEdges: number;
  /** Most nodes. Default 1 000 000. */
  maxNodes: number;
  /** Most neuron layers. Default 1000. */
  maxLayers: number;
  /** Most overlays. Default 64. */
  maxOverlays: number;
  /** Most instances in all overlays together. Default 100 000. */
  maxInstances: number;
  /** Most edges in one instance (a chain pair may hold many paths). Default 10 000. */
  maxInstanceEdges: number;
}

/** The limits the renderer applies. */
export const NETWORK_LIMITS: Readonly<NetworkLimits> = Object.freeze({
  maxEdges: NETWORK_VIEW_MAX_EDGES,
  maxNodes: 1_000_000,
  maxLayers: 1000,
  maxOverlays: 64,
  maxInstances: 100_000,
  maxInstanceEdges: 10_000
});

/** Outcome of {@link validateNetworkPayload}: the checked spec, or a message saying what is wrong. */
export type NetworkPayloadResult = { ok: true; spec: NetworkViewSpec } | { ok: false; error: string };

const column = z.array(z.unknown());

/**
 * The payload schema of `figures/network-spec.ts`, with the big columns only checked to be arrays here
 * (their contents by the loops below, which stop at the first bad entry) and the version read as any integer
 * (so a newer version gets its own message).
 */
const NetworkPayloadShape = NetworkViewSchema.extend({
  version: z.number().int(),
  nodes: z.object({ layer: column, index: column, strength: column, degree: column }),
  edges: z.object({ source: column, target: column, weight: column }),
  biases: z.array(z.union([column, z.null()])).optional(),
  overlays: z.array(NetworkViewMotifOverlaySchema.extend({ instances: z.array(column) })).optional(),
  meta: NetworkViewSchema.shape.meta.extend({ provenance: z.record(z.string(), z.unknown()).optional() })
});

/** The lengths of the big arrays, checked before zod or any loop walks them. */
function checkLengths(value: Record<string, unknown>, limits: Readonly<NetworkLimits>): void {
  const lengthOf = (group: string, key: string): number | undefined => {
    const g = value[group];
    if (g === null || typeof g !== 'object') return undefined;
    const a = (g as Record<string, unknown>)[key];
    return Array.isArray(a) ? a.length : undefined;
  };
  for (const key of ['source', 'target', 'weight']) {
    const n = lengthOf('edges', key);
    if (n !== undefined && n > limits.maxEdges)
      throw new PayloadError(`edges.${key} has ${n} entries; a view holds at most ${limits.maxEdges} edges`);
  }
  for (const key of ['layer', 'index', 'strength', 'degree']) {
    const n = lengthOf('nodes', key);
    if (n !== undefined && n > limits.maxNodes)
      throw new PayloadError(`nodes.${key} has ${n} entries; a view holds at most ${limits.maxNodes} nodes`);
  }
  const arrays: [string, number][] = [
    ['layers', limits.maxLayers],
    ['overlays', limits.maxOverlays]
  ];
  for (const [key, max] of arrays) {
    const a = value[key];
    if (Array.isArray(a) && a.length > max)
      throw new PayloadError(`${key} has ${a.length} entries (at most ${max})`);
  }
}

/** Copies a column of numbers, checking each: finite, and an integer in `[min, max)` when `max` is given. */
function numbers(values: readonly unknown[], path: string, range?: { min: number; max: number }): number[] {
  const out = new Array<number>(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new PayloadError(`${path}[${k}] is not a finite number`);
    if (range !== undefined && (!Number.isInteger(v) || v < range.min || v >= range.max)) {
      throw new PayloadError(`${path}[${k}] = ${v} is not an integer in [${range.min}, ${range.max})`);
    }
    out[k] = v;
  }
  return out;
}

function sameLength(group: string, columns: Record<string, readonly unknown[]>): number {
  const entries = Object.entries(columns);
  const n = entries[0][1].length;
  for (const [key, values] of entries) {
    if (values.length !== n)
      throw new PayloadError(
        `${group}.${key} has ${values.length} entries but ${group}.${entries[0][0]} has ${n}`
      );
  }
  return n;
}

/** `biases[l]`: null, or one finite number per neuron of neuron layer `l + 1`. */
function checkBiases(
  biases: readonly (readonly unknown[] | null)[],
  layers: readonly { size: number }[]
): (number[] | null)[] {
  if (biases.length !== Math.max(0, layers.length - 1)) {
    throw new PayloadError(
      `biases has ${biases.length} entries, expected ${layers.length - 1} (one per weight layer)`
    );
  }
  return biases.map((b, l) => {
    if (b === null) return null;
    if (b.length !== layers[l + 1].size) {
      throw new PayloadError(`biases[${l}] has ${b.length} values, expected ${layers[l + 1].size}`);
    }
    return numbers(b, `biases[${l}]`);
  });
}

/**
 * Checks a network-view payload and returns a copy ready to draw, or a message for the user. Never throws.
 * A JSON string is parsed first (some frontends hand the bundle over as text).
 *
 * @param payload - the value of `application/vnd.nnmotifs.network+json` in an output bundle.
 * @param limits - size limits; default {@link NETWORK_LIMITS}.
 * @returns `{ ok: true, spec }` or `{ ok: false, error }`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const result = validateNetworkPayload(nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }))));
 * if (!result.ok) node.textContent = result.error;
 * ```
 */
export function validateNetworkPayload(
  payload: unknown,
  limits: Readonly<NetworkLimits> = NETWORK_LIMITS
): NetworkPayloadResult {
  try {
    const value = payloadObject(payload, limits.maxEdges * 64);
    checkLengths(value, limits);
    const shape = NetworkPayloadShape.safeParse(value);
    if (!shape.success) return { ok: false, error: formatIssues(shape.error) };
    const { version, layers, nodes, edges, biases, overlays = [], layout, highlight, meta } = shape.data;
    checkVersion('network view', version, NETWORK_SPEC_VERSION);
    const nNodes = sameLength('nodes', nodes);
    const nEdges = sameLength('edges', edges);
    const checked: NetworkViewSpec = {
      version: NETWORK_SPEC_VERSION,
      layers,
      nodes: {
        layer: numbers(nodes.layer, 'nodes.layer', { min: 0, max: layers.length }),
        index: numbers(nodes.index, 'nodes.index', { min: 0, max: 1e9 }),
        strength: numbers(nodes.strength, 'nodes.strength'),
        degree: numbers(nodes.degree, 'nodes.degree', { min: 0, max: 1e9 })
      },
      edges: {
        source: numbers(edges.source, 'edges.source', { min: 0, max: nNodes }),
        target: numbers(edges.target, 'edges.target', { min: 0, max: nNodes }),
        weight: numbers(edges.weight, 'edges.weight')
      },
      ...(biases === undefined ? {} : { biases: checkBiases(biases, layers) }),
      overlays: [],
      layout: layout ?? 'layered',
      // A highlight names one of the overlays, or none is shown.
      ...(highlight !== undefined && overlays.some(o => o.motif === highlight) ? { highlight } : {}),
      meta: { ...meta, provenance: (meta.provenance ?? {}) as JsonObject }
    };
    let instances = 0;
    for (const [o, overlay] of overlays.entries()) {
      instances += overlay.instances.length;
      if (instances > limits.maxInstances)
        throw new PayloadError(`the overlays list more than ${limits.maxInstances} instances`);
      checked.overlays.push({
        ...overlay,
        instances: overlay.instances.map((instance, i) => {
          if (instance.length > limits.maxInstanceEdges)
            throw new PayloadError(
              `overlays[${o}].instances[${i}] has more than ${limits.maxInstanceEdges} edges`
            );
          return numbers(instance, `overlays[${o}].instances[${i}]`, { min: 0, max: nEdges });
        })
      });
    }
    return { ok: true, spec: checked };
  } catch (error) {
    return { ok: false, error: payloadErrorText(error) };
  }
}
