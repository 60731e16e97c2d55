/**
 * Named n-dimensional arrays read from weight files (`.safetensors`, `.npz`, TF.js weight shards), and the
 * little-endian decoding they share.
 *
 * Every value is decoded to a double: float16/bfloat16/float32 convert exactly, 64-bit integers beyond
 * ±2^53 lose precision (they only ever hold masks and counters in the files we read).
 */
import { NetworkError } from '../validate';

/** Element types the readers decode. */
export type TensorDtype =
  | 'float16'
  | 'bfloat16'
  | 'float32'
  | 'float64'
  | 'bool'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

/** One array from a weight file, in C (row-major) order. */
export interface Tensor {
  /** The element type stored in the file. */
  readonly dtype: TensorDtype;
  /** Dimensions, outermost first; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** The values as doubles, row-major; length = product of `shape`. */
  readonly data: Float64Array;
}

/** Tensors by name, in the order the file lists them. */
export type TensorMap = ReadonlyMap<string, Tensor>;

/** Bytes per element of each dtype. */
export const DTYPE_BYTES: Readonly<Record<TensorDtype, number>> = {
  float16: 2,
  bfloat16: 2,
  float32: 4,
  float64: 8,
  bool: 1,
  int8: 1,
  uint8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  uint64: 8
};

/**
 * The value of an IEEE 754 half-precision number given by its 16 bits.
 *
 * @example
 * ```ts
 * float16ToNumber(0x3c00); // 1
 * float16ToNumber(0xc000); // -2
 * ```
 */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24; // zero and subnormals
  if (exponent === 0x1f) return fraction === 0 ? sign * Infinity : NaN;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Scratch for bfloat16: its 16 bits are the upper half of a float32. */
const bf16View = new DataView(new ArrayBuffer(4));

/**
 * The value of a bfloat16 number given by its 16 bits (the upper half of a float32).
 *
 * @example
 * ```ts
 * bfloat16ToNumber(0x3f80); // 1
 * bfloat16ToNumber(0xc040); // -3
 * ```
 */
export function bfloat16ToNumber(bits: number): number {
  bf16View.setUint32(0, (bits & 0xffff) << 16);
  return bf16View.getFloat32(0);
}

/**
 * Decodes `count` little-endian values of `dtype` starting at `byteOffset` of `bytes` into doubles.
 * The caller has checked that the bytes are there.
 *
 * @example
 * ```ts
 * decodeLittleEndian(new Uint8Array([0, 0, 0x80, 0x3f]), 0, 'float32', 1); // Float64Array [1]
 * ```
 */
export function decodeLittleEndian(
  bytes: Uint8Array,
  byteOffset: number,
  dtype: TensorDtype,
  count: number
): Float64Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset + byteOffset, count * DTYPE_BYTES[dtype]);
  const out = new Float64Array(count);
  switch (dtype) {
    case 'float16':
      for (let k = 0; k < count; k++) out[k] = float16ToNumber(view.getUint16(2 * k, true));
      break;
    case 'bfloat16':
      for (let k = 0; k < count; k++) out[k] = bfloat16ToNumber(view.getUint16(2 * k, true));
      break;
    case 'float32':
      for (let k = 0; k < count; k++) out[k] = view.getFloat32(4 * k, true);
      break;
    case 'float64':
      for (let k = 0; k < count; k++) out[k] = view.getFloat64(8 * k, true);
      break;
    case 'bool':
    case 'uint8':
      for (let k = 0; k < count; k++) out[k] = view.getUint8(k);
      break;
    case 'int8':
      for (let k = 0; k < count; k++) out[k] = view.getInt8(k);
      break;
    case 'int16':
      for (let k = 0; k < count; k++) out[k] = view.getInt16(2 * k, true);
      break;
    case 'uint16':
      for (let k = 0; k < count; k++) out[k] = view.getUint16(2 * k, true);
      break;
    case 'int32':
      for (let k = 0; k < count; k++) out[k] = view.getInt32(4 * k, true);
      break;
    case 'uint32':
      for (let k = 0; k < count; k++) out[k] = view.getUint32(4 * k, true);
      break;
    case 'int64':
      for (let k = 0; k < count; k++) out[k] = Number(view.getBigInt64(8 * k, true));
      break;
    case 'uint64':
      for (let k = 0; k < count; k++) out[k] = Number(view.getBigUint64(8 * k, true));
      break;
  }
  return out;
}

/**
 * Number of elements of a shape, checking that every dimension is a whole number ≥ 0 and that the product
 * stays a safe integer.
 *
 * @param shape - the dimensions as read from a file header (not trusted).
 * @param what - the tensor, for the error message.
 * @param source - the file, for the error message.
 * @throws {@link NetworkError} naming the file and the tensor.
 * @example
 * ```ts
 * elementCount([3, 4], 'fc1.weight', 'model.safetensors'); // 12
 * ```
 */
export function elementCount(shape: unknown, what: string, source?: string): number {
  if (!Array.isArray(shape)) {
    throw new NetworkError(`${what}: shape is not a list of dimensions`, { source });
  }
  let count = 1;
  for (const d of shape) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      throw new NetworkError(
        `${what}: shape [${shape.join(', ')}] has a dimension that is not a whole number ≥ 0`,
        {
          source
        }
      );
    }
    count *= d;
    if (!Number.isSafeInteger(count)) {
      throw new NetworkError(`${what}: shape [${shape.join(', ')}] has more elements than can be addressed`, {
        source
      });
    }
  }
  return count;
}

/**
 * The bytes of an `ArrayBuffer` or `Uint8Array` input, without copying.
 *
 * @example
 * ```ts
 * asBytes(new ArrayBuffer(4)).length; // 4
 * ```
 */
export function asBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/**
 * A shape as it reads in messages.
 *
 * @example
 * ```ts
 * shapeText([2, 3]); // '[2, 3]'
 * ```
 */
export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
