/**
 * The one training loop (`src/kernel/loop.ts`): which rows each batch holds, when it stops, and — the point
 * of having one loop — that `train`, `prune` and `trainEnsemble` on it give exactly the weights of the
 * plain reference loop written out here (seeded epoch order, batches in order, one optimizer step each).
 */
import type * as tfjs from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { regressionData } from './regression-data';
import type { LayeredNetwork } from '../../src/core/network';
import { fromModel } from '../../src/kernel/convert';
import { trainEnsemble } from '../../src/kernel/ensemble';
import { assignNetwork, initialize } from '../../src/kernel/init';
import { epochOrder, gatherBatch, trainingLoop, type LoopBatch } from '../../src/kernel/loop';
import { mlp } from '../../src/kernel/models';
import { prune } from '../../src/kernel/prune';
import { createTrainer, train, type TrainerOptions } from '../../src/kernel/train';
import { getTf } from '../../src/kernel/tf';

const tf = getTf();

/** `n` rows whose single input column is the row's index (so a batch tells which rows it holds). */
const indexRows = (n: number): tfjs.Tensor2D =>
  tf.tensor2d(
    Float32Array.from({ length: n }, (_, i) => i),
    [n, 1]
  );

/** Records the row indices of every batch the loop hands out. */
async function batchesOf(
  options: Partial<Parameters<typeof trainingLoop>[0]> & { n: number }
): Promise<{ rows: number[][]; epochs: number[]; outcome: Awaited<ReturnType<typeof trainingLoop>> }> {
  const x = indexRows(options.n);
  const rows: number[][] = [];
  const epochs: number[] = [];
  const outcome = await trainingLoop({
    x,
    y: x,
    batchSize: 4,
    seeds: [7],
    epochs: 3,
    ...options,
    step: (b: LoopBatch) => {
      rows.push(Array.from(b.x.dataSync()));
      epochs.push(b.epoch);
      return options.step?.(b);
    }
  });
  x.dispose();
  return { rows, epochs, outcome };
}

function data(n: number, seed: number): { x: tfjs.Tensor2D; y: tfjs.Tensor2D } {
  const { x, y } = regressionData(n, seed);
  return { x: tf.tensor2d(x.data, [n, 4]), y: tf.tensor2d(y.data, [n, 2]) };
}

const SIZES = [4, 12, 8, 2];
const weights = (net: LayeredNetwork): number[][] =>
  net.layers.flatMap(l => [Array.from(l.weights, w => w + 0), Array.from(l.bias ?? [])]);

/**
 * The reference: `batches` optimizer steps on `model`, batch `b` of epoch `e` being rows
 * `b·size … (b+1)·size − 1` of `epochOrder(n, seed)`'s e-th draw, each gathered on its own.
 */
function referenceSteps(
  model: tfjs.LayersModel,
  d: { x: tfjs.Tensor2D; y: tfjs.Tensor2D },
  o: TrainerOptions & { seed: number; batchSize: number; batches: number }
): void {
  const trainer = createTrainer(model, o);
  const n = d.x.shape[0];
  const next = epochOrder(n, o.seed);
  let taken = 0;
  while (taken < o.batches) {
    const order = next();
    for (let lo = 0; lo < n && taken < o.batches; lo += o.batchSize, taken++) {
      const [xb, yb] = gatherBatch(d.x, d.y, order.subarray(lo, Math.min(n, lo + o.batchSize)));
      trainer.step(xb, yb);
      tf.dispose([xb, yb]);
    }
  }
  trainer.dispose();
}

describe('trainingLoop: batches', () => {
  it("cuts each epoch's seeded order into batches of batchSize rows, the last one shorter", async () => {
    const { rows, epochs, outcome } = await batchesOf({ n: 10 });
    const next = epochOrder(10, 7);
    const expected = [0, 1, 2].flatMap(() => {
      const order = Array.from(next());
      return [order.slice(0, 4), order.slice(4, 8), order.slice(8, 10)];
    });
    expect(rows).toEqual(expected);
    expect(epochs).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    expect(outcome).toEqual({ epochs: 3, batches: 9, interrupted: false, stopped: false });
    // every epoch is a permutation, and epochs differ
    expect(
      rows
        .slice(0, 3)
        .flat()
        .sort((a, b) => a - b)
    ).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(rows.slice(0, 3).flat()).not.toEqual(rows.slice(3, 6).flat());
  });

  it('gives the same batches whether the epoch is copied once or each batch gathered', async () => {
    const copied = await batchesOf({ n: 23, batchSize: 5 });
    const gathered = await batchesOf({ n: 23, batchSize: 5, epochCopyMaxBytes: 0 });
    expect(gathered.rows).toEqual(copied.rows);
  });

  it('keeps the row order without shuffle', async () => {
    const { rows } = await batchesOf({ n: 6, shuffle: false, epochs: 1 });
    expect(rows).toEqual([
      [0, 1, 2, 3],
      [4, 5]
    ]);
  });

  it('stacks K networks as [K, rows, cols], network i in the order of seed i, copied or gathered', async () => {
    const x = indexRows(9);
    for (const epochCopyMaxBytes of [undefined, 0]) {
      const seen: number[][][] = [];
      await trainingLoop({
        x,
        y: x,
        batchSize: 4,
        seeds: [3, 8],
        stacked: true,
        epochs: 2,
        ...(epochCopyMaxBytes !== undefined ? { epochCopyMaxBytes } : {}),
        step: b => {
          expect(b.x.shape).toEqual([2, b.rows, 1]);
          const v = Array.from(b.x.dataSync());
          seen.push([v.slice(0, b.rows), v.slice(b.rows)]);
        }
      });
      const [o3, o8] = [epochOrder(9, 3), epochOrder(9, 8)];
      const expected = [0, 1].flatMap(() => {
        const [a, b] = [Array.from(o3()), Array.from(o8())];
        return [0, 4, 8].map(lo => [a.slice(lo, lo + 4), b.slice(lo, lo + 4)]);
      });
      expect(seen).toEqual(expected);
    }
    x.dispose();
  });
});

describe('trainingLoop: stopping', () => {
  it('stops after the batch whose step returns true, mid-epoch, without counting the epoch', async () => {
    let steps = 0;
    const { rows, outcome } = await batchesOf({ n: 10, epochs: undefined, step: () => ++steps >= 5 });
    const { rows: all } = await batchesOf({ n: 10, epochs: 2 });
    expect(rows).toEqual(all.slice(0, 5));
    expect(outcome).toEqual({ epochs: 1, batches: 5, interrupted: false, stopped: true });
  });

  it('stops when epochEnd returns true, and calls it once per finished epoch', async () => {
    const ended: number[] = [];
    const { outcome } = await batchesOf({
      n: 8,
      epochs: 10,
      epochEnd: e => {
        ended.push(e);
        return e === 1;
      }
    });
    expect(ended).toEqual([0, 1]);
    expect(outcome).toEqual({ epochs: 2, batches: 4, interrupted: false, stopped: true });
  });

  it('stops between batches on abort, on SIGINT and on stopped(), and removes its SIGINT listener', async () => {
    const listeners = process.listenerCount('SIGINT');
    const controller = new AbortController();
    const aborted = await batchesOf({
      n: 40,
      epochs: undefined,
      signal: controller.signal,
      step: b => void (b.batch === 2 && controller.abort())
    });
    expect(aborted.outcome).toEqual({ epochs: 0, batches: 3, interrupted: true, stopped: false });
    const signalled = await batchesOf({
      n: 40,
      epochs: undefined,
      step: b => void (b.epoch === 1 && b.batch === 0 && process.emit('SIGINT', 'SIGINT'))
    });
    expect(signalled.outcome).toEqual({ epochs: 1, batches: 11, interrupted: true, stopped: false });
    let outer = false;
    const external = await batchesOf({
      n: 40,
      epochs: undefined,
      stopped: () => outer,
      step: b => void (b.batch === 6 && (outer = true))
    });
    expect(external.outcome.batches).toBe(7);
    expect(external.outcome.interrupted).toBe(true);
    expect(process.listenerCount('SIGINT')).toBe(listeners);
  });

  it('refuses what cannot run, naming it', async () => {
    const x = indexRows(4);
    const step = (): void => undefined;
    await expect(trainingLoop({ x, y: x, batchSize: 0, seeds: [1], step })).rejects.toThrow(/batchSize/);
    await expect(trainingLoop({ x, y: x, batchSize: 2, seeds: [1, 2], step })).rejects.toThrow(
      /2 seeds for one network/
    );
    const empty = indexRows(0);
    await expect(trainingLoop({ x: empty, y: empty, batchSize: 2, seeds: [1], step })).rejects.toThrow(
      /no training rows/
    );
    tf.dispose([x, empty]);
  });
});

describe('train, prune and trainEnsemble run on this loop: same seeds, same weights as the reference', () => {
  const d = data(50, 1);
  const v = data(20, 2);

  it('train: bit for bit the reference loop (Adam, masks, a short last batch, 3 epochs)', async () => {
    const masks = [Uint8Array.from({ length: 48 }, (_, k) => (k % 3 === 0 ? 0 : 1)), null, null];
    const o = { lr: 0.01, masks, seed: 11, batchSize: 8 };
    const model = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 2 });
    const reference = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 2 });
    await train(model, { x: d.x, y: d.y }, { ...o, epochs: 3, progress: false });
    referenceSteps(reference, d, { ...o, batches: 3 * Math.ceil(50 / 8) });
    expect(weights(fromModel(model))).toEqual(weights(fromModel(reference)));
    // and a different seed gives different weights (the comparison can fail)
    const other = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 2 });
    await train(other, { x: d.x, y: d.y }, { ...o, seed: 12, epochs: 3, progress: false });
    expect(weights(fromModel(other))).not.toEqual(weights(fromModel(model)));
  });

  it('prune: each level is the reference run for its number of batches (stopping mid-epoch when converged)', async () => {
    const model = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 4 });
    const convergence = { minBatches: 8, checkEvery: 3, window: 4, ratio: 1.02, maxBatches: 20 };
    const result = await prune(
      model,
      { x: d.x, y: d.y, xVal: v.x, yVal: v.y },
      { schedule: [0.4, 0.8], convergence, batchSize: 8, lr: 0.01, seed: 30, progress: false }
    );
    // 50 rows / 8 = 7 batches per epoch: a level of 8…20 batches ends inside an epoch unless it is 14
    expect(result.levels.some(l => l.batches % 7 !== 0)).toBe(true);
    for (let i = 0; i < result.levels.length; i++) {
      const level = result.levels[i];
      const start = i === 0 ? result.initial : result.levels[i - 1].network;
      const reference = assignNetwork(mlp(SIZES, { activation: 'tanh' }), start);
      const masks = level.network.layers.map(l => l.mask);
      referenceSteps(reference, d, {
        lr: 0.01,
        seed: 30 + i,
        batchSize: 8,
        batches: level.batches,
        ...(masks.some(m => m !== undefined) ? { masks } : {})
      });
      expect(weights(level.network)).toEqual(weights(fromModel(reference)));
    }
  });

  it('trainEnsemble: network i is the reference loop with seed i (up to float32 rounding of the batched product)', async () => {
    const seeds = [5, 6];
    const ens = await trainEnsemble(
      SIZES,
      { x: d.x, y: d.y },
      {
        seeds,
        init: 'glorotNormal',
        activation: 'tanh',
        epochs: 2,
        batchSize: 8,
        lr: 0.01
      }
    );
    seeds.forEach((seed, i) => {
      const reference = mlp(SIZES, { activation: 'tanh' });
      initialize(reference, 'glorotNormal', { seed });
      referenceSteps(reference, d, { lr: 0.01, seed, batchSize: 8, batches: 2 * Math.ceil(50 / 8) });
      const got = weights(ens.networks[i]).flat();
      const want = weights(fromModel(reference)).flat();
      expect(got).toHaveLength(want.length);
      got.forEach((w, k) => expect(w).toBeCloseTo(want[k], 4));
    });
  });
});
