/**
 * Keras models: HDF5 files (`model.save("m.h5")` of Keras 3 and tf_keras, `save_weights("m.h5")`), Keras
 * 3 weight files (`save_weights("m.weights.h5")`) and `.keras` archives (`model.weights.h5` +
 * `config.json`), read with the bounded {@link parseHdf5}. Dense kernels (`in × out`) become PyTorch's
 * `<layer>.weight` (`out × in`); BatchNormalization's gamma, beta, moving mean and variance become
 * `weight`, `bias`, `running_mean`, `running_var` (and its epsilon `eps`), so {@link stateDictToNetwork}
 * folds them with `foldNorm`. The layer order is the model config's; without a config (a bare
 * `.weights.h5`) it is the natural order of Keras' layer keys (`dense`, `dense_1`, ...), which is the
 * creation order.
 */
import { NetworkError } from '../validate';
import { Hdf5File, Hdf5Value, parseHdf5 } from './hdf5';
import type { ModelReadOptions, ModelTensors } from './models';
import { naturalCompare } from './statedict';
import type { Tensor } from './tensor';
import { zipExtract, zipMembers } from './zip';

interface ConfigLayer {
  name: string;
  className: string;
  epsilon?: number;
}

/** The layers of a Keras model config (`model.to_json()` / config.json), in order; nested models flattened. */
function configLayers(config: unknown): ConfigLayer[] {
  const out: ConfigLayer[] = [];
  const stack: unknown[] = [config];
  let guard = 0;
  while (stack.length > 0 && guard++ < 100_000) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const inner = (node as { config?: unknown }).config;
    const layers =
      inner !== null && typeof inner === 'object' ? (inner as { layers?: unknown }).layers : undefined;
    if (Array.isArray(layers)) {
      for (let k = layers.length - 1; k >= 0; k--) stack.push({ __layer: layers[k] });
      continue;
    }
    const layer = (node as { __layer?: unknown }).__layer;
    if (layer === null || typeof layer !== 'object') continue;
    const className = String((layer as { class_name?: unknown }).class_name ?? '');
    const cfg = (layer as { config?: unknown }).config;
    const sub = cfg !== null && typeof cfg === 'object' ? (cfg as { layers?: unknown }).layers : undefined;
    if (Array.isArray(sub)) {
      stack.push(layer); // a nested Sequential/Functional model: its layers in place
      continue;
    }
    const name = cfg !== null && typeof cfg === 'object' ? (cfg as { name?: unknown }).name : undefined;
    const epsilon =
      cfg !== null && typeof cfg === 'object' ? (cfg as { epsilon?: unknown }).epsilon : undefined;
    if (typeof name === 'string' && className !== 'InputLayer') {
      out.push({ name, className, ...(typeof epsilon === 'number' ? { epsilon } : {}) });
    }
  }
  return out;
}

function strings(v: Hdf5Value | undefined): string[] {
  return Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string')
    : typeof v === 'string'
      ? [v]
      : [];
}

/** Keras' snake_case of a class name, as it names the weight groups of `.weights.h5` (`BatchNormalization` → `batch_normalization`). */
function snake(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z\d])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** Converts the variables of one layer to PyTorch-layout tensors under `prefix`. */
function addLayer(
  out: Map<string, Tensor>,
  prefix: string,
  className: string,
  vars: { name: string; tensor: Tensor }[],
  epsilon: number | undefined,
  fail: (problem: string) => never
): void {
  const isNorm =
    /BatchNormalization/.test(className) ||
    (className === '' && vars.length === 4 && vars.every(v => v.tensor.shape.length === 1));
  if (isNorm) {
    const names = ['weight', 'bias', 'running_mean', 'running_var'];
    const byRole = (role: RegExp): Tensor | undefined => vars.find(v => role.test(v.name))?.tensor;
    const ordered = [byRole(/gamma/), byRole(/beta/), byRole(/moving_mean/), byRole(/moving_variance/)];
    const tensors = ordered.every(t => t !== undefined) ? (ordered as Tensor[]) : vars.map(v => v.tensor);
    if (tensors.length !== 4) {
      fail(
        `layer ${prefix}: a BatchNormalization with ${tensors.length} variables (scale=False or center=False is not folded)`
      );
    }
    tensors.forEach((t, k) => out.set(`${prefix}.${names[k]}`, t));
    if (epsilon !== undefined)
      out.set(`${prefix}.eps`, { dtype: 'float64', shape: [], data: Float64Array.of(epsilon) });
    return;
  }
  const kernel = vars.find(v => /kernel/.test(v.name)) ?? vars[0];
  const bias = vars.find(v => /bias/.test(v.name)) ?? (vars.length === 2 ? vars[1] : undefined);
  for (const v of vars) {
    if (v === kernel) {
      const t = v.tensor;
      if (t.shape.length === 2) {
        const [nIn, nOut] = t.shape;
        const w = new Float64Array(nIn * nOut);
        for (let i = 0; i < nIn; i++) for (let o = 0; o < nOut; o++) w[o * nIn + i] = t.data[i * nOut + o];
        out.set(`${prefix}.weight`, { dtype: t.dtype, shape: [nOut, nIn], data: w });
      } else {
        out.set(`${prefix}.weight`, t); // conv kernels etc.: listed as what they are
      }
    } else if (v === bias) out.set(`${prefix}.bias`, v.tensor);
    else out.set(`${prefix}.${v.name.replace(/[^\w]+/g, '_')}`, v.tensor);
  }
}

/**
 * Reads a Keras HDF5 file (`.h5`, `.weights.h5`) as tensors in PyTorch's layout, in the model's layer order.
 *
 * @param bytes - the HDF5 file.
 * @param options - `source`, `maxBytes`.
 * @param configText - `config.json` of a `.keras` archive, for the layer order and classes.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/keras_mlp.h5 as model.h5
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.h5'));
 * kerasTensors(bytes, { source: 'model.h5' }).tensors.get('hidden.weight')?.shape; // [6, 5]
 * ```
 */
export function kerasTensors(
  bytes: Uint8Array,
  options: ModelReadOptions = {},
  configText?: string
): ModelTensors {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const h5: Hdf5File = parseHdf5(bytes, {
    ...(source !== undefined ? { source } : {}),
    ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {})
  });
  let config: unknown;
  const parse = (text: string, what: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return fail(`${what} is not valid JSON`);
    }
  };
  if (configText !== undefined) config = parse(configText, 'config.json');
  else {
    const mc = h5.groups.get('/')?.attrs.get('model_config');
    if (typeof mc === 'string') config = parse(mc, 'the model_config attribute');
  }
  const layers = config !== undefined ? configLayers(config) : [];
  const byName = new Map(layers.map(l => [l.name, l]));
  const tensors = new Map<string, Tensor>();
  const modules = new Map<string, string>();

  const legacyRoot = h5.groups.get('/model_weights') ?? h5.groups.get('/');
  const layerNames = strings(legacyRoot?.attrs.get('layer_names'));
  if (layerNames.length > 0) {
    // Legacy H5 (Keras 3 model.save(".h5"), tf_keras): layer_names, then each layer's weight_names.
    const base = legacyRoot === h5.groups.get('/') ? '' : '/model_weights';
    for (const name of layerNames) {
      const group = h5.groups.get(`${base}/${name}`);
      if (group === undefined) fail(`layer_names lists ${name}, but the file has no group for it`);
      const vars = strings(group?.attrs.get('weight_names')).map(w => {
        const d = h5.datasets.get(`${base}/${name}/${w}`);
        if (d === undefined) return fail(`layer ${name}: weight ${w} is missing from the file`);
        return { name: w.slice(w.lastIndexOf('/') + 1), tensor: d.read() };
      });
      const info = byName.get(name);
      modules.set(name, info?.className ?? '');
      if (vars.length > 0) addLayer(tensors, name, info?.className ?? '', vars, info?.epsilon, fail);
    }
  } else if (h5.groups.has('/layers')) {
    // Keras 3 weights: /layers/<key>/vars/<i>; keys are snake_case class names made unique (dense, dense_1).
    const keys = [...h5.groups.keys()]
      .filter(p => /^\/layers\/[^/]+$/.test(p))
      .map(p => p.slice('/layers/'.length));
    const counters = new Map<string, number>();
    const keyOf = new Map<string, ConfigLayer>();
    for (const l of layers) {
      const s = snake(l.className);
      const n = counters.get(s) ?? 0;
      counters.set(s, n + 1);
      keyOf.set(n === 0 ? s : `${s}_${n}`, l);
    }
    const ordered =
      layers.length > 0
        ? layers.map(l => [...keyOf].find(([, v]) => v === l)?.[0] as string).filter(k => keys.includes(k))
        : [...keys].sort(naturalCompare);
    for (const key of ordered) {
      const info = keyOf.get(key);
      const varsGroup = h5.groups.get(`/layers/${key}/vars`);
      const attrName = varsGroup?.attrs.get('name');
      const prefix = info?.name ?? (typeof attrName === 'string' ? attrName : key);
      const vars: { name: string; tensor: Tensor }[] = [];
      for (let k = 0; ; k++) {
        const d = h5.datasets.get(`/layers/${key}/vars/${k}`);
        if (d === undefined) break;
        vars.push({ name: String(k), tensor: d.read() });
      }
      modules.set(prefix, info?.className ?? '');
      if (vars.length > 0) {
        const cls = info?.className ?? '';
        // Keras 3 stores Dense as [kernel, bias] and BatchNormalization as [gamma, beta, mean, variance].
        const named = /BatchNormalization/.test(cls)
          ? vars.map((v, k) => ({
              name: ['gamma', 'beta', 'moving_mean', 'moving_variance'][k] ?? v.name,
              tensor: v.tensor
            }))
          : vars.map((v, k) => ({ name: k === 0 ? 'kernel' : k === 1 ? 'bias' : v.name, tensor: v.tensor }));
        addLayer(tensors, prefix, cls, named, info?.epsilon, fail);
      }
    }
  } else {
    fail(
      'no Keras weights found: the HDF5 file has neither layer_names (Keras .h5) nor /layers (Keras 3 .weights.h5)'
    );
  }
  if (tensors.size === 0) fail('no weights: the Keras model has no layer with weights');
  // Only keep module classes when the config gave them (they order the layers); else natural order.
  const known = [...modules.values()].some(c => c !== '');
  return { tensors, modules: known ? modules : new Map(), format: 'keras' };
}

/**
 * Reads a `.keras` archive: `model.weights.h5` with the layer order of `config.json`.
 *
 * @param bytes - the `.keras` file.
 * @param options - `source`, `maxBytes`.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/keras_mlp.keras as model.keras
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.keras'));
 * kerasArchiveTensors(bytes, { source: 'model.keras' }).tensors.size; // 5
 * ```
 */
export function kerasArchiveTensors(bytes: Uint8Array, options: ModelReadOptions = {}): ModelTensors {
  const { source } = options;
  const label = '.keras archive';
  const members = zipMembers(bytes, source, label);
  const find = (name: string): Uint8Array => {
    const m = members.find(x => x.name === name);
    if (m === undefined)
      throw new NetworkError(`not a Keras model: the .keras archive has no ${name}`, { source });
    if (options.maxBytes !== undefined && m.size > options.maxBytes) {
      throw new NetworkError(`${name} (${m.size} bytes) is over the byte budget`, { source });
    }
    return zipExtract(bytes, m, `${source ?? 'archive'}:${name}`, label);
  };
  const config = new TextDecoder().decode(find('config.json'));
  return kerasTensors(
    find('model.weights.h5'),
    { ...options, source: `${source ?? 'archive'}:model.weights.h5` },
    config
  );
}
