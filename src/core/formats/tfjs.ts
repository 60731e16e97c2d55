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
import { MAX_LAYERS, MAX_TENSORS, MemoryBudget, concatBytes } from './budget';
import { stateDictToNetwork } from './statedict';
import { Tensor, TensorDtype, decodeLittleEndian, elementCount, shapeText } from './tensor';

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
  /** Memory the reader may allocate (decoded weights are charged before they are decoded). */
  budget?: MemoryBudget;
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
 * // example: files test/fixtures/interop/keras_sequential as model
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
  const budget = options.budget ?? new MemoryBudget(undefined, source);
  const weights = weightReader(readManifest(model, source), shards, fail, budget);
  if (model.graph) return graphModelToNetwork(model, weights, options);
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
  /** A graph model (`"format": "graph-model"`, a converted SavedModel): nodes, not layers. */
  graph?: boolean;
}

/** Op names of a fused MatMul's `fused_ops` (base64 in model.json). */
function fusedOps(attr: unknown): string[] {
  const list = isRecord(attr) && isRecord(attr.list) && Array.isArray(attr.list.s) ? attr.list.s : [];
  return list.map(v => {
    if (typeof v !== 'string') return '';
    try {
      return typeof atob === 'function' ? atob(v) : '';
    } catch {
      return '';
    }
  });
}

/**
 * A TF.js graph model whose graph is a dense chain: `MatMul` / `_FusedMatMul` nodes whose weight is a
 * constant, biases from the fused `BiasAdd` or a following `BiasAdd`/`Add`/`AddV2` of a constant. The
 * dense nodes in node order (topological, as the converter writes them) form the layers; their weights,
 * in PyTorch's layout, go through {@link stateDictToNetwork} (shapes must connect).
 */
function graphModelToNetwork(
  model: ModelJson,
  weights: (
    layer: string,
    param: string,
    required: boolean
  ) => { spec: WeightSpec; data: Float64Array } | undefined,
  options: TfjsModelOptions
): LayeredNetwork {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const nodes = Array.isArray(model.modelTopology.node) ? model.modelTopology.node.filter(isRecord) : [];
  if (nodes.length === 0) fail('a TF.js graph model without nodes');
  const clean = (input: unknown): string => String(input).replace(/^\^/, '').replace(/:\d+$/, '');
  const constant = (name: string): { spec: WeightSpec; data: Float64Array } | undefined =>
    weights(name, '', false);
  const consumers = new Map<string, Record<string, unknown>[]>();
  for (const node of nodes) {
    for (const input of Array.isArray(node.input) ? node.input : []) {
      const list = consumers.get(clean(input)) ?? [];
      list.push(node);
      consumers.set(clean(input), list);
    }
  }
  const tensors = new Map<string, Tensor>();
  const modules = new Map<string, string>();
  for (const node of nodes) {
    const op = String(node.op);
    if (op !== 'MatMul' && op !== '_FusedMatMul') continue;
    const name = String(node.name);
    const inputs = (Array.isArray(node.input) ? node.input : []).map(clean);
    const w = constant(inputs[1] ?? '');
    if (w === undefined) continue; // a product of two activations (attention): not a dense layer
    const attr = isRecord(node.attr) ? node.attr : {};
    const flag = (key: string): boolean => isRecord(attr[key]) && (attr[key] as { b?: unknown }).b === true;
    if (flag('transpose_a'))
      fail(`node ${name}: transpose_a is set (a transposed input is not a dense layer)`);
    if (w.spec.shape.length !== 2)
      fail(`node ${name}: weight ${w.spec.name} has shape ${shapeText(w.spec.shape)}, not 2-D`);
    const [rows, cols] = w.spec.shape;
    const transB = flag('transpose_b');
    const nIn = transB ? cols : rows;
    const nOut = transB ? rows : cols;
    const outIn = new Float64Array(nIn * nOut);
    if (transB) outIn.set(w.data);
    else
      for (let i = 0; i < rows; i++)
        for (let o = 0; o < cols; o++) outIn[o * rows + i] = w.data[i * cols + o];
    const prefix = name.replace(/\/(MatMul|Relu|Tanh|Sigmoid|Elu|Relu6|BiasAdd)$/, '');
    tensors.set(`${prefix}.weight`, { dtype: 'float32', shape: [nOut, nIn], data: outIn });
    modules.set(prefix, 'MatMul');
    let bias: { spec: WeightSpec; data: Float64Array } | undefined;
    if (op === '_FusedMatMul' && fusedOps(attr.fused_ops)[0] === 'BiasAdd') bias = constant(inputs[2] ?? '');
    else {
      const add = (consumers.get(name) ?? []).find(c => ['BiasAdd', 'Add', 'AddV2'].includes(String(c.op)));
      const other =
        add !== undefined && Array.isArray(add.input)
          ? add.input.map(clean).find(i => i !== name)
          : undefined;
      if (other !== undefined) bias = constant(other);
    }
    if (bias !== undefined) {
      if (bias.data.length !== nOut)
        fail(
          `node ${name}: bias ${bias.spec.name} has shape ${shapeText(bias.spec.shape)}, expected [${nOut}]`
        );
      tensors.set(`${prefix}.bias`, { dtype: 'float32', shape: [nOut], data: bias.data });
    }
  }
  if (tensors.size === 0)
    fail('the TF.js graph model has no MatMul node with a constant weight (not a dense chain)');
  return stateDictToNetwork(tensors, {
    ...(source !== undefined ? { source } : {}),
    modules,
    format: 'tfjs-graph-model'
  });
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
  if (!isRecord(value.modelTopology)) fail('not a TF.js layers model: "modelTopology" is missing');
  if (!Array.isArray(value.weightsManifest)) fail('not a TF.js layers model: "weightsManifest" is missing');
  const graph =
    value.format === 'graph-model' || Array.isArray((value.modelTopology as { node?: unknown }).node);
  return { ...(value as unknown as ModelJson), graph };
}

interface ManifestGroup {
  paths: string[];
  weights: WeightSpec[];
}

function readManifest(model: ModelJson, source?: string): ManifestGroup[] {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const manifest = model.weightsManifest as unknown[];
  let weightCount = 0;
  for (const group of manifest) {
    if (isRecord(group) && Array.isArray(group.weights)) weightCount += group.weights.length;
  }
  if (manifest.length > MAX_TENSORS || weightCount > MAX_TENSORS) {
    fail(`the weightsManifest lists more than ${MAX_TENSORS} weights`);
  }
  return manifest.map((group, g) => {
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
  fail: (problem: string) => never,
  budget: MemoryBudget
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
      shards instanceof Map
        ? shards.get(path)
        : Object.prototype.hasOwnProperty.call(shards, path)
          ? (shards as Readonly<Record<string, Uint8Array>>)[path]
          : undefined;
    if (bytes === undefined) return fail(`weight shard "${path}" is missing`);
    return bytes;
  };
  groups.forEach(group => {
    const parts = group.paths.map(shard);
    const total = parts.reduce((s, p) => s + p.length, 0);
    if (parts.length > 1) budget.charge(total, `weight shards ${group.paths.join(', ')} (joined)`);
    const bytes = parts.length === 1 ? parts[0] : concatBytes(parts, total);
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
  // Every weight by the last two segments of its name ("dense/kernel" of "model/dense/kernel:0"), so a
  // layer's kernel is found in one lookup however many layers there are; the candidates are then matched
  // in full (a layer name may itself hold "/").
  const base = (name: string): string => name.replace(/:\d+$/, '');
  const lastTwo = (name: string): string => name.split('/').slice(-2).join('/');
  const byTail = new Map<string, (typeof located)[number][]>();
  for (const w of located) {
    const key = lastTwo(base(w.spec.name));
    const list = byTail.get(key);
    if (list === undefined) byTail.set(key, [w]);
    else list.push(w);
  }
  return (layer, param, required) => {
    // param '': the weight named exactly `layer` (graph models name constants by node).
    const candidates = param === '' ? located : (byTail.get(lastTwo(`${layer}/${param}`)) ?? []);
    const matches = candidates.filter(w => {
      if (param === '') return w.spec.name === layer;
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
    budget.charge(w.count * 8, `weight "${w.spec.name}" ${shapeText(w.spec.shape)}`);
    const data = decodeLittleEndian(w.bytes, w.offset, w.dtype, w.count);
    if (w.dequantize !== undefined) for (let k = 0; k < data.length; k++) data[k] = w.dequantize(data[k]);
    return { spec: w.spec, data };
  };
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
  if (rawLayers.length > MAX_LAYERS) {
    fail(`modelTopology has ${rawLayers.length} layers, more than the limit of ${MAX_LAYERS}`);
  }
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
    // Depth-first over the call's arguments with an explicit stack (no recursion over file-controlled
    // depth), in document order.
    const names: string[] = [];
    const stack: unknown[] = [isRecord(node) ? node.args : undefined];
    while (stack.length > 0) {
      const v = stack.pop();
      if (Array.isArray(v)) {
        for (let k = v.length - 1; k >= 0; k--) stack.push(v[k]);
      } else if (isRecord(v)) {
        const history = isRecord(v.config) ? v.config.keras_history : undefined;
        if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
        else {
          const values = Object.values(v);
          for (let k = values.length - 1; k >= 0; k--) stack.push(values[k]);
        }
      }
    }
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
