import { describe, expect, it, vi } from 'vitest';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { fromModel } from '../../src/kernel/convert';
import { trainEnsemble } from '../../src/kernel/ensemble';
import { initialize } from '../../src/kernel/init';
import { mlp } from '../../src/kernel/models';
import { TrainOptions, train } from '../../src/kernel/train';

function data(n: number, seed: number, classes = 0) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * 4 }, () => 2 * rng.next() - 1);
  const cols = classes > 0 ? classes : 2;
  const y = new Float32Array(n * cols);
  for (let i = 0; i < n; i++) {
    if (classes > 0) y[i * cols + ((x[4 * i] + x[4 * i + 1] > 0 ? 1 : 0) + (x[4 * i + 2] > 0 ? 1 : 0))] = 1;
    else {
      y[2 * i] = Math.sin(2 * x[4 * i]) + x[4 * i + 1];
      y[2 * i + 1] = x[4 * i + 2] * x[4 * i + 3];
    }
  }
  return { x: { rows: n, cols: 4, data: x }, y: { rows: n, cols, data: y } };
}

/** Largest |a − b| relative to the largest |b| of the layer. */
function maxRelDiff(a: LayeredNetwork, b: LayeredNetwork): number {
  let worst = 0;
  a.layers.forEach((layer, l) => {
    const ref = b.layers[l];
    const scale = Math.max(...Array.from(ref.weights, Math.abs), 1e-6);
    layer.weights.forEach((w, k) => (worst = Math.max(worst, Math.abs(w - ref.weights[k]) / scale)));
    layer.bias?.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (ref.bias?.[k] ?? 0)) / scale)));
  });
  return worst;
}

describe('trainEnsemble', () => {
  const sizes = [4, 12, 8, 2];
  const train64 = data(64, 1);
  const val = data(32, 2);
  const d = { ...train64, xVal: val.x, yVal: val.y };

  it('network i equals the same network trained alone with seed i (same init, same batches), Adam, MSE', async () => {
    const seeds = [3, 7, 11];
    const common = { epochs: 3, batchSize: 16, lr: 0.01 };
    const ens = await trainEnsemble(sizes, d, { seeds, init: 'glorotNormal', activation: 'tanh', ...common });
    expect(ens.networks).toHaveLength(3);
    expect(ens.epochs).toBe(3);
    for (let i = 0; i < seeds.length; i++) {
      const model = initialize(mlp(sizes, { activation: 'tanh' }), 'glorotNormal', { seed: seeds[i] });
      const h = await train(model, d, { ...common, seed: seeds[i], progress: false });
      const alone = fromModel(model);
      expect(maxRelDiff(ens.networks[i], alone)).toBeLessThan(1e-4);
      ens.histories[i].loss.forEach((v, e) => expect(v).toBeCloseTo(h.loss[e], 5));
      ens.histories[i].valLoss.forEach((v, e) => expect(v).toBeCloseTo(h.valLoss[e], 5));
      expect(ens.networks[i].layers.map(l => l.activation)).toEqual(['tanh', 'tanh', 'linear']);
    }
    // Different seeds really are different networks.
    expect(maxRelDiff(ens.networks[0], ens.networks[1])).toBeGreaterThan(0.1);
  });

  it('with masks, cross-entropy and Nesterov SGD: pruned weights stay 0 and each network matches its solo run', async () => {
    const cls = data(60, 4, 3);
    const csizes = [4, 10, 3];
    const seeds = [1, 2];
    const masks = seeds.map(s => {
      const rng = createRng(100 + s);
      return [
        Uint8Array.from({ length: 40 }, () => (rng.next() < 0.5 ? 0 : 1)),
        Uint8Array.from({ length: 30 }, () => (rng.next() < 0.3 ? 0 : 1))
      ];
    });
    const common: TrainOptions = {
      epochs: 2,
      batchSize: 12,
      optimizer: 'sgdNesterov',
      lr: 0.05,
      momentum: 0.6
    };
    const ens = await trainEnsemble(csizes, cls, {
      seeds,
      masks,
      init: 'heNormal',
      activation: 'relu',
      outputActivation: 'softmax',
      epochs: 2,
      batchSize: 12,
      optimizer: 'sgdNesterov',
      lr: 0.05,
      momentum: 0.6
    });
    expect(ens.histories[0].acc).toHaveLength(2);
    for (let i = 0; i < seeds.length; i++) {
      ens.networks[i].layers.forEach((layer, l) => {
        expect(Array.from(layer.mask ?? [])).toEqual(Array.from(masks[i][l]));
        layer.weights.forEach((w, k) => {
          if (masks[i][l][k] === 0) expect(Object.is(w, 0)).toBe(true);
        });
      });
      const model = initialize(mlp(csizes, { activation: 'relu', outputActivation: 'softmax' }), 'heNormal', {
        seed: seeds[i]
      });
      const h = await train(model, cls, { ...common, seed: seeds[i], masks: masks[i], progress: false });
      expect(maxRelDiff(ens.networks[i], fromModel(model))).toBeLessThan(1e-4);
      ens.histories[i].acc?.forEach((v, e) => expect(v).toBeCloseTo(h.acc?.[e] ?? NaN, 5));
    }
  });

  it("shows progress in train's style: one line per epoch with the mean over the networks, none by default", async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      const common = { seeds: [1, 2], epochs: 2, batchSize: 16 };
      await trainEnsemble(sizes, d, common);
      expect(log).not.toHaveBeenCalled();
      const ens = await trainEnsemble(sizes, d, { ...common, progress: true });
      const lines = log.mock.calls.map(c => String(c[0]));
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/^epoch 2\/2 {2}loss \d\.\d{4} {2}val \d\.\d{4} {2}\(\d+\.\d s\)$/);
      const meanLoss = (ens.histories[0].loss[1] + ens.histories[1].loss[1]) / 2;
      expect(lines[1]).toContain(`loss ${meanLoss.toFixed(4)}`);
    } finally {
      log.mockRestore();
    }
  });

  it('refuses data of the wrong width and mismatched seeds', async () => {
    await expect(trainEnsemble([3, 2], d, { k: 2 })).rejects.toThrow(
      /data is 4 → 2 but the networks are 3 → 2/
    );
    await expect(trainEnsemble(sizes, d, { k: 3, seeds: [1, 2] })).rejects.toThrow(/k = 3 but 2 seeds/);
  });
});
