import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, SAFETENSORS_MAX_HEADER_BYTES } from '../../../src/core/formats/safetensors';
import { bfloat16ToNumber, float16ToNumber } from '../../../src/core/formats/tensor';
import { FIXTURES, f64Bytes, fixture, safetensorsBytes } from './helpers';

const reduced = JSON.parse(
  readFileSync(join(FIXTURES, 'sequential_reduced.expected.json'), 'utf8')
) as Record<string, Record<string, number[]>>;

describe('parseSafetensors on files written by safetensors.torch', () => {
  it('reads float64 tensors with their PyTorch shapes (out × in) in header order', () => {
    const t = parseSafetensors(fixture('sequential_f64.safetensors'), 'seq.safetensors');
    expect([...t.keys()].sort()).toEqual(['0.bias', '0.weight', '2.bias', '2.weight', '4.bias', '4.weight']);
    expect(t.get('0.weight')?.shape).toEqual([7, 5]);
    expect(t.get('0.weight')?.dtype).toBe('float64');
    expect(t.get('4.bias')?.shape).toEqual([2]);
    // Same values as the float32 reduction of them, up to float32 rounding.
    const w32 = reduced.float32['0.weight'];
    Array.from(t.get('0.weight')?.data ?? []).forEach((v, k) => expect(Math.fround(v)).toBe(w32[k]));
  });

  for (const [file, dtype] of [
    ['sequential_f32.safetensors', 'float32'],
    ['sequential_f16.safetensors', 'float16'],
    ['sequential_bf16.safetensors', 'bfloat16']
  ] as const) {
    it(`decodes ${dtype} exactly (every value equals what PyTorch holds)`, () => {
      const t = parseSafetensors(fixture(file), file);
      for (const [name, values] of Object.entries(reduced[dtype])) {
        expect(t.get(name)?.dtype).toBe(dtype);
        expect(Array.from(t.get(name)?.data ?? [])).toEqual(values);
      }
    });
  }

  it('reads integer, boolean and scalar tensors', () => {
    const t = parseSafetensors(fixture('dtypes.safetensors'), 'dtypes.safetensors');
    expect(t.get('i64')).toEqual({
      dtype: 'int64',
      shape: [2, 3],
      data: Float64Array.from([0, 1, -3, 2 ** 40, 5, 6])
    });
    expect(t.get('u8')).toEqual({ dtype: 'uint8', shape: [3], data: Float64Array.from([0, 1, 255]) });
    expect(t.get('b')).toEqual({ dtype: 'bool', shape: [3], data: Float64Array.from([1, 0, 1]) });
    expect(t.get('i32')).toEqual({ dtype: 'int32', shape: [2], data: Float64Array.from([-7, 8]) });
    expect(t.get('scalar')).toEqual({ dtype: 'float64', shape: [], data: Float64Array.from([2.5]) });
  });

  it('accepts an ArrayBuffer and a Uint8Array that is a view into a larger buffer', () => {
    const bytes = fixture('dtypes.safetensors');
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    const view = padded.subarray(3);
    expect(parseSafetensors(view).get('i64')?.data[3]).toBe(2 ** 40);
    expect(parseSafetensors(bytes.slice().buffer).get('i32')?.data[0]).toBe(-7);
  });
});

describe('parseSafetensors round trip (hand-written files)', () => {
  it('reads back any float64 tensors, with a padded header and __metadata__', () => {
    const tensor = fc.record({
      shape: fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 3 }),
      seed: fc.double({ noNaN: true })
    });
    fc.assert(
      fc.property(
        fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tensor, { maxKeys: 4 }),
        fc.nat(7),
        (spec, pad) => {
          const names = Object.keys(spec).filter(n => n !== '__metadata__');
          const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
          const values: number[] = [];
          const expected = new Map<string, { shape: number[]; data: number[] }>();
          for (const name of names) {
            const { shape, seed } = spec[name];
            const count = shape.reduce((a, b) => a * b, 1);
            const data = Array.from({ length: count }, (_, k) => seed * (k + 1));
            header[name] = {
              dtype: 'F64',
              shape,
              data_offsets: [values.length * 8, (values.length + count) * 8]
            };
            values.push(...data);
            expected.set(name, { shape, data });
          }
          const t = parseSafetensors(safetensorsBytes(header, f64Bytes(values), pad));
          expect([...t.keys()]).toEqual(names);
          for (const [name, e] of expected) {
            expect(t.get(name)?.shape).toEqual(e.shape);
            expect(Array.from(t.get(name)?.data ?? [])).toEqual(e.data);
          }
        }
      )
    );
  });
});

describe('parseSafetensors rejects damaged files, naming the file and the problem', () => {
  const good = fixture('sequential_f32.safetensors');

  it('truncated anywhere', () => {
    expect(() => parseSafetensors(good.subarray(0, 5), 'm.safetensors')).toThrow(
      /^m\.safetensors: .*too short/
    );
    expect(() => parseSafetensors(good.subarray(0, 40), 'm.safetensors')).toThrow(
      /^m\.safetensors: truncated safetensors file: the header needs/
    );
    expect(() => parseSafetensors(good.subarray(0, good.length - 1), 'm.safetensors')).toThrow(
      /^m\.safetensors: truncated safetensors file: tensor "[^"]+" needs data bytes up to \d+, the file has \d+ data bytes/
    );
  });

  it('an absurd header length', () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 62n, true);
    expect(() => parseSafetensors(bytes, 'm.safetensors')).toThrow(
      new RegExp(
        `header length field says ${2n ** 62n} bytes, more than the limit of ${SAFETENSORS_MAX_HEADER_BYTES}`
      )
    );
  });

  it('another format (a JSON file, a zip)', () => {
    expect(() => parseSafetensors(new TextEncoder().encode('{"format": "nnmotifs.network"}'), 'x')).toThrow(
      /^x: not a safetensors file/
    );
    expect(() => parseSafetensors(fixture('sequential.npz'), 'x')).toThrow(/^x: not a safetensors file/);
  });

  it('a header that is not JSON or not an object', () => {
    const bad = safetensorsBytes({ a: 1 });
    bad[12] = 0x2c; // garble a character inside the JSON
    expect(() => parseSafetensors(bad, 'm')).toThrow(/^m: corrupt safetensors header: not valid JSON/);
  });

  it('unsupported dtypes, shapes and offsets that do not add up', () => {
    const w = (dtype: string, shape: number[], offsets: number[]): Uint8Array =>
      safetensorsBytes({ w: { dtype, shape, data_offsets: offsets } }, new Uint8Array(8));
    expect(() => parseSafetensors(w('F8_E4M3', [8], [0, 8]), 'm')).toThrow(
      /tensor "w" has dtype F8_E4M3, which nnmotifs does not read/
    );
    expect(() => parseSafetensors(w('F64', [2], [0, 8]), 'm')).toThrow(
      /tensor "w": shape \[2\] of F64 needs 16 bytes, but data_offsets \[0, 8\] span 8/
    );
    expect(() => parseSafetensors(w('F64', [-1], [0, 8]), 'm')).toThrow(
      /tensor "w": shape \[-1\] has a dimension that is not a whole number/
    );
    expect(() => parseSafetensors(w('F64', [1], [8, 0]), 'm')).toThrow(/data_offsets must be \[begin, end\]/);
    expect(() => parseSafetensors(w('F32', [1], [4, 8]), 'm')).toThrow(/data bytes 0–4 belong to no tensor/);
    expect(() => parseSafetensors(w('F32', [1], [0, 4]), 'm')).toThrow(
      /4 data bytes after the last tensor belong to no tensor/
    );
    const overlap = safetensorsBytes(
      {
        a: { dtype: 'F64', shape: [1], data_offsets: [0, 8] },
        b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] }
      },
      new Uint8Array(8)
    );
    expect(() => parseSafetensors(overlap, 'm')).toThrow(
      /tensor "b" \(bytes 4–8\) overlaps "a" \(bytes 0–8\)/
    );
  });
});

describe('half-precision decoding', () => {
  it('float16: normal, subnormal, zero, infinity, NaN', () => {
    expect(float16ToNumber(0x3c00)).toBe(1);
    expect(float16ToNumber(0x7bff)).toBe(65504);
    expect(float16ToNumber(0x0001)).toBe(2 ** -24);
    expect(Object.is(float16ToNumber(0x8000), -0)).toBe(true);
    expect(float16ToNumber(0xfc00)).toBe(-Infinity);
    expect(float16ToNumber(0x7e00)).toBeNaN();
  });

  it('bfloat16 is the upper half of a float32 (normal and subnormal)', () => {
    const f = new Float32Array([-1.5, 3.140625, 2 ** -133]); // lower 16 bits all zero;
    const bits = new Uint32Array(f.buffer);
    for (let k = 0; k < f.length; k++) expect(bfloat16ToNumber(bits[k] >>> 16)).toBe(f[k]);
  });
});
