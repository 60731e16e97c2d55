import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { gaussianKde, pairwiseSymmetricKL, symmetricKL } from '../../src/core/kde';
import { createRng } from '../../src/core/random';

const phi = (z: number): number => Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);

function normalSample(seed: number, n: number, mu = 0, sigma = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => mu + sigma * rng.normal());
}

/** Symmetric KL straight from the definition, written out independently of the module. */
function naiveSymmetricKL(a: number[], b: number[], gridSize: number, epsilon: number): number {
  const kernelSd = (x: number[]): number => {
    const m = x.reduce((s, v) => s + v, 0) / x.length;
    const s1 = Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1));
    return s1 * Math.pow(x.length, -1 / 5);
  };
  const ha = kernelSd(a);
  const hb = kernelSd(b);
  const lo = Math.min(...a, ...b) - 3 * Math.max(ha, hb);
  const hi = Math.max(...a, ...b) + 3 * Math.max(ha, hb);
  const dens = (x: number[], h: number, t: number): number =>
    x.reduce((s, v) => s + phi((t - v) / h) / h, 0) / x.length;
  const grid = Array.from({ length: gridSize }, (_, k) => lo + ((hi - lo) * k) / (gridSize - 1));
  const prob = (x: number[], h: number): number[] => {
    const d = grid.map(t => dens(x, h, t));
    const total = d.reduce((s, v) => s + v, 0);
    const withEps = d.map(v => v / total + epsilon);
    const total2 = withEps.reduce((s, v) => s + v, 0);
    return withEps.map(v => v / total2);
  };
  const p = prob(a, ha);
  const q = prob(b, hb);
  let kl = 0;
  for (let k = 0; k < gridSize; k++) kl += p[k] * Math.log(p[k] / q[k]) + q[k] * Math.log(q[k] / p[k]);
  return kl;
}

describe('gaussianKde', () => {
  it('matches a hand computation with Scott’s factor', () => {
    // sample [0, 1]: sd (ddof 1) = √0.5, factor 2^(−1/5)
    const kde = gaussianKde([0, 1]);
    const h = 2 ** -0.2 * Math.sqrt(0.5);
    expect(kde.factor).toBeCloseTo(2 ** -0.2, 15);
    expect(kde.bandwidth).toBeCloseTo(h, 15);
    expect(kde.density(0)).toBeCloseTo((phi(0) + phi(1 / h)) / (2 * h), 14);
    expect(kde.density(0.5)).toBeCloseTo(phi(0.5 / h) / h, 14);
    expect(kde.density(-2)).toBeCloseTo((phi(2 / h) + phi(3 / h)) / (2 * h), 14);
  });

  it('supports Silverman’s rule and a numeric factor', () => {
    const x = [0, 1, 1.5, 3];
    const s = Math.sqrt(((0 - 1.375) ** 2 + (1 - 1.375) ** 2 + (1.5 - 1.375) ** 2 + (3 - 1.375) ** 2) / 3);
    expect(gaussianKde(x).bandwidth).toBeCloseTo(4 ** -0.2 * s, 14);
    expect(gaussianKde(x, { bandwidth: 'silverman' }).bandwidth).toBeCloseTo(3 ** -0.2 * s, 14);
    expect(gaussianKde(x, { bandwidth: 0.5 }).bandwidth).toBeCloseTo(0.5 * s, 14);
    // The TSDoc example.
    expect(gaussianKde(x).density(1)).toBeCloseTo(
      x.reduce((a, v) => a + phi((1 - v) / (4 ** -0.2 * s)), 0) / (4 * 4 ** -0.2 * s),
      14
    );
  });

  it('is a probability density', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 20 }),
        x => {
          fc.pre(Math.max(...x) - Math.min(...x) > 1e-3);
          const kde = gaussianKde(x);
          const lo = Math.min(...x) - 10 * kde.bandwidth;
          const hi = Math.max(...x) + 10 * kde.bandwidth;
          const m = 4000;
          const dx = (hi - lo) / m;
          const grid = Array.from({ length: m + 1 }, (_, k) => lo + k * dx);
          const d = kde.evaluate(grid);
          let area = 0;
          for (let k = 0; k < m; k++) area += ((d[k] + d[k + 1]) / 2) * dx;
          expect(area).toBeCloseTo(1, 3);
          expect(d.every(v => v >= 0)).toBe(true);
          expect(d[7]).toBe(kde.density(grid[7]));
        }
      )
    );
  });

  it('rejects samples and bandwidths it cannot use', () => {
    expect(() => gaussianKde([1])).toThrow(/at least 2/);
    expect(() => gaussianKde([2, 2, 2])).toThrow(/standard deviation 0/);
    expect(() => gaussianKde([1, NaN])).toThrow(/sample value 1 is NaN/);
    expect(() => gaussianKde([1, 2], { bandwidth: -1 })).toThrow(/bandwidth/);
  });
});

describe('symmetricKL', () => {
  it('agrees with a direct computation from the definition', () => {
    for (const seed of [1, 2, 3]) {
      const a = normalSample(seed, 30);
      const b = normalSample(seed + 100, 25, 0.4, 1.3);
      expect(symmetricKL(a, b, { gridSize: 200 })).toBeCloseTo(naiveSymmetricKL(a, b, 200, 1e-10), 10);
      expect(symmetricKL(a, b)).toBeCloseTo(naiveSymmetricKL(a, b, 1000, 1e-10), 10);
    }
  });

  it('approaches the closed form for two large Gaussian samples', () => {
    // A KDE of a normal sample is close to N(m, s²(1 + factor²)); for two normals
    // KL(p‖q) + KL(q‖p) = (s1² − s2²)² / (2 s1² s2²) + (m1 − m2)² (1/s1² + 1/s2²) / 2.
    const n = 3000;
    const a = normalSample(7, n, 0, 1);
    const b = normalSample(8, n, 0.6, 1.2);
    const moments = (x: number[]): [number, number] => {
      const m = x.reduce((s, v) => s + v, 0) / n;
      const v = x.reduce((s, t) => s + (t - m) ** 2, 0) / (n - 1);
      return [m, v * (1 + n ** -0.4)];
    };
    const [m1, v1] = moments(a);
    const [m2, v2] = moments(b);
    const closed = (v1 - v2) ** 2 / (2 * v1 * v2) + ((m1 - m2) ** 2 * (1 / v1 + 1 / v2)) / 2;
    const got = symmetricKL(a, b);
    expect(Math.abs(got - closed) / closed).toBeLessThan(0.1);
  });

  it('is symmetric, zero for identical samples and positive otherwise', () => {
    const sample = fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 2, maxLength: 15 });
    fc.assert(
      fc.property(sample, sample, fc.double({ min: 0.1, max: 3, noNaN: true }), (a, b, shift) => {
        fc.pre(Math.max(...a) - Math.min(...a) > 1e-3 && Math.max(...b) - Math.min(...b) > 1e-3);
        // Kernels much narrower than the 100-point grid spacing vanish on the grid (tested below).
        const spacing = (Math.max(...a, ...b) - Math.min(...a, ...b) + 3 * shift) / 99;
        fc.pre(gaussianKde(a).bandwidth > spacing / 20 && gaussianKde(b).bandwidth > spacing / 20);
        expect(symmetricKL(a, b, { gridSize: 100 })).toBeCloseTo(symmetricKL(b, a, { gridSize: 100 }), 12);
        expect(symmetricKL(a, [...a].reverse(), { gridSize: 100 })).toBeCloseTo(0, 12);
        expect(
          symmetricKL(
            a,
            a.map(v => v + shift),
            { gridSize: 100 }
          )
        ).toBeGreaterThan(0);
      })
    );
  });

  it('grows with the shift between two samples', () => {
    const a = normalSample(5, 200);
    const kl = [0.25, 0.5, 1, 2].map(d =>
      symmetricKL(
        a,
        a.map(v => v + d)
      )
    );
    for (let k = 1; k < kl.length; k++) expect(kl[k]).toBeGreaterThan(kl[k - 1]);
  });

  it('stays finite for disjoint samples thanks to epsilon', () => {
    const kl = symmetricKL([0, 0.001], [1000, 1000.001]);
    expect(Number.isFinite(kl)).toBe(true);
    expect(kl).toBeGreaterThan(10);
    expect(() => symmetricKL([0, 1], [0, 1], { gridSize: 1 })).toThrow(RangeError);
  });

  it('refuses a grid too coarse for a kernel instead of returning NaN', () => {
    const narrow = [0, 0, 0, 0, 0, 0, 0, 0, 1e-3];
    expect(() => symmetricKL([-50, 50], narrow, { gridSize: 100 })).toThrow(
      /sample b .* vanishes on every grid point/
    );
  });
});

describe('pairwiseSymmetricKL', () => {
  it('is symmetric, zero on the diagonal, NaN for unusable samples', () => {
    const a = [0, 1, 2, 3.5];
    const b = [2, 3, 4, 6];
    const m = pairwiseSymmetricKL([a, b, [1]], { gridSize: 200 });
    expect(m[0][0]).toBe(0);
    expect(m[0][1]).toBe(m[1][0]);
    expect(m[0][1]).toBeCloseTo(symmetricKL(a, b, { gridSize: 200 }), 12);
    expect(m[0][2]).toBeNaN();
    expect(m[2][1]).toBeNaN();
  });

  it('holds symmetricKL of every pair (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 4 }), (seed, k) => {
        const samples = Array.from({ length: k }, (_, i) => normalSample(seed + i, 12, i, 1 + i / 2));
        const m = pairwiseSymmetricKL(samples, { gridSize: 100 });
        for (let i = 0; i < k; i++) {
          expect(m[i][i]).toBe(0);
          for (let j = 0; j < k; j++) {
            if (i !== j)
              expect(m[i][j]).toBe(
                symmetricKL(samples[Math.min(i, j)], samples[Math.max(i, j)], { gridSize: 100 })
              );
          }
        }
      }),
      { numRuns: 30 }
    );
  });
});
