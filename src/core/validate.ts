/**
 * Building and checking `LayeredNetwork`s.
 *
 * Every problem is reported as a {@link NetworkError} whose message names the file (when known), the layer
 * (0-based) and what is wrong in plain words, so a bad network file or a wrong array shape is fixed at once.
 */
import type { Layer, LayeredNetwork } from './network';

/** Most weights one layer may have (2^28 = 268,435,456: 2 GiB of doubles). */
export const MAX_LAYER_WEIGHTS = 2 ** 28;
/** Most weights a whole network may have (2^30 = 1,073,741,824: 8 GiB of doubles). */
export const MAX_TOTAL_WEIGHTS = 2 ** 30;
/** Most weight layers a network may have (an MLP deeper than this is not an MLP any more). */
export const MAX_LAYERS = 4096;

/** Where a {@link NetworkError} happened. */
export interface NetworkErrorLocation {
  /** The file or other origin of the network, e.g. `runs/net-3.json`. */
  source?: string;
  /** 0-based index of the weight layer. */
  layer?: number;
}

/**
 * A network that cannot be used, with where and why.
 *
 * The message reads `<source>, layer <l>: <problem>` (source and layer when known), e.g.
 * `net.json, layer 2: weights row 3 has 4 entries but row 0 has 5 (ragged rows)`.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const err = new nm.NetworkError('bias has 3 values, expected 4', { source: 'net.json', layer: 1 });
 * err.message; // 'net.json, layer 1: bias has 3 values, expected 4'
 * ```
 */
export class NetworkError extends Error {
  /** The file or other origin of the network, if known. */
  readonly source?: string;
  /** 0-based weight layer the problem is in, if it is in one layer. */
  readonly layer?: number;
  /** What is wrong, without the location. */
  readonly problem: string;

  constructor(problem: string, where: NetworkErrorLocation = {}) {
    const prefix = [where.source, where.layer === undefined ? undefined : `layer ${where.layer}`]
      .filter(part => part !== undefined)
      .join(', ');
    super(prefix === '' ? problem : `${prefix}: ${problem}`);
    this.name = 'NetworkError';
    this.problem = problem;
    if (where.source !== undefined) this.source = where.source;
    if (where.layer !== undefined) this.layer = where.layer;
  }
}

/** A weight matrix given as a flat row-major array with its shape. */
export interface FlatMatrix {
  nIn: number;
  nOut: number;
  /** Row-major `nIn × nOut`. */
  data: ArrayLike<number>;
}

/** One layer as plain arrays, for {@link createNetwork}. */
export interface LayerInput {
  /** `[n_in][n_out]` nested arrays (Keras kernel layout), or a flat row-major matrix with its shape. */
  weights: number[][] | FlatMatrix;
  /** One value per target neuron. */
  bias?: ArrayLike<number>;
  /** 0/1 of the same shape as the weights: nested `[n_in][n_out]` or flat row-major. */
  mask?: number[][] | ArrayLike<number>;
  /** Activation applied after the layer, e.g. `relu`. */
  activation?: string;
}

/** Options of {@link createNetwork}. */
export interface CreateNetworkOptions {
  /** Free-form provenance stored on the network (shallow-copied). */
  meta?: Record<string, unknown>;
  /** Name of the origin (file name) used in error messages. */
  source?: string;
}

type MutableLayer = { -readonly [K in keyof Layer]: Layer[K] };

/**
 * Builds a validated `LayeredNetwork` from plain arrays, copying everything into typed arrays.
 *
 * Checks everything {@link validateNetwork} checks, plus the shapes and types of the inputs (ragged rows,
 * non-numbers, mask values other than 0 and 1).
 *
 * @param layers - the weight layers, first to last.
 * @param options - `meta` to attach, `source` to name in errors.
 * @throws {@link NetworkError} naming the layer and the problem.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([
 *   { weights: [[0.5, -1], [2, 0]], bias: [0.1, 0] },
 *   { weights: { nIn: 2, nOut: 1, data: [1, -1] }, activation: 'linear' }
 * ]);
 * net.layers[0].weights; // Float64Array [0.5, -1, 2, 0]
 * ```
 */
export function createNetwork(
  layers: readonly LayerInput[],
  options: CreateNetworkOptions = {}
): LayeredNetwork {
  const { source } = options;
  if (!Array.isArray(layers)) {
    throw new NetworkError('the layers must be given as an array', { source });
  }
  if (layers.length > MAX_LAYERS) {
    throw new NetworkError(`the network has ${layers.length} layers, more than the limit of ${MAX_LAYERS}`, {
      source
    });
  }
  // Sizes first, so an absurd network fails before gigabytes are allocated.
  checkTotalSize(
    layers.reduce((sum, input) => sum + declaredSize(input), 0),
    source
  );
  const built = layers.map((input, l) => buildLayer(input, l, source));
  const net: { layers: Layer[]; meta?: Record<string, unknown> } = { layers: built };
  if (options.meta !== undefined) net.meta = { ...options.meta };
  validateNetwork(net, source);
  return net;
}

/** `nIn·nOut` as the input declares it (0 when it is too malformed to say; buildLayer reports that). */
function declaredSize(input: LayerInput): number {
  const w: unknown = input?.weights;
  if (Array.isArray(w)) return w.length * (Array.isArray(w[0]) ? w[0].length : 0);
  if (w !== null && typeof w === 'object') {
    const { nIn, nOut } = w as FlatMatrix;
    if (Number.isFinite(nIn) && Number.isFinite(nOut) && nIn > 0 && nOut > 0) return nIn * nOut;
  }
  return 0;
}

function buildLayer(input: LayerInput, l: number, source: string | undefined): Layer {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source, layer: l });
  };
  if (input === null || typeof input !== 'object') fail('is not a layer object');
  if (input.weights === undefined || input.weights === null) fail('has no weights');

  let nIn: number;
  let nOut: number;
  let weights: Float64Array;
  if (Array.isArray(input.weights)) {
    const rows = input.weights;
    nIn = rows.length;
    if (nIn === 0) fail('empty layer: the weights have no rows (0 source neurons)');
    if (!Array.isArray(rows[0])) fail('weights row 0 is not an array');
    nOut = rows[0].length;
    if (nOut === 0) fail('empty layer: weights row 0 has no entries (0 target neurons)');
    checkLayerSize(nIn, nOut, fail);
    weights = new Float64Array(nIn * nOut);
    copyNested(rows, nIn, nOut, 'weights', weights, fail);
  } else if (typeof input.weights === 'object') {
    const m = input.weights;
    nIn = m.nIn;
    nOut = m.nOut;
    checkCount(nIn, 'nIn (source neurons)', fail);
    checkCount(nOut, 'nOut (target neurons)', fail);
    checkLayerSize(nIn, nOut, fail);
    if (m.data === undefined || m.data === null || typeof m.data.length !== 'number') {
      fail('weights data is not an array');
    }
    if (m.data.length !== nIn * nOut) {
      fail(
        `weights data has ${m.data.length} values, expected nIn × nOut = ${nIn} × ${nOut} = ${nIn * nOut}`
      );
    }
    weights = new Float64Array(nIn * nOut);
    copyFlat(m.data, nOut, 'weights', weights, fail);
  } else {
    return fail('weights must be nested arrays [n_in][n_out] or {nIn, nOut, data}');
  }

  const layer: MutableLayer = { nIn, nOut, weights };
  if (input.bias !== undefined && input.bias !== null) {
    const bias = input.bias;
    if (typeof bias.length !== 'number') fail('bias is not an array');
    if (bias.length !== nOut)
      fail(`bias has ${bias.length} values, expected ${nOut} (one per target neuron)`);
    layer.bias = new Float64Array(nOut);
    for (let j = 0; j < nOut; j++) {
      const v = bias[j];
      if (typeof v !== 'number') fail(`bias entry ${j} is ${describe(v)}, not a number`);
      layer.bias[j] = v;
    }
  }
  if (input.mask !== undefined && input.mask !== null) {
    const raw = input.mask;
    const values = new Float64Array(nIn * nOut);
    if (Array.isArray(raw) && raw.length > 0 && Array.isArray(raw[0])) {
      if (raw.length !== nIn) fail(`mask has ${raw.length} rows, expected ${nIn} like the weights`);
      copyNested(raw as number[][], nIn, nOut, 'mask', values, fail);
    } else {
      const flat = raw as ArrayLike<number>;
      if (typeof flat.length !== 'number') fail('mask is not an array');
      if (flat.length !== nIn * nOut) {
        fail(`mask has ${flat.length} values, expected nIn × nOut = ${nIn * nOut} like the weights`);
      }
      copyFlat(flat, nOut, 'mask', values, fail);
    }
    const mask = new Uint8Array(nIn * nOut);
    for (let k = 0; k < values.length; k++) {
      const v = values[k];
      if (v !== 0 && v !== 1) fail(`mask ${at(k, nOut)} is ${v}; a mask holds only 0 and 1`);
      mask[k] = v;
    }
    layer.mask = mask;
  }
  if (input.activation !== undefined && input.activation !== null) {
    if (typeof input.activation !== 'string')
      fail(`activation is ${describe(input.activation)}, not a string`);
    layer.activation = input.activation;
  }
  return layer;
}

function copyNested(
  rows: readonly unknown[],
  nIn: number,
  nOut: number,
  what: string,
  out: Float64Array,
  fail: (problem: string) => never
): void {
  for (let i = 0; i < nIn; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) fail(`${what} row ${i} is ${describe(row)}, not an array`);
    if (row.length !== nOut) {
      fail(
        what === 'weights'
          ? `weights row ${i} has ${row.length} entries but row 0 has ${nOut} (ragged rows)`
          : `${what} row ${i} has ${row.length} entries, expected ${nOut} like the weights`
      );
    }
    for (let j = 0; j < nOut; j++) {
      const v: unknown = row[j];
      if (typeof v !== 'number') fail(`${what} row ${i}, column ${j} is ${describe(v)}, not a number`);
      out[i * nOut + j] = v;
    }
  }
}

function copyFlat(
  data: ArrayLike<unknown>,
  nOut: number,
  what: string,
  out: Float64Array,
  fail: (problem: string) => never
): void {
  for (let k = 0; k < out.length; k++) {
    const v = data[k];
    if (typeof v !== 'number') fail(`${what} ${at(k, nOut)} is ${describe(v)}, not a number`);
    out[k] = v;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  if (typeof v === 'object') return 'an object';
  if (v === undefined) return 'missing';
  return `${typeof v} ${String(v)}`;
}

/** "row i, column j" of a flat row-major index. */
function at(k: number, nOut: number): string {
  return `row ${Math.floor(k / nOut)}, column ${k % nOut}`;
}

function checkCount(n: unknown, what: string, fail: (problem: string) => never): void {
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
    fail(`${what} is ${describe(n)}, expected a whole number of neurons`);
  }
  if (n === 0) fail(`empty layer: ${what} is 0`);
}

function checkTotalSize(total: number, source: string | undefined): void {
  if (total > MAX_TOTAL_WEIGHTS) {
    throw new NetworkError(
      `the network has ${total} weights in total, more than the limit of 2^30 = ${MAX_TOTAL_WEIGHTS}`,
      { source }
    );
  }
}

function checkLayerSize(nIn: number, nOut: number, fail: (problem: string) => never): void {
  const size = nIn * nOut;
  if (size > MAX_LAYER_WEIGHTS) {
    fail(
      `${nIn} × ${nOut} = ${size} weights is more than the limit of 2^28 = ${MAX_LAYER_WEIGHTS} weights per layer`
    );
  }
}

/**
 * Checks that a `LayeredNetwork` is usable, and throws a {@link NetworkError} saying where and why if not.
 *
 * Checked: at least one layer; every layer has ≥ 1 source and ≥ 1 target neuron; consecutive layers fit
 * (layer `l`'s `nOut` equals layer `l+1`'s `nIn`); weights (`nIn·nOut`), bias (`nOut`) and mask (`nIn·nOut`)
 * have the right types and lengths; no NaN or ±Infinity (the message gives the row and column); mask
 * values are 0 or 1; at most 2^28 weights in a layer and 2^30 in the network.
 *
 * @param net - the network to check.
 * @param source - file name or origin to name in the error.
 * @throws {@link NetworkError}
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * nm.validateNetwork(net, 'runs/net-3.json'); // returns quietly, or throws e.g.
 * // NetworkError: runs/net-3.json, layer 1: weight from source neuron 2 to target neuron 0 (row 2, column 0) is NaN
 * ```
 */
export function validateNetwork(net: LayeredNetwork, source?: string): void {
  if (net === null || typeof net !== 'object' || !Array.isArray(net.layers)) {
    throw new NetworkError('not a network: expected an object with a layers array', { source });
  }
  if (net.layers.length === 0) {
    throw new NetworkError('the network has no layers', { source });
  }
  checkTotalSize(
    net.layers.reduce((sum, layer) => sum + declaredLayerSize(layer), 0),
    source
  );
  net.layers.forEach((layer, l) => {
    const fail = (problem: string): never => {
      throw new NetworkError(problem, { source, layer: l });
    };
    if (layer === null || typeof layer !== 'object') fail('is not a layer object');
    const { nIn, nOut, weights, bias, mask } = layer;
    checkCount(nIn, 'nIn (source neurons)', fail);
    checkCount(nOut, 'nOut (target neurons)', fail);
    checkLayerSize(nIn, nOut, fail);
    if (l > 0 && net.layers[l - 1].nOut !== nIn) {
      fail(
        `has ${nIn} source neurons (nIn) but layer ${l - 1} has ${net.layers[l - 1].nOut} target neurons (nOut); ` +
          'consecutive layers must share their neuron layer'
      );
    }
    if (!(weights instanceof Float64Array)) fail('weights must be a Float64Array');
    if (weights.length !== nIn * nOut) {
      fail(`weights has ${weights.length} values, expected nIn × nOut = ${nIn} × ${nOut} = ${nIn * nOut}`);
    }
    for (let k = 0; k < weights.length; k++) {
      const w = weights[k];
      if (!Number.isFinite(w)) {
        const i = Math.floor(k / nOut);
        const j = k % nOut;
        fail(`weight from source neuron ${i} to target neuron ${j} (row ${i}, column ${j}) is ${w}`);
      }
    }
    if (bias !== undefined) {
      if (!(bias instanceof Float64Array)) fail('bias must be a Float64Array');
      if (bias.length !== nOut)
        fail(`bias has ${bias.length} values, expected ${nOut} (one per target neuron)`);
      for (let j = 0; j < nOut; j++) {
        if (!Number.isFinite(bias[j])) fail(`bias of target neuron ${j} is ${bias[j]}`);
      }
    }
    if (mask !== undefined) {
      if (!(mask instanceof Uint8Array)) fail('mask must be a Uint8Array');
      if (mask.length !== nIn * nOut) {
        fail(`mask has ${mask.length} values, expected nIn × nOut = ${nIn * nOut} like the weights`);
      }
      for (let k = 0; k < mask.length; k++) {
        if (mask[k] > 1) fail(`mask ${at(k, nOut)} is ${mask[k]}; a mask holds only 0 and 1`);
      }
    }
    if (layer.activation !== undefined && typeof layer.activation !== 'string') {
      fail(`activation is ${describe(layer.activation)}, not a string`);
    }
  });
}

function declaredLayerSize(layer: Layer): number {
  const nIn: unknown = layer?.nIn;
  const nOut: unknown = layer?.nOut;
  return typeof nIn === 'number' && typeof nOut === 'number' && nIn > 0 && nOut > 0 ? nIn * nOut : 0;
}
