import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOTIF_NAMES, censusKeys, motifCensus } from '../../src/core/census';
import type { LayeredNetwork } from '../../src/core/network';
import { nullCensusSamples } from '../../src/core/nulls';
import { motifSignificance, significanceFromSamples, type NullRunInfo } from '../../src/core/significance';
import { arbNetwork } from './helpers/random-network';

const info: NullRunInfo = {
  model: 'random-pruning',
  seed: 0,
  chain: 'paths',
  biasNode: false,
  pruneDeadGhost: true,
  signed: false
};

// one source feeding 3 targets: soDiverging 3, toDiverging 1, edges 3, everything else 0
const star: LayeredNetwork = { layers: [{ nIn: 1, nOut: 3, weights: Float64Array.of(1, 1, 1) }] };

describe('significanceFromSamples', () => {
  it('computes mean, sample sd (ddof 1), Z, the +1 two-sided p and the profile as documented', () => {
    const K = censusKeys(false).length;
    const rows = [
      [3, 1, 0, 0, 0, 0, 0, 0, 0],
      [3, 2, 0, 0, 0, 0, 0, 0, 0],
      [3, 3, 0, 0, 0, 0, 0, 0, 1],
      [3, 6, 0, 0, 0, 0, 0, 0, 0]
    ];
    const r = significanceFromSamples(star, Float64Array.from(rows.flat()), info);
    expect(rows[0]).toHaveLength(K);
    expect(r.counts.soDiverging).toBe(3);
    expect(r.null.samples).toBe(4);
    // soDiverging samples 1, 2, 3, 6: mean 3, sd sqrt(14/3); real 3 → Z 0; tails ≥ 3: 2, ≤ 3: 3 → p = min(1, 2·3/5)
    expect(r.null.mean.soDiverging).toBe(3);
    expect(r.null.sd.soDiverging).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(r.z.soDiverging).toBe(0);
    expect(r.p.soDiverging).toBe(1);
    // biParallel samples 0, 0, 1, 0: mean 0.25, sd 0.5; real 0 → Z −0.5
    expect(r.z.biParallel).toBeCloseTo(-0.5, 12);
    // edges never vary: Z undefined, p = 1
    expect(Number.isNaN(r.z.edges)).toBe(true);
    expect(r.p.edges).toBe(1);
    // toDiverging: real 1, null always 0 → sd 0 → NaN; p = 2 · (1 + 0) / 5 (equal-tailed)
    expect(Number.isNaN(r.z.toDiverging)).toBe(true);
    expect(r.p.toDiverging).toBeCloseTo(2 / 5, 12);
    // profile: only soDiverging (0) and biParallel (−0.5) are finite → SP = (0, −1)
    expect(r.significanceProfile.biParallel).toBeCloseTo(-1, 12);
    expect(r.significanceProfile.soDiverging).toBe(0);
    expect(Number.isNaN(r.significanceProfile.edges)).toBe(true);
  });

  it('p is equal-tailed: twice the smaller tail (with +1), at most 1', () => {
    const K = censusKeys(false).length;
    // soDiverging samples 0..9; real 3 → samples ≥ 3: 7, ≤ 3: 4 → p = 2 · (1 + 4) / 11
    const values = new Float64Array(10 * K);
    for (let i = 0; i < 10; i++) values[i * K + 1] = i;
    const r = significanceFromSamples(star, values, info);
    expect(r.p.soDiverging).toBeCloseTo(10 / 11, 12);
  });

  it('rejects a sample matrix of the wrong width', () => {
    expect(() => significanceFromSamples(star, new Float64Array(10), info)).toThrow(/multiple/);
  });
});

describe('motifSignificance', () => {
  it('reports the null, the chain convention and Z-scores consistent with the null samples', () => {
    const weights = Float64Array.from({ length: 100 }, (_, k) => (k % 7 === 0 || k < 10 ? 1 : 0));
    const net: LayeredNetwork = {
      layers: [
        { nIn: 10, nOut: 10, weights, bias: Float64Array.from({ length: 10 }, (_, j) => (j % 2 ? 0.5 : 0)) },
        { nIn: 10, nOut: 10, weights: weights.slice().reverse() }
      ]
    };
    const progress: [number, number][] = [];
    const r = motifSignificance(net, {
      samples: 120,
      seed: 4,
      biasNode: true,
      chain: 'pairs',
      onProgress: (d, t) => progress.push([d, t])
    });
    expect(r.null).toMatchObject({ model: 'random-pruning', samples: 120, seed: 4 });
    expect(r.chain).toBe('pairs');
    expect(r.biasNode).toBe(true);
    expect(progress.at(-1)).toEqual([120, 120]);
    expect(progress.map(p => p[0])).toEqual([...progress.map(p => p[0])].sort((a, b) => a - b));
    const real = motifCensus(net, { biasNode: true, chain: 'pairs' });
    const { keys, values } = nullCensusSamples(net, {
      samples: 120,
      seed: 4,
      biasNode: true,
      chain: 'pairs'
    });
    for (const name of MOTIF_NAMES) {
      expect(r.counts[name]).toBe(real.counts[name]);
      const k = keys.indexOf(name);
      const xs = Array.from({ length: 120 }, (_, i) => values[i * keys.length + k]);
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(r.null.mean[name]).toBeCloseTo(mean, 9);
      if (r.null.sd[name] > 0) expect(r.z[name]).toBeCloseTo((real.counts[name] - mean) / r.null.sd[name], 9);
    }
    const finite = MOTIF_NAMES.map(n => r.significanceProfile[n]).filter(Number.isFinite);
    expect(finite.reduce((a, b) => a + b * b, 0)).toBeCloseTo(1, 9);
  });

  it('is deterministic for a seed (property), with signed keys when asked', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.integer(), (net, seed) => {
        const a = motifSignificance(net, { samples: 15, seed, signed: true, null: 'degree', biasNode: true });
        const b = motifSignificance(net, { samples: 15, seed, signed: true, null: 'degree', biasNode: true });
        expect(Object.keys(a.z)).toEqual(censusKeys(true));
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      }),
      { numRuns: 40 }
    );
  });

  it('rejects an unknown null and a bad sample count', () => {
    expect(() => motifSignificance(star, { null: 'nope' as never })).toThrow(/unknown null/);
    expect(() => motifSignificance(star, { samples: -1 })).toThrow(/samples/);
  });
});
