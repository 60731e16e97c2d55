import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { magnitudeMasks } from '../../src/core/pruning';

/** Brute force: sort the magnitudes, the cutoff is the N-th smallest, keep what is strictly above it. */
function bruteMask(w: number[], c: number, old?: number[]): number[] {
  const a = w.map((x, k) => (old !== undefined && old[k] === 0 ? 0 : Math.abs(x)));
  const n = Math.min(a.length, Math.floor(c * a.length + 1e-9));
  const cutoff = n === 0 ? -Infinity : [...a].sort((x, y) => x - y)[n - 1];
  return a.map((x, k) => (x > cutoff && (old === undefined || old[k] === 1) ? 1 : 0));
}

describe('magnitudeMasks (core)', () => {
  it('equals the brute-force rule per layer, prunes at least ⌊c·n⌋ and only shrinks masks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 60 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (w, c1, c2) => {
          const [lo, hi] = c1 <= c2 ? [c1, c2] : [c2, c1];
          const net = { layers: [{ nIn: 1, nOut: w.length, weights: Float64Array.from(w) }] };
          const first = magnitudeMasks(net, lo).weights[0];
          expect(Array.from(first)).toEqual(bruteMask(w, lo));
          expect(first.filter(m => m === 0).length).toBeGreaterThanOrEqual(Math.floor(lo * w.length + 1e-9));
          const masked = { layers: [{ ...net.layers[0], mask: first }] };
          const second = magnitudeMasks(masked, hi).weights[0];
          expect(Array.from(second)).toEqual(bruteMask(w, hi, Array.from(first)));
          second.forEach((m, k) => expect(m <= first[k]).toBe(true));
        }
      )
    );
  });

  it('pools the layers for global scope', () => {
    const net = {
      layers: [
        { nIn: 1, nOut: 2, weights: Float64Array.of(1, 2) },
        { nIn: 2, nOut: 1, weights: Float64Array.of(3, 4) }
      ]
    };
    const m = magnitudeMasks(net, 0.5, { scope: 'global' }).weights;
    expect(m.map(x => Array.from(x))).toEqual([
      [0, 0],
      [1, 1]
    ]);
    expect(() => magnitudeMasks(net, 1.5)).toThrow(/fraction must be in \[0, 1\]/);
  });
});
