/**
 * PyTorch `state_dict`s of linear layers (as saved to `.safetensors` or `.npz`) as a {@link LayeredNetwork}.
 *
 * PyTorch's `nn.Linear` stores `weight` as `out × in` (it computes `x Wᵀ + b`); the network model is
 * `nIn × nOut`, so weights are transposed here. Pruned layers (`torch.nn.utils.prune`) carry `weight_orig`
 * and `weight_mask` instead of `weight`; the effective weight is `weight_orig * weight_mask`, and the mask
 * becomes the layer's mask.
 */
import type { LayeredNetwork } from '../network';
import { LayerInput, NetworkError, createNetwork } from '../validate';
import { Tensor, TensorMap, shapeText } from './tensor';

/** Options of {@link stateDictToNetwork}. */
export interface StateDictOptions {
  /** The file name, used in error messages and stored as `meta.source`. */
  source?: string;
  /**
   * The layer prefixes first to last (e.g. `['encoder', 'hidden', 'head']`). Default: every prefix that
   * has a `weight`, in natural order (`net.2` before `net.10`, `fc1` before `fc2`), or in the module's
   * registration order when the file says it (whole-module saves). When given, it must name every linear
   * layer of the file exactly once.
   */
  layerOrder?: readonly string[];
  /**
   * The linear layers that form the network, first to last (e.g. `['blocks.0.mlp.fc1', 'blocks.0.mlp.fc2']`
   * for one transformer MLP block; `*` matches any characters: `['blocks.0.mlp.*']`). Everything else in
   * the file is skipped (and listed in `meta.skipped` with the reason). See {@link listLayers}.
   */
  layers?: readonly string[];
  /**
   * Fold each BatchNorm (eval mode: running statistics) into the linear layer before it:
   * with `g = γ / √(running_var + ε)`, `W' = diag(g) W` and `b' = g (b − running_mean) + β`, which is the
   * same map as the linear layer followed by the BatchNorm. Default `false`: a BatchNorm is an error naming
   * it, unless `layers` leaves it out.
   */
  foldNorm?: boolean;
  /** BatchNorm's ε when folding. Default `1e-5` (PyTorch's default; a state_dict does not store it). */
  normEps?: number;
  /** Module class by prefix (`0` → `Linear`), when the file says (whole-module and TorchScript saves). */
  modules?: ReadonlyMap<string, string>;
  /** `meta.format` of the network. Default `pytorch-state-dict`. */
  format?: string;
  /** Activation to record on every layer but the last (a state_dict does not say). Default: none recorded. */
  activation?: string;
  /** Activation to record on the last layer. Default: none recorded. */
  outputActivation?: string;
}

/** Parameter names of one linear layer, as PyTorch names them. */
const PARAMS = ['weight', 'bias', 'weight_orig', 'weight_mask', 'mask', 'bias_orig', 'bias_mask'] as const;
type Param = (typeof PARAMS)[number];

/** The tensors of one layer prefix, with the full tensor names for messages. */
type Group = Partial<Record<Param, { name: string; tensor: Tensor }>>;

/** One entry of a file's layer listing ({@link listLayers}). */
export interface LayerListing {
  /** The prefix (`encoder.fc1`, `0`). */
  name: string;
  /** What it is: `linear` (can form the network), `batchnorm`, `norm`, `conv`, or `other`. */
  kind: 'linear' | 'batchnorm' | 'norm' | 'conv' | 'other';
  /** The module class when the file says it (`Linear`, `BatchNorm1d`), else `undefined`. */
  moduleClass?: string;
  /** Its tensors with shapes, as `name [shape]`. */
  tensors: string[];
  /** For linear layers: inputs and outputs. */
  nIn?: number;
  nOut?: number;
  /** For what cannot be a layer of the network: why. */
  reason?: string;
}

interface Classified {
  name: string;
  kind: LayerListing['kind'];
  all: { name: string; tensor: Tensor }[];
  group: Group;
  stats: Map<string, { name: string; tensor: Tensor }>;
  moduleClass?: string;
}

/** Groups tensors by prefix (all but the last dotted part) and classifies each group. */
function classify(
  tensors: TensorMap | Readonly<Record<string, Tensor>>,
  modules?: ReadonlyMap<string, string>
): Classified[] {
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  const byPrefix = new Map<string, Classified>();
  for (const [name, tensor] of entries) {
    const dot = name.lastIndexOf('.');
    const param = name.slice(dot + 1);
    const prefix = dot < 0 ? '' : name.slice(0, dot);
    let c = byPrefix.get(prefix);
    if (c === undefined) {
      c = { name: prefix, kind: 'other', all: [], group: {}, stats: new Map() };
      const cls = modules?.get(prefix);
      if (cls !== undefined) c.moduleClass = cls;
      byPrefix.set(prefix, c);
    }
    c.all.push({ name, tensor });
    if ((PARAMS as readonly string[]).includes(param)) c.group[param as Param] = { name, tensor };
    else c.stats.set(param, { name, tensor });
  }
  for (const c of byPrefix.values()) {
    const w = (c.group.weight ?? c.group.weight_orig)?.tensor.shape;
    const onlyParams = c.stats.size === 0;
    const cls = c.moduleClass ?? '';
    if (/BatchNorm/.test(cls) || (c.stats.has('running_mean') && c.stats.has('running_var')))
      c.kind = 'batchnorm';
    else if (/Norm/.test(cls) || (onlyParams && w?.length === 1)) c.kind = 'norm';
    else if (/Conv/.test(cls) || (w !== undefined && w.length >= 3)) c.kind = 'conv';
    else if (onlyParams && w?.length === 2 && (cls === '' || /Linear|Gemm|MatMul|Dense/.test(cls))) {
      c.kind = 'linear';
    }
  }
  return [...byPrefix.values()];
}

function reasonFor(c: Classified): string {
  switch (c.kind) {
    case 'batchnorm':
      return 'BatchNorm: folded into the linear layer before it with foldNorm, else left out';
    case 'norm':
      return `${c.moduleClass ?? 'a normalization layer'} (normalises each sample: not a linear map): left out`;
    case 'conv':
      return 'convolution kernel, not a dense layer';
    case 'linear':
      return '';
    default:
      return `not a linear layer (${c.all.map(t => t.name.slice(c.name === '' ? 0 : c.name.length + 1)).join(', ')})`;
  }
}

/**
 * What a `state_dict` holds, layer by layer: the linear layers that can form a network and everything
 * else with the reason it cannot (normalization, convolution, attention projections' packed weights, ...).
 * `nnmotifs layers FILE` prints this.
 *
 * @param tensors - from any reader ({@link parseSafetensors}, {@link parseTorchCheckpoint}, ...).
 * @param modules - module classes by prefix, when the file says them.
 * @example
 * ```ts
 * const tensor = (shape: number[]) => ({ dtype: 'float32' as const, shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
 * const stateDict: TensorMap = new Map([['0.weight', tensor([6, 5])], ['0.bias', tensor([6])], ['3.weight', tensor([2, 6])]]);
 * listLayers(stateDict).map(l => `${l.name}: ${l.kind}`); // ['0: linear', '3: linear']
 * ```
 */
export function listLayers(
  tensors: TensorMap | Readonly<Record<string, Tensor>>,
  modules?: ReadonlyMap<string, string>
): LayerListing[] {
  const order = modules !== undefined && modules.size > 0 ? moduleOrder(modules) : undefined;
  return sortGroups(classify(tensors, modules), order).map(c => {
    const w = (c.group.weight ?? c.group.weight_orig)?.tensor.shape;
    return {
      name: c.name,
      kind: c.kind,
      ...(c.moduleClass !== undefined ? { moduleClass: c.moduleClass } : {}),
      tensors: c.all.map(t => `${t.name} ${shapeText(t.tensor.shape)}`),
      ...(c.kind === 'linear' && w !== undefined ? { nIn: w[1], nOut: w[0] } : {}),
      ...(c.kind !== 'linear' ? { reason: reasonFor(c) } : {})
    };
  });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

function moduleOrder(modules: ReadonlyMap<string, string>): Map<string, number> {
  const order = new Map<string, number>();
  let k = 0;
  for (const prefix of modules.keys()) order.set(prefix, k++);
  return order;
}

function sortGroups(groups: Classified[], order?: Map<string, number>): Classified[] {
  return [...groups].sort((a, b) => {
    const oa = order?.get(a.name);
    const ob = order?.get(b.name);
    if (oa !== undefined && ob !== undefined) return oa - ob;
    return naturalCompare(a.name, b.name);
  });
}

/**
 * Compares strings so that runs of digits compare as numbers: `layers.9` < `layers.10`, `fc2` < `fc10`.
 *
 * @example
 * ```ts
 * ['net.10', 'net.2', 'net.0'].sort(naturalCompare); // ['net.0', 'net.2', 'net.10']
 * ```
 */
export function naturalCompare(a: string, b: string): number {
  const pa = a.match(/\d+|\D+/g) ?? [];
  const pb = b.match(/\d+|\D+/g) ?? [];
  for (let k = 0; k < Math.min(pa.length, pb.length); k++) {
    const x = pa[k];
    const y = pb[k];
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const diff = Number(x) - Number(y);
      if (diff !== 0) return diff;
      return x.length - y.length; // '01' after '1'
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

/**
 * Converts the linear layers of a PyTorch `state_dict` into a network.
 *
 * By default every tensor must belong to a linear layer: `<prefix>.weight` (2-D, `out × in`), optionally
 * `<prefix>.bias` (`out`), or the pruning pair `<prefix>.weight_orig` + `<prefix>.weight_mask` (a
 * `<prefix>.mask` is read as the weight mask too). `layers` chooses the linear layers and skips the rest;
 * `foldNorm` folds BatchNorm layers into the linear layer before each.
 *
 * @param tensors - from {@link parseSafetensors}, {@link parseNpz}, {@link parseTorchCheckpoint} (or a
 *   plain object of tensors).
 * @param options - `source` for messages, `layerOrder`, `layers`, `foldNorm`, activations to record.
 * @throws {@link NetworkError} naming the file, the tensors and their shapes when the file is not an MLP:
 *   convolution (4-D) or normalization (1-D) weights, unknown tensors, layers whose shapes do not connect,
 *   a bias or mask of the wrong shape, mask values other than 0/1.
 * @example
 * ```ts
 * // torch: nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 1)) → keys 0.weight [32, 10], 0.bias, 2.weight [1, 32], 2.bias
 * const tensor = (shape: number[]) => ({ dtype: 'float32' as const, shape, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
 * const stateDict: TensorMap = new Map([['0.weight', tensor([32, 10])], ['0.bias', tensor([32])], ['2.weight', tensor([1, 32])], ['2.bias', tensor([1])]]);
 * const net = stateDictToNetwork(stateDict, { source: 'mlp.safetensors', activation: 'relu' });
 * net.layers.map(l => [l.nIn, l.nOut]); // [[10, 32], [32, 1]]
 * ```
 */
export function stateDictToNetwork(
  tensors: TensorMap | Readonly<Record<string, Tensor>>,
  options: StateDictOptions = {}
): LayeredNetwork {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const entries = tensors instanceof Map ? [...tensors.entries()] : Object.entries(tensors);
  if (entries.length === 0) fail('no tensors: the file holds no state_dict');

  const modOrder =
    options.modules !== undefined && options.modules.size > 0 ? moduleOrder(options.modules) : undefined;
  const classified = sortGroups(classify(tensors, options.modules), modOrder);
  const byName = new Map(classified.map(c => [c.name, c]));
  const skipped: { name: string; reason: string }[] = [];
  const groups = new Map<string, Group>();
  const folds = new Map<string, Classified>(); // linear prefix → BatchNorm folded into it

  // `*` in a name matches any run of characters (`blocks.0.mlp.*`), giving the matching linear layers in
  // the file's order.
  const wanted =
    options.layers === undefined
      ? undefined
      : options.layers.flatMap(name => {
          if (!name.includes('*')) return [name];
          const re = new RegExp(`^${name.split('*').map(escapeRegExp).join('.*')}$`);
          const found = classified.filter(c => c.kind === 'linear' && re.test(c.name)).map(c => c.name);
          if (found.length === 0) fail(`layers pattern "${name}" matches no linear layer of the file`);
          return found;
        });
  if (wanted !== undefined) {
    if (wanted.length === 0) fail('layers is empty: name at least one linear layer');
    for (const name of wanted) {
      const c = byName.get(name);
      if (c === undefined) {
        const linear = classified.filter(g => g.kind === 'linear').map(g => g.name);
        fail(`layers names "${name}", but the file has no such layer (linear layers: ${linear.join(', ')})`);
      }
      if (groups.has(name)) fail(`layers names "${name}" twice`);
      if ((c as Classified).kind !== 'linear')
        fail(`layers names "${name}", which is not a linear layer: ${reasonFor(c as Classified)}`);
      groups.set(name, (c as Classified).group);
    }
  }
  const chosen = wanted !== undefined ? new Set(wanted) : undefined;
  let previousLinear: Classified | undefined;
  const strays: string[] = [];
  for (const c of classified) {
    if (chosen !== undefined && !chosen.has(c.name)) {
      if (
        c.kind === 'batchnorm' &&
        options.foldNorm === true &&
        previousLinear !== undefined &&
        chosen.has(previousLinear.name)
      ) {
        folds.set(previousLinear.name, c);
      } else if (c.kind !== 'linear' || !chosen.has(c.name)) {
        skipped.push({
          name: c.name,
          reason: c.kind === 'linear' ? 'linear layer not chosen by layers' : reasonFor(c)
        });
      }
      if (c.kind === 'linear') previousLinear = c;
      continue;
    }
    if (c.kind === 'batchnorm') {
      if (options.foldNorm !== true) {
        fail(
          `${c.name} is a BatchNorm (${c.all.map(t => `${t.name} ${shapeText(t.tensor.shape)}`).join(', ')}): pass ` +
            'foldNorm: true (CLI --fold-norm) to fold it into the linear layer before it, or choose the linear ' +
            'layers with layers: [...] (CLI --layers)'
        );
      }
      if (previousLinear === undefined || folds.has(previousLinear.name)) {
        fail(`${c.name} is a BatchNorm with no linear layer right before it to fold into`);
      }
      folds.set((previousLinear as Classified).name, c);
      continue;
    }
    if (c.stats.size > 0) {
      for (const t of c.all) strays.push(`${t.name} ${shapeText(t.tensor.shape)}`);
      continue;
    }
    groups.set(c.name, c.group);
    if (c.kind === 'linear') previousLinear = c;
  }
  if (strays.length > 0) {
    fail(
      `not an MLP of linear layers: ${strays.sort(naturalCompare).join(', ')} ${strays.length === 1 ? 'is' : 'are'} not a ` +
        'weight, bias or pruning mask (normalization statistics, embeddings or other modules?); see ' +
        '`nnmotifs layers FILE` and choose the linear layers with layers: [...]'
    );
  }
  for (const [prefix, group] of groups) {
    if (group.weight === undefined && group.weight_orig === undefined) {
      const names = Object.values(group).map(g => g.name);
      fail(
        `${names.join(', ')}: no ${prefix === '' ? '' : `${prefix}.`}weight to go with ${names.length === 1 ? 'it' : 'them'}`
      );
    }
  }

  const order =
    wanted !== undefined
      ? wanted
      : modOrder !== undefined && options.layerOrder === undefined
        ? [...groups.keys()]
        : layerOrder(groups, options.layerOrder, fail);
  const inputs: LayerInput[] = [];
  let previous: { name: string; shape: readonly number[] } | undefined;
  order.forEach((prefix, l) => {
    const group = groups.get(prefix) as Group;
    const layer = linearLayer(group, fail);
    const norm = folds.get(prefix);
    if (norm !== undefined) foldBatchNorm(layer, norm, options.normEps ?? 1e-5, fail);
    if (previous !== undefined && previous.shape[0] !== layer.nIn) {
      fail(
        `layers do not connect: ${layer.weightName} has shape ${shapeText(layer.shape)} (out × in: ` +
          `${layer.nIn} inputs) but the layer before it, ${previous.name} ${shapeText(previous.shape)}, has ` +
          `${previous.shape[0]} outputs (layer order: ${order.join(', ')})`
      );
    }
    previous = { name: layer.weightName, shape: layer.shape };
    const activation = l === order.length - 1 ? options.outputActivation : options.activation;
    inputs.push({
      weights: { nIn: layer.nIn, nOut: layer.nOut, data: layer.weights },
      ...(layer.bias !== undefined ? { bias: layer.bias } : {}),
      ...(layer.mask !== undefined ? { mask: layer.mask } : {}),
      ...(activation !== undefined ? { activation } : {})
    });
  });
  return createNetwork(inputs, {
    source,
    meta: {
      format: options.format ?? 'pytorch-state-dict',
      ...(source !== undefined ? { source } : {}),
      layerNames: order,
      ...(folds.size > 0 ? { foldedNorms: [...folds].map(([l, n]) => `${n.name} into ${l}`) } : {}),
      ...(skipped.length > 0 ? { skipped: skipped.map(s => `${s.name}: ${s.reason}`) } : {})
    }
  });
}

/**
 * Folds a BatchNorm (eval mode) into the linear layer before it: with `g = γ / √(var + ε)`,
 * `W'[i][o] = g[o] W[i][o]` and `b'[o] = g[o] (b[o] − mean[o]) + β[o]`.
 */
function foldBatchNorm(layer: Linear, norm: Classified, eps: number, fail: (problem: string) => never): void {
  const get = (p: string): Tensor | undefined =>
    p === 'weight' || p === 'bias' ? norm.group[p]?.tensor : norm.stats.get(p)?.tensor;
  const mean = get('running_mean');
  const variance = get('running_var');
  if (mean === undefined || variance === undefined) {
    return fail(`${norm.name}: BatchNorm without running_mean and running_var cannot be folded`);
  }
  const n = layer.nOut;
  for (const [p, t] of [
    ['running_mean', mean],
    ['running_var', variance],
    ['weight', get('weight')],
    ['bias', get('bias')]
  ] as const) {
    if (t !== undefined && (t.shape.length !== 1 || t.shape[0] !== n)) {
      fail(
        `${norm.name}.${p} has shape ${shapeText(t.shape)}, expected [${n}] to fold into ${layer.weightName} ${shapeText(layer.shape)}`
      );
    }
  }
  const epsTensor = get('eps'); // ONNX BatchNormalization's epsilon, when the file stores it
  if (epsTensor !== undefined && epsTensor.data.length === 1) eps = epsTensor.data[0];
  const gamma = get('weight')?.data;
  const beta = get('bias')?.data;
  const bias = layer.bias ?? new Float64Array(n);
  for (let o = 0; o < n; o++) {
    const g = (gamma === undefined ? 1 : gamma[o]) / Math.sqrt(variance.data[o] + eps);
    for (let i = 0; i < layer.nIn; i++) layer.weights[i * n + o] *= g;
    bias[o] = g * (bias[o] - mean.data[o]) + (beta === undefined ? 0 : beta[o]);
  }
  layer.bias = bias;
}

function layerOrder(
  groups: ReadonlyMap<string, Group>,
  given: readonly string[] | undefined,
  fail: (problem: string) => never
): string[] {
  const found = [...groups.keys()];
  if (given === undefined) return found.sort(naturalCompare);
  const seen = new Set<string>();
  for (const prefix of given) {
    if (!groups.has(prefix)) {
      fail(`layerOrder names "${prefix}", but the file has no such layer (layers: ${found.join(', ')})`);
    }
    if (seen.has(prefix)) fail(`layerOrder names "${prefix}" twice`);
    seen.add(prefix);
  }
  const missing = found.filter(p => !seen.has(p));
  if (missing.length > 0) {
    fail(`layerOrder leaves out the layer(s) ${missing.join(', ')}; list every linear layer of the file`);
  }
  return [...given];
}

interface Linear {
  weightName: string;
  /** PyTorch's shape `[out, in]`. */
  shape: readonly number[];
  nIn: number;
  nOut: number;
  /** Row-major `nIn × nOut`. */
  weights: Float64Array;
  bias?: Float64Array;
  mask?: Float64Array;
}

function linearLayer(group: Group, fail: (problem: string) => never): Linear {
  if (group.weight !== undefined && group.weight_orig !== undefined) {
    fail(`${group.weight.name} and ${group.weight_orig.name} are both present; expected one of them`);
  }
  if (group.weight_mask !== undefined && group.mask !== undefined) {
    fail(`${group.weight_mask.name} and ${group.mask.name} are both present; expected one mask`);
  }
  if (group.bias !== undefined && group.bias_orig !== undefined) {
    fail(`${group.bias.name} and ${group.bias_orig.name} are both present; expected one of them`);
  }
  const w = (group.weight ?? group.weight_orig) as { name: string; tensor: Tensor };
  const shape = w.tensor.shape;
  if (shape.length !== 2) {
    const kind =
      shape.length >= 3
        ? `a ${shape.length - 2}-D convolution kernel (out, in, ${shape.length === 3 ? 'width' : 'height, width'}...)`
        : shape.length === 1
          ? 'a normalization layer (LayerNorm/BatchNorm scale)'
          : 'a scalar';
    fail(
      `not an MLP: ${w.name} has shape ${shapeText(shape)}, which looks like ${kind}; a linear layer's weight is 2-D (out × in)`
    );
  }
  const [nOut, nIn] = shape;
  const maskEntry = group.weight_mask ?? group.mask;
  if (maskEntry !== undefined && !sameShape(maskEntry.tensor.shape, shape)) {
    fail(
      `${maskEntry.name} has shape ${shapeText(maskEntry.tensor.shape)}, but ${w.name} has ${shapeText(shape)}`
    );
  }
  if (group.weight_orig !== undefined && maskEntry === undefined) {
    fail(`${group.weight_orig.name} comes without its pruning mask ${w.name.replace(/_orig$/, '_mask')}`);
  }
  // Transpose PyTorch's out × in into nIn × nOut, applying the pruning mask as PyTorch does.
  const src = w.tensor.data;
  const m = maskEntry?.tensor.data;
  const weights = new Float64Array(nIn * nOut);
  const mask = m !== undefined ? new Float64Array(nIn * nOut) : undefined;
  for (let o = 0; o < nOut; o++) {
    for (let i = 0; i < nIn; i++) {
      const v = src[o * nIn + i];
      if (m !== undefined && mask !== undefined) {
        const keep = m[o * nIn + i];
        if (keep !== 0 && keep !== 1) {
          fail(`${maskEntry?.name} holds ${keep} at [${o}, ${i}]; a pruning mask holds only 0 and 1`);
        }
        mask[i * nOut + o] = keep;
        weights[i * nOut + o] = group.weight_orig !== undefined ? v * keep : v;
      } else {
        weights[i * nOut + o] = v;
      }
    }
  }
  const b = group.bias ?? group.bias_orig;
  let bias: Float64Array | undefined;
  if (b !== undefined) {
    if (b.tensor.shape.length !== 1 || b.tensor.shape[0] !== nOut) {
      fail(
        `${b.name} has shape ${shapeText(b.tensor.shape)}, expected [${nOut}] to go with ${w.name} ${shapeText(shape)}`
      );
    }
    bias = Float64Array.from(b.tensor.data);
    const bm = group.bias_mask;
    if (bm !== undefined) {
      if (!sameShape(bm.tensor.shape, b.tensor.shape)) {
        fail(
          `${bm.name} has shape ${shapeText(bm.tensor.shape)}, but ${b.name} has ${shapeText(b.tensor.shape)}`
        );
      }
      if (group.bias_orig !== undefined) for (let j = 0; j < nOut; j++) bias[j] *= bm.tensor.data[j];
    } else if (group.bias_orig !== undefined) {
      fail(
        `${group.bias_orig.name} comes without its pruning mask ${group.bias_orig.name.replace(/_orig$/, '_mask')}`
      );
    }
  } else if (group.bias_mask !== undefined) {
    fail(`${group.bias_mask.name} comes without a bias`);
  }
  return {
    weightName: w.name,
    shape,
    nIn,
    nOut,
    weights,
    ...(bias !== undefined ? { bias } : {}),
    ...(mask !== undefined ? { mask } : {})
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, k) => d === b[k]);
}
