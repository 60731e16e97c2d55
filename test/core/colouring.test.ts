import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EDGE_COLOUR, colourEdges, colourOf, type ColourThresholds } from '../../src/core/colouring';
import { adjacency, type LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { createNetwork } from '../../src/core/validate';
import { arbNetwork, randomNetwork } from './helpers/random-network';

/** Reference: pooled edges via adjacency(), thresholds from the paper's formulas, literal five intervals. */
function naiveColours(net: LayeredNetwork, c: number): { colours: number[][]; t: ColourThresholds } {
  const pooled: number[] = [];
  const adj = net.layers.map(adjacency);
  net.layers.forEach((layer, l) => layer.weights.forEach((w, k) => adj[l][k] === 1 && pooled.push(w)));
  const mu = pooled.reduce((a, b) => a + b, 0) / pooled.length;
  const sigma = Math.sqrt(pooled.reduce((a, b) => a + (b - mu) ** 2, 0) / pooled.length);
  const b0 = mu - sigma * Math.sqrt(2 * Math.log(1 / c));
  const b1 = mu + sigma * Math.sqrt(2 * Math.log(1 / c));
  const lo = 1.1 * Math.min(...pooled);
  const hi = 1.1 * Math.max(...pooled);
  const t = { mu, sigma, b0, b1, lo, hi, tn: b0 + (lo - b0) / 5, tp: b1 + (hi - b1) / 5 };
  const colours = net.layers.map((layer, l) =>
    Array.from(layer.weights, (w, k) => {
      if (adj[l][k] === 0) return 0;
      if (w < t.tn) return -2;
      if (t.tn <= w && w < b0) return -1;
      if (b0 <= w && w < b1) return 0;
      if (b1 <= w && w < t.tp) return 1;
      return 2;
    })
  );
  return { colours, t };
}

describe('colourEdges', () => {
  it('matches a hand computation', () => {
    // Edges −1, −0.1, 0.1, 1, 2 (the 0 is no edge): mu = 0.4, squared deviations sum to 5.22.
    const net = createNetwork([{ weights: [[-1, -0.1, 0, 0.1, 1, 2]] }]);
    const { colours, thresholds: t } = colourEdges(net);
    const sigma = Math.sqrt(5.22 / 5);
    const half = sigma * Math.sqrt(2 * Math.log(1 / 0.55));
    expect(t.mu).toBeCloseTo(0.4, 14);
    expect(t.sigma).toBeCloseTo(sigma, 14);
    expect(t.b0).toBeCloseTo(0.4 - half, 14); // ≈ −0.717
    expect(t.b1).toBeCloseTo(0.4 + half, 14); // ≈ 1.517
    expect(t.lo).toBeCloseTo(-1.1, 14);
    expect(t.hi).toBeCloseTo(2.2, 14);
    expect(t.tn).toBeCloseTo(0.4 - half + (-1.1 - 0.4 + half) / 5, 14); // ≈ −0.794
    expect(t.tp).toBeCloseTo(0.4 + half + (2.2 - 0.4 - half) / 5, 14); // ≈ 1.654
    expect(Array.from(colours[0])).toEqual([-2, 0, 0, 0, 0, 2]);
  });

  it('pools all layers, skips masked connections and honours c', () => {
    // Pooled edges: −4, −1, 1, 4 (the 9 is masked): mu 0, sigma √8.5; with c = 0.9 the band is narrow.
    const net = createNetwork([
      { weights: [[-4, 9]], mask: [[1, 0]] },
      { weights: [[-1], [1]] },
      { weights: [[4]] }
    ]);
    const { colours, thresholds: t } = colourEdges(net, { c: 0.9 });
    const half = Math.sqrt(8.5) * Math.sqrt(2 * Math.log(1 / 0.9)); // ≈ 1.335
    expect(t.sigma).toBeCloseTo(Math.sqrt(8.5), 14);
    expect(t.b1).toBeCloseTo(half, 14);
    // tn = −half + (−4.4 + half)/5 ≈ −1.95: −4 is strong; ±1 lie inside the band.
    expect(Array.from(colours[0])).toEqual([-2, 0]);
    expect(Array.from(colours[1])).toEqual([0, 0]);
    expect(Array.from(colours[2])).toEqual([2]);
    // c = 0.05: wider band (half ≈ 7.15) removes everything but nothing beyond −4 … 4 exists.
    expect(colourEdges(net, { c: 0.05 }).colours.flatMap(x => Array.from(x))).toEqual([0, 0, 0, 0, 0]);
  });

  it('agrees with the reference on random networks', () => {
    const rng = createRng(4);
    let compared = 0;
    for (let t = 0; t < 300; t++) {
      const net = randomNetwork(rng);
      const c = [0.55, 0.1, 0.9][t % 3];
      if (net.layers.every(l => adjacency(l).every(a => a === 0))) {
        expect(() => colourEdges(net, { c })).toThrow(/no edges/);
        continue;
      }
      const got = colourEdges(net, { c });
      const ref = naiveColours(net, c);
      for (const key of Object.keys(ref.t) as (keyof ColourThresholds)[]) {
        expect(got.thresholds[key]).toBeCloseTo(ref.t[key], 10);
      }
      // The literal five intervals agree whenever the thresholds are in their usual order.
      if (ref.t.tn <= ref.t.b0 && ref.t.b1 <= ref.t.tp) {
        got.colours.forEach((col, l) => expect(Array.from(col)).toEqual(ref.colours[l]));
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);
  });

  it('gives 0 to every connection that does not exist', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        fc.pre(net.layers.some(l => adjacency(l).some(a => a === 1)));
        const { colours } = colourEdges(net);
        net.layers.forEach((layer, l) => {
          const adj = adjacency(layer);
          colours[l].forEach((col, k) => {
            if (adj[k] === 0) expect(col).toBe(0);
            expect([-2, -1, 0, 1, 2]).toContain(col);
          });
        });
      })
    );
  });

  it('flips the colours when every weight is negated (away from exact boundaries)', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        fc.pre(net.layers.some(l => adjacency(l).some(a => a === 1)));
        const negated: LayeredNetwork = {
          layers: net.layers.map(l => ({ ...l, weights: l.weights.map(w => -w) }))
        };
        const a = colourEdges(net);
        const b = colourEdges(negated);
        const { b0, b1, tn, tp } = a.thresholds;
        const nearBoundary = (w: number): boolean => [b0, b1, tn, tp].some(x => Math.abs(w - x) < 1e-9);
        net.layers.forEach((layer, l) =>
          layer.weights.forEach((w, k) => {
            if (!nearBoundary(w)) expect(b.colours[l][k]).toBe(-a.colours[l][k] || 0);
          })
        );
      })
    );
  });

  it('removes more edges as c shrinks', () => {
    fc.assert(
      fc.property(
        arbNetwork(),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (net, x, y) => {
          fc.pre(net.layers.some(l => adjacency(l).some(a => a === 1)));
          const removed = (c: number): number => {
            const { colours } = colourEdges(net, { c });
            let n = 0;
            net.layers.forEach((layer, l) =>
              adjacency(layer).forEach((a, k) => a === 1 && colours[l][k] === 0 && n++)
            );
            return n;
          };
          expect(removed(Math.min(x, y))).toBeGreaterThanOrEqual(removed(Math.max(x, y)));
        }
      )
    );
  });

  it('rejects c outside (0, 1] and networks without edges', () => {
    const net = createNetwork([{ weights: [[1, 2]] }]);
    expect(() => colourEdges(net, { c: 0 })).toThrow(RangeError);
    expect(() => colourEdges(net, { c: 1.5 })).toThrow(RangeError);
    expect(() => colourEdges(createNetwork([{ weights: [[0, 0]] }]))).toThrow(/no edges/);
  });
});

describe('colourOf', () => {
  const t: ColourThresholds = { mu: 0, sigma: 1, b0: -1, b1: 1, tn: -1.5, tp: 1.5, lo: -3.5, hi: 3.5 };

  it('uses half-open intervals', () => {
    expect([-2, -1.5, -1, 0, 0.999, 1, 1.5, 3].map(w => colourOf(w, t))).toEqual([-2, -1, 0, 0, 0, 1, 2, 2]);
    expect(EDGE_COLOUR.removed).toBe(0);
    expect(EDGE_COLOUR.strongPositive).toBe(2);
  });

  it('lets the removed band win when a one-signed distribution puts tn above b0', () => {
    // All weights positive: lo = 1.1·min can exceed b0, so tn > b0.
    const odd: ColourThresholds = { ...t, b0: 0.5, b1: 1.5, tn: 0.8, tp: 2 };
    expect(colourOf(0.6, odd)).toBe(0); // inside [b0, b1) although below tn
    expect(colourOf(0.4, odd)).toBe(-2);
  });
});
