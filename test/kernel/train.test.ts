import { afterEach, describe, expect, it, vi } from 'vitest';
import { fromModel } from '../../src/kernel/convert';
import { initialize } from '../../src/kernel/init';
import { mlp } from '../../src/kernel/models';
import { epochOrder } from '../../src/kernel/loop';
import { lastHistory, train } from '../../src/kernel/train';
import { getTf } from '../../src/kernel/tf';
import { createRng } from '../../src/core/random';

const tf = getTf();

/** y = x·A + noise-free, 3 inputs → 2 outputs, `n` rows from a seeded stream. */
function linearData(
  n: number,
  seed = 1
): {
  x: { rows: number; cols: number; data: Float32Array };
  y: { rows: number; cols: number; data: Float32Array };
} {
  const rng = createRng(seed);
  const a = [
    [0.5, -1],
    [1, 0.25],
    [-0.75, 0.5]
  ];
  const x = new Float32Array(n * 3);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 3; k++) x[i * 3 + k] = 2 * rng.next() - 1;
    for (let j = 0; j < 2; j++) for (let k = 0; k < 3; k++) y[i * 2 + j] += x[i * 3 + k] * a[k][j];
  }
  return { x: { rows: n, cols: 3, data: x }, y: { rows: n, cols: 2, data: y } };
}

/** Two Gaussian blobs in 2-D, one-hot labels. */
function blobs(
  n: number,
  seed = 2
): { x: ReturnType<typeof tf.tensor2d>; y: ReturnType<typeof tf.tensor2d> } {
  const rng = createRng(seed);
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = i % 2;
    x.push([(c ? 1.5 : -1.5) + 0.5 * rng.normal(), (c ? -1 : 1) + 0.5 * rng.normal()]);
    y.push(c ? [0, 1] : [1, 0]);
  }
  return { x: tf.tensor2d(x), y: tf.tensor2d(y) };
}

const weightsOf = (model: Parameters<typeof fromModel>[0]): number[][] =>
  fromModel(model).layers.map(l => Array.from(l.weights));

afterEach(() => vi.restoreAllMocks());

describe('train', () => {
  it('fits a linear map with MSE and reports per-epoch losses that fall', async () => {
    const model = mlp([3, 8, 2], { activation: 'tanh', init: 'glorotNormal', seed: 1 });
    const h = await train(model, linearData(256), {
      epochs: 15,
      batchSize: 16,
      lr: 0.01,
      validationSplit: 0.25,
      progress: false
    });
    expect(h.epochs).toBe(15);
    expect(h.loss).toHaveLength(15);
    expect(h.valLoss).toHaveLength(15);
    expect(h.acc).toBeUndefined();
    expect(h.batches).toBe(15 * 12); // 192 training rows in batches of 16
    expect(h.loss[14]).toBeLessThan(0.1 * h.loss[0]);
    expect(h.valLoss[14]).toBeLessThan(0.02);
    expect(h.interrupted).toBe(false);
    expect(h.stoppedEarly).toBe(false);
  });

  it('is reproducible for a seed: same batches, same weights; another seed gives other weights', async () => {
    const run = async (seed: number): Promise<number[][]> => {
      const model = initialize(mlp([3, 5, 2]), 'glorotNormal', { seed: 3 });
      await train(model, linearData(64), { epochs: 3, batchSize: 8, seed, progress: false });
      return weightsOf(model);
    };
    const a = await run(7);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });

  it('shuffles every epoch with its own permutation drawn from the seed', () => {
    const next = epochOrder(10, 5);
    const e0 = Array.from(next());
    const e1 = Array.from(next());
    expect([...e0].sort((p, q) => p - q)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(e1).not.toEqual(e0);
    expect(Array.from(epochOrder(10, 5)())).toEqual(e0);
    expect(Array.from(epochOrder(4, 5, false)())).toEqual([0, 1, 2, 3]);
  });

  it('keeps masked weights and biases exactly 0 with Adam and with Nesterov SGD; the others move', async () => {
    for (const optimizer of ['adam', 'sgdNesterov'] as const) {
      const model = mlp([3, 6, 2], { activation: 'tanh', seed: 2 }); // tanh: no dead units, every unmasked weight gets a gradient
      initialize(model, 'glorotNormal', { seed: 2 });
      const before = weightsOf(model);
      const masks = [
        Uint8Array.from({ length: 18 }, (_, k) => (k % 4 === 0 ? 0 : 1)), // every hidden unit keeps an input
        Uint8Array.of(0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1) // every hidden unit keeps an outgoing edge
      ];
      const biasMasks = [Uint8Array.of(1, 0, 1, 0, 1, 1), undefined];
      await train(model, linearData(64), {
        epochs: 4,
        batchSize: 8,
        optimizer,
        lr: 0.05,
        masks,
        biasMasks,
        progress: false
      });
      const net = fromModel(model);
      net.layers.forEach((layer, l) => {
        layer.weights.forEach((w, k) => {
          if (masks[l][k] === 0)
            expect(Math.abs(w)).toBe(0); // exactly ±0
          else expect(w).not.toBe(before[l][k]);
        });
      });
      expect(Math.abs(net.layers[0].bias?.[1] ?? NaN)).toBe(0);
      expect(Math.abs(net.layers[0].bias?.[3] ?? NaN)).toBe(0);
      expect(net.layers[0].bias?.[0]).not.toBe(0);
    }
  });

  it('classifies with cross-entropy from logits and measures accuracy', async () => {
    const model = mlp([2, 8, 2], {
      activation: 'relu',
      outputActivation: 'softmax',
      init: 'glorotUniform',
      seed: 4
    });
    const d = blobs(200);
    const v = blobs(100, 9);
    const h = await train(
      model,
      { x: d.x, y: d.y, xVal: v.x, yVal: v.y },
      { epochs: 8, batchSize: 10, lr: 0.02, progress: false }
    );
    expect(h.acc).toHaveLength(8);
    expect(h.valAcc?.[7]).toBeGreaterThan(0.9);
    expect(h.loss[7]).toBeLessThan(h.loss[0]);
    // The model's own prediction (softmax output) agrees with the measured accuracy.
    const pred = (model.predict(v.x) as ReturnType<typeof tf.tensor2d>).argMax(-1).arraySync() as number[];
    const truth = v.y.argMax(-1).arraySync() as number[];
    const acc = pred.filter((p, i) => p === truth[i]).length / truth.length;
    expect(acc).toBeCloseTo(h.valAcc?.[7] ?? -1, 5);
  });

  it('stops early when the validation loss does not improve, and when onEpochEnd returns false', async () => {
    const model = mlp([3, 4, 2], { seed: 1 });
    const h = await train(model, linearData(64), {
      epochs: 50,
      batchSize: 8,
      validationSplit: 0.25,
      earlyStopping: { patience: 2, minDelta: 1e9 },
      progress: false
    });
    expect(h.stoppedEarly).toBe(true);
    expect(h.epochs).toBe(3); // the first epoch sets the best value, then 2 without improvement
    const seen: number[] = [];
    const h2 = await train(model, linearData(64), {
      epochs: 50,
      progress: false,
      onEpochEnd: logs => {
        seen.push(logs.epoch);
        return logs.epoch < 2;
      }
    });
    expect(seen).toEqual([0, 1, 2]);
    expect(h2.epochs).toBe(3);
  });

  it('stops between batches on SIGINT, removes its listener and leaves the model usable', async () => {
    const model = mlp([3, 16, 2], { seed: 1 });
    const listeners = process.listenerCount('SIGINT');
    let batchesAtSignal = -1;
    const timer = setInterval(() => {
      const live = lastHistory(model);
      if (live !== undefined && live.batches >= 5 && batchesAtSignal < 0) {
        batchesAtSignal = live.batches;
        process.emit('SIGINT', 'SIGINT');
      }
    }, 0);
    const h = await train(model, linearData(512), { epochs: 1000, batchSize: 4, progress: false });
    clearInterval(timer);
    expect(h.interrupted).toBe(true);
    expect(h.epochs).toBeLessThan(1000);
    expect(h.batches).toBeGreaterThanOrEqual(batchesAtSignal);
    expect(h.batches).toBeLessThanOrEqual(batchesAtSignal + 1);
    expect(lastHistory(model)).toBe(h);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
    const out = model.predict(tf.ones([1, 3])) as ReturnType<typeof tf.tensor2d>;
    expect(out.shape).toEqual([1, 2]);
    expect(Array.from(out.dataSync()).every(Number.isFinite)).toBe(true);
    // It trains again afterwards.
    const again = await train(model, linearData(32), { epochs: 1, progress: false });
    expect(again.interrupted).toBe(false);
  });

  it('prints one compact line per epoch outside a notebook', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await train(mlp([3, 2], { seed: 1 }), linearData(32), {
      epochs: 2,
      validationSplit: 0.25,
      progress: true
    });
    const lines = log.mock.calls.map(c => String(c[0]));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^epoch 1\/2 {2}loss \d\.\d{4} {2}val \d\.\d{4} {2}\(\d+\.\d s\)$/);
  });

  it('rejects data that does not fit the model, naming what is wrong', async () => {
    await expect(train(mlp([3, 4]), linearData(8), { progress: false })).rejects.toThrow(
      /y has 2 columns but the model has 4 outputs/
    );
    await expect(
      train(mlp([3, 2]), linearData(8), { masks: [new Uint8Array(5)], progress: false })
    ).rejects.toThrow(/masks of layer 0 has 5 entries, expected 6/);
  });
});
