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
   * has a `weight`, in natural order (`net.2` before `net.10`, `fc1` before `fc2`). When given, it must name
   * every linear layer of the file exactly once.
   */
  layerOrder?: readonly string[];
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
 * Every tensor must belong to a linear layer: `<prefix>.weight` (2-D, `out × in`), optionally
 * `<prefix>.bias` (`out`), or the pruning pair `<prefix>.weight_orig` + `<prefix>.weight_mask` (a
 * `<prefix>.mask` is read as the weight mask too). Remove unrelated arrays from the map before calling.
 *
 * @param tensors - from {@link parseSafetensors} or {@link parseNpz} (or a plain object of tensors).
 * @param options - `source` for messages, `layerOrder`, activations to record.
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

  const groups = new Map<string, Group>();
  const strays: string[] = [];
  for (const [name, tensor] of entries) {
    const dot = name.lastIndexOf('.');
    const param = name.slice(dot + 1);
    const prefix = dot < 0 ? '' : name.slice(0, dot);
    if (!(PARAMS as readonly string[]).includes(param)) {
      strays.push(`${name} ${shapeText(tensor.shape)}`);
      continue;
    }
    const group = groups.get(prefix) ?? {};
    group[param as Param] = { name, tensor };
    groups.set(prefix, group);
  }
  if (strays.length > 0) {
    fail(
      `not an MLP of linear layers: ${strays.sort(naturalCompare).join(', ')} ${strays.length === 1 ? 'is' : 'are'} not a ` +
        'weight, bias or pruning mask (normalization statistics, embeddings or other modules?)'
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

  const order = layerOrder(groups, options.layerOrder, fail);
  const inputs: LayerInput[] = [];
  let previous: { name: string; shape: readonly number[] } | undefined;
  order.forEach((prefix, l) => {
    const group = groups.get(prefix) as Group;
    const layer = linearLayer(group, fail);
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
      format: 'pytorch-state-dict',
      ...(source !== undefined ? { source } : {}),
      layerNames: order
    }
  });
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
