/**
 * A minimal, bounded HDF5 reader of the parts Keras and h5py write: superblock versions 0 and 1, object
 * headers version 1 and 2, groups as symbol tables (v1 B-trees and local heaps) or compact link messages,
 * contiguous and compact datasets of little-endian numbers, attributes of numbers and strings (fixed-length
 * and variable-length, the latter from global heaps). Chunked or compressed datasets, dense link or
 * attribute storage and external files are refused with a message saying so.
 *
 * Every address and length is checked against the file before it is read; the group tree is walked with
 * an explicit stack and a visited set (no recursion on the file's nesting, no cycles); the number of
 * objects and messages is capped; dataset sizes are checked against the byte budget before decoding.
 */
import { NetworkError } from '../validate';
import { DTYPE_BYTES, Tensor, TensorDtype, decodeLittleEndian, shapeText } from './tensor';

/** An attribute value: numbers, strings, or lists of them. */
export type Hdf5Value = number | string | (number | string)[];

/** A dataset, not yet read. */
export interface Hdf5Dataset {
  readonly path: string;
  readonly shape: readonly number[];
  readonly attrs: ReadonlyMap<string, Hdf5Value>;
  /** Reads the values (checked against the budget first). */
  read(): Tensor;
}

/** A group with its attributes. */
export interface Hdf5Group {
  readonly path: string;
  readonly attrs: ReadonlyMap<string, Hdf5Value>;
}

/** The objects of an HDF5 file by path (`/`, `/model_weights/dense`, ...). */
export interface Hdf5File {
  readonly groups: ReadonlyMap<string, Hdf5Group>;
  readonly datasets: ReadonlyMap<string, Hdf5Dataset>;
}

/** Options of {@link parseHdf5}. */
export interface Hdf5Options {
  source?: string;
  /** Most bytes the decoded datasets may take (as doubles). Default 2 GiB. */
  maxBytes?: number;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_OBJECTS = 100_000;
const MAX_MESSAGES = 1_000_000;

interface Datatype {
  cls: number;
  size: number;
  dtype?: TensorDtype;
  /** Variable-length string (class 9, type 1) or fixed string (class 3). */
  string?: 'fixed' | 'vlen';
}

interface Message {
  type: number;
  at: number;
  size: number;
}

/**
 * Reads the group tree of an HDF5 file: groups and datasets with their attributes. Dataset values are read
 * on demand ({@link Hdf5Dataset.read}).
 *
 * @param bytes - the whole file.
 * @param options - `source` for messages, `maxBytes`.
 * @throws {@link NetworkError} naming the file and what is wrong: not HDF5, truncated, corrupt, or using
 *   features Keras does not write.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/keras_mlp.h5 as model.h5
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.h5'));
 * const h5 = parseHdf5(bytes, { source: 'model.h5' });
 * h5.datasets.get('/model_weights/hidden/sequential/hidden/kernel')?.shape; // [5, 6]
 * ```
 */
export function parseHdf5(bytes: Uint8Array, options: Hdf5Options = {}): Hdf5File {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  if (bytes.length < 64 || !SIGNATURE.every((b, k) => bytes[k] === b)) {
    fail('not an HDF5 file: it does not start with the HDF5 signature (truncated, or not HDF5)');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const check = (at: number, n: number, what: string): void => {
    if (!Number.isSafeInteger(at) || at < 0 || n < 0 || at + n > bytes.length) {
      fail(
        `truncated or corrupt HDF5 file: ${what} at byte ${at} (${n} bytes) lies outside the file (${bytes.length} bytes)`
      );
    }
  };
  const u8 = (at: number): number => (check(at, 1, 'a field'), bytes[at]);
  const u16 = (at: number): number => (check(at, 2, 'a field'), view.getUint16(at, true));
  const u32 = (at: number): number => (check(at, 4, 'a field'), view.getUint32(at, true));
  const u64 = (at: number): number => {
    check(at, 8, 'a field');
    const v = view.getBigUint64(at, true);
    return v === 0xffffffffffffffffn
      ? -1
      : v > BigInt(Number.MAX_SAFE_INTEGER)
        ? Number.MAX_SAFE_INTEGER
        : Number(v);
  };
  const sig = (at: number, text: string): boolean => {
    check(at, 4, `the ${text} signature`);
    return String.fromCharCode(bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]) === text;
  };
  const uN = (at: number, n: number): number =>
    n === 8 ? u64(at) : n === 4 ? u32(at) : n === 2 ? u16(at) : u8(at);

  const version = bytes[8];
  if (version > 1)
    fail(`HDF5 superblock version ${version} is not supported (Keras and h5py write version 0)`);
  const O = bytes[13];
  const L = bytes[14];
  if (O !== 8 || L !== 8)
    fail(`HDF5 offsets of ${O} and lengths of ${L} bytes are not supported (8 and 8 expected)`);
  const rootEntry = version === 0 ? 56 : 60;
  const rootHeader = u64(rootEntry + 8);

  let messagesSeen = 0;
  /** The messages of the object header at `addr`, continuation blocks followed with a queue. */
  const messages = (addr: number): Message[] => {
    const out: Message[] = [];
    check(addr, 16, 'an object header');
    const blocks: { at: number; end: number; v2: boolean }[] = [];
    const seen = new Set<number>();
    if (sig(addr, 'OHDR')) {
      if (bytes[addr + 4] !== 2) fail(`HDF5 object header version ${bytes[addr + 4]} is not supported`);
      const flags = bytes[addr + 5];
      let at = addr + 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
      const sizeBytes = 1 << (flags & 3);
      const chunk = uN(at, sizeBytes);
      at += sizeBytes;
      check(at, chunk, 'an object header chunk');
      blocks.push({ at, end: at + chunk, v2: true });
      const creationOrder = (flags & 0x04) !== 0;
      while (blocks.length > 0) {
        const block = blocks.shift() as { at: number; end: number; v2: boolean };
        let p = block.at;
        while (p + 4 <= block.end) {
          const type = bytes[p];
          const size = u16(p + 1);
          const head = 4 + (creationOrder ? 2 : 0);
          check(p + head, size, 'a header message');
          if (++messagesSeen > MAX_MESSAGES) fail('corrupt HDF5 file: too many header messages');
          if (type === 0x10) {
            const cont = u64(p + head);
            const length = u64(p + head + 8);
            if (!seen.has(cont)) {
              seen.add(cont);
              check(cont, length, 'an object header continuation');
              if (!sig(cont, 'OCHK'))
                fail('corrupt HDF5 file: a continuation block lacks its OCHK signature');
              blocks.push({ at: cont + 4, end: cont + length - 4, v2: true });
            }
          } else if (type !== 0) out.push({ type, at: p + head, size });
          p += head + size;
        }
      }
      return out;
    }
    if (bytes[addr] !== 1) fail(`HDF5 object header version ${bytes[addr]} at byte ${addr} is not supported`);
    const count = u16(addr + 2);
    const size = u32(addr + 8);
    check(addr + 16, size, 'an object header');
    blocks.push({ at: addr + 16, end: addr + 16 + size, v2: false });
    let left = count;
    while (blocks.length > 0 && left > 0) {
      const block = blocks.shift() as { at: number; end: number; v2: boolean };
      let p = block.at;
      while (p + 8 <= block.end && left > 0) {
        const type = u16(p);
        const msgSize = u16(p + 2);
        check(p + 8, msgSize, 'a header message');
        if (++messagesSeen > MAX_MESSAGES) fail('corrupt HDF5 file: too many header messages');
        left--;
        if (type === 0x10) {
          const cont = u64(p + 8);
          const length = u64(p + 16);
          if (!seen.has(cont)) {
            seen.add(cont);
            check(cont, length, 'an object header continuation');
            blocks.push({ at: cont, end: cont + length, v2: false });
          }
        } else if (type !== 0) out.push({ type, at: p + 8, size: msgSize });
        p += 8 + msgSize;
      }
    }
    return out;
  };

  const datatype = (at: number): Datatype => {
    const cls = u8(at) & 0x0f;
    const bits = u8(at + 1);
    const size = u32(at + 4);
    if (cls === 0 || cls === 1) {
      if (bits & 1) fail('big-endian HDF5 data is not supported');
      let dtype: TensorDtype | undefined;
      if (cls === 1)
        dtype = size === 2 ? 'float16' : size === 4 ? 'float32' : size === 8 ? 'float64' : undefined;
      else {
        const signed = (bits & 0x08) !== 0;
        dtype =
          size === 1
            ? signed
              ? 'int8'
              : 'uint8'
            : size === 2
              ? signed
                ? 'int16'
                : 'uint16'
              : size === 4
                ? signed
                  ? 'int32'
                  : 'uint32'
                : size === 8
                  ? signed
                    ? 'int64'
                    : 'uint64'
                  : undefined;
      }
      return { cls, size, ...(dtype !== undefined ? { dtype } : {}) };
    }
    if (cls === 3) return { cls, size, string: 'fixed' };
    if (cls === 9 && (bits & 0x0f) === 1) return { cls, size, string: 'vlen' };
    if (cls === 8) {
      // Enumeration (h5py's bool): its base type follows the 8-byte header.
      const base = datatype(at + 8);
      return { cls, size, ...(base.dtype !== undefined ? { dtype: base.dtype } : {}) };
    }
    return { cls, size };
  };

  const dataspace = (at: number): number[] => {
    const v = u8(at);
    const rank = u8(at + 1);
    if (v === 2 && u8(at + 3) === 2) return [0]; // null dataspace: no elements
    const start = v === 1 ? at + 8 : at + 4;
    const dims: number[] = [];
    for (let k = 0; k < rank; k++) dims.push(u64(start + 8 * k));
    return dims;
  };

  const count = (dims: readonly number[], what: string): number => {
    let n = 1;
    for (const d of dims) {
      if (d < 0) fail(`${what}: a dimension is undefined`);
      n *= d;
    }
    if (!Number.isSafeInteger(n)) fail(`${what}: shape ${shapeText(dims)} is too large`);
    return n;
  };

  const vlenString = (at: number): string => {
    const length = u32(at);
    const collection = u64(at + 4);
    const index = u32(at + 12);
    if (length === 0) return '';
    check(collection, 16, 'a global heap');
    if (!sig(collection, 'GCOL'))
      fail('corrupt HDF5 file: a variable-length string points to no global heap');
    const size = u64(collection + 8);
    check(collection, size, 'a global heap');
    let p = collection + 16;
    while (p + 16 <= collection + size) {
      const id = u16(p);
      const objSize = u64(p + 8);
      if (id === 0) break;
      check(p + 16, objSize, 'a global heap object');
      if (id === index) {
        if (length > objSize) fail('corrupt HDF5 file: a string is longer than its heap object');
        return new TextDecoder().decode(bytes.subarray(p + 16, p + 16 + length));
      }
      p += 16 + Math.ceil(objSize / 8) * 8;
    }
    return fail('corrupt HDF5 file: a variable-length string is missing from its global heap');
  };

  const attribute = (m: Message): [string, Hdf5Value] | undefined => {
    const v = u8(m.at);
    const nameSize = u16(m.at + 2);
    const typeSize = u16(m.at + 4);
    const spaceSize = u16(m.at + 6);
    const pad = (n: number): number => (v === 1 ? Math.ceil(n / 8) * 8 : n);
    let p = m.at + (v === 3 ? 9 : 8);
    check(p, nameSize, 'an attribute name');
    const name = new TextDecoder().decode(bytes.subarray(p, p + Math.max(0, nameSize - 1)));
    p += pad(nameSize);
    const type = datatype(p);
    p += pad(typeSize);
    const dims = dataspace(p);
    p += pad(spaceSize);
    const n = count(dims, `attribute ${name}`);
    if (n > 1_000_000) fail(`attribute ${name} holds ${n} values; refusing so large an attribute`);
    const values: (number | string)[] = [];
    if (type.string === 'fixed') {
      check(p, n * type.size, `attribute ${name}`);
      for (let k = 0; k < n; k++) {
        const raw = bytes.subarray(p + k * type.size, p + (k + 1) * type.size);
        const end = raw.indexOf(0);
        values.push(new TextDecoder().decode(end < 0 ? raw : raw.subarray(0, end)));
      }
    } else if (type.string === 'vlen') {
      check(p, n * 16, `attribute ${name}`);
      for (let k = 0; k < n; k++) values.push(vlenString(p + 16 * k));
    } else if (type.dtype !== undefined) {
      check(p, n * type.size, `attribute ${name}`);
      values.push(...decodeLittleEndian(bytes, p, type.dtype, n));
    } else {
      return undefined; // other types (references, compounds) are of no use here
    }
    return [name, dims.length === 0 ? values[0] : values];
  };

  let budget = options.maxBytes ?? 2 * 1024 ** 3;
  const groups = new Map<string, Hdf5Group>();
  const datasets = new Map<string, Hdf5Dataset>();
  const visited = new Set<number>();
  const stack: { path: string; header: number; symbolTable?: { btree: number; heap: number } }[] = [
    { path: '/', header: rootHeader }
  ];
  while (stack.length > 0) {
    const { path, header } = stack.pop() as { path: string; header: number };
    if (visited.has(header)) continue;
    visited.add(header);
    if (visited.size > MAX_OBJECTS) fail(`the HDF5 file holds more than ${MAX_OBJECTS} objects`);
    const msgs = messages(header);
    const attrs = new Map<string, Hdf5Value>();
    for (const m of msgs) {
      if (m.type === 0x0c) {
        const a = attribute(m);
        if (a !== undefined) attrs.set(a[0], a[1]);
      }
      if (m.type === 0x15) fail(`${path}: dense attribute storage is not supported`);
    }
    const layout = msgs.find(m => m.type === 0x08);
    if (layout !== undefined) {
      const typeMsg = msgs.find(m => m.type === 0x03);
      const spaceMsg = msgs.find(m => m.type === 0x01);
      if (typeMsg === undefined || spaceMsg === undefined)
        fail(`${path}: a dataset without datatype or dataspace`);
      const type = datatype((typeMsg as Message).at);
      const dims = dataspace((spaceMsg as Message).at);
      const lv = u8(layout.at);
      const cls = u8(layout.at + 1);
      if (lv < 3) fail(`${path}: HDF5 data layout version ${lv} is not supported`);
      let dataAt = -1;
      let dataSize = 0;
      if (cls === 0) {
        dataSize = u16(layout.at + 2);
        dataAt = layout.at + 4;
      } else if (cls === 1) {
        dataAt = u64(layout.at + 2);
        dataSize = u64(layout.at + 10);
      }
      const where = path;
      datasets.set(path, {
        path,
        shape: dims,
        attrs,
        read: (): Tensor => {
          if (cls === 2 || cls === 3)
            fail(`${where}: chunked (or compressed) datasets are not supported; save without compression`);
          if (type.dtype === undefined) fail(`${where}: datatype class ${type.cls} is not numeric`);
          const dtype = type.dtype as TensorDtype;
          const n = count(dims, where);
          budget -= 8 * n;
          if (budget < 0) fail(`${where} ${shapeText(dims)} is over the byte budget`);
          if (n > 0 && dataAt < 0) fail(`${where}: the dataset has no data written`);
          if (dataSize !== n * DTYPE_BYTES[dtype]) {
            fail(`${where}: ${dataSize} bytes of data for shape ${shapeText(dims)} (${dtype})`);
          }
          check(dataAt, dataSize, `the data of ${where}`);
          return { dtype, shape: dims, data: decodeLittleEndian(bytes, dataAt, dtype, n) };
        }
      });
      continue;
    }
    groups.set(path, { path, attrs });
    const join = (name: string): string => (path === '/' ? `/${name}` : `${path}/${name}`);
    const symbols = msgs.find(m => m.type === 0x11);
    if (symbols !== undefined) {
      const btree = u64(symbols.at);
      const heap = u64(symbols.at + 8);
      check(heap, 32, 'a local heap');
      if (!sig(heap, 'HEAP')) fail(`${path}: corrupt HDF5 file: the group's local heap lacks its signature`);
      const heapData = u64(heap + 24);
      const heapSize = u64(heap + 8);
      check(heapData, heapSize, 'a local heap');
      const nameAt = (offset: number): string => {
        if (offset >= heapSize) fail('corrupt HDF5 file: a link name lies outside its heap');
        const start = heapData + offset;
        const end = bytes.indexOf(0, start);
        if (end < 0 || end > heapData + heapSize) fail('corrupt HDF5 file: a link name is not terminated');
        return new TextDecoder().decode(bytes.subarray(start, end));
      };
      const nodes = [btree];
      const seenNodes = new Set<number>();
      while (nodes.length > 0) {
        const node = nodes.pop() as number;
        if (node < 0 || seenNodes.has(node)) continue;
        seenNodes.add(node);
        if (seenNodes.size > MAX_OBJECTS) fail('corrupt HDF5 file: too many B-tree nodes');
        if (sig(node, 'TREE')) {
          const used = u16(node + 6);
          for (let k = 0; k < used; k++) {
            // Keys and children interleave after the 24-byte node header: key0, child0, key1, child1, ...
            nodes.push(u64(node + 24 + 8 + 16 * k));
          }
        } else if (sig(node, 'SNOD')) {
          const n = u16(node + 6);
          for (let k = 0; k < n; k++) {
            const entry = node + 8 + 40 * k;
            const name = nameAt(u64(entry));
            stack.push({ path: join(name), header: u64(entry + 8) });
          }
        } else {
          fail(`${path}: corrupt HDF5 file: a group's B-tree points to neither a node nor a symbol table`);
        }
      }
    }
    for (const m of msgs) {
      if (m.type === 0x02 && u64(m.at + 2 + (u8(m.at + 1) & 1 ? 8 : 0)) >= 0) {
        fail(`${path}: dense link storage (large groups of new-style HDF5) is not supported`);
      }
      if (m.type !== 0x06) continue;
      // Link message: version, flags, [type], [creation order], [charset], name length, name, target.
      const flags = u8(m.at + 1);
      let p = m.at + 2;
      const linkType = flags & 0x08 ? u8(p++) : 0;
      if (flags & 0x04) p += 8;
      if (flags & 0x10) p++;
      const lenBytes = 1 << (flags & 3);
      const nameLength = uN(p, lenBytes);
      p += lenBytes;
      check(p, nameLength, 'a link name');
      const name = new TextDecoder().decode(bytes.subarray(p, p + nameLength));
      p += nameLength;
      if (linkType === 0) stack.push({ path: join(name), header: u64(p) });
    }
  }
  return { groups, datasets };
}
