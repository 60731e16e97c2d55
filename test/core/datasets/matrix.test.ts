import { describe, expect, it } from 'vitest';
import {
  DataMatrix,
  fitMinMax,
  matrixFromRows,
  minMaxScale,
  minMaxUnscale,
  permutation,
  splitAndScale,
  splitIndices,
  takeRows
} from '../../../src/core/datasets/matrix';
import { simulateMoth } from '../../../src/core/datasets/moth';

const column = (m: DataMatrix, c: number): number[] =>
  Array.from({ length: m.rows }, (_, r) => m.data[r * m.cols + c]);

describe('splits', () => {
  it('permutes every index exactly once, reproducibly per seed', () => {
    const p = permutation(1000, 4);
    expect([...p].sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(permutation(1000, 4)).toEqual(p);
    expect(permutation(1000, 5)).not.toEqual(p);
  });

  it('splits 80/20 then 80/20 into disjoint parts covering all rows', () => {
    const s = splitIndices(1001, { seed: 2, testFraction: 0.2, validationFraction: 0.2 });
    // ⌈0.2·1001⌉ = 201 test rows, ⌈0.2·800⌉ = 160 validation rows (scikit-learn rounds the held-out part up).
    expect([s.train.length, s.val.length, s.test.length]).toEqual([640, 160, 201]);
    const all = [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
    expect(all).toEqual(Array.from({ length: 1001 }, (_, i) => i));
    const ordered = splitIndices(10, { shuffle: false, validationFraction: 0.2 });
    expect([...ordered.train, ...ordered.val]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...ordered.val]).toEqual([8, 9]);
    expect(() => splitIndices(10, { testFraction: 1 })).toThrow(/testFraction/);
  });
});

describe('min-max scaling', () => {
  it('maps the training min and max of every column to −0.5 and +0.5 and undoes it', () => {
    const d = splitAndScale(simulateMoth(300, { seed: 3 }), { seed: 3 });
    expect([d.xTrain.rows, d.xVal.rows, d.xTest.rows]).toEqual([192, 48, 60]);
    for (const [m, cols] of [
      [d.xTrain, 10],
      [d.yTrain, 7]
    ] as const) {
      for (let c = 0; c < cols; c++) {
        const v = column(m, c);
        expect(Math.min(...v)).toBeCloseTo(-0.5, 12);
        expect(Math.max(...v)).toBeCloseTo(0.5, 12);
      }
    }
    // Validation and test rows use the training scaler: unscaling gives back simulated values.
    const raw = simulateMoth(300, { seed: 3 });
    const back = minMaxUnscale(d.yTest, d.scalers.y);
    const rawRows = new Set(column(raw.y, 2).map(v => v.toPrecision(10)));
    for (const v of column(back, 2)) expect(rawRows.has(v.toPrecision(10))).toBe(true);
  });

  it('maps a constant column to the middle and round-trips', () => {
    const m = { rows: 3, cols: 2, data: Float64Array.of(1, 7, 2, 7, 3, 7) };
    const s = fitMinMax(m);
    const scaled = minMaxScale(m, s);
    expect([...scaled.data]).toEqual([-0.5, 0, 0, 0, 0.5, 0]);
    expect([...minMaxUnscale(scaled, s).data]).toEqual([1, 7, 2, 7, 3, 7]);
    expect(() => minMaxScale({ rows: 1, cols: 3, data: new Float64Array(3) }, s)).toThrow(/2 columns/);
  });

  it('takes rows in the given order', () => {
    const m = { rows: 3, cols: 2, data: Float32Array.of(1, 2, 3, 4, 5, 6) };
    const t = takeRows(m, [2, 0]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect([...t.data]).toEqual([5, 6, 1, 2]);
  });
});

describe('matrixFromRows', () => {
  it('packs rows and single columns', () => {
    expect(matrixFromRows([[1, 2], Float64Array.of(3, 4)], 'x')).toEqual({
      rows: 2,
      cols: 2,
      data: Float32Array.of(1, 2, 3, 4)
    });
    expect(matrixFromRows([5, 6, 7], 'y')).toMatchObject({ rows: 3, cols: 1 });
  });

  it('names what is wrong: ragged rows, NaN, strings, empties', () => {
    expect(() => matrixFromRows([[1, 2], [3]], 'x')).toThrow('x is ragged: row 1 has 1 values, row 0 has 2');
    expect(() =>
      matrixFromRows(
        [
          [1, 2],
          [3, NaN]
        ],
        'x'
      )
    ).toThrow('x[1][1] is NaN');
    expect(() => matrixFromRows([1, Infinity], 'y')).toThrow('y[1] is Infinity');
    expect(() => matrixFromRows([[1, '2' as unknown as number]], 'x')).toThrow('x[0][1] is 2');
    expect(() => matrixFromRows([], 'x')).toThrow('x has no rows');
    expect(() => matrixFromRows([[]], 'x')).toThrow(/x\[0\] is empty/);
    expect(() => matrixFromRows([[1], 2 as unknown as number[]], 'x')).toThrow(/x\[1\] is not an array/);
  });
});
