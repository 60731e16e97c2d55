/**
 * TensorFlow.js / Keras layers models (`model.json` + binary weight shards) as a {@link LayeredNetwork},
 * read without TensorFlow.js.
 *
 * `model.json` holds the topology (`modelTopology`: a Sequential model or a functional model that is a
 * simple chain; Keras-converted files nest it in `model_config`) and a `weightsManifest`: groups of shard
 * `paths` whose concatenated bytes hold the group's `weights` (`name`, `shape`, `dtype`, optional
 * `quantization`) one after the other. Dense kernels are `nIn × nOut` already, the network's layout.
 */
import type { LayeredNetwork } from '../network';
import { LayerInput, NetworkError, createNetwork } from '../validate';
import { TensorDtype, decodeLittleEndian, elementCount, shapeText } from './tensor';

/**
 * Layer classes that carry no weights and keep a 2-D activation's shape, so they may sit between Dense
 * layers of an MLP (they do nothing at inference).
 */
export const MLP_PASS_THROUGH_LAYERS: ReadonlySet<string> = new Set([
  'InputLayer',
  'Dropout',
  'Flatten',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout'
]);

/** Options of {@link tfjsModelToNetwork}. */
export interface TfjsModelOptions {
  /** The `model.json` file name, used in error messages and stored as `meta.source`. */
  source?: string;
}

/** Weight shards by the path `model.json` gives them (as written in `weightsManifest[].paths`). */
export type WeightShards = ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>;

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; min?: number; scale?: number };
}

interface LayerConfig {
  className: string;
  name: string;
  config: Record<string, unknown>;
  inbound: string[][];
}

/**
 * The weight shard paths a `model.json` refers to, in manifest order, as written in the file (relative to
 * the directory of `model.json`).
 *
 * @param modelJson - the text (or parsed value) of `model.json`.
 * @param source - the file name, used in error messages.
 * @throws {@link NetworkError} if the text is not a TF.js layers model.
 * @example
 * ```ts
 * tfjsWeightPaths('{"modelTopology": {}, "weightsManifest": [{"paths": ["w.bin"], "weights": []}]}'); // ['w.bin']
 * ```
 */
export function tfjsWeightPaths(modelJson: string | object, source?: string): string[] {
  return readManifest(readModelJson(modelJson, source), source).flatMap(group => group.paths);
}

/**
 * Reads the Dense layers of a TF.js / Keras layers model into a network.
 *
 * Weights may be float32, int32 or quantized (`uint8`/`uint16` with `min` and `scale`, or `float16`), as
 * `tensorflowjs_converter --quantize_*` writes them.
 *
 * @param modelJson - the text (or parsed value) of `model.json`.
 * @param shards - the bytes of every path {@link tfjsWeightPaths} lists.
 * @param options - `source` (the `model.json` file name) for messages and `meta`.
 * @throws {@link NetworkError} naming the file and the problem: a graph model (not a layers model), layers
 *   that are not part of an MLP (convolutions, recurrent, merge layers, branches), a missing shard, shard
 *   bytes that do not match the manifest, a missing or misshapen kernel or bias.
 * @example
 * ```ts
 * // example: compile-only, reads a model saved by TF.js or converted from Keras
 * const fs = await import('node:fs');
 * const text = fs.readFileSync('model/model.json', 'utf8');
 * const shards = new Map(tfjsWeightPaths(text).map(p => [p, fs.readFileSync(`model/${p}`)]));
 * const net = tfjsModelToNetwork(text, shards, { source: 'model/model.json' });
 * ```
 */
export function tfjsModelToNetwork(
  modelJson: string | object,
  shards: WeightShards,
  options: TfjsModelOptions = {}
): LayeredNetwork {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const model = readModelJson(modelJson, source);
  const weights = weightReader(readManifest(model, source), shards, fail);
  const { name: modelName, layers } = chain(model.modelTopology, fail);

  const inputs: LayerInput[] = [];
  const denseNames: string[] = [];
  const lastActivation = (): string => String(inputs[inputs.length - 1]?.activation ?? 'linear');
  for (const layer of layers) {
    const what = `layer "${layer.name}" (${layer.className})`;
    if (MLP_PASS_THROUGH_LAYERS.has(layer.className)) continue;
    const standalone = activationOf(layer, fail);
    if (standalone !== undefined) {
      if (inputs.length === 0) fail(`${what} comes before any Dense layer`);
      if (lastActivation() !== 'linear') {
        fail(
          `${what} follows layer "${denseNames[denseNames.length - 1]}", which already applies ${lastActivation()}`
        );
      }
      inputs[inputs.length - 1].activation = standalone;
      continue;
    }
    if (layer.className !== 'Dense') {
      fail(
        `${what} is not part of an MLP; only Dense layers (with ` +
          `${[...MLP_PASS_THROUGH_LAYERS, 'Activation', 'ReLU', 'Softmax'].join('/')} between them) can be read`
      );
    }
    const kernel = weights(layer.name, 'kernel', true) as { spec: WeightSpec; data: Float64Array };
    if (kernel.spec.shape.length !== 2) {
      fail(
        `${what}: kernel ${kernel.spec.name} has shape ${shapeText(kernel.spec.shape)}, expected 2-D (nIn × nOut)`
      );
    }
    const [nIn, nOut] = kernel.spec.shape;
    const units = layer.config.units;
    if (typeof units === 'number' && units !== nOut) {
      fail(
        `${what} has ${units} units but its kernel ${kernel.spec.name} has shape ${shapeText(kernel.spec.shape)}`
      );
    }
    const previous = inputs[inputs.length - 1];
    if (previous !== undefined) {
      const prevOut = (previous.weights as { nOut: number }).nOut;
      if (prevOut !== nIn) {
        fail(
          `${what} takes ${nIn} inputs (kernel ${shapeText(kernel.spec.shape)}) but the Dense layer before it, ` +
            `"${denseNames[denseNames.length - 1]}", has ${prevOut} outputs`
        );
      }
    }
    const useBias = layer.config.use_bias !== false;
    const bias = useBias ? weights(layer.name, 'bias', true) : undefined;
    if (bias !== undefined && (bias.spec.shape.length !== 1 || bias.spec.shape[0] !== nOut)) {
      fail(`${what}: bias ${bias.spec.name} has shape ${shapeText(bias.spec.shape)}, expected [${nOut}]`);
    }
    const activation = layer.config.activation ?? 'linear';
    if (typeof activation !== 'string')
      fail(`${what}: activation is not a name (custom activations are not supported)`);
    inputs.push({
      weights: { nIn, nOut, data: kernel.data },
      ...(bias !== undefined ? { bias: bias.data } : {}),
      activation: activation as string
    });
    denseNames.push(layer.name);
  }
  if (inputs.length === 0) fail(`the model${modelName ? ` "${modelName}"` : ''} has no Dense layer`);
  return createNetwork(inputs, {
    source,
    meta: {
      format: 'tfjs-layers-model',
      ...(source !== undefined ? { source } : {}),
      ...(modelName !== undefined ? { modelName } : {}),
      layerNames: denseNames
    }
  });
}

interface ModelJson {
  modelTopology: Record<string, unknown>;
  weightsManifest: unknown;
}

function readModelJson(modelJson: string | object, source?: string): ModelJson {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  let value: unknown = modelJson;
  if (typeof modelJson === 'string') {
    try {
      value = JSON.parse(modelJson);
    } catch (err) {
      return fail(`model.json is not valid JSON (${err instanceof Error ? err.message : String(err)})`);
    }
  }
  if (!isRecord(value)) return fail('not a TF.js model.json: expected a JSON object');
  if (value.format === 'graph-model') {
    fail(
      'a TF.js graph model (converted SavedModel) has no layer topology; convert a Keras model (layers-model)'
    );
  }
  if (!isRecord(value.modelTopology)) fail('not a TF.js layers model: "modelTopology" is missing');
  if (!Array.isArray(value.weightsManifest)) fail('not a TF.js layers model: "weightsManifest" is missing');
  return value as unknown as ModelJson;
}

interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

function readManifest(model: ModelJson, source?: string): ManifestGroup[] {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  return (model.weightsManifest as unknown[]).map((group, g) => {
    if (!isRecord(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) {
      return fail(`weightsManifest group ${g} needs "paths" and "weights" lists`);
    }
    if (!group.paths.every(p => typeof p === 'string'))
      fail(`weightsManifest group ${g}: a path is not a string`);
    const weights = group.weights.map((spec, k): WeightSpec => {
      if (!isRecord(spec) || typeof spec.name !== 'string' || typeof spec.dtype !== 'string') {
        return fail(`weightsManifest group ${g}, weight ${k}: needs a "name", "shape" and "dtype"`);
      }
      elementCount(spec.shape, `weight "${spec.name}"`, source);
      const q = spec.quantization;
      if (q !== undefined && (!isRecord(q) || typeof q.dtype !== 'string')) {
        fail(`weight "${spec.name}": "quantization" needs a "dtype"`);
      }
      return spec as unknown as WeightSpec;
    });
    return { paths: group.paths as string[], weights };
  });
}

/** Storage of one weight: element type in the shard and how to turn it into values. */
function storage(
  spec: WeightSpec,
  fail: (problem: string) => never
): { dtype: TensorDtype | 'string'; dequantize?: (v: number) => number } {
  const q = spec.quantization;
  if (q !== undefined) {
    if (q.dtype === 'float16') return { dtype: 'float16' };
    if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const { min, scale } = q;
      if (typeof min !== 'number' || typeof scale !== 'number') {
        fail(`weight "${spec.name}": ${q.dtype} quantization needs numbers "min" and "scale"`);
      }
      return { dtype: q.dtype, dequantize: v => v * (scale as number) + (min as number) };
    }
    return fail(`weight "${spec.name}": unsupported quantization dtype ${q.dtype}`);
  }
  switch (spec.dtype) {
    case 'float32':
    case 'int32':
    case 'bool':
      return { dtype: spec.dtype };
    case 'string':
      return { dtype: 'string' };
    default:
      return fail(`weight "${spec.name}": unsupported dtype ${spec.dtype}`);
  }
}

const STORED_BYTES: Partial<Record<TensorDtype, number>> = {
  float16: 2,
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  uint16: 2
};

/**
 * Locates every weight in the concatenated shards of its group (checking that the bytes add up) and returns
 * a lookup `(layer, 'kernel' | 'bias') → decoded values`.
 */
function weightReader(
  groups: readonly ManifestGroup[],
  shards: WeightShards,
  fail: (problem: string) => never
): (layer: string, param: string, required: boolean) => { spec: WeightSpec; data: Float64Array } | undefined {
  const located: {
    spec: WeightSpec;
    bytes: Uint8Array;
    offset: number;
    dtype: TensorDtype;
    count: number;
    dequantize?: (v: number) => number;
  }[] = [];
  const shard = (path: string): Uint8Array => {
    const bytes =
      shards instanceof Map ? shards.get(path) : (shards as Readonly<Record<string, Uint8Array>>)[path];
    if (bytes === undefined) return fail(`weight shard "${path}" is missing`);
    return bytes;
  };
  groups.forEach(group => {
    const parts = group.paths.map(shard);
    const total = parts.reduce((s, p) => s + p.length, 0);
    const bytes = parts.length === 1 ? parts[0] : concat(parts, total);
    let offset = 0;
    for (const spec of group.weights) {
      const count = elementCount(spec.shape, `weight "${spec.name}"`);
      const { dtype, dequantize } = storage(spec, fail);
      if (dtype === 'string') {
        // Strings are stored as a uint32 byte length followed by the bytes, one per element.
        for (let k = 0; k < count; k++) {
          if (offset + 4 > total) break;
          offset += 4 + new DataView(bytes.buffer, bytes.byteOffset + offset, 4).getUint32(0, true);
        }
        continue;
      }
      const size = count * (STORED_BYTES[dtype] as number);
      if (offset + size > total) {
        fail(
          `weight shards ${group.paths.join(', ')} hold ${total} bytes, but the manifest needs more: weight ` +
            `"${spec.name}" ${shapeText(spec.shape)} ends at byte ${offset + size} (truncated or mismatched shards)`
        );
      }
      located.push({
        spec,
        bytes,
        offset,
        dtype,
        count,
        ...(dequantize !== undefined ? { dequantize } : {})
      });
      offset += size;
    }
    if (offset !== total) {
      fail(
        `weight shards ${group.paths.join(', ')} hold ${total} bytes, but the manifest describes ${offset} ` +
          '(mismatched shards)'
      );
    }
  });
  return (layer, param, required) => {
    const base = (name: string): string => name.replace(/:\d+$/, '');
    const matches = located.filter(w => {
      const name = base(w.spec.name);
      return name === `${layer}/${param}` || name.endsWith(`/${layer}/${param}`);
    });
    if (matches.length > 1) {
      fail(
        `layer "${layer}": several weights could be its ${param}: ${matches.map(m => m.spec.name).join(', ')}`
      );
    }
    const w = matches[0];
    if (w === undefined) {
      if (required) fail(`layer "${layer}": no weight named "${layer}/${param}" in the weightsManifest`);
      return undefined;
    }
    const data = decodeLittleEndian(w.bytes, w.offset, w.dtype, w.count);
    if (w.dequantize !== undefined) for (let k = 0; k < data.length; k++) data[k] = w.dequantize(data[k]);
    return { spec: w.spec, data };
  };
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The activation applied by a stand-alone activation layer, or undefined if the layer is not one. */
function activationOf(layer: LayerConfig, fail: (problem: string) => never): string | undefined {
  const c = layer.config;
  const what = `layer "${layer.name}" (${layer.className})`;
  switch (layer.className) {
    case 'Activation':
      if (typeof c.activation !== 'string') return fail(`${what}: activation is not a name`);
      return c.activation;
    case 'ReLU': {
      const plain =
        (c.max_value === undefined || c.max_value === null) &&
        (c.negative_slope === undefined || c.negative_slope === 0) &&
        (c.threshold === undefined || c.threshold === 0);
      if (!plain) fail(`${what}: only a plain ReLU (no max_value, negative_slope or threshold) can be read`);
      return 'relu';
    }
    case 'Softmax':
      return 'softmax';
    default:
      return undefined;
  }
}

/** The layers of the model from input to output, or an error if the topology is not a simple chain. */
function chain(
  topology: Record<string, unknown>,
  fail: (problem: string) => never
): { name?: string; layers: LayerConfig[] } {
  // Keras-converted files wrap the model in {"model_config": {...}, "keras_version", "training_config"}.
  const model = isRecord(topology.model_config) ? topology.model_config : topology;
  const className = String(model.class_name ?? '');
  const config = model.config;
  // Old Keras wrote a Sequential's config as the bare list of layers.
  const rawLayers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  const name = isRecord(config) && typeof config.name === 'string' ? config.name : undefined;
  if (!Array.isArray(rawLayers))
    return fail(`modelTopology (${className || 'unknown class'}) has no list of layers`);
  const layers = rawLayers.map((raw, k) => layerConfig(raw, k, fail));
  if (className === 'Sequential') return { name, layers };
  if (className !== 'Model' && className !== 'Functional') {
    fail(
      `modelTopology is a ${className || 'model of unknown class'}; expected Sequential or a functional Model`
    );
  }

  // A functional model is read when it is a chain: one input, one output, every layer fed by the one before.
  const byName = new Map(layers.map(l => [l.name, l]));
  const outputs = endpoints(isRecord(config) ? config.output_layers : undefined);
  const inputNames = endpoints(isRecord(config) ? config.input_layers : undefined);
  if (outputs.length !== 1 || inputNames.length !== 1) {
    fail(
      `not an MLP: the model has ${inputNames.length} inputs and ${outputs.length} outputs; expected one of each`
    );
  }
  const order: LayerConfig[] = [];
  let current = byName.get(outputs[0]);
  while (current !== undefined) {
    order.push(current);
    if (order.length > layers.length) fail('the layer graph has a cycle');
    if (current.inbound.length > 1) {
      fail(
        `not an MLP: layer "${current.name}" (${current.className}) is applied ${current.inbound.length} times (shared layer)`
      );
    }
    const feeds = current.inbound[0] ?? [];
    if (feeds.length > 1) {
      fail(
        `not an MLP: layer "${current.name}" (${current.className}) merges ${feeds.length} inputs (${feeds.join(', ')})`
      );
    }
    if (feeds.length === 0) break;
    const next = byName.get(feeds[0]);
    if (next === undefined)
      fail(`layer "${current.name}" is fed by "${feeds[0]}", which is not in the model`);
    current = next;
  }
  if (current === undefined) return fail(`the output layer "${outputs[0]}" is not in the model`);
  if (current.name !== inputNames[0]) {
    fail(`the chain from the output ends at "${current.name}", not at the input "${inputNames[0]}"`);
  }
  if (order.length !== layers.length) {
    const onChain = new Set(order.map(l => l.name));
    const off = layers.filter(l => !onChain.has(l.name)).map(l => `"${l.name}"`);
    fail(`not an MLP: layer(s) ${off.join(', ')} branch off the chain from input to output`);
  }
  return { name, layers: order.reverse() };
}

function layerConfig(raw: unknown, k: number, fail: (problem: string) => never): LayerConfig {
  if (!isRecord(raw) || typeof raw.class_name !== 'string')
    return fail(`modelTopology layer ${k} has no class_name`);
  const config = isRecord(raw.config) ? raw.config : {};
  const name =
    typeof raw.name === 'string' ? raw.name : typeof config.name === 'string' ? config.name : `#${k}`;
  return { className: raw.class_name, name, config, inbound: inboundNodes(raw.inbound_nodes) };
}

/**
 * The layer names feeding each call ("node") of a layer. Two encodings exist: Keras 2 / TF.js
 * `[[["dense", 0, 0, {}], ...], ...]` and Keras 3 `[{"args": [{"config": {"keras_history": ["dense", 0, 0]}}]}]`.
 */
function inboundNodes(raw: unknown): string[][] {
  if (!Array.isArray(raw)) return [];
  return raw.map(node => {
    if (Array.isArray(node)) {
      return node.filter(t => Array.isArray(t) && typeof t[0] === 'string').map(t => (t as string[])[0]);
    }
    const names: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(collect);
      else if (isRecord(v)) {
        const history = isRecord(v.config) ? v.config.keras_history : undefined;
        if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
        else Object.values(v).forEach(collect);
      }
    };
    collect(isRecord(node) ? node.args : undefined);
    return names;
  });
}

/** Layer names of `input_layers` / `output_layers`: `[["in", 0, 0]]`, or Keras 3's single `["in", 0, 0]`. */
function endpoints(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  if (typeof raw[0] === 'string') return [raw[0]];
  return raw.filter(e => Array.isArray(e) && typeof e[0] === 'string').map(e => (e as string[])[0]);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
