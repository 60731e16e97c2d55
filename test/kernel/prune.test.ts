import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayeredNetwork } from '../../src/core/network';
import { regressionData } from './regression-data';
import { fromModel } from '../../src/kernel/convert';
import { assignNetwork } from '../../src/kernel/init';
import { mlp } from '../../src/kernel/models';
import {
  AUTHORS_CONVERGENCE,
  AUTHORS_SCHEDULE,
  PruneLevel,
  hasConverged,
  magnitudeMasks,
  optimallySparse,
  prune
} from '../../src/kernel/prune';
import { train } from '../../src/kernel/train';

const dirs: string[] = [];
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'nnmotifs-prune-'));
  dirs.push(d);
  return d;
};
afterAll(() => dirs.forEach(d => rmSync(d, { recursive: true, force: true })));

const data = regressionData;
const train64 = data(64, 1);
const val32 = data(32, 2);
const DATA = { ...train64, xVal: val32.x, yVal: val32.y };
const SIZES = [4, 10, 8, 2];
/** Tiny convergence settings so a level takes tens of batches, not thousands. */
const FAST = { minBatches: 8, checkEvery: 4, window: 4, ratio: 1.01, maxBatches: 16 };

describe('schedule and convergence rule', () => {
  it("is the authors' schedule", () => {
    expect(AUTHORS_SCHEDULE).toEqual([
      0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98,
      0.99
    ]);
    expect(AUTHORS_CONVERGENCE).toEqual({
      minBatches: 1000,
      checkEvery: 100,
      window: 500,
      ratio: 1.01,
      maxBatches: 100000
    });
  });
  it('checks every checkEvery batches after minBatches: mean(val[-2w:-w]) / mean(val[-w:]) < ratio', () => {
    const rule = { ...AUTHORS_CONVERGENCE };
    const flat = new Array<number>(1000).fill(0.1);
    expect(hasConverged(flat, 1000, rule)).toBe(true);
    expect(hasConverged(flat.slice(0, 999), 999, rule)).toBe(false); // before minBatches
    expect(hasConverged([...flat, 0.1], 1001, rule)).toBe(false); // not a check point
    // Older half 2 % higher than the recent half: still improving, not converged.
    const improving = [...new Array<number>(500).fill(0.102), ...new Array<number>(500).fill(0.1)];
    expect(hasConverged(improving, 1000, rule)).toBe(false);
    const slow = [...new Array<number>(500).fill(0.1005), ...new Array<number>(500).fill(0.1)];
    expect(hasConverged(slow, 1000, rule)).toBe(true);
  });
});

describe('magnitudeMasks', () => {
  const layer = (weights: number[], nIn: number, nOut: number): LayeredNetwork['layers'][number] => ({
    nIn,
    nOut,
    weights: Float64Array.from(weights)
  });
  it('prunes exactly the N = ⌊c·numel⌋ smallest magnitudes of each layer', () => {
    const w = [0.3, -0.1, 2, -0.25, 0.05, -1.5, 0.7, 0.2, -0.9, 0.4];
    const { weights } = magnitudeMasks({ layers: [layer(w, 2, 5)] }, 0.3);
    // The three smallest |w|: 0.05, 0.1, 0.2.
    expect(Array.from(weights[0])).toEqual([1, 0, 1, 1, 0, 1, 1, 0, 1, 1]);
    // 0.29 · 100 = 28.999… in floating point; N must still be 29.
    const big = Array.from({ length: 100 }, (_, k) => k + 1);
    expect(
      magnitudeMasks({ layers: [layer(big, 10, 10)] }, 0.29).weights[0].filter(m => m === 0).length
    ).toBe(29);
  });
  it('prunes every weight tied at the cutoff (documented), keeps pruned weights pruned, biases only on request', () => {
    const tied = magnitudeMasks({ layers: [layer([1, -1, 1, 2], 2, 2)] }, 0.25).weights[0];
    expect(Array.from(tied)).toEqual([0, 0, 0, 1]);
    const masked = {
      ...layer([5, 4, 3, 2], 2, 2),
      mask: Uint8Array.of(0, 1, 1, 1),
      bias: Float64Array.of(0.1, -3)
    };
    const r = magnitudeMasks({ layers: [masked] }, 0.5, { biases: true });
    expect(Array.from(r.weights[0])).toEqual([0, 1, 1, 0]); // the masked 5 counts as 0
    expect(Array.from(r.biases?.[0] ?? [])).toEqual([0, 1]);
    expect(magnitudeMasks({ layers: [masked] }, 0.5).biases).toBeUndefined();
  });
  it('global scope uses one cutoff over all layers', () => {
    const net = { layers: [layer([1, 2, 3, 4], 2, 2), layer([10, 20], 2, 1)] };
    const r = magnitudeMasks(net, 0.5, { scope: 'global' });
    expect(Array.from(r.weights[0])).toEqual([0, 0, 0, 1]);
    expect(Array.from(r.weights[1])).toEqual([1, 1]);
  });
});

describe('optimallySparse', () => {
  it('is the last level whose loss is at most the threshold', () => {
    const lv = (sparsity: number, loss: number): PruneLevel => ({ sparsity, loss }) as unknown as PruneLevel;
    const levels = [lv(0, 1e-4), lv(0.5, 8e-4), lv(0.9, 2e-3), lv(0.95, 9e-4), lv(0.99, 0.1)];
    expect(optimallySparse(levels)?.sparsity).toBe(0.95);
    expect(optimallySparse(levels, 1e-5)).toBeUndefined();
  });

  it('takes any rows with a loss, e.g. the level rows of a study, and returns the row itself', () => {
    const rows = [
      { job: 'j1', level: 0, sparsity: 0, loss: 1.6e-3 },
      { job: 'j1', level: 1, sparsity: 0.9, loss: 1.9e-3 },
      { job: 'j1', level: 2, sparsity: 0.93, loss: 1.7e-3 },
      { job: 'j1', level: 3, sparsity: 0.95, loss: 4e-3 }
    ];
    expect(optimallySparse(rows)).toBeUndefined(); // none at the paper's 0.001
    expect(optimallySparse(rows, 1.25 * rows[0].loss)).toBe(rows[2]);
    const diverged = rows.map(r => ({ ...r, loss: NaN }));
    expect(optimallySparse(diverged, 1)).toBeUndefined(); // a NaN loss never meets a threshold
  });
});

const sameNetworks = (a: LayeredNetwork, b: LayeredNetwork): void => {
  a.layers.forEach((layer, l) => {
    expect(Array.from(layer.weights)).toEqual(Array.from(b.layers[l].weights));
    expect(Array.from(layer.bias ?? [])).toEqual(Array.from(b.layers[l].bias ?? []));
    expect(Array.from(layer.mask ?? [])).toEqual(Array.from(b.layers[l].mask ?? []));
  });
};

describe('prune', () => {
  const schedule = [0.3, 0.6, 0.9];
  const options = { schedule, convergence: FAST, batchSize: 16, lr: 0.01, seed: 5, progress: false };

  it('prunes each layer to the level, masks only shrink, pruned weights are exactly +0, snapshots per level', async () => {
    const model = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 3 });
    const result = await prune(model, DATA, {
      ...options,
      metrics: net => ({
        edges: net.layers.reduce((s, l) => s + (l.mask?.filter(m => m === 1).length ?? l.weights.length), 0)
      })
    });
    expect(result.interrupted).toBe(false);
    expect(result.levels.map(l => l.sparsity)).toEqual([0, ...schedule]);
    result.levels.forEach((level, i) => {
      expect(level.index).toBe(i);
      expect(level.batches).toBeGreaterThanOrEqual(FAST.minBatches);
      expect(level.batches).toBeLessThanOrEqual(FAST.maxBatches);
      expect(level.losses.train).toHaveLength(level.batches);
      expect(level.losses.val).toHaveLength(level.batches);
      expect(Number.isFinite(level.loss)).toBe(true);
      level.network.layers.forEach((layer, l) => {
        const numel = layer.nIn * layer.nOut;
        const expected = Math.floor(level.sparsity * numel + 1e-9) / numel;
        expect(level.layerSparsity[l]).toBe(expected);
        if (level.sparsity === 0) expect(layer.mask).toBeUndefined();
        layer.mask?.forEach((m, k) => {
          if (m === 0) expect(Object.is(layer.weights[k], 0)).toBe(true);
          else expect(layer.weights[k]).not.toBe(0);
          if (i > 1 && result.levels[i - 1].network.layers[l].mask?.[k] === 0) expect(m).toBe(0);
        });
      });
      const kept = level.network.layers.reduce(
        (s, l) => s + (l.mask?.filter(m => m === 1).length ?? l.weights.length),
        0
      );
      expect(level.metrics).toEqual({ edges: kept });
    });
    // The model ends at the last level (the model itself may hold −0 where the snapshot has +0).
    sameNetworks(
      {
        layers: fromModel(model).layers.map((l, k) => ({
          ...l,
          weights: Float64Array.from(l.weights, w => w + 0),
          mask: result.levels[3].network.layers[k].mask
        }))
      },
      result.levels[3].network
    );
  });

  it('retrains each level exactly as train() would: from the previous weights, or rewound to the initial ones', async () => {
    // ratio 0 never converges, so every level takes exactly maxBatches = one epoch of 64/16 batches.
    const exact = {
      ...options,
      optimizer: 'sgd' as const,
      lr: 0.05,
      convergence: { ...FAST, ratio: 0, maxBatches: 4, minBatches: 2, window: 1 }
    };
    for (const rewind of [false, true]) {
      const model = mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 8 });
      const result = await prune(model, DATA, { ...exact, rewind });
      for (let i = 1; i < result.levels.length; i++) {
        const masks = result.levels[i].network.layers.map(l => l.mask);
        const start = rewind ? result.initial : result.levels[i - 1].network;
        const alone = assignNetwork(mlp(SIZES, { activation: 'tanh' }), start);
        await train(alone, train64, {
          epochs: 1,
          batchSize: 16,
          optimizer: 'sgd',
          lr: 0.05,
          seed: 5 + i,
          masks,
          progress: false
        });
        const got = fromModel(alone);
        got.layers.forEach((layer, l) => {
          const expected = result.levels[i].network.layers[l];
          expect(Array.from(layer.weights, w => w + 0)).toEqual(Array.from(expected.weights));
          expect(Array.from(layer.bias ?? [])).toEqual(Array.from(expected.bias ?? []));
        });
      }
    }
  });

  it('saves every level atomically and resumes an interrupted run to the same result', async () => {
    const full = await prune(mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 3 }), DATA, {
      ...options,
      dir: tempDir()
    });
    const dir = tempDir();
    const controller = new AbortController();
    const first = await prune(mlp(SIZES, { activation: 'tanh', init: 'glorotNormal', seed: 3 }), DATA, {
      ...options,
      dir,
      signal: controller.signal,
      onLevelEnd: level => {
        if (level.index === 1) controller.abort();
      }
    });
    expect(first.interrupted).toBe(true);
    expect(first.levels).toHaveLength(2);
    expect(readdirSync(dir).sort()).toEqual(['initial.json', 'level-00.json', 'level-01.json']);
    // A new session: a model with other weights, the same directory.
    const resumed = await prune(mlp(SIZES, { activation: 'tanh', seed: 99 }), DATA, { ...options, dir });
    expect(resumed.resumed).toBe(2);
    expect(resumed.levels).toHaveLength(4);
    resumed.levels.forEach((level, i) => {
      sameNetworks(level.network, full.levels[i].network);
      expect(level.loss).toBe(full.levels[i].loss);
      expect(level.losses).toEqual(full.levels[i].losses);
    });
    sameNetworks(resumed.initial, full.initial);
    await expect(prune(mlp(SIZES), DATA, { ...options, schedule: [0.5, 0.6, 0.9], dir })).rejects.toThrow(
      /level-01.json was pruned to 0.3, but this run's level 1 is 0.5/
    );
  });
});

describe('prune progress', () => {
  it('shows progress from the start, numbering levels by pruning steps: level 0/N is the dense network', async () => {
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    let firstLevelEnded = -1;
    try {
      await prune(mlp(SIZES, { activation: 'tanh', seed: 3 }), DATA, {
        schedule: [0.5, 0.8, 0.9],
        convergence: FAST,
        batchSize: 16,
        lr: 0.01,
        onLevelEnd: level => {
          if (level.index === 0) firstLevelEnded = lines.length;
        }
      });
    } finally {
      console.log = log;
    }
    // the first line comes before the dense network (level 0) has finished, and says what level 0 is
    expect(firstLevelEnded).toBeGreaterThan(0);
    expect(lines[0]).toBe(
      'Pruning level 0/3 (the dense network, training to convergence before the first pruning)'
    );
    expect(lines.map(l => /^level \d\/3 {2}sparsity [\d.]+ %/.exec(l)?.[0]).filter(Boolean)).toEqual([
      'level 0/3  sparsity 0.0 %',
      'level 1/3  sparsity 50.0 %',
      'level 2/3  sparsity 80.0 %',
      'level 3/3  sparsity 90.0 %'
    ]);
    // without the dense level, the first level is the first pruning step
    lines.length = 0;
    console.log = (...args: unknown[]) => void lines.push(args.join(' '));
    try {
      await prune(mlp(SIZES, { activation: 'tanh', seed: 3 }), DATA, {
        schedule: [0.5, 0.8],
        trainDense: false,
        convergence: FAST,
        batchSize: 16
      });
    } finally {
      console.log = log;
    }
    expect(lines[0]).toBe('Pruning level 1/2 (pruned to 50 %, retraining)');
    expect(lines[lines.length - 1]).toMatch(/^level 2\/2 {2}sparsity 80\.0 %/);
  });
});
