import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOTIF_NAMES, censusKeys, motifCensus, type MotifName } from '../../src/core/census';
import { motifGraph, type MotifGraph, type MotifLayer } from '../../src/core/live';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import {
  NULL_MODELS,
  NullSampler,
  gnmMoments,
  nullCensusSamples,
  sampleNull,
  sampleSeed,
  type NullModel
} from '../../src/core/nulls';
import { createRng, type Rng } from '../../src/core/random';
import { arbNetwork } from './helpers/random-network';

/** Edge sets of one census layer: weight edges as "r,c" and bias targets, with signs. */
function edgeSets(layer: MotifLayer): {
  weights: string[];
  bias: number[];
  neg: number[];
  biasNeg: number[];
} {
  const weights: string[] = [];
  const bias: number[] = [];
  const neg: number[] = [];
  const biasNeg: number[] = [];
  for (let r = 0; r < layer.nRows; r++) {
    for (let e = layer.rowPtr[r]; e < layer.rowPtr[r + 1]; e++) {
      if (r < layer.nReal) {
        weights.push(`${r},${layer.colIdx[e]}`);
        neg.push(layer.neg[e]);
      } else {
        bias.push(layer.colIdx[e]);
        biasNeg.push(layer.neg[e]);
      }
    }
  }
  return { weights, bias, neg, biasNeg };
}

const degreesOf = (layer: MotifLayer): { out: number[]; inc: number[] } => {
  const out = new Array<number>(layer.nRows).fill(0);
  const inc = new Array<number>(layer.nCols).fill(0);
  for (let r = 0; r < layer.nRows; r++) {
    for (let e = layer.rowPtr[r]; e < layer.rowPtr[r + 1]; e++) {
      out[r]++;
      inc[layer.colIdx[e]]++;
    }
  }
  return { out, inc };
};

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const sorted = <T>(xs: T[]): T[] => [...xs].sort();

/** Checks the promises of `model` for one sample against the real census graph. */
function checkSample(real: MotifGraph, sample: MotifGraph, model: NullModel): void {
  real.layers.forEach((r, l) => {
    const s = sample.layers[l];
    const R = edgeSets(r);
    const X = edgeSets(s);
    // same number of weight and bias edges, no duplicate edge, signs kept as a multiset
    expect(X.weights.length).toBe(R.weights.length);
    expect(X.bias.length).toBe(R.bias.length);
    expect(new Set(X.weights).size).toBe(X.weights.length);
    expect(new Set(X.bias).size).toBe(X.bias.length);
    expect(sum(X.neg) + sum(X.biasNeg)).toBe(sum(R.neg) + sum(R.biasNeg));
    const dr = degreesOf(r);
    const ds = degreesOf(s);
    const liveRows = new Set(dr.out.flatMap((d, i) => (i < r.nReal && d > 0 ? [i] : [])));
    const weightCols = new Set(R.weights.map(k => Number(k.split(',')[1])));
    const anyCols = new Set([...weightCols, ...R.bias]);
    if (model === 'random-pruning' || model === 'gnm') {
      for (const k of X.weights) {
        const [i, j] = k.split(',').map(Number);
        expect(liveRows.has(i) && weightCols.has(j)).toBe(true);
      }
      for (const j of X.bias) expect(anyCols.has(j)).toBe(true);
      expect(sorted(X.neg)).toEqual(sorted(R.neg));
      expect(sorted(X.biasNeg)).toEqual(sorted(R.biasNeg));
    }
    if (model === 'random-pruning') {
      // every live node keeps degree >= 1
      for (const i of liveRows) expect(ds.out[i]).toBeGreaterThan(0);
      const incW = new Array<number>(r.nCols).fill(0);
      for (const k of X.weights) incW[Number(k.split(',')[1])]++;
      for (const j of weightCols) expect(incW[j]).toBeGreaterThan(0);
    }
    if (model === 'degree') {
      expect(ds.out).toEqual(dr.out);
      expect(ds.inc).toEqual(dr.inc);
    }
    if (model === 'weight-shuffle' || model === 'sign-shuffle') {
      expect(X.weights).toEqual(R.weights);
      expect(X.bias).toEqual(R.bias);
      expect(sorted(X.neg)).toEqual(sorted(R.neg));
    }
  });
}

describe('null samplers', () => {
  for (const model of NULL_MODELS) {
    it(`${model} keeps edge counts per layer and its promised constraints (property)`, () => {
      fc.assert(
        fc.property(
          arbNetwork({ maxWidth: 7 }),
          fc.boolean(),
          fc.boolean(),
          fc.integer(),
          (net, biasNode, prune, seed) => {
            const real = motifGraph(net, { biasNode, pruneDeadGhost: prune });
            const sampler = new NullSampler(real, model, 5, true);
            const rng = createRng(seed);
            for (let t = 0; t < 3; t++) checkSample(real, sampler.sample(rng), model);
          }
        ),
        { numRuns: 150 }
      );
    });
  }

  it('random pruning with fewer edges than live nodes still covers every node (identity → permutation)', () => {
    const n = 5;
    const weights = new Float64Array(n * n);
    for (let i = 0; i < n; i++) weights[i * n + i] = 1;
    const real = motifGraph({ layers: [{ nIn: n, nOut: n, weights }] });
    const sampler = new NullSampler(real, 'random-pruning');
    const rng = createRng(3);
    const seen = new Set<string>();
    for (let t = 0; t < 200; t++) {
      const { out, inc } = degreesOf(sampler.sample(rng).layers[0]);
      expect(out).toEqual([1, 1, 1, 1, 1]);
      expect(inc).toEqual([1, 1, 1, 1, 1]);
      seen.add(edgeSets(sampler.graph.layers[0]).weights.join(' '));
    }
    expect(seen.size).toBeGreaterThan(50); // random permutations, not a fixed one
  });

  it('random pruning fills a full matrix exactly', () => {
    const real = motifGraph({ layers: [{ nIn: 3, nOut: 4, weights: new Float64Array(12).fill(1) }] });
    const s = new NullSampler(real, 'random-pruning').sample(createRng(1));
    expect(edgeSets(s.layers[0]).weights).toHaveLength(12);
  });

  it('random pruning on nearly full layers: exact edge count, every node covered, every zero reachable', () => {
    // 6×7 with 2 empty cells: the extra 1 of a full row or column goes to a zero anywhere in the matrix
    const n = 6;
    const m = 7;
    const weights = new Float64Array(n * m).fill(1);
    weights[3] = 0;
    weights[20] = 0;
    const real = motifGraph({ layers: [{ nIn: n, nOut: m, weights }] });
    const sampler = new NullSampler(real, 'random-pruning');
    const empty = new Array<number>(n * m).fill(0);
    for (let i = 0; i < 400; i++) {
      const { weights: w } = edgeSets(sampler.sample(createRng(i)).layers[0]);
      expect(w).toHaveLength(n * m - 2);
      const have = new Set(w);
      for (let k = 0; k < n * m; k++) if (!have.has(`${Math.floor(k / m)},${k % m}`)) empty[k]++;
    }
    // each of the 42 cells is left empty 400·2/42 ≈ 19 times on average; none is never or always empty
    for (const c of empty) {
      expect(c).toBeGreaterThan(0);
      expect(c).toBeLessThan(60);
    }
  });

  it("random pruning has the distribution of the authors' recipe (naive reference, Monte Carlo)", () => {
    // a sparse 6×7 layer with 14 edges, all nodes live
    const n = 6;
    const m = 7;
    const weights = new Float64Array(n * m);
    const cells = [0, 8, 16, 24, 32, 40, 6, 13, 20, 3, 11, 29, 37, 41];
    for (const k of cells) weights[k] = 1;
    const net: LayeredNetwork = { layers: [{ nIn: n, nOut: m, weights }] };
    const W = cells.length;
    const naive = (rng: Rng): LayeredNetwork => {
      const occ = new Array<number>(n * m).fill(0);
      const zeroIn = (ks: number[]): number => {
        const free = ks.filter(k => occ[k] === 0);
        return free[rng.int(free.length)];
      };
      const all = Array.from({ length: n * m }, (_, k) => k);
      for (let t = 0; t < W - n - m; t++) occ[zeroIn(all)] = 1;
      for (let i = 0; i < n; i++) occ[zeroIn(Array.from({ length: m }, (_, j) => i * m + j))] = 1;
      for (let j = 0; j < m; j++) occ[zeroIn(Array.from({ length: n }, (_, i) => i * m + j))] = 1;
      return { layers: [{ nIn: n, nOut: m, weights: Float64Array.from(occ) }] };
    };
    const S = 3000;
    const ours = nullCensusSamples(net, { samples: S, seed: 5 });
    const rng = createRng(77);
    const refRuns = Array.from(
      { length: S },
      () => motifCensus(naive(rng), { pruneDeadGhost: false }).counts
    );
    for (const name of ['soDiverging', 'soConverging', 'biFan', 'toDiverging'] as MotifName[]) {
      const k = ours.keys.indexOf(name);
      const a = Array.from({ length: S }, (_, i) => ours.values[i * ours.keys.length + k]);
      const b = refRuns.map(c => c[name]);
      const mean = (xs: number[]): number => sum(xs) / xs.length;
      const variance = (xs: number[]): number => sum(xs.map(x => (x - mean(xs)) ** 2)) / (xs.length - 1);
      const se = Math.sqrt(variance(a) / S + variance(b) / S);
      expect(Math.abs(mean(a) - mean(b)), name).toBeLessThan(4.5 * se + 1e-12);
    }
  });

  it('gnm places every live cell with the same probability', () => {
    const net: LayeredNetwork = {
      layers: [{ nIn: 3, nOut: 4, weights: Float64Array.of(1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1) }]
    };
    const real = motifGraph(net);
    const sampler = new NullSampler(real, 'gnm');
    const rng = createRng(9);
    const freq = new Array<number>(12).fill(0);
    const S = 6000;
    for (let t = 0; t < S; t++)
      for (const k of edgeSets(sampler.sample(rng).layers[0]).weights) {
        const [i, j] = k.split(',').map(Number);
        freq[i * 4 + j]++;
      }
    const p = 6 / 12;
    const se = Math.sqrt((p * (1 - p)) / S);
    for (const f of freq) expect(Math.abs(f / S - p)).toBeLessThan(4.5 * se);
  });

  it('sample i is the same whatever the chunking, and identical seeds give identical results', () => {
    fc.assert(
      fc.property(
        arbNetwork({ maxWidth: 6 }),
        fc.constantFrom(...NULL_MODELS),
        fc.integer(),
        fc.integer({ min: 1, max: 9 }),
        (net, model, seed, cut) => {
          const opts = { null: model, seed, biasNode: true, signed: true } as const;
          const whole = nullCensusSamples(net, { ...opts, samples: 10 });
          const again = nullCensusSamples(net, { ...opts, samples: 10 });
          const a = nullCensusSamples(net, { ...opts, samples: cut, start: 0 });
          const b = nullCensusSamples(net, { ...opts, samples: 10 - cut, start: cut });
          expect(Array.from(again.values)).toEqual(Array.from(whole.values));
          expect([...a.values, ...b.values]).toEqual(Array.from(whole.values));
        }
      ),
      { numRuns: 60 }
    );
  });

  it('different seeds give different samples', () => {
    const weights = Float64Array.from({ length: 64 }, (_, k) => (k % 3 === 0 ? 1 : 0));
    const net: LayeredNetwork = { layers: [{ nIn: 8, nOut: 8, weights }] };
    const a = nullCensusSamples(net, { samples: 20, seed: 1 }).values;
    const b = nullCensusSamples(net, { samples: 20, seed: 2 }).values;
    expect(Array.from(a)).not.toEqual(Array.from(b));
    expect(sampleSeed(1, 0)).not.toBe(sampleSeed(1, 1));
    expect(sampleSeed(1, 0)).not.toBe(sampleSeed(2, 0));
  });

  it('weight and sign shuffles leave every unsigned count unchanged', () => {
    fc.assert(
      fc.property(
        arbNetwork(),
        fc.constantFrom<NullModel>('weight-shuffle', 'sign-shuffle'),
        (net, model) => {
          const real = motifCensus(net, { biasNode: true });
          const { keys, values } = nullCensusSamples(net, { null: model, samples: 3, biasNode: true });
          for (let i = 0; i < 3; i++)
            MOTIF_NAMES.forEach((name, k) => expect(values[i * keys.length + k]).toBe(real.counts[name]));
        }
      ),
      { numRuns: 50 }
    );
  });

  it('sampleNull returns a network with the sampled structure and the layer weight multiset', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.constantFrom(...NULL_MODELS), fc.integer(), (net, model, seed) => {
        const out = sampleNull(net, { null: model, seed });
        const liveValues = (n: LayeredNetwork, l: number): number[] => {
          const g = motifGraph(n);
          const layer = n.layers[l];
          const vals: number[] = [];
          for (let r = 0; r < g.layers[l].nReal; r++) {
            for (let e = g.layers[l].rowPtr[r]; e < g.layers[l].rowPtr[r + 1]; e++)
              vals.push(layer.weights[r * layer.nOut + g.layers[l].colIdx[e]]);
          }
          return vals.sort((x, y) => x - y);
        };
        net.layers.forEach((layer: Layer, l) => {
          const mask = out.layers[l].mask as Uint8Array;
          expect(sum(Array.from(mask))).toBe(motifGraph(net).layers[l].rowPtr[layer.nIn]);
          const sampled: number[] = [];
          mask.forEach((x, k) => x && sampled.push(out.layers[l].weights[k]));
          const expected = liveValues(net, l);
          if (model === 'sign-shuffle')
            expect(sampled.map(Math.abs).sort((x, y) => x - y)).toEqual(
              expected.map(Math.abs).sort((x, y) => x - y)
            );
          else expect(sampled.sort((x, y) => x - y)).toEqual(expected);
        });
      }),
      { numRuns: 60 }
    );
  });
});

/** All ways to choose `k` of `n` items. */
function* combinations(n: number, k: number, from = 0): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= n - k; i++) for (const rest of combinations(n, k - 1, i + 1)) yield [i, ...rest];
}

describe('gnmMoments', () => {
  const exactKeys: MotifName[] = [
    'edges',
    'soDiverging',
    'soConverging',
    'toDiverging',
    'toConverging',
    'biFan',
    'soChain',
    'toChain',
    'biParallel'
  ];

  it('equals exhaustive enumeration of every G(n,m) placement on small networks', () => {
    // Unpruned, so the live sets differ between layers: layer-1 neuron 2 has no input but feeds on, layer-2
    // neuron 2 has inputs but feeds nothing. That makes consecutive chain counts correlated.
    const realWeights = [
      [1, 0, 0, 0, 1, 0, 1, 0, 0],
      [1, 0, 0, 0, 1, 0, 1, 1, 1],
      [1, 0, 1, 0, 1, 0, 0, 0, 0]
    ];
    const real: LayeredNetwork = {
      layers: realWeights.map(w => ({ nIn: 3, nOut: 3, weights: Float64Array.from(w) }))
    };
    const g = motifGraph(real, { pruneDeadGhost: false });
    // the gnm node set of a layer: rows and columns with an edge; its cells, as weight indices
    const cells = g.layers.map(layer => {
      const { out, inc } = degreesOf(layer);
      const ks: number[] = [];
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) if (out[i] > 0 && inc[j] > 0) ks.push(i * 3 + j);
      return ks;
    });
    expect(cells.map(c => c.length)).toEqual([6, 9, 6]);
    const placements = realWeights.map((w, l) =>
      [...combinations(cells[l].length, sum(w))].map(ix => ix.map(x => cells[l][x]))
    );
    const s1: Record<string, number> = {};
    const s2: Record<string, number> = {};
    let count = 0;
    for (const a of placements[0])
      for (const b of placements[1])
        for (const c of placements[2]) {
          const layers = [a, b, c].map(chosen => {
            const weights = new Float64Array(9);
            for (const k of chosen) weights[k] = 1;
            return { nIn: 3, nOut: 3, weights };
          });
          const { counts } = motifCensus({ layers }, { pruneDeadGhost: false });
          for (const name of exactKeys) {
            s1[name] = (s1[name] ?? 0) + counts[name];
            s2[name] = (s2[name] ?? 0) + counts[name] ** 2;
          }
          count++;
        }
    expect(count).toBe(20 * 126 * 20);
    const moments = gnmMoments(real, { pruneDeadGhost: false });
    for (const name of exactKeys) {
      const mean = s1[name] / count;
      const variance = s2[name] / count - mean ** 2;
      expect(moments.mean[name], name).toBeCloseTo(mean, 9);
      expect(moments.variance[name], name).toBeCloseTo(variance, 9);
    }
  });

  it('agrees with a large Monte Carlo run of the gnm sampler (tolerance from the standard error)', () => {
    const rng = createRng(4);
    const sizes = [7, 12, 10, 6];
    const layers: Layer[] = sizes.slice(0, -1).map((nIn, l) => {
      const nOut = sizes[l + 1];
      const weights = new Float64Array(nIn * nOut);
      for (let k = 0; k < weights.length; k++) if (rng.next() < 0.3) weights[k] = rng.normal();
      return { nIn, nOut, weights };
    });
    const net: LayeredNetwork = { layers };
    const S = 4000;
    const { keys, values } = nullCensusSamples(net, { null: 'gnm', samples: S, seed: 3 });
    const moments = gnmMoments(net);
    for (const name of exactKeys) {
      const k = keys.indexOf(name);
      const xs = Array.from({ length: S }, (_, i) => values[i * keys.length + k]);
      const mean = sum(xs) / S;
      const m2 = sum(xs.map(x => (x - mean) ** 2)) / S;
      const m4 = sum(xs.map(x => (x - mean) ** 4)) / S;
      const variance = (m2 * S) / (S - 1);
      expect(Math.abs(mean - moments.mean[name]), name).toBeLessThanOrEqual(4.5 * Math.sqrt(m2 / S) + 1e-9);
      expect(Math.abs(variance - moments.variance[name]), name).toBeLessThanOrEqual(
        4.5 * Math.sqrt(Math.max(m4 - m2 * m2, 0) / S) + 1e-9
      );
    }
    expect(censusKeys(false)).toEqual([...MOTIF_NAMES]);
  });
});
