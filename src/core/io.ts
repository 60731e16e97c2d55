/**
 * The nnmotifs network file: JSON that any language can write.
 *
 * ```json
 * {"format": "nnmotifs.network", "version": 1,
 *  "layers": [{"weights": [[0.5, -1], [2, 0]], "bias": [0.1, 0], "mask": [[1, 1], [1, 0]], "activation": "relu"}],
 *  "meta": {"name": "example"}}
 * ```
 * `weights` is `[n_in][n_out]` (Keras kernel layout), `bias` has `n_out` values, `mask` is 0/1 of the weights'
 * shape. Reading reports every problem as a {@link NetworkError} naming the file, the layer and the problem.
 */
import { z } from 'zod';
import type { LayeredNetwork } from './network';
import { MAX_LAYERS, NetworkError, createNetwork, validateNetwork } from './validate';

/** Deepest nesting accepted in a network file's `meta` (it is written back as JSON, which recurses). */
export const MAX_META_DEPTH = 64;

/** The `format` tag of a network file. */
export const NETWORK_FORMAT = 'nnmotifs.network';
/** The file version this code reads and writes. */
export const NETWORK_FILE_VERSION = 1;

const matrixSchema = z.array(z.array(z.number()));
const layerSchema = z.object({
  weights: matrixSchema,
  bias: z.array(z.number()).optional(),
  mask: matrixSchema.optional(),
  activation: z.string().optional()
});
const fileSchema = z.object({
  format: z.literal(NETWORK_FORMAT),
  version: z.literal(NETWORK_FILE_VERSION),
  layers: z.array(layerSchema),
  meta: z.record(z.string(), z.unknown()).optional()
});

/** One layer of a network file. */
export type NetworkFileLayerJson = z.infer<typeof layerSchema>;
/** The whole network file as a JSON value. */
export type NetworkFileJson = z.infer<typeof fileSchema>;

/**
 * Reads a network file.
 *
 * @param text - the file's contents.
 * @param source - the file name, used in error messages.
 * @throws {@link NetworkError} for malformed JSON (with line, column and position), a missing or wrong
 *   `format` tag, an unsupported `version`, values of the wrong type (with the layer, row and column), and
 *   everything {@link createNetwork} rejects (ragged rows, mismatched layer shapes, mask values other than 0/1).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.parseNetworkJson(
 *   '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1, -2]], "bias": [0, 0.5]}]}',
 *   'tiny.json'
 * );
 * net.layers[0].nOut; // 2
 * ```
 */
export function parseNetworkJson(text: string, source?: string): LayeredNetwork {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new NetworkError(malformedJson(text, err), { source });
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new NetworkError(
      `expected a JSON object with "format": "${NETWORK_FORMAT}" at the top level, found ${describe(data)}`,
      { source }
    );
  }
  const top = data as Record<string, unknown>;
  if (!('format' in top)) {
    throw new NetworkError(
      `missing "format": expected "${NETWORK_FORMAT}" (is this an nnmotifs network file?)`,
      { source }
    );
  }
  if (top.format !== NETWORK_FORMAT) {
    throw new NetworkError(`"format" is ${describe(top.format)}, expected "${NETWORK_FORMAT}"`, { source });
  }
  if (!('version' in top)) {
    throw new NetworkError(`missing "version": expected ${NETWORK_FILE_VERSION}`, { source });
  }
  if (top.version !== NETWORK_FILE_VERSION) {
    throw new NetworkError(
      `unsupported version ${describe(top.version)}: this version of nnmotifs reads version ${NETWORK_FILE_VERSION}`,
      { source }
    );
  }
  if (Array.isArray(top.layers) && top.layers.length > MAX_LAYERS) {
    throw new NetworkError(`the file has ${top.layers.length} layers, more than the limit of ${MAX_LAYERS}`, {
      source
    });
  }
  if (nestingDepth(top.meta, MAX_META_DEPTH + 1) > MAX_META_DEPTH) {
    throw new NetworkError(`"meta" is nested more than ${MAX_META_DEPTH} levels deep`, { source });
  }
  const parsed = fileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw issueToError(issue, source);
  }
  const file = parsed.data;
  if (file.layers.length === 0)
    throw new NetworkError('the network has no layers ("layers" is empty)', { source });
  // zod rebuilds records by assignment, which drops an own "__proto__" key (it sets the prototype
  // instead); the validated raw object keeps every key the file has.
  const meta = file.meta === undefined ? undefined : (top.meta as Record<string, unknown>);
  return createNetwork(file.layers, { source, meta });
}

/** Nesting depth of a JSON value (0 for a scalar), counted without recursion and up to `stop`. */
function nestingDepth(value: unknown, stop: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest >= stop) return deepest;
    for (const child of Object.values(v))
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return deepest;
}

/** Turns a JSON.parse failure into "malformed JSON at line L, column C (position P): ...". */
function malformedJson(text: string, err: unknown): string {
  const detail = err instanceof Error ? err.message : String(err);
  const match = /at position (\d+)/.exec(detail);
  const position = match !== null ? Number(match[1]) : /end of JSON/i.test(detail) ? text.length : undefined;
  if (position === undefined) return `malformed JSON: ${detail}`;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - (before.lastIndexOf('\n') + 1) + 1;
  return `malformed JSON at line ${line}, column ${column} (position ${position}): ${detail}`;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return JSON.stringify(v.length > 30 ? `${v.slice(0, 30)}…` : v);
  return String(v);
}

const ARTICLE: Record<string, string> = {
  number: 'a number',
  string: 'a string',
  array: 'an array',
  object: 'an object',
  record: 'an object'
};

function issueToError(issue: z.core.$ZodIssue, source: string | undefined): NetworkError {
  const path = issue.path;
  const where = path[0] === 'layers' && typeof path[1] === 'number' ? path[1] : undefined;
  const rest = where === undefined ? path : path.slice(2);
  const place = describePath(rest);
  let problem: string;
  if (issue.code === 'invalid_type') {
    const expected = ARTICLE[issue.expected] ?? issue.expected;
    if (issue.input === undefined) {
      problem = `${place} is missing (expected ${expected})`;
    } else if (issue.expected === 'number' && typeof issue.input === 'number') {
      problem = `${place} is ${issue.input}, which is not a finite number`;
    } else {
      problem = `${place} should be ${expected} but is ${describe(issue.input)}`;
    }
  } else {
    problem = `${place}: ${issue.message}`;
  }
  return new NetworkError(problem, { source, layer: where });
}

function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the layer';
  const [head, ...tail] = path.map(p => (typeof p === 'symbol' ? p.toString() : p));
  if (head === 'weights' || head === 'mask') {
    if (tail.length === 0) return `"${head}"`;
    if (tail.length === 1) return `${head} row ${tail[0]}`;
    return `${head} row ${tail[0]}, column ${tail[1]}`;
  }
  if (head === 'bias' && tail.length > 0) return `bias entry ${tail[0]}`;
  return [`"${head}"`, ...tail.map(t => `[${t}]`)].join('');
}

/**
 * The network as a network-file JSON value (plain arrays, nested `[n_in][n_out]`).
 *
 * JSON text cannot tell `-0` from `0`; {@link serializeNetwork} writes `-0` so the round trip stays exact.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const json = nm.networkToJson(nm.createNetwork([{ weights: [[1, 2]] }]));
 * json.layers[0].weights; // [[1, 2]]
 * ```
 */
export function networkToJson(net: LayeredNetwork): NetworkFileJson {
  validateNetwork(net);
  const file: NetworkFileJson = {
    format: NETWORK_FORMAT,
    version: NETWORK_FILE_VERSION,
    layers: net.layers.map(layer => {
      const out: NetworkFileLayerJson = { weights: toRows(layer.weights, layer.nIn, layer.nOut) };
      if (layer.bias !== undefined) out.bias = Array.from(layer.bias);
      if (layer.mask !== undefined) out.mask = toRows(layer.mask, layer.nIn, layer.nOut);
      if (layer.activation !== undefined) out.activation = layer.activation;
      return out;
    })
  };
  if (net.meta !== undefined) file.meta = { ...net.meta };
  return file;
}

function toRows(flat: ArrayLike<number>, nIn: number, nOut: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < nIn; i++) rows.push(Array.from({ length: nOut }, (_, j) => flat[i * nOut + j]));
  return rows;
}

/**
 * The network as network-file text: one weight row per line, every double written so that it reads back
 * bit for bit (shortest round-trip form, `-0` kept).
 *
 * @throws {@link NetworkError} if the network is invalid (e.g. NaN weights) or `meta` is not JSON-serialisable.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * const text = nm.serializeNetwork(net);
 * nm.parseNetworkJson(text); // equal to net
 * ```
 */
export function serializeNetwork(net: LayeredNetwork): string {
  const file = networkToJson(net);
  const parts: string[] = [];
  parts.push(`{\n  "format": ${JSON.stringify(file.format)},\n  "version": ${file.version},\n  "layers": [`);
  file.layers.forEach((layer, l) => {
    const fields = [`      "weights": ${matrixText(layer.weights)}`];
    if (layer.bias !== undefined) fields.push(`      "bias": ${rowText(layer.bias)}`);
    if (layer.mask !== undefined) fields.push(`      "mask": ${matrixText(layer.mask)}`);
    if (layer.activation !== undefined)
      fields.push(`      "activation": ${JSON.stringify(layer.activation)}`);
    parts.push(`    {\n${fields.join(',\n')}\n    }${l < file.layers.length - 1 ? ',' : ''}`);
  });
  let tail = '\n  ]';
  if (file.meta !== undefined) {
    let meta: string | undefined;
    try {
      meta = JSON.stringify(file.meta, null, 2);
    } catch (err) {
      throw new NetworkError(
        `meta cannot be written as JSON: ${err instanceof Error ? err.message : String(err)}`
      );
    }
    tail += `,\n  "meta": ${meta.replace(/\n/g, '\n  ')}`;
  }
  return `${parts.join('\n')}${tail}\n}\n`;
}

function numberText(x: number): string {
  return Object.is(x, -0) ? '-0' : JSON.stringify(x);
}

function rowText(row: readonly number[]): string {
  return `[${row.map(numberText).join(', ')}]`;
}

function matrixText(rows: readonly number[][]): string {
  return `[\n${rows.map(r => `        ${rowText(r)}`).join(',\n')}\n      ]`;
}
