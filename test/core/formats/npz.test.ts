import { zipSync } from 'fflate';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NPY_MAX_HEADER_BYTES, parseNpy } from '../../../src/core/formats/npy';
import { parseNpz } from '../../../src/core/formats/npz';
import { parseSafetensors } from '../../../src/core/formats/safetensors';
import { FIXTURES, f64Bytes, fixture, npyBytes } from './helpers';

const HEADER = "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }";

describe('parseNpz on archives written by NumPy', () => {
  it('np.savez and np.savez_compressed give the same arrays as the safetensors file of the same state_dict', () => {
    const reference = parseSafetensors(fixture('sequential_f64.safetensors'));
    for (const file of ['sequential.npz', 'sequential_compressed.npz']) {
      const arrays = parseNpz(fixture(file), file);
      expect([...arrays.keys()].sort()).toEqual([...reference.keys()].sort());
      for (const [name, t] of reference) {
        expect(arrays.get(name)?.shape).toEqual(t.shape);
        expect(arrays.get(name)?.dtype).toBe('float64');
        expect(Array.from(arrays.get(name)?.data ?? [])).toEqual(Array.from(t.data));
      }
    }
  });

  it('transposes Fortran-ordered arrays into C order (2-D and 3-D)', () => {
    const arrays = parseNpz(fixture('arrays.npz'), 'arrays.npz');
    const cube = (
      JSON.parse(readFileSync(join(FIXTURES, 'arrays.expected.json'), 'utf8')) as { cube: number[] }
    ).cube;
    expect(arrays.get('fortran2d')).toEqual({
      dtype: 'float32',
      shape: [2, 3],
      data: Float64Array.from([0, 1, 2, 3, 4, 5])
    });
    expect(Array.from(arrays.get('c3d')?.data ?? [])).toEqual(cube);
    expect(arrays.get('fortran3d')?.shape).toEqual([2, 3, 4]);
    expect(Array.from(arrays.get('fortran3d')?.data ?? [])).toEqual(cube);
  });

  it('reads float16, bool, int64, uint8, 0-d and empty arrays', () => {
    const a = parseNpz(fixture('arrays.npz'), 'arrays.npz');
    expect(a.get('f2')).toEqual({
      dtype: 'float16',
      shape: [4],
      data: Float64Array.from([1.5, -2, 65504, 5.960464477539063e-8])
    });
    expect(a.get('b1')).toEqual({ dtype: 'bool', shape: [2, 2], data: Float64Array.from([1, 0, 0, 1]) });
    expect(a.get('i8')).toEqual({ dtype: 'int64', shape: [2], data: Float64Array.from([-(2 ** 40), 3]) });
    expect(a.get('u1')).toEqual({ dtype: 'uint8', shape: [2], data: Float64Array.from([7, 0]) });
    expect(a.get('scalar')).toEqual({ dtype: 'float64', shape: [], data: Float64Array.from([3.25]) });
    expect(a.get('empty')).toEqual({ dtype: 'float64', shape: [0, 3], data: new Float64Array(0) });
  });

  it('reads .npy format versions 2.0 and 3.0', () => {
    for (const file of ['npy_v2.npz', 'npy_v3.npz']) {
      expect(parseNpz(fixture(file), file).get('w')).toEqual({
        dtype: 'float64',
        shape: [3, 2],
        data: Float64Array.from([0, 1, 2, 3, 4, 5])
      });
    }
  });

  it('leaves out members that are not .npy and reads an empty archive as no arrays', () => {
    const zip = zipSync({
      'w.npy': npyBytes(HEADER, f64Bytes([1, 2, 3, 4])),
      'README.txt': new TextEncoder().encode('hi')
    });
    expect([...parseNpz(zip).keys()]).toEqual(['w']);
    expect(parseNpz(zipSync({})).size).toBe(0);
  });
});

describe('parseNpz rejects what it cannot read, naming the archive and member', () => {
  it('big-endian and object arrays', () => {
    expect(() => parseNpz(fixture('bigendian.npz'), 'be.npz')).toThrow(
      /^be\.npz:w\.npy: big-endian arrays \(dtype >f8\) are not supported: save with arr\.astype\("<f8"\)/
    );
    expect(() => parseNpz(fixture('object.npz'), 'obj.npz')).toThrow(
      /^obj\.npz:w\.npy: object arrays .* are not supported/
    );
  });

  it('a truncated archive', () => {
    const bytes = fixture('sequential_compressed.npz');
    expect(() => parseNpz(bytes.subarray(0, bytes.length - 30), 'cut.npz')).toThrow(
      /^cut\.npz: truncated or corrupt \.npz archive: the ZIP end-of-central-directory record is missing/
    );
    // Directory intact, but it says the member is longer than the bytes that are left.
    const zip = zipSync({ 'a.npy': npyBytes(HEADER, f64Bytes([1, 2, 3, 4])) }, { level: 0 });
    expect(parseNpz(zip).get('a')?.data[3]).toBe(4);
    const view = new DataView(zip.buffer);
    const central = zip.length - 22 - (46 + 'a.npy'.length); // fflate writes no extra fields or comments
    expect(view.getUint32(central, true)).toBe(0x02014b50);
    view.setUint32(central + 20, view.getUint32(central + 20, true) + 1000, true);
    view.setUint32(central + 24, view.getUint32(central + 24, true) + 1000, true);
    expect(() => parseNpz(zip, 'cut.npz')).toThrow(
      /^cut\.npz:a\.npy: truncated \.npz archive: the member needs bytes up to \d+/
    );
  });

  it('corrupt data: a flipped byte fails the CRC (stored) or the inflater/CRC (compressed)', () => {
    const stored = zipSync({ 'a.npy': npyBytes(HEADER, f64Bytes([1, 2, 3, 4])) }, { level: 0 });
    const at = stored.indexOf(0xf0); // a byte of the float64 1.0 (00 00 00 00 00 00 f0 3f)
    const flipped = stored.slice();
    flipped[at] ^= 0x01;
    expect(() => parseNpz(flipped, 'bad.npz')).toThrow(
      /^bad\.npz:a\.npy: corrupt \.npz archive: the member fails its CRC-32 check/
    );
    const compressed = fixture('sequential_compressed.npz').slice();
    compressed[100] ^= 0xff;
    expect(() => parseNpz(compressed, 'bad.npz')).toThrow(/^bad\.npz:[\w.]+\.npy: corrupt/);
  });

  it('not a zip at all', () => {
    expect(() => parseNpz(fixture('sequential_f64.safetensors'), 'x.npz')).toThrow(
      /^x\.npz: not an \.npz archive/
    );
  });
});

describe('parseNpy rejects damaged arrays', () => {
  it('bad magic, unknown version, truncated preamble, header and data', () => {
    const good = npyBytes(HEADER, f64Bytes([1, 2, 3, 4]));
    expect(parseNpy(good).data[3]).toBe(4);
    expect(() => parseNpy(new TextEncoder().encode('hello, world'), 'x.npy')).toThrow(
      /^x\.npy: not a \.npy array/
    );
    const v9 = good.slice();
    v9[6] = 9;
    expect(() => parseNpy(v9, 'x.npy')).toThrow(/unsupported \.npy format version 9\.0/);
    expect(() => parseNpy(good.subarray(0, 7), 'x.npy')).toThrow(/truncated \.npy file: 7 bytes/);
    expect(() => parseNpy(good.subarray(0, 30), 'x.npy')).toThrow(/truncated \.npy file: the header needs/);
    expect(() => parseNpy(good.subarray(0, good.length - 1), 'x.npy')).toThrow(
      /truncated \.npy data: shape \[2, 2\] of float64 needs 32 bytes, the file has 31/
    );
    const extra = new Uint8Array(good.length + 2);
    extra.set(good);
    expect(() => parseNpy(extra, 'x.npy')).toThrow(/2 bytes after the data/);
  });

  it('an absurd header length', () => {
    const big = npyBytes(HEADER, f64Bytes([1, 2, 3, 4]), 2);
    new DataView(big.buffer).setUint32(8, 0xfffffff0, true);
    expect(() => parseNpy(big, 'x.npy')).toThrow(
      new RegExp(`header length says ${0xfffffff0} bytes, more than the limit of ${NPY_MAX_HEADER_BYTES}`)
    );
  });

  it('headers that are not the dict NumPy writes, structured and unsupported dtypes', () => {
    const data = f64Bytes([1, 2, 3, 4]);
    expect(() =>
      parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2)", data))
    ).toThrow(/corrupt \.npy header: expected "}"/);
    expect(() => parseNpy(npyBytes("{'descr': '<f8', 'shape': (2, 2), }", data))).toThrow(
      /"fortran_order" is missing/
    );
    expect(() => parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': 4, }", data))).toThrow(
      /"shape" is missing or not a tuple/
    );
    expect(() =>
      parseNpy(npyBytes("{'descr': [('a', '<f8')], 'fortran_order': False, 'shape': (4,), }", data))
    ).toThrow(/structured \(record\) arrays are not supported/);
    expect(() =>
      parseNpy(npyBytes("{'descr': '<c16', 'fortran_order': False, 'shape': (2,), }", data))
    ).toThrow(/unsupported element type <c16/);
    expect(() =>
      parseNpy(npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -2), }", data))
    ).toThrow(/not a whole number/);
  });
});
