import { describe, expect, it } from 'vitest';
import { simulateMoth } from '../../../src/core/datasets/moth';
import { minMaxUnscale, splitAndScale } from '../../../src/core/datasets/matrix';
import { binaryTree as coreBinaryTree } from '../../../src/core/datasets/zambra';
import {
  binaryTree,
  fromArrays,
  independentClusters,
  mnist,
  mnistAvailable,
  moth,
  simulateMothParallel
} from '../../../src/kernel/datasets/index';

describe('moth on worker threads', () => {
  it('gives the same rows for any number of workers and chunk size, in trajectory order', async () => {
    const n = 60;
    const reference = simulateMoth(n, { seed: 4 });
    const progress: number[] = [];
    for (const [workers, chunkSize] of [
      [0, 7],
      [1, 60],
      [2, 7],
      [3, 11]
    ]) {
      const got = await simulateMothParallel(n, {
        seed: 4,
        workers,
        chunkSize,
        progress: done => {
          if (workers === 2) progress.push(done);
        }
      });
      expect(got.x.data).toEqual(reference.x.data);
      expect(got.y.data).toEqual(reference.y.data);
      expect(got.evaluations).toBe(reference.evaluations);
    }
    // 9 chunks of ≤ 7: progress rises to n, once per chunk.
    expect(progress).toHaveLength(9);
    expect(progress[progress.length - 1]).toBe(n);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
  });

  it('splits and scales as the core does, as tensors or as arrays', async () => {
    const arrays = await moth(100, { seed: 2, workers: 2, format: 'array' });
    const core = splitAndScale(simulateMoth(100, { seed: 2 }), { seed: 2 });
    expect(arrays.xTrain.data).toEqual(Float32Array.from(core.xTrain.data));
    expect(arrays.yTest.data).toEqual(Float32Array.from(core.yTest.data));
    expect(arrays.scalers).toEqual(core.scalers);
    const tensors = await moth(100, { seed: 2, workers: 1 });
    expect([tensors.xTrain.shape, tensors.yTrain.shape, tensors.xVal.shape, tensors.xTest.shape]).toEqual([
      [64, 10],
      [64, 7],
      [16, 10],
      [20, 10]
    ]);
    expect(Float32Array.from(tensors.yVal.dataSync())).toEqual(arrays.yVal.data);
    // Predictions in scaled units go back to physical units with the returned scaler.
    const physical = minMaxUnscale(arrays.yTrain, arrays.scalers.y);
    expect(Math.max(...physical.data.filter((_, i) => i % 7 === 2))).toBeCloseTo(arrays.scalers.y.max[2], -1);
  });

  it('reports a failing trajectory instead of hanging', async () => {
    await expect(simulateMothParallel(4, { workers: 1, rtol: -1 })).rejects.toThrow(
      /trajectory 0 of seed 0 failed: integrate: rtol/
    );
    await expect(simulateMothParallel(4, { workers: -1 })).rejects.toThrow(/workers must be/);
  });
});

describe('mnist', () => {
  it('returns disjoint, normalised, one-hot, seeded parts', () => {
    const d = mnist({ train: 500, validation: 100, test: 200, seed: 3, format: 'array' });
    expect([d.xTrain.rows, d.xVal.rows, d.xTest.rows]).toEqual([400, 100, 200]);
    expect(d.xTrain.cols).toBe(784);
    expect(d.yTrain.cols).toBe(10);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of d.xTest.data) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    expect([lo, hi]).toEqual([0, expect.closeTo(1, 2)]);
    for (let r = 0; r < d.yTrain.rows; r++) {
      const row = d.yTrain.data.subarray(r * 10, r * 10 + 10);
      expect(row.reduce((a, b) => a + b, 0)).toBe(1);
    }
    // Images are distinct across parts (no image in two parts).
    const key = (m: { data: Float32Array }, r: number): string =>
      m.data.subarray(r * 784, (r + 1) * 784).join();
    const train = new Set(Array.from({ length: 400 }, (_, r) => key(d.xTrain, r)));
    let shared = 0;
    for (let r = 0; r < 200; r++) if (train.has(key(d.xTest, r))) shared++;
    expect(shared).toBeLessThan(3); // MNIST itself has a few duplicate images
    const again = mnist({ train: 500, validation: 100, test: 200, seed: 3, format: 'array' });
    expect(again.xTrain.data).toEqual(d.xTrain.data);
    expect(mnist({ train: 500, test: 0, seed: 4, format: 'array' }).xTrain.data).not.toEqual(d.xTrain.data);
    // Every digit class shows up in a shuffled sample.
    const classes = new Set<number>();
    for (let r = 0; r < 400; r++) classes.add(d.yTrain.data.subarray(r * 10, r * 10 + 10).indexOf(1));
    expect(classes.size).toBe(10);
  });

  it('gives tensors by default and a clear error when asked for more than shipped', () => {
    const d = mnist({ train: 20, test: 10 });
    expect(d.xTrain.shape).toEqual([20, 784]);
    expect(d.yTest.shape).toEqual([10, 10]);
    expect(mnistAvailable()).toBe(10000);
    expect(() => mnist({ train: 9000, test: 2000 })).toThrow(
      'mnist: asked for 9000 training + 2000 test = 11000 images, but the mnist package ships only 10000'
    );
  });
});

describe('fromArrays', () => {
  it('checks and splits the user data', () => {
    const x = Array.from({ length: 10 }, (_, i) => [i, 2 * i]);
    const y = Array.from({ length: 10 }, (_, i) => i % 2);
    const d = fromArrays(x, y, { validationSplit: 0.2, seed: 1, format: 'array' });
    expect([d.xTrain.rows, d.xVal.rows, d.xTest.rows]).toEqual([8, 2, 0]);
    // Rows stay paired with their targets through the shuffle.
    for (let r = 0; r < 8; r++) expect(d.yTrain.data[r]).toBe(d.xTrain.data[2 * r] % 2);
    const t = fromArrays(x, y);
    expect(t.xTrain.shape).toEqual([10, 2]);
    expect(t.xVal.shape).toEqual([0, 2]);
  });

  it('names what is wrong', () => {
    expect(() => fromArrays([[1, 2], [3]], [0, 1])).toThrow('x is ragged: row 1 has 1 values, row 0 has 2');
    expect(() => fromArrays([[1], [NaN]], [0, 1])).toThrow('x[1][0] is NaN: values must be finite numbers');
    expect(() => fromArrays([[1], [2]], [0])).toThrow('fromArrays: x has 2 rows but y has 1');
    expect(() => fromArrays([[1], [2]], [0, 1], { validationSplit: 1 })).toThrow(/validationSplit/);
  });
});

describe("Zambra's sets in the kernel", () => {
  it('wrap the core generators with the same rows', () => {
    const d = binaryTree(200, { seed: 5, format: 'array', shuffle: false });
    expect(d.xTrain.data).toEqual(coreBinaryTree(200, { seed: 5 }).x.data);
    const c = independentClusters(200, { seed: 5, validationSplit: 0.1 });
    expect(c.xTrain.shape).toEqual([180, 31]);
    expect(c.yVal.shape).toEqual([20, 4]);
  });
});
