import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ChainConvention, MOTIF_NAMES, countMotifGraph, motifCensus } from '../../src/core/census';
import { motifSignificance } from '../../src/core/significance';
import { motifGraph, type MotifGraph, type MotifLayer } from '../../src/core/live';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { gnmMoments, gnmMomentsOfGraph, nullCensusSamples } from '../../src/core/nulls';
import { pairsToChainMomentsOfGraph } from '../../src/core/motifs/gnm-moments';
import { createRng } from '../../src/core/random';

/** All ways to choose `k` of `n` items. */
function* combinations(n: number, k: number, from = 0): Generator<number[]> {
  if (k === 0) {
    yield [];
    return;
  }
  for (let i = from; i <= n - k; i++) for (const rest of combinations(n, k - 1, i + 1)) yield [i, ...rest];
}

/** Every G(n,m) placement of one census layer (weight cells on live rows × live cols, bias on its targets). */
function placementsOf(layer: MotifLayer): MotifLayer[] {
  const { nReal, nRows, nCols, rowPtr, colIdx } = layer;
  const rows = new Set<number>();
  const cols = new Set<number>();
  const targets = new Set<number>();
  for (let r = 0; r < nRows; r++)
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      if (r < nReal) {
        rows.add(r);
        cols.add(colIdx[e]);
      }
      targets.add(colIdx[e]);
    }
  const cells: [number, number][] = [];
  for (const r of [...rows].sort((a, b) => a - b))
    for (const c of [...cols].sort((a, b) => a - b)) cells.push([r, c]);
  const W = rowPtr[nReal];
  const K = rowPtr[nRows] - W;
  const tlist = [...targets].sort((a, b) => a - b);
  const out: MotifLayer[] = [];
  for (const chosen of combinations(cells.length, W)) {
    for (const bias of nRows > nReal ? combinations(tlist.length, K) : [[]]) {
      const byRow: number[][] = Array.from({ length: nRows }, () => []);
      for (const x of chosen) byRow[cells[x][0]].push(cells[x][1]);
      if (nRows > nReal) for (const x of bias) byRow[nReal].push(tlist[x]);
      const ptr = new Int32Array(nRows + 1);
      byRow.forEach((cs, r) => (ptr[r + 1] = ptr[r] + cs.length));
      out.push({
        nRows,
        nReal,
        nCols,
        rowPtr: ptr,
        colIdx: Int32Array.from(byRow.flat()),
        neg: new Uint8Array(ptr[nRows])
      });
    }
  }
  return out;
}

/** Mean and variance of every count over all placements (each equally likely), both chain conventions. */
function bruteForce(g: MotifGraph, chain: ChainConvention): { mean: number[]; variance: number[] } {
  const options = g.layers.map(placementsOf);
  const s1 = new Float64Array(9);
  const s2 = new Float64Array(9);
  const out = new Float64Array(9);
  let n = 0;
  const rec = (l: number, layers: MotifLayer[]): void => {
    if (l === options.length) {
      countMotifGraph({ layers, biasNode: g.biasNode }, { chain, signed: false }, out);
      for (let k = 0; k < 9; k++) {
        s1[k] += out[k];
        s2[k] += out[k] * out[k];
      }
      n++;
      return;
    }
    for (const p of options[l]) rec(l + 1, [...layers, p]);
  };
  rec(0, []);
  const mean = Array.from(s1, x => x / n);
  return { mean, variance: Array.from(s2, (x, k) => x / n - mean[k] ** 2) };
}

const net = (rows: number[][][], biases: (number[] | undefined)[]): LayeredNetwork => ({
  layers: rows.map((w, l): Layer => {
    const layer: { -readonly [K in keyof Layer]: Layer[K] } = {
      nIn: w.length,
      nOut: w[0].length,
      weights: Float64Array.from(w.flat())
    };
    const b = biases[l];
    if (b !== undefined) layer.bias = Float64Array.from(b);
    return layer;
  })
});

describe('gnmMoments: exact against enumeration of every placement', () => {
  // Unpruned, so live sets differ between layers (a neuron fed only by the bias, one feeding nothing, a
  // bias target that is no weight target), which correlates the chain counts of consecutive layers.
  const cases: [string, LayeredNetwork, boolean][] = [
    [
      'three layers with bias nodes',
      net(
        [
          [
            [1, 0, 0],
            [0, 1, 0]
          ],
          [
            [1, 0, 1],
            [0, 1, 0],
            [0, 1, 0]
          ],
          [
            [1, 0],
            [1, 1],
            [0, 0]
          ]
        ],
        [[0, 1, 1], undefined, [1, 0]]
      ),
      true
    ],
    [
      'three layers without bias',
      net(
        [
          [
            [1, 0, 1],
            [0, 1, 0]
          ],
          [
            [1, 0, 1],
            [0, 1, 1],
            [0, 0, 0]
          ],
          [
            [1, 0],
            [0, 1],
            [1, 0]
          ]
        ],
        [undefined, undefined, undefined]
      ),
      false
    ],
    [
      'four layers, bias everywhere',
      net(
        [
          [[1, 1]],
          [
            [1, 0],
            [1, 1]
          ],
          [
            [0, 1],
            [1, 0]
          ],
          [[1], [1]]
        ],
        [[1, 0], [0, 1], [1, 1], [1]]
      ),
      true
    ],
    ...[false, true].map((biasNode): [string, LayeredNetwork, boolean] => [
      // five layers: X_0 and X_2 of the pairs-convention toChain share layer 2 only (their covariance is
      // about −10 % of the variance here); a neuron of layer 1 is a bias target only
      `five layers, ${biasNode ? 'bias on three' : 'no bias'}`,
      net(
        [
          [[0, 1]],
          [
            [1, 1],
            [1, 1]
          ],
          [
            [0, 1],
            [1, 0]
          ],
          [
            [1, 1],
            [1, 0]
          ],
          [[1], [1]]
        ],
        biasNode
          ? [[1, 0], undefined, [0, 1], [1, 0], undefined]
          : [undefined, undefined, undefined, undefined, undefined]
      ),
      biasNode
    ])
  ];
  for (const [name, network, biasNode] of cases) {
    for (const chain of ['paths', 'pairs'] as const) {
      it(`${name}, ${chain}`, () => {
        const g = motifGraph(network, { biasNode, pruneDeadGhost: false });
        const brute = bruteForce(g, chain);
        const exact = gnmMomentsOfGraph(g, chain);
        if (chain === 'pairs') {
          // the pruned sums (the default) against every term summed
          const [mean, variance] = pairsToChainMomentsOfGraph(g, 0);
          expect(exact.mean.toChain).toBe(mean);
          expect(Math.abs(exact.variance.toChain - variance)).toBeLessThanOrEqual(
            1e-12 * Math.max(1, variance)
          );
        }
        MOTIF_NAMES.forEach((key, k) => {
          const tol = 1e-9 * Math.max(1, Math.abs(brute.mean[k]), Math.abs(brute.variance[k]));
          expect(Math.abs(exact.mean[key] - brute.mean[k]), `${key} mean`).toBeLessThan(tol);
          expect(Math.abs(exact.variance[key] - brute.variance[k]), `${key} variance`).toBeLessThan(tol);
        });
      });
    }
  }
});

describe('gnmMoments: pairs-convention toChain on random tiny networks (property)', () => {
  /** Number of placements of the whole network (the enumeration's size). */
  const placements = (g: MotifGraph): number =>
    g.layers.reduce((n, layer) => n * placementsOf(layer).length, 1);

  it('equals the enumeration of every placement, with and without the bias node', () => {
    const cell = fc.constantFrom(0, 1, 1);
    const network = fc
      .array(fc.integer({ min: 1, max: 3 }), { minLength: 4, maxLength: 5 })
      .chain(sizes =>
        fc.tuple(
          fc.tuple(
            ...sizes
              .slice(1)
              .map((nOut, l) =>
                fc.tuple(
                  fc.array(cell, { minLength: sizes[l] * nOut, maxLength: sizes[l] * nOut }),
                  fc.option(fc.array(cell, { minLength: nOut, maxLength: nOut }), { nil: undefined })
                )
              )
          ),
          fc.constant(sizes)
        )
      );
    fc.assert(
      fc.property(network, fc.boolean(), ([layers, sizes], biasNode) => {
        const nn: LayeredNetwork = {
          layers: layers.map(([w, b], l) => ({
            nIn: sizes[l],
            nOut: sizes[l + 1],
            weights: Float64Array.from(w),
            ...(b === undefined ? {} : { bias: Float64Array.from(b) })
          }))
        };
        const g = motifGraph(nn, { biasNode, pruneDeadGhost: false });
        fc.pre(g.layers.every(layer => layer.rowPtr[layer.nReal] > 0) && placements(g) <= 3000);
        const brute = bruteForce(g, 'pairs');
        const exact = gnmMomentsOfGraph(g, 'pairs');
        const k = MOTIF_NAMES.indexOf('toChain');
        const tol = 1e-9 * Math.max(1, brute.mean[k], brute.variance[k]);
        expect(Math.abs(exact.mean.toChain - brute.mean[k])).toBeLessThan(tol);
        expect(Math.abs(exact.variance.toChain - brute.variance[k])).toBeLessThan(tol);
      }),
      { numRuns: 60, seed: 16 }
    );
  });
});

/** A random layered network: `sizes`, each weight present with probability `density`, biases or not. */
function randomNet(sizes: number[], density: number, bias: boolean, seed: number): LayeredNetwork {
  const rng = createRng(seed);
  return {
    layers: sizes.slice(0, -1).map((nIn, l): Layer => {
      const nOut = sizes[l + 1];
      const weights = Float64Array.from({ length: nIn * nOut }, () => (rng.next() < density ? 1 : 0));
      return bias
        ? { nIn, nOut, weights, bias: Float64Array.from({ length: nOut }, () => (rng.next() < 0.5 ? 1 : 0)) }
        : { nIn, nOut, weights };
    })
  };
}

describe('gnmMoments: pairs-convention soChain on 1000-wide layers', () => {
  it('equals a 40-digit reference (its covariances cancel by 10⁷: no term may carry more than 1e-10 error)', () => {
    // 1000-1000-1000, every row and column of both layers with 15 edges (W = 15 000), all live: the moments
    // depend only on that. Reference: test/fixtures/gnm/sochain_pairs_reference.py (mpmath). The joint
    // degree laws from log-factorials gave 227 349 here (sampled: 165 003 ± 3 %), now from log1p sums.
    const n = 1000;
    const weights = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < 15; j++) weights[i * n + ((i + 37 * j) % n)] = 1;
    const layer = { nIn: n, nOut: n, weights };
    const m = gnmMoments({ layers: [layer, layer] }, { chain: 'pairs' });
    expect(m.mean.soChain).toBeCloseTo(201506.64947425495, 6);
    expect(Math.abs(m.variance.soChain / 163618.41830076757 - 1)).toBeLessThan(1e-7);
  });
});

describe('gnmMoments: pruned pairs-convention toChain sums against every term', () => {
  // to 1e-12 of the variance, or to the square of the mean's rounding error when the variance is below it
  const close = (pruned: number, full: number, mean: number): boolean =>
    Math.abs(pruned - full) <= Math.max(1e-12 * Math.abs(full), (mean * Number.EPSILON) ** 2);

  it('agree on 4- and 5-layer networks of mid size, with and without the bias node', () => {
    const cases: [number[], number, boolean][] = [
      [[6, 20, 20, 20, 4], 0.25, true],
      [[6, 20, 20, 20, 4], 0.25, false],
      [[4, 16, 16, 16, 16, 3], 0.3, true],
      [[8, 30, 30, 5], 0.15, false]
    ];
    cases.forEach(([sizes, density, bias], i) => {
      const g = motifGraph(randomNet(sizes, density, bias, 30 + i), { biasNode: bias });
      const [mean, pruned] = pairsToChainMomentsOfGraph(g);
      const [fullMean, full] = pairsToChainMomentsOfGraph(g, 0);
      expect(mean).toBe(fullMean);
      expect(full, `${sizes} ${bias}`).toBeGreaterThan(0);
      expect(close(pruned, full, mean), `${sizes} ${bias}: ${pruned} vs ${full}`).toBe(true);
      expect(Math.abs(pruned - full), `${sizes} ${bias}`).toBeLessThanOrEqual(1e-12 * full);
    });
  });

  it("settle a variance below the square of the mean's rounding error without summing to 1e-12 of it", () => {
    // every pair is joined but for chances ~1e-30 (variance ~4e-29, floor ~1e-27): the variance is far below (mean · 2⁻⁵²)², where its
    // digits cannot change a Z-score; the pruned sums stop there (they used to chase 1e-12 of it and give up)
    for (const bias of [false, true]) {
      const g = motifGraph(randomNet([12, 40, 40, 12], 0.8, bias, 5), { biasNode: bias });
      const [mean, pruned] = pairsToChainMomentsOfGraph(g);
      const [, full] = pairsToChainMomentsOfGraph(g, 0);
      const floor = (mean * Number.EPSILON) ** 2;
      expect(full, `${bias}`).toBeGreaterThan(0);
      expect(full, `${bias}`).toBeLessThan(floor);
      expect(pruned, `${bias}`).toBeGreaterThanOrEqual(0);
      expect(Math.abs(pruned - full), `${bias}`).toBeLessThanOrEqual(floor);
    }
  });

  it('agree on random networks (property)', () => {
    const arb = fc.record({
      sizes: fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 4, maxLength: 6 }),
      density: fc.double({ min: 0.1, max: 0.7, noNaN: true }),
      bias: fc.boolean(),
      seed: fc.integer({ min: 1, max: 1e6 })
    });
    fc.assert(
      fc.property(arb, ({ sizes, density, bias, seed }) => {
        const g = motifGraph(randomNet(sizes, density, bias, seed), { biasNode: bias });
        fc.pre(g.layers.every(layer => layer.rowPtr[layer.nReal] > 0));
        const [mean, pruned] = pairsToChainMomentsOfGraph(g);
        const [, full] = pairsToChainMomentsOfGraph(g, 0);
        expect(close(pruned, full, mean), `${pruned} vs ${full}`).toBe(true);
      }),
      { numRuns: 80, seed: 160 }
    );
  });

  it('refuses a fraction outside [0, 1)', () => {
    const g = motifGraph(randomNet([2, 3, 3, 2], 0.5, false, 1));
    expect(() => pairsToChainMomentsOfGraph(g, 1)).toThrow(/fraction/);
    expect(() => pairsToChainMomentsOfGraph(g, Number.NaN)).toThrow(/fraction/);
  });
});

// Heavy (≈ 10–30 s): run once with NNMOTIFS_HEAVY_TESTS=1 (CI skips it).
describe.runIf(process.env.NNMOTIFS_HEAVY_TESTS === '1')(
  'gnmMoments: pruned pairs-convention toChain variance against 100 000 samples (heavy)',
  () => {
    it('variance within 5 %, mean within 4 standard errors (mid-size network, bias node)', async () => {
      const network = randomNet([8, 40, 40, 40, 5], 0.12, true, 77);
      // ten runs of 10 000 (independent seeds), yielding between them so that vitest's worker stays responsive
      const counts: number[] = [];
      for (let run = 0; run < 10; run++) {
        const { keys, values } = nullCensusSamples(network, {
          null: 'gnm',
          samples: 10_000,
          seed: 9 + run,
          chain: 'pairs',
          biasNode: true
        });
        const k = keys.indexOf('toChain');
        for (let i = 0; i < 10_000; i++) counts.push(values[i * keys.length + k]);
        await new Promise(resolve => setImmediate(resolve));
      }
      const S = counts.length;
      const mean = counts.reduce((a, b) => a + b, 0) / S;
      const variance = counts.reduce((a, x) => a + (x - mean) ** 2, 0) / (S - 1);
      const exact = gnmMoments(network, { chain: 'pairs', biasNode: true });
      expect(Math.abs(mean - exact.mean.toChain)).toBeLessThanOrEqual(4 * Math.sqrt(variance / S));
      expect(Math.abs(variance / exact.variance.toChain - 1)).toBeLessThan(0.05);
    }, 600_000);
  }
);

describe('gnmMoments: against 100 000 samples of the gnm sampler', () => {
  const rng = createRng(11);
  const sizes = [5, 8, 7, 6, 3];
  const layers: Layer[] = sizes.slice(0, -1).map((nIn, l) => {
    const nOut = sizes[l + 1];
    const weights = new Float64Array(nIn * nOut);
    for (let k = 0; k < weights.length; k++) if (rng.next() < 0.35) weights[k] = rng.normal();
    const bias = Float64Array.from({ length: nOut }, () => (rng.next() < 0.5 ? 1 : 0));
    return { nIn, nOut, weights, bias };
  });
  const network: LayeredNetwork = { layers };
  const S = 100_000;
  for (const chain of ['paths', 'pairs'] as const) {
    it(`means within 4 standard errors, variances within 5 % (${chain}, bias node)`, () => {
      const { keys, values } = nullCensusSamples(network, {
        null: 'gnm',
        samples: S,
        seed: 5,
        chain,
        biasNode: true
      });
      const exact = gnmMoments(network, { chain, biasNode: true });
      let checked = 0;
      keys.forEach((key, k) => {
        const name = key as (typeof MOTIF_NAMES)[number];
        let s = 0;
        for (let i = 0; i < S; i++) s += values[i * keys.length + k];
        const mean = s / S;
        let ss = 0;
        for (let i = 0; i < S; i++) ss += (values[i * keys.length + k] - mean) ** 2;
        const variance = ss / (S - 1);
        expect(Math.abs(mean - exact.mean[name]), key).toBeLessThanOrEqual(
          4 * Math.sqrt(variance / S) + 1e-9
        );
        if (exact.variance[name] === 0) expect(variance, key).toBe(0);
        else expect(Math.abs(variance / exact.variance[name] - 1), key).toBeLessThan(0.05);
        checked++;
      });
      expect(checked).toBe(9);
    });
  }
});

describe('motifSignificance with exact: true', () => {
  const network = net(
    [
      [
        [1, 0, 1, 1],
        [0, 1, 0, 1],
        [1, 1, 0, 0]
      ],
      [
        [1, 0, 1],
        [0, 1, 1],
        [1, 0, 0],
        [0, 1, 0]
      ]
    ],
    [
      [1, 0, 0, 1],
      [0, 1, 1]
    ]
  );

  it('takes the null mean and sd from the exact moments and Z from them; no samples, p NaN', () => {
    for (const chain of ['paths', 'pairs'] as const) {
      const r = motifSignificance(network, { null: 'gnm', exact: true, biasNode: true, chain });
      const m = gnmMoments(network, { biasNode: true, chain });
      const { counts } = motifCensus(network, { biasNode: true, chain });
      expect(r.null.samples).toBe(0);
      for (const name of MOTIF_NAMES) {
        expect(r.counts[name]).toBe(counts[name]);
        expect(Number.isFinite(m.variance[name]), name).toBe(true);
        expect(r.null.mean[name]).toBe(m.mean[name]);
        expect(r.null.sd[name]).toBeCloseTo(Math.sqrt(m.variance[name]), 12);
        if (m.variance[name] > 0)
          expect(r.z[name]).toBeCloseTo((counts[name] - m.mean[name]) / Math.sqrt(m.variance[name]), 10);
        else expect(Number.isNaN(r.z[name])).toBe(true);
        expect(Number.isNaN(r.p[name])).toBe(true);
      }
    }
  });

  it('gives the pairs-convention toChain a finite Z from its exact variance (nm.motifs exact path)', () => {
    const deep = net(
      [
        [
          [1, 1, 0],
          [0, 1, 1]
        ],
        [
          [1, 0, 1],
          [0, 1, 1],
          [1, 1, 0]
        ],
        [
          [1, 0],
          [1, 1],
          [0, 1]
        ],
        [[1], [1]]
      ],
      [[1, 0, 0], undefined, [0, 1], [1]]
    );
    for (const biasNode of [false, true]) {
      const r = motifSignificance(deep, { null: 'gnm', exact: true, chain: 'pairs', biasNode });
      const m = gnmMoments(deep, { chain: 'pairs', biasNode });
      const { counts } = motifCensus(deep, { chain: 'pairs', biasNode });
      expect(m.variance.toChain).toBeGreaterThan(0);
      expect(r.z.toChain).toBeCloseTo((counts.toChain - m.mean.toChain) / Math.sqrt(m.variance.toChain), 10);
      expect(Number.isFinite(r.z.toChain)).toBe(true);
    }
  });

  it('gives the pairs-convention toChain variance on layers too wide for the full sum (was NaN)', () => {
    const rng = createRng(4);
    const sizes = [60, 200, 200, 200];
    const wide: LayeredNetwork = {
      layers: sizes.slice(0, -1).map((nIn, l) => ({
        nIn,
        nOut: sizes[l + 1],
        weights: Float64Array.from({ length: nIn * sizes[l + 1] }, () => (rng.next() < 0.1 ? 1 : 0))
      }))
    };
    const m = gnmMoments(wide, { chain: 'pairs' });
    expect(m.variance.toChain).toBeGreaterThan(0);
    expect(Number.isFinite(m.variance.toChain)).toBe(true);
    const r = motifSignificance(wide, { null: 'gnm', exact: true, chain: 'pairs' });
    expect(Number.isFinite(r.z.toChain)).toBe(true);
  });

  it('gives it on wide layers that used to exhaust the work limit or chase a vanishing variance (were NaN)', () => {
    // 784-1000-1000-10 at 2 %: the wide triple carries the variance (≈ 3·10⁸ terms to reach 1e-12 of it);
    // 400-400-400-400 at 30 %: pairs are unjoined with chance ~1e-110, the variance is below the floor
    const wide = randomNet([784, 1000, 1000, 10], 0.02, true, 3);
    const m = gnmMoments(wide, { chain: 'pairs', biasNode: true });
    expect(m.variance.toChain).toBeGreaterThan(1);
    expect(Number.isFinite(m.variance.toChain)).toBe(true);
    const joined = randomNet([400, 400, 400, 400], 0.3, true, 3);
    const j = gnmMoments(joined, { chain: 'pairs', biasNode: true });
    expect(j.mean.toChain).toBeCloseTo(400 * 401, 6);
    expect(j.variance.toChain).toBeGreaterThanOrEqual(0);
    expect(j.variance.toChain).toBeLessThanOrEqual((j.mean.toChain * Number.EPSILON) ** 2);
  });

  it('agrees with sampled Z-scores of the gnm null within sampling error', () => {
    const exact = motifSignificance(network, { null: 'gnm', exact: true });
    const sampled = motifSignificance(network, { null: 'gnm', samples: 20000, seed: 2 });
    for (const name of MOTIF_NAMES) {
      if (!Number.isFinite(exact.z[name])) continue;
      const se = exact.null.sd[name] / Math.sqrt(20000);
      expect(Math.abs(sampled.null.mean[name] - exact.null.mean[name]), name).toBeLessThan(4.5 * se);
    }
  });

  it('refuses other nulls and the signed census with a clear error', () => {
    expect(() => motifSignificance(network, { null: 'random-pruning', exact: true })).toThrow(/null: 'gnm'/);
    expect(() => motifSignificance(network, { exact: true })).toThrow(/null: 'gnm'/);
    expect(() => motifSignificance(network, { null: 'gnm', exact: true, signed: true })).toThrow(/signed/);
  });
});
