/**
 * A safe reader of Python pickles as PyTorch writes them (`torch.save`, `torch.jit.save`): the pickle
 * machine is interpreted as data, never run. Only globals on an allow-list are accepted — the ones
 * PyTorch's own `weights_only=True` loader accepts (tensor rebuilds, storages, `OrderedDict`, primitive
 * containers) plus `torch.nn` module classes, which are read as plain objects (their state, never their
 * code). Any other global (`os.system`, `builtins.eval`, a user's own class) is refused with an error
 * naming it, before anything could happen: nothing from the file is ever called.
 *
 * The machine is a loop over opcodes with an explicit stack; nesting in the file never becomes recursion
 * here. Dicts become `Map`s (so keys from the file never touch `Object.prototype`). Structural limits
 * ({@link MAX_PICKLE_STACK}, {@link MAX_PICKLE_DEPTH}, {@link MAX_PICKLE_OBJECTS}) refuse absurd pickles
 * while they are read, before their size costs time or memory.
 */
import { NetworkError } from '../validate';
import type { TensorDtype } from './tensor';

/** An object of an allow-listed class, as data: the class name, constructor arguments and `BUILD` state. */
export interface PickleObject {
  readonly kind: 'object';
  /** `module.qualname`, e.g. `torch.nn.modules.linear.Linear`. */
  readonly cls: string;
  readonly args: readonly unknown[];
  /** What `BUILD` set (for modules: a `Map` of attributes such as `_parameters`, `_modules`). */
  state: unknown;
}

/** A storage named by a persistent id: raw data of one dtype kept elsewhere in the file. */
export interface PickleStorage {
  readonly kind: 'storage';
  readonly dtype: TensorDtype;
  /** The storage's key (the member `data/<key>` of a zip checkpoint). */
  readonly key: string;
  /** Number of elements, as the file declares it. */
  readonly numel: number;
}

/** A tensor view of a storage (`torch._utils._rebuild_tensor_v2`), not yet read. */
export interface PickleTensor {
  readonly kind: 'tensor';
  readonly storage: PickleStorage;
  /** Offset into the storage, in elements. */
  readonly offset: number;
  readonly shape: readonly number[];
  /** Strides in elements. */
  readonly stride: readonly number[];
}

/** A global the reader accepts, held as a value until it is called or used as a class. */
interface PickleGlobal {
  readonly kind: 'global';
  readonly name: string;
}

/** Options of {@link unpickle}. */
export interface UnpickleOptions {
  /** The file (and member) for error messages. */
  source?: string;
  /** Resolves a persistent id (PyTorch's storages); default: persistent ids are refused. */
  persistentLoad?: (pid: unknown) => unknown;
  /** Also read TorchScript's `__torch__.*` classes as data (inside `torch.jit.save` archives only). */
  torchScript?: boolean;
  /** Most lists, tuples, dicts and objects the pickle may build; default {@link MAX_PICKLE_OBJECTS}. */
  maxObjects?: number;
}

/**
 * Most values the pickle machine's stack may hold at once. Python's pickler puts a container's items on
 * the stack in batches of 1000 (a tuple's all at once) and adds a few values per level of nesting, so a
 * checkpoint needs a few thousand at most; a million lists pushed before they are nested are refused
 * after the first 65,536, in milliseconds.
 */
export const MAX_PICKLE_STACK = 65_536;

/**
 * Deepest nesting of lists, tuples, dicts and objects a pickle may build, counted as values are put into
 * containers. Python's pickler recurses once per level and stops at its recursion limit (1000 by
 * default), so `torch.save` cannot write deeper.
 */
export const MAX_PICKLE_DEPTH = 1000;

/**
 * Most lists, tuples, dicts and objects one pickle may build (2^20). A state_dict takes about 10 per
 * tensor and a whole-module save about 50, so this admits a state_dict at the tensor limit
 * (65,536 tensors) and a whole module of some 20,000 tensors; it bounds the memory (about 100 bytes each)
 * and time of reading a pickle of millions of empty containers.
 */
export const MAX_PICKLE_OBJECTS = 2 ** 20;

/** PyTorch's legacy storage classes and the dtype each holds. */
export const STORAGE_DTYPES: ReadonlyMap<string, TensorDtype> = new Map<string, TensorDtype>([
  ['torch.DoubleStorage', 'float64'],
  ['torch.FloatStorage', 'float32'],
  ['torch.HalfStorage', 'float16'],
  ['torch.BFloat16Storage', 'bfloat16'],
  ['torch.LongStorage', 'int64'],
  ['torch.IntStorage', 'int32'],
  ['torch.ShortStorage', 'int16'],
  ['torch.CharStorage', 'int8'],
  ['torch.ByteStorage', 'uint8'],
  ['torch.BoolStorage', 'bool']
]);

/** Callables the reader implements itself (as data transformations); anything else is never called. */
const FUNCTIONS = new Set([
  'torch._utils._rebuild_tensor',
  'torch._utils._rebuild_tensor_v2',
  'torch._utils._rebuild_tensor_v3',
  'torch._utils._rebuild_parameter',
  'torch._utils._rebuild_parameter_with_state',
  'torch._tensor._rebuild_from_type_v2',
  'torch.nn.parameter.Parameter',
  'collections.OrderedDict',
  'builtins.set',
  'builtins.frozenset',
  'builtins.list',
  'builtins.tuple',
  'builtins.dict',
  'builtins.bytearray',
  'builtins.slice',
  'builtins.complex',
  '_codecs.encode',
  'torch.device',
  'torch.Size',
  'torch.jit._pickle.restore_type_tag',
  'torch.jit._pickle.build_intlist',
  'torch.jit._pickle.build_doublelist',
  'torch.jit._pickle.build_boollist',
  'copyreg._reconstructor',
  'builtins.object'
]);

/** torch dtypes (`torch.float32` ...) and layouts, read as their names. */
const TORCH_CONSTANTS = new Set([
  'torch.float64',
  'torch.float32',
  'torch.float16',
  'torch.bfloat16',
  'torch.int64',
  'torch.int32',
  'torch.int16',
  'torch.int8',
  'torch.uint8',
  'torch.bool',
  'torch.complex64',
  'torch.complex128',
  'torch.strided',
  'torch.contiguous_format',
  'torch.preserve_format'
]);

/** Python 2 module names as protocol ≤ 2 pickles spell them. */
const MODULE_ALIASES = new Map([
  ['__builtin__', 'builtins'],
  ['copy_reg', 'copyreg']
]);

/** Whether `name` is a `torch.nn` module class (read as data: its state, never its code). */
function isTorchModuleClass(name: string): boolean {
  return /^torch\.nn\.modules\.[a-z_.]+\.[A-Z][A-Za-z0-9_]*$/.test(name);
}

const MARK = Symbol('mark');

/**
 * Interprets one pickle as data.
 *
 * @param bytes - the pickle (the whole buffer, or up to its STOP opcode).
 * @param options - the file for messages, how to resolve persistent ids, TorchScript classes.
 * @returns the unpickled value and the offset just past STOP (legacy checkpoints hold several pickles).
 *   Python values map to: `None` → `null`, bool/int/float → `boolean`/`number` (`bigint` beyond 2^53),
 *   str → `string`, bytes → `Uint8Array`, list/tuple/set → arrays, dict/OrderedDict → `Map`, tensors →
 *   {@link PickleTensor}, allow-listed objects → {@link PickleObject}.
 * @throws {@link NetworkError} naming the file and what is wrong: a global outside the allow-list (named),
 *   an unsupported opcode, a truncated or malformed pickle.
 * @example
 * ```ts
 * // pickle.dumps({"a": [1, 2.5]}, protocol=2)
 * const bytes = new Uint8Array([0x80, 2, 0x7d, 0x71, 0, 0x58, 1, 0, 0, 0, 0x61, 0x71, 1, 0x5d, 0x71, 2, 0x28, 0x4b, 1, 0x47, 0x40, 4, 0, 0, 0, 0, 0, 0, 0x65, 0x73, 0x2e]);
 * unpickle(bytes).value; // Map { 'a' => [1, 2.5] }
 * ```
 */
export function unpickle(bytes: Uint8Array, options: UnpickleOptions = {}): { value: unknown; end: number } {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  const need = (n: number): void => {
    if (at + n > bytes.length)
      fail(`truncated pickle: it needs byte ${at + n}, the data ends at ${bytes.length}`);
  };
  const u8 = (): number => {
    need(1);
    return bytes[at++];
  };
  const u16 = (): number => {
    need(2);
    at += 2;
    return view.getUint16(at - 2, true);
  };
  const u32 = (): number => {
    need(4);
    at += 4;
    return view.getUint32(at - 4, true);
  };
  const u64 = (): number => {
    need(8);
    at += 8;
    const v = view.getBigUint64(at - 8, true);
    if (v > BigInt(bytes.length)) fail(`corrupt pickle: a length of ${v} bytes exceeds the data`);
    return Number(v);
  };
  const take = (n: number): Uint8Array => {
    need(n);
    at += n;
    return bytes.subarray(at - n, at);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    if (end < 0) fail('truncated pickle: a text line has no end');
    const text = latin1(bytes.subarray(at, end));
    at = end + 1;
    return text;
  };
  const utf8 = new TextDecoder('utf-8', { fatal: true });
  const text = (n: number): string => {
    const raw = take(n);
    try {
      return utf8.decode(raw);
    } catch {
      return fail('corrupt pickle: a string is not valid UTF-8');
    }
  };

  const stack: unknown[] = [];
  const memo = new Map<number, unknown>();
  // Nesting depth of the containers built so far (1 when absent): a container's depth grows when a value
  // is put into it, from that value's depth, so nesting is counted as it is written.
  const depths = new Map<object, number>();
  const depthOf = (v: unknown): number => (typeof v === 'object' && v !== null ? (depths.get(v) ?? 1) : 0);
  const holds = (container: unknown, items: readonly unknown[]): void => {
    if (typeof container !== 'object' || container === null) return;
    let inner = 0;
    for (const item of items) {
      const d = depthOf(item);
      if (d > inner) inner = d;
    }
    if (inner + 1 > MAX_PICKLE_DEPTH) {
      fail(
        `the pickle nests lists, tuples, dicts or objects more than ${MAX_PICKLE_DEPTH} levels deep ` +
          `(at byte ${at - 1}), deeper than Python's pickler writes; not a checkpoint`
      );
    }
    if (inner + 1 > depthOf(container)) depths.set(container, inner + 1);
  };
  const maxObjects = options.maxObjects ?? MAX_PICKLE_OBJECTS;
  let objects = 0;
  /** Counts a container or object the pickle builds, holding `items`; returns it. */
  const made = <T>(value: T, items: readonly unknown[] = []): T => {
    if (++objects > maxObjects) {
      fail(
        `the pickle builds more than ${maxObjects} lists, tuples, dicts and objects (at byte ${at - 1}), ` +
          'more than a checkpoint at the tensor limit holds; save model.state_dict() (or use safetensors) instead'
      );
    }
    if (items.length > 0) holds(value, items);
    return value;
  };
  const pop = (): unknown => {
    if (stack.length === 0) fail('corrupt pickle: stack underflow');
    const v = stack.pop();
    if (v === MARK) fail('corrupt pickle: unexpected mark');
    return v;
  };
  const top = (): unknown => {
    if (stack.length === 0 || stack[stack.length - 1] === MARK) fail('corrupt pickle: stack underflow');
    return stack[stack.length - 1];
  };
  const popMark = (): unknown[] => {
    const k = stack.lastIndexOf(MARK);
    if (k < 0) fail('corrupt pickle: no mark');
    const items = stack.splice(k);
    items.shift();
    return items;
  };
  const global = (module: string, name: string): unknown => {
    const full = `${MODULE_ALIASES.get(module) ?? module}.${name}`;
    if (FUNCTIONS.has(full) || STORAGE_DTYPES.has(full) || TORCH_CONSTANTS.has(full)) {
      return { kind: 'global', name: full } satisfies PickleGlobal;
    }
    // torch.nn.functional.relu & co. are kept by modules as attributes (TransformerEncoderLayer.activation):
    // a reference to them is data; calling one is refused like any other call.
    if (/^torch\.nn\.functional\.[a-z_0-9]+$/.test(full))
      return { kind: 'global', name: full } satisfies PickleGlobal;
    if (isTorchModuleClass(full) || (options.torchScript === true && full.startsWith('__torch__.'))) {
      return { kind: 'global', name: full } satisfies PickleGlobal;
    }
    return fail(
      `the pickle refers to ${full}, which is not on the allow-list of data types (tensors, storages, ` +
        'containers, torch.nn modules), so the file is not loaded and nothing in it is run; save ' +
        'model.state_dict() (or use safetensors) instead'
    );
  };
  const asGlobal = (value: unknown, what: string): PickleGlobal => {
    if (!isGlobal(value)) return fail(`corrupt pickle: ${what} of something that is not a class or function`);
    return value;
  };
  const setItems = (target: unknown, items: unknown[]): void => {
    if (items.length % 2 !== 0) fail('corrupt pickle: a dict is given an odd number of keys and values');
    const map = target instanceof Map ? target : isObject(target) ? objectItems(target) : undefined;
    if (map === undefined) fail('corrupt pickle: items set on something that is not a dict');
    for (let k = 0; k < items.length; k += 2)
      (map as Map<unknown, unknown>).set(dictKey(items[k]), items[k + 1]);
    holds(target, items);
  };
  const appendItems = (target: unknown, items: unknown[]): void => {
    if (Array.isArray(target)) {
      for (const item of items) target.push(item);
    } else if (isObject(target)) {
      const list = objectList(target);
      for (const item of items) list.push(item);
    } else {
      fail('corrupt pickle: items appended to something that is not a list');
    }
    holds(target, items);
  };

  for (;;) {
    if (stack.length > MAX_PICKLE_STACK) {
      fail(
        `the pickle holds more than ${MAX_PICKLE_STACK} values on its stack at once at byte ${at} ` +
          '(nesting or a tuple larger than a checkpoint has); not a checkpoint'
      );
    }
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) fail('unsupported pickle protocol (above 5)');
        break;
      case 0x95: // FRAME
        u64();
        break;
      case 0x2e: // STOP
        if (stack.length !== 1) fail('corrupt pickle: it stops with a malformed stack');
        return { value: stack[0], end: at };
      case 0x28: // MARK
        stack.push(MARK);
        break;
      case 0x30: // POP
        if (stack.pop() === undefined) fail('corrupt pickle: stack underflow');
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x49: {
        // INT (text; "01"/"00" are True/False)
        const s = line();
        stack.push(s === '01' ? true : s === '00' ? false : parseInteger(s, fail));
        break;
      }
      case 0x4c: // LONG (text, trailing L)
        stack.push(parseInteger(line().replace(/L$/, ''), fail));
        break;
      case 0x4a: // BININT
        need(4);
        at += 4;
        stack.push(view.getInt32(at - 4, true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(u16());
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianSigned(take(u8())));
        break;
      case 0x8b: {
        // LONG4 (a checkpoint's integers fit in 64 bits; a huge one would only cost quadratic time)
        const n = u32();
        if (n > 64) fail(`the pickle holds an integer of ${n} bytes; refusing integers over 64 bytes`);
        stack.push(littleEndianSigned(take(n)));
        break;
      }
      case 0x46: {
        // FLOAT (text)
        const v = Number(line());
        if (Number.isNaN(v)) fail('corrupt pickle: a float is not a number');
        stack.push(v);
        break;
      }
      case 0x47: // BINFLOAT (big-endian)
        need(8);
        at += 8;
        stack.push(view.getFloat64(at - 8, false));
        break;
      case 0x53: {
        // STRING (quoted text)
        const s = line();
        stack.push(s.slice(1, -1));
        break;
      }
      case 0x54: // BINSTRING
        stack.push(latin1(take(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(latin1(take(u8())));
        break;
      case 0x56: // UNICODE (raw-unicode-escape text)
        stack.push(line());
        break;
      case 0x58: // BINUNICODE
        stack.push(text(u32()));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(text(u8()));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(text(u64()));
        break;
      case 0x42: // BINBYTES
        stack.push(take(u32()));
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(take(u8()));
        break;
      case 0x8e: // BINBYTES8
      case 0x96: // BYTEARRAY8
        stack.push(take(u64()));
        break;
      case 0x5d: // EMPTY_LIST
      case 0x29: // EMPTY_TUPLE
      case 0x8f: // EMPTY_SET
        stack.push(made([]));
        break;
      case 0x6c: // LIST
      case 0x74: // TUPLE
      case 0x91: {
        // FROZENSET
        const items = popMark();
        stack.push(made(items, items));
        break;
      }
      case 0x85: {
        // TUPLE1
        const a = pop();
        stack.push(made([a], [a]));
        break;
      }
      case 0x86: {
        // TUPLE2
        const b = pop();
        const a = pop();
        stack.push(made([a, b], [a, b]));
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        const a = pop();
        stack.push(made([a, b, c], [a, b, c]));
        break;
      }
      case 0x61: {
        // APPEND
        const item = pop();
        appendItems(top(), [item]);
        break;
      }
      case 0x65: // APPENDS
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        appendItems(top(), items);
        break;
      }
      case 0x7d: // EMPTY_DICT
        stack.push(made(new Map()));
        break;
      case 0x64: {
        // DICT
        const map = made(new Map<unknown, unknown>());
        setItems(map, popMark());
        stack.push(map);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x70: // PUT
        memo.set(parseMemoIndex(line(), fail), top());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x67: // GET
      case 0x68: // BINGET
      case 0x6a: {
        // LONG_BINGET
        const index = op === 0x67 ? parseMemoIndex(line(), fail) : op === 0x68 ? u8() : u32();
        if (!memo.has(index)) fail(`corrupt pickle: memo entry ${index} is read before it is written`);
        stack.push(memo.get(index));
        break;
      }
      case 0x63: {
        // GLOBAL
        const module = line();
        stack.push(global(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string')
          fail('corrupt pickle: STACK_GLOBAL of non-strings');
        stack.push(global(module as string, name as string));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const fn = asGlobal(pop(), 'a call');
        if (!Array.isArray(args))
          fail(`corrupt pickle: ${fn.name} is called with arguments that are not a tuple`);
        stack.push(made(call(fn, args as unknown[], fail), [args]));
        break;
      }
      case 0x81: {
        // NEWOBJ
        const args = pop();
        const cls = asGlobal(pop(), 'an instance');
        stack.push(made(instance(cls, Array.isArray(args) ? args : [], fail), [args]));
        break;
      }
      case 0x92: {
        // NEWOBJ_EX
        pop(); // kwargs
        const args = pop();
        const cls = asGlobal(pop(), 'an instance');
        stack.push(made(instance(cls, Array.isArray(args) ? args : [], fail), [args]));
        break;
      }
      case 0x62: {
        // BUILD
        const state = pop();
        const target = top();
        if (isObject(target)) target.state = state;
        else if (!(target instanceof Map) && !isTensor(target))
          fail('corrupt pickle: BUILD on a value that has no state');
        holds(target, [state]);
        break;
      }
      case 0x50: // PERSID
      case 0x51: {
        // BINPERSID
        const pid = op === 0x50 ? line() : pop();
        if (options.persistentLoad === undefined)
          fail('corrupt pickle: a persistent id where none is expected');
        stack.push(options.persistentLoad?.(pid));
        break;
      }
      default:
        fail(
          `the pickle uses opcode 0x${op.toString(16).padStart(2, '0')} at byte ${at - 1}, which this reader does not interpret ` +
            '(not a PyTorch checkpoint, or a corrupt one)'
        );
    }
  }
}

function call(fn: PickleGlobal, args: unknown[], fail: (problem: string) => never): unknown {
  switch (fn.name) {
    case 'torch._utils._rebuild_tensor':
    case 'torch._utils._rebuild_tensor_v2':
    case 'torch._utils._rebuild_tensor_v3': {
      const [storage, offset, shape, stride] = args;
      if (!isStorage(storage))
        return fail('corrupt checkpoint: a tensor is rebuilt from something that is not a storage');
      if (
        typeof offset !== 'number' ||
        !isIntList(shape) ||
        !isIntList(stride) ||
        shape.length !== stride.length
      ) {
        return fail('corrupt checkpoint: a tensor has a malformed offset, shape or stride');
      }
      return { kind: 'tensor', storage, offset, shape, stride } satisfies PickleTensor;
    }
    case 'torch._utils._rebuild_parameter':
    case 'torch._utils._rebuild_parameter_with_state':
    case 'torch.nn.parameter.Parameter':
      return args[0];
    case 'torch._tensor._rebuild_from_type_v2': {
      const [inner, , innerArgs] = args;
      if (!isGlobal(inner) || !Array.isArray(innerArgs))
        return fail('corrupt checkpoint: malformed tensor subclass');
      return call(inner, innerArgs, fail);
    }
    case 'collections.OrderedDict':
    case 'builtins.dict': {
      const map = new Map<unknown, unknown>();
      const pairs = args[0];
      if (Array.isArray(pairs)) {
        for (const pair of pairs)
          if (Array.isArray(pair) && pair.length === 2) map.set(dictKey(pair[0]), pair[1]);
      }
      return map;
    }
    case 'builtins.set':
    case 'builtins.frozenset':
    case 'builtins.list':
    case 'builtins.tuple':
      return Array.isArray(args[0]) ? [...(args[0] as unknown[])] : [];
    case '_codecs.encode':
      return typeof args[0] === 'string'
        ? Uint8Array.from(args[0], c => c.charCodeAt(0) & 0xff)
        : new Uint8Array();
    case 'builtins.bytearray':
      return args[0] instanceof Uint8Array ? args[0] : new Uint8Array();
    case 'torch.device':
      return String(args[0]);
    case 'torch.Size':
    case 'torch.jit._pickle.build_intlist':
    case 'torch.jit._pickle.build_doublelist':
    case 'torch.jit._pickle.build_boollist':
    case 'torch.jit._pickle.restore_type_tag':
      return args[0];
    case 'builtins.slice':
    case 'builtins.complex':
      return [...args];
    case 'copyreg._reconstructor': {
      const cls = args[0];
      if (!isGlobal(cls))
        return fail('corrupt pickle: copyreg._reconstructor of something that is not a class');
      return instance(cls, [], fail);
    }
    default:
      if (isTorchModuleClass(fn.name) || fn.name.startsWith('__torch__.')) return instance(fn, args, fail);
      return fail(`the pickle calls ${fn.name}, which is data, not a function`);
  }
}

function instance(cls: PickleGlobal, args: unknown[], fail: (problem: string) => never): unknown {
  if (cls.name === 'collections.OrderedDict' || cls.name === 'builtins.dict') return new Map();
  if (cls.name === 'builtins.set' || cls.name === 'builtins.list') return [];
  if (isTorchModuleClass(cls.name) || cls.name.startsWith('__torch__.') || cls.name === 'builtins.object') {
    return { kind: 'object', cls: cls.name, args, state: undefined } satisfies PickleObject;
  }
  return fail(`the pickle makes an instance of ${cls.name}, which is not a class this reader reads as data`);
}

/** Extra items of an object (its dict/list part), kept out of sight of the state. */
const objectExtras = new WeakMap<PickleObject, { items: Map<unknown, unknown>; list: unknown[] }>();
function extras(o: PickleObject): { items: Map<unknown, unknown>; list: unknown[] } {
  let e = objectExtras.get(o);
  if (e === undefined) {
    e = { items: new Map(), list: [] };
    objectExtras.set(o, e);
  }
  return e;
}
const objectItems = (o: PickleObject): Map<unknown, unknown> => extras(o).items;
const objectList = (o: PickleObject): unknown[] => extras(o).list;

function dictKey(key: unknown): unknown {
  // Tuples as keys would compare by identity in a Map; join them into text (they only name things).
  return Array.isArray(key) ? key.map(scalarText).join(',') : key;
}

/**
 * A value from the file as text for keys and messages, without recursion: scalars as `String` does,
 * containers by kind (`[list]`, `[dict]`), however deep they nest.
 *
 * @example
 * ```ts
 * scalarText(3); // '3'
 * scalarText([[1]]); // '[list]'
 * ```
 */
export function scalarText(v: unknown): string {
  if (typeof v !== 'object' || v === null) return String(v);
  if (Array.isArray(v)) return '[list]';
  if (v instanceof Map) return '[dict]';
  if (v instanceof Uint8Array) return '[bytes]';
  return isGlobal(v) ? v.name : `[${String((v as { kind?: unknown }).kind ?? 'object')}]`;
}

function isGlobal(v: unknown): v is PickleGlobal {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'global';
}

/** Whether a value from {@link unpickle} is an allow-listed object. */
export function isObject(v: unknown): v is PickleObject {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'object';
}

/** Whether a value from {@link unpickle} is a tensor. */
export function isTensor(v: unknown): v is PickleTensor {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'tensor';
}

/** Whether a value from {@link unpickle} is a storage. */
export function isStorage(v: unknown): v is PickleStorage {
  return typeof v === 'object' && v !== null && (v as { kind?: unknown }).kind === 'storage';
}

/** The name of an allow-listed global value (a storage class, say), or `undefined`. */
export function globalName(v: unknown): string | undefined {
  return isGlobal(v) ? v.name : undefined;
}

function isIntList(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(d => typeof d === 'number' && Number.isSafeInteger(d));
}

function latin1(b: Uint8Array): string {
  let s = '';
  for (let k = 0; k < b.length; k += 4096) s += String.fromCharCode(...b.subarray(k, k + 4096));
  return s;
}

function littleEndianSigned(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let v = 0n;
  for (let k = b.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(b[k]);
  if (b[b.length - 1] & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseInteger(s: string, fail: (problem: string) => never): number | bigint {
  if (!/^[-+]?\d+$/.test(s.trim())) return fail('corrupt pickle: an integer is not a number');
  const v = BigInt(s.trim());
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

function parseMemoIndex(s: string, fail: (problem: string) => never): number {
  const v = Number(s);
  if (!Number.isSafeInteger(v) || v < 0) fail('corrupt pickle: a memo index is not a whole number');
  return v;
}
