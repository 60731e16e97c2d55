import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { strengthVarianceScore } from '../../src/core/metrics';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng, type Rng } from '../../src/core/random';
import { paRewire, paRewireLayer, paRewireMatrix, stabilizeStrength } from '../../src/core/rewiring';
import { createNetwork } from '../../src/core/validate';
import { arbNetwork } from './helpers/random-network';

/** The multiset of values, bit-exact (-0 sorts before 0, so a lost sign shows). */
const sorted = (x: ArrayLike<number>): (number | string)[] =>
  Array.from(Float64Array.from(x).sort(), v => (Object.is(v, -0) ? '-0' : v));

const arbMatrix = fc
  .tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 7 }))
  .chain(([rows, cols]) =>
    fc.record({
      rows: fc.constant(rows),
      cols: fc.constant(cols),
      // integers give ties, doubles give everything else
      w: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -2, max: 2, noNaN: true })), {
        minLength: rows * cols,
        maxLength: rows * cols
      })
    })
  );

function glorotLayer(rng: Rng, nIn: number, nOut: number): Layer {
  const sd = Math.sqrt(2 / (nIn + nOut));
  return { nIn, nOut, weights: Float64Array.from({ length: nIn * nOut }, () => rng.normal() * sd) };
}

describe('paRewireMatrix', () => {
  it('keeps row 0 and every row’s own values, and does not touch its input', () => {
    fc.assert(
      fc.property(arbMatrix, fc.integer(), ({ rows, cols, w }, seed) => {
        const input = Float64Array.from(w);
        const out = paRewireMatrix(input, rows, cols, createRng(seed));
        expect(Array.from(input)).toEqual(w);
        expect(Array.from(out.subarray(0, cols))).toEqual(w.slice(0, cols));
        for (let r = 0; r < rows; r++) {
          expect(sorted(out.subarray(r * cols, (r + 1) * cols))).toEqual(
            sorted(w.slice(r * cols, (r + 1) * cols))
          );
        }
      })
    );
  });

  it('is a function of the seed', () => {
    fc.assert(
      fc.property(arbMatrix, fc.integer(), ({ rows, cols, w }, seed) => {
        const m = Float64Array.from(w);
        expect(paRewireMatrix(m, rows, cols, createRng(seed))).toEqual(
          paRewireMatrix(m, rows, cols, createRng(seed))
        );
      })
    );
  });

  it('draws the targets with the sequential probabilities of weighted sampling without replacement', () => {
    // Row 0 = [4, 0, -2] → st = [4, 0, -2], P = st + |−2| + 1 = [7, 3, 1] / 11.
    // Row 1's values sorted ascending (10, 20, 30) go to the targets in draw order, so the rewired row
    // tells the order: P(order a, b, c) = p_a · p_b / (1 − p_a).
    const p = [7 / 11, 3 / 11, 1 / 11];
    const w = new Float64Array([4, 0, -2, 30, 10, 20]);
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0]
    ];
    const counts = new Map<string, number>();
    const trials = 6000;
    const rng = createRng(2024);
    for (let t = 0; t < trials; t++) {
      const row = paRewireMatrix(w, 2, 3, rng).subarray(3);
      const order = [10, 20, 30].map(v => row.indexOf(v)).join(',');
      counts.set(order, (counts.get(order) ?? 0) + 1);
    }
    for (const [a, b, c] of orders) {
      const prob = (p[a] * p[b]) / (1 - p[a]);
      const freq = (counts.get([a, b, c].join(',')) ?? 0) / trials;
      const sd = Math.sqrt((prob * (1 - prob)) / trials);
      expect(Math.abs(freq - prob)).toBeLessThan(4.5 * sd);
    }
  });

  it('gives the smallest value to the strongest column most of the time', () => {
    // Row 0 = [10, 0] → P = [11, 1] / 12: column 0 is drawn first (gets −5) with probability 11/12.
    const w = new Float64Array([10, 0, 5, -5]);
    let hits = 0;
    const trials = 3000;
    for (let seed = 0; seed < trials; seed++) {
      const out = paRewireMatrix(w, 2, 2, createRng(seed));
      if (out[2] === -5) hits++;
    }
    const sd = Math.sqrt(((11 / 12) * (1 / 12)) / trials);
    expect(Math.abs(hits / trials - 11 / 12)).toBeLessThan(4.5 * sd);
  });

  it('rejects a length that does not match the shape', () => {
    expect(() => paRewireMatrix(new Float64Array(5), 2, 3, createRng(0))).toThrow(/2 × 3/);
  });
});

describe('paRewireLayer', () => {
  it('is rewire(W_pt) then rewire of its transpose, mapped back to our nIn × nOut layout', () => {
    // 2 × 3 in our layout (2 input, 3 output neurons); W_pt is 3 × 2.
    const layer: Layer = {
      nIn: 2,
      nOut: 3,
      weights: new Float64Array([1, 2, 3, 4, 5, 6]),
      bias: new Float64Array([7, 8, 9])
    };
    const seed = 5;
    const rng = createRng(seed);
    const pt = paRewireMatrix(new Float64Array([1, 4, 2, 5, 3, 6]), 3, 2, rng);
    const oursAfterFirst = new Float64Array([pt[0], pt[2], pt[4], pt[1], pt[3], pt[5]]);
    const expected = paRewireMatrix(oursAfterFirst, 2, 3, rng);
    const got = paRewireLayer(layer, createRng(seed));
    expect(got.weights).toEqual(expected);
    expect(got.bias).toEqual(layer.bias);
    expect(got.bias).not.toBe(layer.bias);
    expect([got.nIn, got.nOut]).toEqual([2, 3]);
    // The first pass keeps row 0 of W_pt, i.e. the weights into output neuron 0.
    expect([pt[0], pt[1]]).toEqual([1, 4]);
  });

  it('keeps the multiset of the layer’s weights exactly', () => {
    fc.assert(
      fc.property(arbNetwork({ masked: false }), fc.integer(), (net, seed) => {
        const rng = createRng(seed);
        for (const layer of net.layers) {
          const out = paRewireLayer(layer, rng);
          expect(sorted(out.weights)).toEqual(sorted(layer.weights));
        }
      })
    );
  });

  it('refuses pruned layers and accepts an all-ones mask', () => {
    const pruned: Layer = {
      nIn: 1,
      nOut: 2,
      weights: new Float64Array([1, 2]),
      mask: new Uint8Array([1, 0])
    };
    expect(() => paRewireLayer(pruned, createRng(0))).toThrow(
      'PA rewiring is defined for dense layers; rewire before pruning'
    );
    const ones: Layer = { ...pruned, mask: new Uint8Array([1, 1]) };
    expect(paRewireLayer(ones, createRng(0)).mask).toEqual(new Uint8Array([1, 1]));
  });

  it('lowers the strength-variance score of Glorot-initialised 64 × 64 layers (the paper’s claim)', () => {
    let before = 0;
    let after = 0;
    let lowered = 0;
    for (let seed = 0; seed < 20; seed++) {
      const layer = glorotLayer(createRng(seed), 64, 64);
      const rewired = paRewireLayer(layer, createRng(1000 + seed));
      const b = strengthVarianceScore(layer);
      const a = strengthVarianceScore(rewired);
      before += b / 20;
      after += a / 20;
      if (a < b) lowered++;
    }
    expect(after).toBeLessThan(before);
    expect(lowered).toBeGreaterThan(10);
  });
});

describe('paRewire', () => {
  const net = createNetwork(
    [
      {
        weights: { nIn: 4, nOut: 3, data: [1, -2, 0.5, 3, 0, -1, 2, 2, -3, 0.25, 1, -0.5] },
        bias: [1, 2, 3]
      },
      { weights: [[1], [-1], [2]], activation: 'linear' }
    ],
    { meta: { name: 'n' } }
  );

  it('rewires every layer with seed 0 by default, keeping each layer’s values and bias', () => {
    const out = paRewire(net);
    expect(out).toEqual(paRewire(net, { seed: 0 }));
    out.layers.forEach((layer, l) => {
      expect(sorted(layer.weights)).toEqual(sorted(net.layers[l].weights));
      expect(layer.bias).toEqual(net.layers[l].bias);
      expect(layer.activation).toBe(net.layers[l].activation);
    });
    expect(out.meta).toEqual({ name: 'n' });
    const rng = createRng(0);
    expect(out.layers[0].weights).toEqual(paRewireLayer(net.layers[0], rng).weights);
    expect(out.layers[1].weights).toEqual(paRewireLayer(net.layers[1], rng).weights);
  });

  it('rewires only the chosen layers and copies the rest', () => {
    const out = paRewire(net, { seed: 3, layers: [1] });
    expect(out.layers[0].weights).toEqual(net.layers[0].weights);
    expect(out.layers[0].weights).not.toBe(net.layers[0].weights);
    expect(out.layers[1].weights).toEqual(paRewireLayer(net.layers[1], createRng(3)).weights);
  });

  it('finds a different arrangement for some seed', () => {
    const first = paRewire(net, { seed: 0 }).layers[0].weights;
    const differs = [1, 2, 3, 4, 5].some(seed =>
      paRewire(net, { seed }).layers[0].weights.some((v, k) => v !== first[k])
    );
    expect(differs).toBe(true);
  });

  it('rejects unknown layers and pruned layers, naming the layer', () => {
    expect(() => paRewire(net, { layers: [2] })).toThrow(
      'paRewire: layer 2 does not exist (the network has layers 0..1)'
    );
    const pruned: LayeredNetwork = {
      layers: [net.layers[0], { ...net.layers[1], mask: new Uint8Array([1, 0, 1]) }]
    };
    expect(() => paRewire(pruned)).toThrow(/layer 1: PA rewiring is defined for dense layers/);
    expect(() => paRewire(pruned, { layers: [0] })).not.toThrow();
  });
});

describe('stabilizeStrength', () => {
  const draw = (rng: Rng): LayeredNetwork => ({ layers: [glorotLayer(rng, 8, 6), glorotLayer(rng, 6, 3)] });

  it('keeps the candidate with the lowest mean score, reproducibly', () => {
    const result = stabilizeStrength(draw, { k: 12, seed: 9 });
    expect(result.scores.length).toBe(12);
    expect(result.scores[result.chosen]).toBe(Math.min(...result.scores));
    // Replaying the stream gives the same candidates and scores.
    const rng = createRng(9);
    const candidates = Array.from({ length: 12 }, () => draw(rng));
    candidates.forEach((c, i) => {
      const mean = (strengthVarianceScore(c.layers[0]) + strengthVarianceScore(c.layers[1])) / 2;
      expect(result.scores[i]).toBe(mean);
    });
    expect(result.network).toEqual(candidates[result.chosen]);
    expect(stabilizeStrength(draw, { k: 12, seed: 9 })).toEqual(result);
  });

  it('with k = 1 returns the single draw; rejects k < 1', () => {
    const one = stabilizeStrength(draw, { k: 1 });
    expect(one.chosen).toBe(0);
    expect(one.network).toEqual(draw(createRng(0)));
    expect(() => stabilizeStrength(draw, { k: 0 })).toThrow(RangeError);
  });
});
