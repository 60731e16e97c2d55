/**
 * Reading `.safetensors` files (Hugging Face's format, what `safetensors.torch.save_file` writes).
 *
 * Layout: an unsigned 64-bit little-endian header length `N`, `N` bytes of UTF-8 JSON
 * `{"<name>": {"dtype": "F32", "shape": [out, in], "data_offsets": [begin, end]}, "__metadata__"?: {...}}`
 * (possibly padded with spaces), then the raw little-endian data; offsets count from the end of the header
 * and the tensors cover the data without gaps or overlaps.
 */
import { NetworkError } from '../validate';
import { JSON_EXPANSION, MAX_TENSORS, MemoryBudget } from './budget';
import {
  DTYPE_BYTES,
  Tensor,
  TensorDtype,
  TensorMap,
  asBytes,
  decodeLittleEndian,
  elementCount,
  shapeText
} from './tensor';

/** Largest JSON header accepted (the reference implementation's limit, 100 MB). */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

const DTYPES: ReadonlyMap<string, TensorDtype> = new Map<string, TensorDtype>([
  ['BOOL', 'bool'],
  ['U8', 'uint8'],
  ['I8', 'int8'],
  ['U16', 'uint16'],
  ['I16', 'int16'],
  ['U32', 'uint32'],
  ['I32', 'int32'],
  ['U64', 'uint64'],
  ['I64', 'int64'],
  ['F16', 'float16'],
  ['BF16', 'bfloat16'],
  ['F32', 'float32'],
  ['F64', 'float64']
]);

interface Entry {
  name: string;
  dtype: TensorDtype;
  shape: number[];
  begin: number;
  end: number;
}

/**
 * Reads every tensor of a `.safetensors` file.
 *
 * @param input - the whole file.
 * @param source - the file name, used in error messages.
 * @param budget - memory the reader may allocate: the header's parse and every tensor's decoded doubles
 *   are charged before they are made.
 * @returns the tensors by name, in header order (`__metadata__` is not a tensor and is left out).
 * @throws {@link NetworkError} naming the file and what is wrong: a file shorter than its header says
 *   (truncated), an absurd header length, a header that is not JSON, an unknown or unsupported dtype (e.g.
 *   8-bit floats), offsets outside the data or overlapping, a byte count that does not match the shape.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/sequential_f32.safetensors as model.safetensors
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.safetensors'));
 * const tensors = parseSafetensors(bytes, 'model.safetensors');
 * tensors.get('0.weight')?.shape; // [7, 5]  (PyTorch: out × in)
 * ```
 */
export function parseSafetensors(
  input: Uint8Array | ArrayBuffer,
  source?: string,
  budget: MemoryBudget = new MemoryBudget(undefined, source)
): TensorMap {
  const bytes = asBytes(input);
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  if (bytes.length < 8) {
    fail(
      `not a safetensors file: ${bytes.length} bytes, too short for the 8-byte header length (truncated?)`
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(SAFETENSORS_MAX_HEADER_BYTES)) {
    fail(
      `not a safetensors file: the header length field says ${headerLength} bytes, more than the limit of ` +
        `${SAFETENSORS_MAX_HEADER_BYTES} (corrupt file, or another format)`
    );
  }
  const n = Number(headerLength);
  if (8 + n > bytes.length) {
    fail(
      `truncated safetensors file: the header needs ${n} bytes after the first 8, the file has ${bytes.length - 8}`
    );
  }
  if (n < 2 || bytes[8] !== 0x7b /* { */) {
    fail('not a safetensors file: the header does not start with "{"');
  }
  budget.charge(n * JSON_EXPANSION, `the ${n}-byte JSON header`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    return fail('corrupt safetensors header: it is not valid UTF-8');
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (err) {
    return fail(
      `corrupt safetensors header: not valid JSON (${err instanceof Error ? err.message : String(err)})`
    );
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    fail('corrupt safetensors header: expected a JSON object of tensors');
  }

  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === '__metadata__') continue;
    if (entries.length >= MAX_TENSORS) fail(`the header lists more than ${MAX_TENSORS} tensors`);
    entries.push(readEntry(name, value, fail, source));
  }

  const data = bytes.subarray(8 + n);
  // The format requires the tensors to tile the data exactly: any gap or overlap means corruption.
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let covered = 0;
  for (const e of byOffset) {
    if (e.begin < covered) {
      const other = byOffset.find(o => o !== e && o.begin < e.end && e.begin < o.end);
      fail(
        `corrupt safetensors header: tensor "${e.name}" (bytes ${e.begin}–${e.end}) overlaps ` +
          `"${other?.name ?? '?'}"${other ? ` (bytes ${other.begin}–${other.end})` : ''}`
      );
    }
    if (e.begin > covered) {
      fail(`corrupt safetensors header: data bytes ${covered}–${e.begin} belong to no tensor`);
    }
    covered = e.end;
  }
  if (covered > data.length) {
    const last = byOffset[byOffset.length - 1];
    fail(
      `truncated safetensors file: tensor "${last.name}" needs data bytes up to ${last.end}, ` +
        `the file has ${data.length} data bytes`
    );
  }
  if (covered < data.length) {
    fail(
      `corrupt safetensors file: ${data.length - covered} data bytes after the last tensor belong to no tensor`
    );
  }

  const out = new Map<string, Tensor>();
  for (const e of entries) {
    const count = (e.end - e.begin) / DTYPE_BYTES[e.dtype];
    budget.charge(count * 8, `tensor "${e.name}" ${shapeText(e.shape)}`);
    out.set(e.name, {
      dtype: e.dtype,
      shape: e.shape,
      data: decodeLittleEndian(data, e.begin, e.dtype, count)
    });
  }
  return out;
}

function readEntry(name: string, value: unknown, fail: (problem: string) => never, source?: string): Entry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(`corrupt safetensors header: the entry of tensor "${name}" is not an object`);
  }
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') return fail(`tensor "${name}": dtype is missing or not a string`);
  const type = DTYPES.get(dtype);
  if (type === undefined) {
    fail(
      `tensor "${name}" has dtype ${dtype}, which nnmotifs does not read ` +
        `(supported: ${[...DTYPES.keys()].join(', ')})`
    );
  }
  const count = elementCount(shape, `tensor "${name}"`, source);
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every(o => typeof o === 'number' && Number.isSafeInteger(o) && o >= 0) ||
    offsets[1] < offsets[0]
  ) {
    fail(`tensor "${name}": data_offsets must be [begin, end] with 0 ≤ begin ≤ end`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = count * DTYPE_BYTES[type as TensorDtype];
  if (end - begin !== expected) {
    fail(
      `tensor "${name}": shape ${shapeText(shape as number[])} of ${dtype} needs ${expected} bytes, ` +
        `but data_offsets [${begin}, ${end}] span ${end - begin}`
    );
  }
  return { name, dtype: type as TensorDtype, shape: [...(shape as number[])], begin, end };
}
