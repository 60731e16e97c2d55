import { describe, expect, it } from 'vitest';
import { strengthVarianceScore } from '../../src/core/metrics';
import { fromModel } from '../../src/kernel/convert';
import {
  assignNetwork,
  drawNetwork,
  initialize,
  paInit,
  stabilizeStrengthModel
} from '../../src/kernel/init';
import { Init, mlp } from '../../src/kernel/models';

/** Sample variance (ddof 0, mean 0 known) and its standard error from the sample's own fourth moment. */
function varianceAndSe(w: Float64Array): { v: number; se: number; mean: number } {
  const n = w.length;
  let m = 0;
  for (const x of w) m += x;
  m /= n;
  let m2 = 0;
  let m4 = 0;
  for (const x of w) {
    m2 += (x - m) ** 2;
    m4 += (x - m) ** 4;
  }
  m2 /= n;
  m4 /= n;
  // Var(s²) ≈ (μ4 − σ⁴)/n for any distribution with a finite fourth moment.
  return { v: m2, se: Math.sqrt((m4 - m2 * m2) / n), mean: m };
}

/** The drawn variance is within 5 standard errors of the expected one, and the mean within 5 se of 0. */
function expectVariance(init: Init, nIn: number, nOut: number, expected: number): void {
  const w = drawNetwork([nIn, nOut], init, 11).layers[0].weights;
  const { v, se, mean } = varianceAndSe(w);
  expect(Math.abs(v - expected)).toBeLessThan(5 * se);
  expect(Math.abs(mean)).toBeLessThan(5 * Math.sqrt(v / w.length));
}

describe('initializers: statistics of the drawn weights', () => {
  const [nIn, nOut] = [200, 300];
  it('Glorot normal and uniform: variance 2/(fan_in + fan_out)', () => {
    expectVariance('glorotNormal', nIn, nOut, 2 / (nIn + nOut));
    expectVariance('glorotUniform', nIn, nOut, 2 / (nIn + nOut));
  });
  it('He normal and uniform: variance 2/fan_in', () => {
    expectVariance('heNormal', nIn, nOut, 2 / nIn);
    expectVariance('heUniform', nIn, nOut, 2 / nIn);
  });
  it("the moth papers' N(0,1)/5: sd 0.2; normal(sd) and uniform(limit) as asked", () => {
    expectVariance('mothNormal', nIn, nOut, 0.04);
    expectVariance({ kind: 'normal', sd: 0.5 }, nIn, nOut, 0.25);
    expectVariance({ kind: 'uniform', limit: 0.3 }, nIn, nOut, 0.09 / 3);
    const u = drawNetwork([nIn, nOut], { kind: 'uniform', limit: 0.3 }, 2).layers[0].weights;
    expect(Math.max(...u.map(Math.abs))).toBeLessThanOrEqual(0.3);
  });
  it('orthogonal: WᵀW = gain²·I for a square matrix', () => {
    const n = 24;
    for (const [init, gain] of [
      ['orthogonal', 1],
      [{ kind: 'orthogonal', gain: 1.5 }, 1.5]
    ] as [Init, number][]) {
      const w = drawNetwork([n, n], init, 5).layers[0].weights;
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < n; j++) {
          let dot = 0;
          for (let r = 0; r < n; r++) dot += w[r * n + i] * w[r * n + j];
          expect(dot).toBeCloseTo(i === j ? gain * gain : 0, 4);
        }
      }
    }
  });
  it('orthogonal, not square: orthonormal columns when tall, orthonormal rows when wide', () => {
    for (const [nIn, nOut] of [
      [30, 10],
      [10, 30]
    ]) {
      const w = drawNetwork([nIn, nOut], 'orthogonal', 2).layers[0].weights;
      const small = Math.min(nIn, nOut);
      const at = (a: number, b: number): number => (nIn >= nOut ? w[b * nOut + a] : w[a * nOut + b]);
      for (let i = 0; i < small; i++) {
        for (let j = 0; j < small; j++) {
          let dot = 0;
          for (let r = 0; r < Math.max(nIn, nOut); r++) dot += at(i, r) * at(j, r);
          expect(dot).toBeCloseTo(i === j ? 1 : 0, 5);
        }
      }
    }
  });
});

describe('initialize', () => {
  it('gives an existing model the kernels drawNetwork draws for the init and seed (seed 0 too), biases 0', () => {
    for (const seed of [0, 4]) {
      const model = mlp([5, 7, 3], { seed: 99, init: 'glorotUniform' });
      const [k, b] = model.layers[0].getWeights();
      model.layers[0].setWeights([k, b.add(1)]);
      initialize(model, 'heNormal', { seed });
      const expected = drawNetwork([5, 7, 3], 'heNormal', seed);
      const again = fromModel(initialize(mlp([5, 7, 3]), 'heNormal', { seed }));
      fromModel(model).layers.forEach((layer, l) => {
        expect(Array.from(layer.weights)).toEqual(Array.from(expected.layers[l].weights));
        expect(Array.from(layer.weights)).toEqual(Array.from(again.layers[l].weights));
        expect(Array.from(layer.bias ?? [])).toEqual(new Array(layer.nOut).fill(0));
      });
    }
  });
  it('keeps the biases on request', () => {
    const model = mlp([3, 2], { seed: 1 });
    const [k, b] = model.layers[0].getWeights();
    model.layers[0].setWeights([k, b.add(2)]);
    initialize(model, 'mothNormal', { seed: 1, bias: 'keep' });
    expect(Array.from(fromModel(model).layers[0].bias ?? [])).toEqual([2, 2]);
  });
  it("PA-rewired init keeps every layer's multiset of weights and lowers the strength variance on average", () => {
    const sizes = [30, 40, 20];
    let plainScore = 0;
    let paScore = 0;
    for (let seed = 0; seed < 8; seed++) {
      const plain = drawNetwork(sizes, 'glorotNormal', seed);
      const model = initialize(mlp(sizes), paInit('glorotNormal'), { seed });
      const rewired = fromModel(model);
      rewired.layers.forEach((layer, l) => {
        const a = Float32Array.from(layer.weights).sort();
        const b = Float32Array.from(plain.layers[l].weights).sort();
        expect(Array.from(a)).toEqual(Array.from(b));
        expect(Array.from(layer.weights)).not.toEqual(Array.from(plain.layers[l].weights));
        plainScore += strengthVarianceScore(plain.layers[l]);
        paScore += strengthVarianceScore(layer);
      });
    }
    expect(paScore).toBeLessThan(0.8 * plainScore);
  });
});

describe('stabilizeStrengthModel', () => {
  it('returns the candidate with the lowest mean score, reproducibly', () => {
    const a = stabilizeStrengthModel([12, 16, 4], {
      k: 6,
      init: 'glorotNormal',
      seed: 3,
      activation: 'tanh'
    });
    const b = stabilizeStrengthModel([12, 16, 4], { k: 6, init: 'glorotNormal', seed: 3 });
    expect(a.scores).toHaveLength(6);
    expect(a.scores[a.chosen]).toBe(Math.min(...a.scores));
    expect(new Set(a.scores).size).toBe(6);
    const net = fromModel(a.model);
    const mean = net.layers.map(strengthVarianceScore).reduce((s, x) => s + x, 0) / net.layers.length;
    expect(mean).toBeCloseTo(a.scores[a.chosen], 10);
    expect(net.layers[0].activation).toBe('tanh');
    expect(Array.from(net.layers[0].weights)).toEqual(Array.from(fromModel(b.model).layers[0].weights));
  });
});

describe('assignNetwork', () => {
  it('writes masked weights as 0 and rejects a shape mismatch', () => {
    const model = mlp([2, 2], { seed: 1 });
    const weights = new Float64Array([1, 2, 3, 4]);
    assignNetwork(model, {
      layers: [{ nIn: 2, nOut: 2, weights, mask: Uint8Array.of(1, 0, 0, 1), bias: new Float64Array([5, 6]) }]
    });
    const net = fromModel(model);
    expect(Array.from(net.layers[0].weights)).toEqual([1, 0, 0, 4]);
    expect(Array.from(net.layers[0].bias ?? [])).toEqual([5, 6]);
    expect(() =>
      assignNetwork(model, { layers: [{ nIn: 3, nOut: 2, weights: new Float64Array(6) }] })
    ).toThrow(/layer 0 is 2 × 2/);
  });
});
