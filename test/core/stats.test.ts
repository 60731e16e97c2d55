import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareWithNull,
  empiricalPValue,
  histogram,
  mean,
  meanInterval,
  quantile,
  quantiles,
  sd,
  variance,
  zScore
} from '../../src/core/stats';

const sample = fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 40 });

describe('mean, variance, sd', () => {
  it('match hand computations', () => {
    expect(mean([1, 2, 3, 6])).toBe(3);
    // deviations -2, -1, 0, 3: squares sum to 14
    expect(variance([1, 2, 3, 6], 0)).toBe(14 / 4);
    expect(variance([1, 2, 3, 6], 1)).toBe(14 / 3);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9], 0)).toBe(2);
    expect(sd([2, 4, 4, 4, 5, 5, 7, 9], 1)).toBeCloseTo(Math.sqrt(32 / 7), 14);
    expect(variance(new Float64Array([5]), 0)).toBe(0);
  });

  it('give NaN where NumPy does', () => {
    expect(mean([])).toBeNaN();
    expect(variance([], 0)).toBeNaN();
    expect(variance([1], 1)).toBeNaN();
  });

  it('keep precision for a large mean (two-pass)', () => {
    const x = [1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16];
    expect(variance(x, 1)).toBe(30);
  });

  it('agree with the textbook one-pass formula on random samples', () => {
    fc.assert(
      fc.property(sample, x => {
        const n = x.length;
        const s = x.reduce((a, b) => a + b, 0);
        const s2 = x.reduce((a, b) => a + b * b, 0);
        const naive = Math.max(s2 / n - (s / n) ** 2, 0);
        expect(Math.abs(variance(x, 0) - naive)).toBeLessThanOrEqual(1e-9 * (1 + s2 / n));
        if (n > 1) expect(variance(x, 1)).toBeCloseTo((variance(x, 0) * n) / (n - 1), 8);
        expect(variance(x, 0)).toBeGreaterThanOrEqual(0);
      })
    );
  });
});

describe('quantile', () => {
  it('interpolates linearly like NumPy', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75); // np.quantile([1,2,3,4], .25)
    const q = quantiles([4, 1, 3, 2], [0, 0.5, 0.9, 1]); // np.quantile(..., [0, .5, .9, 1])
    expect(q[0]).toBe(1);
    expect(q[1]).toBe(2.5);
    expect(q[2]).toBeCloseTo(3.7, 12);
    expect(q[3]).toBe(4);
    expect(quantile([7], 0.3)).toBe(7);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], NaN)).toThrow(RangeError);
  });

  it('hits the order statistics at q = k/(n−1) and is monotone', () => {
    fc.assert(
      fc.property(
        sample,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (x, a, b) => {
          const sorted = [...x].sort((u, v) => u - v);
          const n = x.length;
          for (let k = 0; k < n; k++) {
            expect(quantile(x, n === 1 ? 0 : k / (n - 1))).toBeCloseTo(sorted[k], 9);
          }
          const [qa, qb] = quantiles(x, [Math.min(a, b), Math.max(a, b)]);
          expect(qa).toBeLessThanOrEqual(qb + 1e-9);
          expect(qa).toBeGreaterThanOrEqual(sorted[0]);
          expect(qb).toBeLessThanOrEqual(sorted[n - 1]);
        }
      )
    );
  });
});

describe('histogram', () => {
  it('matches np.histogram on hand examples', () => {
    const h = histogram([0, 0.5, 1, 1, 3], { bins: 3 });
    expect(Array.from(h.edges)).toEqual([0, 1, 2, 3]);
    expect(Array.from(h.counts)).toEqual([2, 2, 1]);
    // All values equal: range widened by 0.5 each way.
    const flat = histogram([2, 2], { bins: 2 });
    expect(Array.from(flat.edges)).toEqual([1.5, 2, 2.5]);
    expect(Array.from(flat.counts)).toEqual([0, 2]);
    // Empty sample: range [0, 1].
    expect(Array.from(histogram([], { bins: 2 }).counts)).toEqual([0, 0]);
    // Values outside a given range are dropped; the upper edge is inclusive.
    const ranged = histogram([-1, 0, 0.25, 1, 2], { bins: 2, range: [0, 1] });
    expect(Array.from(ranged.counts)).toEqual([2, 1]);
    expect(histogram([1, 2, 3]).counts.length).toBe(10);
  });

  it('rejects bad bins and ranges', () => {
    expect(() => histogram([1], { bins: 0 })).toThrow(RangeError);
    expect(() => histogram([1], { bins: 2.5 })).toThrow(RangeError);
    expect(() => histogram([1], { range: [1, 0] })).toThrow(RangeError);
  });

  it('puts every value in the bin its edges say (naive scan), and counts them all', () => {
    const values = fc.oneof(
      fc.double({ min: -5, max: 5, noNaN: true }),
      fc.integer({ min: -50, max: 50 }).map(k => k / 10) // lands on bin edges often
    );
    fc.assert(
      fc.property(
        fc.array(values, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        (x, bins) => {
          const { edges, counts } = histogram(x, { bins });
          const naive = new Array<number>(bins).fill(0);
          for (const v of x) {
            let k = 0;
            while (k < bins - 1 && v >= edges[k + 1]) k++;
            naive[k]++;
          }
          expect(Array.from(counts)).toEqual(naive);
          expect(counts.reduce((a, b) => a + b, 0)).toBe(x.length);
        }
      )
    );
  });
});

describe('zScore, empiricalPValue, compareWithNull: the one significance rule', () => {
  it('Z is (count − mean) / sd, NaN when the null never varies or its spread is unknown', () => {
    expect(zScore(12, 10, 2)).toBe(1);
    expect(Number.isNaN(zScore(12, 10, 0))).toBe(true);
    expect(Number.isNaN(zScore(10, 10, 0))).toBe(true);
    expect(Number.isNaN(zScore(10, 10, NaN))).toBe(true);
  });

  it('p is equal-tailed with the +1 correction, never 0, 1 for a reproduced count, NaN without samples', () => {
    expect(empiricalPValue(5, [0, 1, 2, 3])).toBeCloseTo(2 / 5, 15);
    expect(empiricalPValue(-1, [0, 1, 2, 3])).toBeCloseTo(2 / 5, 15);
    expect(empiricalPValue(2, [2, 2, 2])).toBe(1);
    expect(empiricalPValue(3, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toBeCloseTo(10 / 11, 15);
    expect(Number.isNaN(empiricalPValue(1, []))).toBe(true);
  });

  it('p against a brute-force tail count on random samples, symmetric under reflection', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 30 }),
        fc.integer({ min: -6, max: 6 }),
        (xs, c) => {
          const ge = xs.filter(x => x >= c).length;
          const le = xs.filter(x => x <= c).length;
          const p = empiricalPValue(c, xs);
          expect(p).toBeCloseTo(Math.min(1, (2 * (1 + Math.min(ge, le))) / (xs.length + 1)), 12);
          expect(p).toBeGreaterThan(0);
          expect(
            empiricalPValue(
              -c,
              xs.map(x => -x)
            )
          ).toBeCloseTo(p, 12);
        }
      )
    );
  });

  it('compareWithNull combines mean, ddof-1 sd, Z and p', () => {
    const r = compareWithNull(6, [1, 2, 3, 6]);
    expect(r.mean).toBe(3);
    expect(r.sd).toBeCloseTo(Math.sqrt(14 / 3), 12);
    expect(r.z).toBeCloseTo(3 / Math.sqrt(14 / 3), 12);
    expect(r.p).toBeCloseTo(0.8, 12);
  });
});

describe('meanInterval', () => {
  it('is mean ± z·sd/√n with the sample sd', () => {
    const r = meanInterval([1, 2, 3, 4]);
    const s = Math.sqrt(5 / 3);
    expect(r.mean).toBe(2.5);
    expect(r.sd).toBeCloseTo(s, 12);
    expect(r.halfWidth).toBeCloseTo((1.96 * s) / 2, 12);
    expect(r.lo).toBeCloseTo(2.5 - r.halfWidth, 12);
    expect(r.hi).toBeCloseTo(2.5 + r.halfWidth, 12);
    expect(meanInterval([1, 3], 1).halfWidth).toBeCloseTo(1, 12);
    expect(() => meanInterval([1, NaN])).toThrow('meanInterval: need at least 2 finite values, got 1');
  });

  it('agrees with a brute-force mean and sd of the finite values (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.constant(NaN)), {
          minLength: 2,
          maxLength: 40
        }),
        fc.double({ min: 0, max: 4, noNaN: true }),
        (values, z) => {
          const v = values.filter(Number.isFinite);
          fc.pre(v.length >= 2);
          const m = v.reduce((s, x) => s + x, 0) / v.length;
          const s = Math.sqrt(v.reduce((t, x) => t + (x - m) ** 2, 0) / (v.length - 1));
          const r = meanInterval(values, z);
          expect(r.n).toBe(v.length);
          expect(r.mean).toBeCloseTo(m, 6);
          expect(Math.abs(r.sd - s)).toBeLessThanOrEqual(1e-9 * Math.max(1, s));
          expect(r.halfWidth).toBeCloseTo((z * r.sd) / Math.sqrt(v.length), 9);
          expect(r.lo).toBeLessThanOrEqual(r.mean);
          expect(r.hi).toBeGreaterThanOrEqual(r.mean);
        }
      )
    );
  });
});
