/**
 * Reading NumPy `.npy` arrays (format versions 1.0, 2.0 and 3.0), the members of an `.npz` archive.
 *
 * Layout: the magic `\x93NUMPY`, major and minor version bytes, the header length (2 bytes little-endian
 * in version 1, 4 bytes in versions 2 and 3), then a Python dict literal such as
 * `{'descr': '<f4', 'fortran_order': False, 'shape': (32, 10), }` (Latin-1 in versions 1–2, UTF-8 in 3),
 * then the raw data.
 */
import { NetworkError } from '../validate';
import { MemoryBudget } from './budget';
import {
  DTYPE_BYTES,
  Tensor,
  TensorDtype,
  asBytes,
  decodeLittleEndian,
  elementCount,
  shapeText
} from './tensor';

/** Largest `.npy` header accepted. NumPy itself refuses headers over 10,000 bytes by default. */
export const NPY_MAX_HEADER_BYTES = 65_536;

/** Little-endian (or byte-order free) type codes of the element types we read. */
const DESCRS: ReadonlyMap<string, TensorDtype> = new Map<string, TensorDtype>([
  ['|b1', 'bool'],
  ['|u1', 'uint8'],
  ['|i1', 'int8'],
  ['<u2', 'uint16'],
  ['<i2', 'int16'],
  ['<u4', 'uint32'],
  ['<i4', 'int32'],
  ['<u8', 'uint64'],
  ['<i8', 'int64'],
  ['<f2', 'float16'],
  ['<f4', 'float32'],
  ['<f8', 'float64']
]);

/** Deepest nesting of tuples, lists and dicts accepted in a header (NumPy writes depth 2). */
const MAX_HEADER_DEPTH = 16;

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Where an `.npy` file's data lies and what it holds, from its preamble and header alone. */
export interface NpyLayout {
  readonly header: { readonly descr: TensorDtype; readonly fortranOrder: boolean; readonly shape: number[] };
  readonly dtype: TensorDtype;
  /** Elements of the array. */
  readonly count: number;
  /** Byte offset of the data. */
  readonly dataStart: number;
  /** Bytes of data the header describes. */
  readonly needed: number;
}

/** Most bytes of an `.npy` file {@link npyLayout} needs: preamble and the largest header accepted. */
export const NPY_MAX_PREFIX_BYTES = 12 + NPY_MAX_HEADER_BYTES;

/**
 * Reads an `.npy` file's preamble and header from its first bytes (at most {@link NPY_MAX_PREFIX_BYTES}
 * are needed): the dtype, shape and the size of the data they describe, so the whole size of the file is
 * known — and checked — before the rest is read or inflated.
 *
 * @throws {@link NetworkError} as {@link parseNpy} does for a bad preamble or header.
 * @example
 * ```ts
 * // example: compile-only, reads a file written by NumPy
 * const firstBytes = new Uint8Array(await (await import('node:fs/promises')).readFile('w.npy'));
 * npyLayout(firstBytes, 'w.npy').needed; // 4 * 32 * 10 for '<f4' of shape (32, 10)
 * ```
 */
export function npyLayout(bytes: Uint8Array, source?: string): NpyLayout {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  if (bytes.length < 10 || !MAGIC.every((b, k) => bytes[k] === b)) {
    fail(
      bytes.length < 10 && MAGIC.slice(0, bytes.length).every((b, k) => bytes[k] === b)
        ? `truncated .npy file: ${bytes.length} bytes, too short for its preamble`
        : 'not a .npy array: it does not start with the magic "\\x93NUMPY"'
    );
  }
  const major = bytes[6];
  if (major < 1 || major > 3) {
    fail(`unsupported .npy format version ${major}.${bytes[7]} (nnmotifs reads versions 1, 2 and 3)`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLength: number;
  let start: number;
  if (major === 1) {
    headerLength = view.getUint16(8, true);
    start = 10;
  } else {
    if (bytes.length < 12) fail(`truncated .npy file: ${bytes.length} bytes, too short for its preamble`);
    headerLength = view.getUint32(8, true);
    start = 12;
  }
  if (headerLength > NPY_MAX_HEADER_BYTES) {
    fail(
      `.npy header length says ${headerLength} bytes, more than the limit of ${NPY_MAX_HEADER_BYTES} ` +
        '(corrupt file?)'
    );
  }
  if (start + headerLength > bytes.length) {
    fail(
      `truncated .npy file: the header needs ${headerLength} bytes, only ${bytes.length - start} are left`
    );
  }
  const headerBytes = bytes.subarray(start, start + headerLength);
  let text: string;
  try {
    text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: true }).decode(headerBytes);
  } catch {
    return fail('corrupt .npy header: it is not valid UTF-8');
  }
  const header = parseHeader(text, fail);
  const dtype = header.descr;
  const count = elementCount(header.shape, 'the array', source);
  const dataStart = start + headerLength;
  const needed = count * DTYPE_BYTES[dtype];
  return { header, dtype, count, dataStart, needed };
}

/**
 * Reads one `.npy` array.
 *
 * Fortran-ordered arrays are transposed into C order, so `data` is always row-major in `shape`.
 *
 * @param input - the whole `.npy` file.
 * @param source - the file (or `archive.npz:member.npy`) name used in error messages.
 * @param budget - memory the reader may allocate: the decoded doubles are charged before they are made.
 * @throws {@link NetworkError} naming the file and what is wrong: not an `.npy` file, unknown version,
 *   truncated header or data, a header over {@link NPY_MAX_HEADER_BYTES}, big-endian data, object or
 *   structured arrays, unsupported element types, extra bytes after the data.
 * @example
 * ```ts
 * // example: compile-only, reads a file written by NumPy
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('w.npy'));
 * const arr = parseNpy(bytes, 'w.npy');
 * arr.shape; // [32, 10]
 * ```
 */
export function parseNpy(
  input: Uint8Array | ArrayBuffer,
  source?: string,
  budget: MemoryBudget = new MemoryBudget(undefined, source)
): Tensor {
  const bytes = asBytes(input);
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const { header, dtype, count, dataStart, needed } = npyLayout(bytes, source);
  const available = bytes.length - dataStart;
  if (available < needed) {
    fail(
      `truncated .npy data: shape ${shapeText(header.shape)} of ${dtype} needs ${needed} bytes, ` +
        `the file has ${available}`
    );
  }
  if (available > needed) {
    fail(`corrupt .npy file: ${available - needed} bytes after the data of shape ${shapeText(header.shape)}`);
  }
  budget.charge(count * 8 * (header.fortranOrder ? 2 : 1), `the array ${shapeText(header.shape)}`);
  const raw = decodeLittleEndian(bytes, dataStart, dtype, count);
  const data = header.fortranOrder ? fortranToC(raw, header.shape) : raw;
  return { dtype, shape: header.shape, data };
}

interface NpyHeader {
  descr: TensorDtype;
  fortranOrder: boolean;
  shape: number[];
}

/** A value of the header's Python literal: a string, a boolean, an integer, a tuple/list or a dict. */
type PyValue = string | boolean | number | null | PyValue[] | { [key: string]: PyValue };

function parseHeader(text: string, fail: (problem: string) => never): NpyHeader {
  let value: PyValue;
  try {
    value = new PyLiteralParser(text).parseAll();
  } catch (err) {
    return fail(
      `corrupt .npy header: ${err instanceof Error ? err.message : String(err)} in ${JSON.stringify(text.trim())}`
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(`corrupt .npy header: expected a dict, found ${JSON.stringify(text.trim())}`);
  }
  const { descr, fortran_order: fortranOrder, shape } = value;
  if (typeof descr !== 'string') {
    return fail(
      Array.isArray(descr)
        ? 'structured (record) arrays are not supported: store each field as its own array'
        : `corrupt .npy header: "descr" is missing or not a string`
    );
  }
  if (typeof fortranOrder !== 'boolean')
    fail('corrupt .npy header: "fortran_order" is missing or not True/False');
  if (!Array.isArray(shape) || !shape.every(d => typeof d === 'number')) {
    fail('corrupt .npy header: "shape" is missing or not a tuple of integers');
  }
  const dtype = DESCRS.get(descr) ?? DESCRS.get(descr.replace(/^=/, '<'));
  if (dtype === undefined) {
    if (descr.endsWith('O')) {
      fail('object arrays (dtype object, pickled) are not supported: save numeric arrays');
    }
    if (descr.startsWith('>')) {
      fail(
        `big-endian arrays (dtype ${descr}) are not supported: save with arr.astype("<${descr.slice(1)}")`
      );
    }
    fail(`unsupported element type ${descr} (supported: ${[...DESCRS.keys()].join(', ')})`);
  }
  return { descr: dtype as TensorDtype, fortranOrder: fortranOrder as boolean, shape: shape as number[] };
}

/** Reorders a column-major (Fortran) array of `shape` into row-major (C) order. */
function fortranToC(src: Float64Array, shape: readonly number[]): Float64Array {
  const n = src.length;
  const d = shape.length;
  if (d < 2 || n === 0) return src;
  // Strides of a Fortran array: the first index varies fastest.
  const fStride = new Array<number>(d);
  fStride[0] = 1;
  for (let a = 1; a < d; a++) fStride[a] = fStride[a - 1] * shape[a - 1];
  const out = new Float64Array(n);
  const index = new Array<number>(d).fill(0);
  let f = 0; // Fortran offset of the current C-order index
  for (let c = 0; c < n; c++) {
    out[c] = src[f];
    // Advance the C-order index (last axis fastest), keeping the Fortran offset in step.
    for (let a = d - 1; a >= 0; a--) {
      index[a]++;
      f += fStride[a];
      if (index[a] < shape[a]) break;
      f -= fStride[a] * shape[a];
      index[a] = 0;
    }
  }
  return out;
}

/** Parses the subset of Python literals `.npy` headers use: dicts, tuples, lists, strings, ints, booleans. */
class PyLiteralParser {
  private pos = 0;
  private depth = 0;

  constructor(private readonly text: string) {}

  parseAll(): PyValue {
    const value = this.value();
    this.space();
    if (this.pos !== this.text.length) throw new Error(`unexpected ${JSON.stringify(this.text[this.pos])}`);
    return value;
  }

  private space(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  private value(): PyValue {
    this.space();
    const ch = this.text[this.pos];
    if (ch === '{' || ch === '(' || ch === '[') {
      if (++this.depth > MAX_HEADER_DEPTH) throw new Error(`nesting deeper than ${MAX_HEADER_DEPTH} levels`);
      const value = ch === '{' ? this.dict() : this.sequence(ch === '(' ? ')' : ']');
      this.depth--;
      return value;
    }
    if (ch === "'" || ch === '"') return this.string();
    const word = /^(True|False|None|-?\d+L?)/.exec(this.text.slice(this.pos));
    if (word === null)
      throw new Error(`unexpected ${ch === undefined ? 'end of header' : JSON.stringify(ch)}`);
    this.pos += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0].replace(/L$/, ''));
  }

  private expect(ch: string): void {
    this.space();
    if (this.text[this.pos] !== ch) {
      throw new Error(`expected ${JSON.stringify(ch)} at position ${this.pos}`);
    }
    this.pos++;
  }

  /** Whether the next character closes the current container (and consumes it if so). */
  private closes(close: string): boolean {
    this.space();
    if (this.text[this.pos] === close) {
      this.pos++;
      return true;
    }
    return false;
  }

  private dict(): { [key: string]: PyValue } {
    this.expect('{');
    const out: { [key: string]: PyValue } = Object.create(null) as { [key: string]: PyValue };
    while (!this.closes('}')) {
      const key = this.value();
      if (typeof key !== 'string') throw new Error('a dict key is not a string');
      this.expect(':');
      out[key] = this.value();
      if (!this.closes(',')) {
        this.expect('}');
        break;
      }
    }
    return out;
  }

  private sequence(close: string): PyValue[] {
    this.pos++;
    const out: PyValue[] = [];
    while (!this.closes(close)) {
      out.push(this.value());
      if (!this.closes(',')) {
        this.expect(close);
        break;
      }
    }
    return out;
  }

  private string(): string {
    const quote = this.text[this.pos++];
    let out = '';
    while (this.pos < this.text.length && this.text[this.pos] !== quote) {
      if (this.text[this.pos] === '\\') this.pos++;
      out += this.text[this.pos++];
    }
    if (this.pos >= this.text.length) throw new Error('unterminated string');
    this.pos++;
    return out;
  }
}
