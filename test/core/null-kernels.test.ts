import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { motifGraph } from '../../src/core/live';
import type { LayeredNetwork } from '../../src/core/network';
import { NullSampler, type NullModel } from '../../src/core/nulls';
import { STATE, nullKernels } from '../../src/core/motifs/null-kernels';
import { createRng, loadRngState, saveRngState, type Rng } from '../../src/core/random';

/** Weights kept with probability `keep` (uniform values), biases on every target. */
function testNetwork(sizes: number[], keep: number, seed: number): LayeredNetwork {
  const rng = createRng(seed);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const weights = Float64Array.from({ length: nIn * nOut }, () =>
      rng.next() < keep ? rng.next() - 0.5 : 0
    );
    const bias = Float64Array.from({ length: nOut }, () => rng.next() - 0.5);
    layers.push({ nIn, nOut, weights, bias });
  }
  return { layers };
}

/** FNV-style hash of 20 signed samples (rowPtr, colIdx, neg of every layer) and of the stream after them. */
function sampleDigest(model: NullModel, sizes: number[], keep: number, biasNode: boolean): string {
  const real = motifGraph(testNetwork(sizes, keep, 11), { biasNode, pruneDeadGhost: true });
  const sampler = new NullSampler(real, model, 20, true);
  const rng = createRng(5);
  let h = 0;
  const mixIn = (v: number): void => {
    h = Math.imul(h ^ v, 0x01000193) >>> 0;
  };
  for (let i = 0; i < 20; i++) {
    for (const l of sampler.sample(rng).layers) {
      l.rowPtr.forEach(mixIn);
      l.colIdx.forEach(mixIn);
      l.neg.forEach(mixIn);
    }
  }
  mixIn(rng.uint32());
  return h.toString(16);
}

/** Copies of the layers' CSR and signs of `count` samples, one stream. */
function draws(sampler: NullSampler, rng: Rng, count: number): number[][][] {
  return Array.from({ length: count }, () =>
    sampler.sample(rng).layers.map(l => [...l.rowPtr, -1, ...l.colIdx, -1, ...l.neg])
  );
}

describe('null-sampler WebAssembly kernels', () => {
  it('draw the stream of createRng: int(n) for small, odd, power-of-two and large n, then JavaScript continues it (property)', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(1, 2, 3, 7, 1000, 2 ** 31 - 1, 2 ** 31, 3e9, 2 ** 32 - 1),
        fc.integer({ min: 1, max: 60 }),
        (seed, n, count) => {
          const js = createRng(seed);
          const rng = createRng(seed);
          const wasm = nullKernels();
          const out = wasm.occupancy(0); // first byte after the occupancy matrix, which must stay zero
          wasm.reserve(out + 4 * count);
          saveRngState(rng, wasm.i32, STATE);
          wasm.fns.ints(n, count, out);
          loadRngState(rng, wasm.i32, STATE);
          const drawn = Array.from(wasm.i32.subarray(out >> 2, (out >> 2) + count), v => v >>> 0);
          expect(drawn).toEqual(Array.from({ length: count }, () => js.int(n)));
          expect(rng.uint32()).toBe(js.uint32());
          expect(rng.int(10)).toBe(js.int(10));
        }
      ),
      { numRuns: 200 }
    );
  });

  it('take and give back the state of streams made by createRng only', () => {
    const foreign: Rng = { next: () => 0, int: () => 0, normal: () => 0, uint32: () => 0 };
    expect(() => saveRngState(foreign, new Int32Array(4), 0)).toThrow(TypeError);
    expect(() => loadRngState(foreign, new Int32Array(4), 0)).toThrow(TypeError);
    const real = motifGraph(testNetwork([4, 5, 3], 0.5, 1), { biasNode: false, pruneDeadGhost: true });
    expect(() => new NullSampler(real, 'gnm').sample(foreign)).toThrow(/createRng/);
  });

  it('the samplers draw the samples of the former JavaScript sampler, signs included (digests taken before the port)', () => {
    // sparse layers (uniform ones, extra per row and column), W < n + m (minimal cover), 99 % and 100 %
    // kept (dense placement, full rows and columns, the zero list); with and without the bias row
    const expected: [NullModel, number[], number, boolean, string][] = [
      ['random-pruning', [6, 40, 30, 5], 0.3, false, 'd3b44329'],
      ['random-pruning', [6, 40, 30, 5], 0.3, true, 'b113e30d'],
      ['random-pruning', [12, 30, 25], 0.03, false, '2f3f51a2'],
      ['random-pruning', [12, 30, 25], 0.03, true, '795deff7'],
      ['random-pruning', [8, 10, 6], 0.99, false, '1b7a716b'],
      ['random-pruning', [8, 10, 6], 0.99, true, '34d5caff'],
      ['random-pruning', [8, 10, 6], 1, false, 'f667a921'],
      ['random-pruning', [8, 10, 6], 1, true, '9ef92cc2'],
      ['gnm', [6, 40, 30, 5], 0.3, false, '9ec25d0c'],
      ['gnm', [6, 40, 30, 5], 0.3, true, 'cb61ccf6'],
      ['gnm', [12, 30, 25], 0.03, false, '774142c2'],
      ['gnm', [12, 30, 25], 0.03, true, '1fef1374'],
      ['gnm', [8, 10, 6], 0.99, false, '9337b860'],
      ['gnm', [8, 10, 6], 0.99, true, '7b7dcc71'],
      ['gnm', [8, 10, 6], 1, false, '569b061d'],
      ['gnm', [8, 10, 6], 1, true, 'cf3a6cc0'],
      // the sign shuffle of the structure-keeping models runs in the same kernel
      ['degree', [6, 40, 30, 5], 0.3, false, '47b2ce9f'],
      ['degree', [6, 40, 30, 5], 0.3, true, 'fb0b0cd8'],
      ['sign-shuffle', [6, 40, 30, 5], 0.3, false, 'dd2d8b6f'],
      ['sign-shuffle', [6, 40, 30, 5], 0.3, true, '9b50e5d8']
    ];
    for (const [model, sizes, keep, biasNode, digest] of expected) {
      expect([model, sizes, keep, biasNode, sampleDigest(model, sizes, keep, biasNode)]).toEqual([
        model,
        sizes,
        keep,
        biasNode,
        digest
      ]);
    }
  });

  it("samplers of different networks share the thread's kernel without disturbing each other", () => {
    const small = motifGraph(testNetwork([5, 8, 4], 0.6, 2), { biasNode: true, pruneDeadGhost: true });
    const big = motifGraph(testNetwork([30, 60, 50], 0.97, 3), { biasNode: false, pruneDeadGhost: true });
    for (const model of ['random-pruning', 'gnm'] as const) {
      const alone = [draws(new NullSampler(small, model), createRng(1), 6)];
      alone.push(draws(new NullSampler(big, model), createRng(2), 6));
      const a = new NullSampler(small, model);
      const b = new NullSampler(big, model);
      const ra = createRng(1);
      const rb = createRng(2);
      const mixed: number[][][][] = [[], []];
      for (let i = 0; i < 6; i++) {
        mixed[0].push(...draws(a, ra, 1));
        mixed[1].push(...draws(b, rb, 1));
      }
      expect(mixed).toEqual(alone);
    }
  });
});
