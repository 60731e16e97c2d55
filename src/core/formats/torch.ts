/**
 * PyTorch checkpoints: `torch.save` zip archives (`.pt`, `.pth`, `.bin`, `.ckpt`), the legacy non-zip
 * layout (`_use_new_zipfile_serialization=False`) and TorchScript archives (`torch.jit.save`), read as data
 * by the allow-list pickle reader ({@link unpickle}): nothing in the file is ever run.
 *
 * What a checkpoint holds is found without guessing at code: a `state_dict` (an `OrderedDict` of tensors),
 * a whole `torch.nn` module (its `_parameters`, `_buffers` and `_modules`, in registration order), a
 * TorchScript module (attributes), or a dict wrapping one of those under `state_dict` / `model` / … (as
 * PyTorch Lightning and training scripts write). Every declared size is checked against the data and the
 * byte budget before anything is allocated.
 */
import { NetworkError } from '../validate';
import {
  PickleObject,
  PickleStorage,
  PickleTensor,
  STORAGE_DTYPES,
  globalName,
  isObject,
  isTensor,
  scalarText,
  unpickle
} from './pickle';
import { DTYPE_BYTES, Tensor, decodeLittleEndian, shapeText } from './tensor';
import { ZipMember, zipExtract, zipMembers } from './zip';

/** Default byte budget of the readers: 2 GiB of decoded data. */
export const DEFAULT_BYTE_BUDGET = 2 * 1024 ** 3;

/** Options of {@link parseTorchCheckpoint}. */
export interface TorchReadOptions {
  /** The file, for messages. */
  source?: string;
  /** Most bytes the decoded tensors may take (as doubles). Default {@link DEFAULT_BYTE_BUDGET}. */
  maxBytes?: number;
}

/** The tensors of a checkpoint, and the `torch.nn` class of each module prefix when the file says. */
export interface TorchCheckpoint {
  /** Tensors by dotted name (`0.weight`, `encoder.fc1.bias`), in the file's order. */
  readonly tensors: ReadonlyMap<string, Tensor>;
  /** Module class by prefix (`0` → `Linear`), for whole-module and TorchScript saves; empty for state_dicts. */
  readonly modules: ReadonlyMap<string, string>;
  /** Which layout the file had, for messages and `meta.format`. */
  readonly format: 'pytorch-zip' | 'pytorch-legacy' | 'torchscript';
  /** Where in the checkpoint the weights were found (`state_dict`, `model`, ... or `` for the top). */
  readonly path: string;
}

/** Keys under which training scripts and PyTorch Lightning keep the weights, in the order looked at. */
const WRAPPER_KEYS = [
  'state_dict',
  'model_state_dict',
  'model',
  'module',
  'net',
  'network',
  'ema',
  'weights'
];

/** Bytes that start a legacy checkpoint: pickle protocol 2, then the magic number 0x1950a86a20f9469cfc6c. */
const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/**
 * Whether bytes start a legacy (non-zip) `torch.save` file.
 *
 * @example
 * ```ts
 * isLegacyTorch(new Uint8Array([0x80, 2, 0x8a, 10, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19])); // true
 * ```
 */
export function isLegacyTorch(bytes: Uint8Array): boolean {
  return bytes.length >= LEGACY_MAGIC.length && LEGACY_MAGIC.every((b, k) => bytes[k] === b);
}

/**
 * Whether a ZIP archive is a PyTorch checkpoint (`<root>/data.pkl`) rather than an `.npz` or `.keras`.
 *
 * @param bytes - the archive.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_state_dict.pt as model.pt
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.pt'));
 * isTorchZip(bytes); // true for torch.save / torch.jit.save files
 * ```
 */
export function isTorchZip(bytes: Uint8Array): boolean {
  try {
    return zipMembers(bytes, undefined, 'ZIP archive').some(m => /^[^/]+\/data\.pkl$/.test(m.name));
  } catch {
    return false;
  }
}

/**
 * Reads the tensors of a PyTorch checkpoint: zip (`torch.save` since 1.6), legacy non-zip, or TorchScript.
 *
 * @param bytes - the whole file.
 * @param options - the file for messages, the byte budget.
 * @throws {@link NetworkError} naming the file and what is wrong: a global outside the allow-list (named;
 *   nothing is run), no tensors, a truncated or corrupt archive or pickle, a tensor larger than its storage
 *   or than the budget.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_state_dict.pt as model.pt
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.pt'));
 * const { tensors } = parseTorchCheckpoint(bytes, { source: 'model.pt' });
 * tensors.get('0.weight')?.shape; // [7, 5]
 * ```
 */
export function parseTorchCheckpoint(bytes: Uint8Array, options: TorchReadOptions = {}): TorchCheckpoint {
  if (isLegacyTorch(bytes)) return legacy(bytes, options);
  return zipCheckpoint(bytes, options);
}

function zipCheckpoint(bytes: Uint8Array, options: TorchReadOptions): TorchCheckpoint {
  const { source } = options;
  const label = 'PyTorch checkpoint (ZIP)';
  const members = zipMembers(bytes, source, label);
  const byName = new Map<string, ZipMember>();
  for (const m of members) byName.set(m.name, m);
  const pkl = members.find(m => /^[^/]+\/data\.pkl$/.test(m.name));
  if (pkl === undefined) {
    throw new NetworkError(`not a PyTorch checkpoint: the ZIP archive has no <name>/data.pkl`, { source });
  }
  const root = pkl.name.slice(0, -'data.pkl'.length);
  const torchScript =
    byName.has(`${root}constants.pkl`) || members.some(m => m.name.startsWith(`${root}code/`));
  const order = byName.get(`${root}byteorder`);
  if (order !== undefined) {
    const text = new TextDecoder().decode(
      zipExtract(bytes, order, `${source ?? 'archive'}:${order.name}`, label)
    );
    if (text.trim() !== 'little') {
      throw new NetworkError(
        `the checkpoint was written on a ${text.trim()}-endian machine; only little-endian is read`,
        {
          source
        }
      );
    }
  }
  const budget = new Budget(options);
  const storages = new Map<string, Uint8Array>();
  const storageBytes = (s: PickleStorage): Uint8Array => {
    let data = storages.get(s.key);
    if (data === undefined) {
      const member = byName.get(`${root}data/${s.key}`);
      if (member === undefined) {
        throw new NetworkError(`corrupt checkpoint: storage ${s.key} has no member ${root}data/${s.key}`, {
          source
        });
      }
      budget.charge(member.size, `storage ${s.key}`, source);
      data = zipExtract(bytes, member, `${source ?? 'archive'}:${member.name}`, label);
      storages.set(s.key, data);
    }
    return data;
  };
  const where = `${source ?? 'checkpoint'}:${pkl.name}`;
  const pickle = zipExtract(bytes, pkl, where, label);
  const { value } = unpickle(pickle, {
    source: where,
    torchScript,
    persistentLoad: pid => storageFromPid(pid, where)
  });
  // TorchScript keeps a module's Final constants (BatchNorm's eps) in its code, as
  // `eps : Final[float] = 0.1` in `class BatchNorm1d(Module):` of code/__torch__/<module path>.py.
  const constant = (cls: string, name: string): number | undefined => {
    const dot = cls.lastIndexOf('.');
    const member = byName.get(`${root}code/${cls.slice(0, dot).replace(/\./g, '/')}.py`);
    if (member === undefined || member.size > 1 << 20) return undefined;
    const code = new TextDecoder().decode(
      zipExtract(bytes, member, `${source ?? 'archive'}:${member.name}`, label)
    );
    const start = code.indexOf(`class ${cls.slice(dot + 1)}(`);
    if (start < 0) return undefined;
    const next = code.indexOf('\nclass ', start + 1);
    const body = code.slice(start, next < 0 ? code.length : next);
    const match = new RegExp(`^\\s+${name} : Final\\[float\\] = ([-+0-9.eE]+)\\s*$`, 'm').exec(body);
    const value = match === null ? NaN : Number(match[1]);
    return Number.isFinite(value) ? value : undefined;
  };
  return collect(
    value,
    storageBytes,
    budget,
    torchScript ? 'torchscript' : 'pytorch-zip',
    source,
    torchScript ? constant : undefined
  );
}

function storageFromPid(pid: unknown, where: string): PickleStorage {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) {
    throw new NetworkError('corrupt checkpoint: a persistent id that is not a storage', { source: where });
  }
  const [, type, key, , numel] = pid as unknown[];
  const dtype = STORAGE_DTYPES.get(globalName(type) ?? '');
  if (dtype === undefined) {
    throw new NetworkError(`unsupported storage type ${globalName(type) ?? scalarText(type)}`, {
      source: where
    });
  }
  if (typeof numel !== 'number' || !Number.isSafeInteger(numel) || numel < 0) {
    throw new NetworkError('corrupt checkpoint: a storage has no valid element count', { source: where });
  }
  return { kind: 'storage', dtype, key: scalarText(key), numel };
}

function legacy(bytes: Uint8Array, options: TorchReadOptions): TorchCheckpoint {
  const { source } = options;
  let at = 0;
  const next = (persistentLoad?: (pid: unknown) => unknown): unknown => {
    const { value, end } = unpickle(bytes.subarray(at), { source, persistentLoad });
    at += end;
    return value;
  };
  next(); // magic number
  const protocol = next();
  if (protocol !== 1001) {
    throw new NetworkError(`unsupported legacy checkpoint protocol ${scalarText(protocol)} (expected 1001)`, {
      source
    });
  }
  const info = next();
  if (info instanceof Map && info.get('little_endian') === false) {
    throw new NetworkError('the checkpoint was written on a big-endian machine; only little-endian is read', {
      source
    });
  }
  const declared = new Map<string, PickleStorage>();
  const root = next(pid => {
    const s = storageFromPid(pid, source ?? 'checkpoint');
    if (Array.isArray(pid) && pid[5] !== null && pid[5] !== undefined) {
      throw new NetworkError(
        'storage views of the legacy format are not supported; re-save with torch.save',
        {
          source
        }
      );
    }
    const known = declared.get(s.key);
    if (known !== undefined && (known.dtype !== s.dtype || known.numel !== s.numel)) {
      throw new NetworkError(`corrupt checkpoint: storage ${s.key} is declared twice differently`, {
        source
      });
    }
    declared.set(s.key, s);
    return s;
  });
  const keys = next();
  if (!Array.isArray(keys))
    throw new NetworkError('corrupt legacy checkpoint: no list of storage keys', { source });
  const budget = new Budget(options);
  const storages = new Map<string, Uint8Array>();
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const key of keys as unknown[]) {
    const s = declared.get(scalarText(key));
    if (s === undefined)
      throw new NetworkError(`corrupt legacy checkpoint: storage ${scalarText(key)} is not used`, { source });
    if (at + 8 > bytes.length)
      throw new NetworkError(`truncated legacy checkpoint: storage ${s.key} is missing`, { source });
    const count = view.getBigInt64(at, true);
    if (count !== BigInt(s.numel)) {
      throw new NetworkError(
        `corrupt legacy checkpoint: storage ${s.key} holds ${count} elements, ${s.numel} declared`,
        {
          source
        }
      );
    }
    const length = s.numel * DTYPE_BYTES[s.dtype];
    if (at + 8 + length > bytes.length) {
      throw new NetworkError(
        `truncated legacy checkpoint: storage ${s.key} needs bytes up to ${at + 8 + length}, the file has ${bytes.length}`,
        { source }
      );
    }
    budget.charge(length, `storage ${s.key}`, source);
    storages.set(s.key, bytes.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  const storageBytes = (s: PickleStorage): Uint8Array => {
    const data = storages.get(s.key);
    if (data === undefined)
      throw new NetworkError(`corrupt legacy checkpoint: storage ${s.key} has no data`, { source });
    return data;
  };
  return collect(root, storageBytes, budget, 'pytorch-legacy', source);
}

/** Charges decoded sizes against the byte budget before anything is allocated. */
class Budget {
  private used = 0;
  private readonly max: number;
  constructor(options: TorchReadOptions) {
    this.max = options.maxBytes ?? DEFAULT_BYTE_BUDGET;
  }
  charge(bytes: number, what: string, source?: string): void {
    this.used += bytes;
    if (this.used > this.max) {
      throw new NetworkError(
        `${what} would bring the data read to ${this.used} bytes, over the budget of ${this.max} bytes ` +
          '(raise maxBytes / --max-memory if the file is trusted and this much memory is available)',
        { source }
      );
    }
  }
}

/** Finds the tensors (and module classes) in an unpickled checkpoint, without recursion. */
function collect(
  root: unknown,
  storageBytes: (s: PickleStorage) => Uint8Array,
  budget: Budget,
  format: TorchCheckpoint['format'],
  source?: string,
  constant?: (cls: string, name: string) => number | undefined
): TorchCheckpoint {
  let value = root;
  let path = '';
  // Unwrap {"state_dict": ...} / {"model": ...} (Lightning, training scripts), several levels if need be.
  for (let depth = 0; depth < 4 && value instanceof Map && !hasTensors(value); depth++) {
    const key = WRAPPER_KEYS.find(k => {
      const inner = value instanceof Map ? value.get(k) : undefined;
      return inner instanceof Map || isObject(inner);
    });
    if (key === undefined) break;
    value = (value as Map<unknown, unknown>).get(key);
    path = path === '' ? key : `${path}.${key}`;
  }
  const tensors = new Map<string, Tensor>();
  const modules = new Map<string, string>();
  const add = (name: string, t: PickleTensor): void => {
    if (tensors.has(name)) return;
    tensors.set(name, materialize(t, name, storageBytes, budget, source));
  };
  if (value instanceof Map) {
    for (const [k, v] of value) if (isTensor(v)) add(String(k), v);
  } else if (isObject(value)) {
    // Depth-first over submodules, in registration order, with an explicit stack.
    const stack: { prefix: string; module: PickleObject }[] = [{ prefix: '', module: value }];
    const seen = new Set<PickleObject>();
    while (stack.length > 0) {
      const { prefix, module } = stack.pop() as { prefix: string; module: PickleObject };
      if (seen.has(module)) continue;
      seen.add(module);
      modules.set(prefix, className(module.cls));
      const state = module.state instanceof Map ? module.state : new Map<unknown, unknown>();
      const children: { prefix: string; module: PickleObject }[] = [];
      const name = (k: unknown): string => (prefix === '' ? String(k) : `${prefix}.${String(k)}`);
      if (state.has('_parameters') || state.has('_modules')) {
        for (const part of ['_parameters', '_buffers']) {
          const params = state.get(part);
          if (params instanceof Map) for (const [k, v] of params) if (isTensor(v)) add(name(k), v);
        }
        const subs = state.get('_modules');
        if (subs instanceof Map)
          for (const [k, v] of subs) if (isObject(v)) children.push({ prefix: name(k), module: v });
      } else {
        // TorchScript: parameters, buffers and submodules are plain attributes.
        for (const [k, v] of state) {
          if (isTensor(v)) add(name(k), v);
          else if (isObject(v)) children.push({ prefix: name(k), module: v });
        }
      }
      // A BatchNorm's epsilon is module state, not a tensor: kept so that folding uses the file's value.
      const eps = state.get('eps') ?? constant?.(module.cls, 'eps');
      if (/BatchNorm/.test(module.cls) && typeof eps === 'number' && tensors.has(name('running_var'))) {
        tensors.set(name('eps'), { dtype: 'float64', shape: [], data: Float64Array.of(eps) });
      }
      for (let k = children.length - 1; k >= 0; k--) stack.push(children[k]);
    }
  }
  if (tensors.size === 0) {
    const keys = value instanceof Map ? [...value.keys()].map(String).slice(0, 12) : [];
    throw new NetworkError(
      `no tensors found: the checkpoint holds ${describe(value)}` +
        (keys.length > 0 ? ` with keys ${keys.join(', ')}` : '') +
        `; expected a state_dict, a torch.nn module, or a dict holding one under ${WRAPPER_KEYS.slice(0, 3).join(' / ')}`,
      { source }
    );
  }
  return { tensors, modules, format, path };
}

function hasTensors(map: Map<unknown, unknown>): boolean {
  for (const v of map.values()) if (isTensor(v)) return true;
  return false;
}

function className(cls: string): string {
  return cls.slice(cls.lastIndexOf('.') + 1);
}

function describe(v: unknown): string {
  if (v instanceof Map) return 'a dict';
  if (Array.isArray(v)) return 'a list';
  if (isObject(v)) return `an object of ${v.cls}`;
  return v === null ? 'None' : `a ${typeof v}`;
}

/** Storages decoded to doubles, shared by the tensors that view them. */
const decoded = new WeakMap<Uint8Array, Float64Array>();

/** Reads a tensor view out of its storage, checking every index is inside it. */
function materialize(
  t: PickleTensor,
  name: string,
  storageBytes: (s: PickleStorage) => Uint8Array,
  budget: Budget,
  source?: string
): Tensor {
  const fail = (problem: string): never => {
    throw new NetworkError(`${name}: ${problem}`, { source });
  };
  const { storage, offset, shape, stride } = t;
  let count = 1;
  let last = offset;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] < 0 || stride[d] < 0) fail(`negative size or stride in shape ${shapeText(shape)}`);
    count *= shape[d];
    last += (shape[d] - 1) * stride[d];
  }
  if (!Number.isSafeInteger(count)) fail(`shape ${shapeText(shape)} has more elements than can be addressed`);
  budget.charge(8 * count, `tensor ${name} ${shapeText(shape)}`, source);
  const size = DTYPE_BYTES[storage.dtype];
  const data = storageBytes(storage);
  if (data.length !== storage.numel * size) {
    fail(`storage ${storage.key} holds ${data.length} bytes, ${storage.numel} × ${size} declared`);
  }
  if (count > 0 && (offset < 0 || last >= storage.numel)) {
    fail(
      `shape ${shapeText(shape)} with strides ${shapeText(stride)} reaches past storage ${storage.key} (${storage.numel} elements)`
    );
  }
  let all = decoded.get(data);
  if (all === undefined) {
    budget.charge(8 * storage.numel, `storage ${storage.key}`, source);
    all = decodeLittleEndian(data, 0, storage.dtype, storage.numel);
    decoded.set(data, all);
  }
  const out = new Float64Array(count);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < count; k++) {
    let at = offset;
    for (let d = 0; d < shape.length; d++) at += index[d] * stride[d];
    out[k] = all[at];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++index[d] < shape[d]) break;
      index[d] = 0;
    }
  }
  return { dtype: storage.dtype, shape: [...shape], data: out };
}
