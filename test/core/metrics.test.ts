import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  degrees,
  effectiveWeights,
  layerFluctuation,
  linkWeights,
  nodeStrength,
  strengthVarianceScore,
  type NodeStrengthOptions
} from '../../src/core/metrics';
import { hasEdge, type Layer, type LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { createNetwork } from '../../src/core/validate';
import { arbNetwork, randomNetwork } from './helpers/random-network';

/*
 * Hand network (2 → 3 → 1):
 *   W0 = [[1, -2, 0.5], [3, 0, -1]] with mask [[1, 1, 0], [1, 1, 1]] → effective [[1, -2, 0], [3, 0, -1]]
 *   b0 = [0.1, 0.2, 0.3]
 *   W1 = [[2], [-1], [4]], no bias
 */
const hand = createNetwork([
  {
    weights: [
      [1, -2, 0.5],
      [3, 0, -1]
    ],
    mask: [
      [1, 1, 0],
      [1, 1, 1]
    ],
    bias: [0.1, 0.2, 0.3]
  },
  { weights: [[2], [-1], [4]] }
]);

const closeArrays = (actual: ArrayLike<number>, expected: number[], digits = 12): void => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, k) => expect(actual[k]).toBeCloseTo(v, digits));
};

/** Independent strength: walk the edge list (hasEdge), never the effective-weight copy. */
function naiveStrength(net: LayeredNetwork, opts: NodeStrengthOptions = {}): number[][] {
  const dir = opts.direction ?? 'total';
  const f = (v: number): number => (opts.absolute ? Math.abs(v) : v);
  const sizes = [net.layers[0].nIn, ...net.layers.map(l => l.nOut)];
  const s = sizes.map(n => new Array<number>(n).fill(0));
  const edges: { l: number; i: number; j: number; w: number }[] = [];
  net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.nIn; i++) {
      for (let j = 0; j < layer.nOut; j++) {
        if (hasEdge(layer, i, j)) edges.push({ l, i, j, w: layer.weights[i * layer.nOut + j] });
      }
    }
  });
  for (const e of edges) {
    if (dir === 'out' || dir === 'total') s[e.l][e.i] += f(e.w);
    if (dir === 'in' || dir === 'total') s[e.l + 1][e.j] += f(e.w);
  }
  if (dir !== 'out' && (opts.includeBias ?? true)) {
    net.layers.forEach((layer, l) => layer.bias?.forEach((b, j) => (s[l + 1][j] += f(b))));
  }
  return s;
}

const naiveSd = (x: number[]): number => {
  const m = x.reduce((a, b) => a + b, 0) / x.length;
  return Math.sqrt(x.reduce((a, b) => a + (b - m) ** 2, 0) / x.length);
};

const strengthOptions = fc.record(
  {
    direction: fc.constantFrom<'total' | 'in' | 'out'>('total', 'in', 'out'),
    absolute: fc.boolean(),
    includeBias: fc.boolean()
  },
  { requiredKeys: [] }
);

describe('effectiveWeights', () => {
  it('zeroes masked weights and copies', () => {
    const w = effectiveWeights(hand.layers[0]);
    expect(Array.from(w)).toEqual([1, -2, 0, 3, 0, -1]);
    expect(w).not.toBe(hand.layers[0].weights);
    expect(hand.layers[0].weights[2]).toBe(0.5);
  });
});

describe('nodeStrength', () => {
  it('matches the hand network', () => {
    const [input, hidden, output] = nodeStrength(hand);
    closeArrays(input, [-1, 2]); // 1 − 2 + 0, 3 + 0 − 1
    closeArrays(hidden, [1 + 3 + 0.1 + 2, -2 + 0 + 0.2 - 1, 0 - 1 + 0.3 + 4]); // in + bias + out
    closeArrays(output, [2 - 1 + 4]);
    const inOnly = nodeStrength(hand, { direction: 'in' });
    closeArrays(inOnly[0], [0, 0]);
    closeArrays(inOnly[1], [4.1, -1.8, -0.7]);
    const outOnly = nodeStrength(hand, { direction: 'out' });
    closeArrays(outOnly[1], [2, -1, 4]);
    closeArrays(outOnly[2], [0]);
    const noBias = nodeStrength(hand, { includeBias: false });
    closeArrays(noBias[1], [6, -3, 3]);
    const abs = nodeStrength(hand, { absolute: true });
    closeArrays(abs[0], [3, 4]);
    closeArrays(abs[1], [4.1 + 2, 2.2 + 1, 1.3 + 4]);
    closeArrays(abs[2], [7]);
  });

  it('returns one Float64Array per neuron layer', () => {
    const s = nodeStrength(hand);
    expect(s.length).toBe(3);
    expect(s.every(x => x instanceof Float64Array)).toBe(true);
  });

  it('agrees with an edge-list reference on random networks', () => {
    const rng = createRng(11);
    for (let t = 0; t < 100; t++) {
      const net = randomNetwork(rng);
      for (const direction of ['total', 'in', 'out'] as const) {
        for (const absolute of [false, true]) {
          const opts = { direction, absolute, includeBias: rng.next() < 0.5 };
          const got = nodeStrength(net, opts);
          naiveStrength(net, opts).forEach((s, l) => closeArrays(got[l], s, 10));
        }
      }
    }
  });

  it('total = in + out, and what leaves a layer arrives at the next', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.boolean(), (net, includeBias) => {
        const total = nodeStrength(net, { includeBias });
        const inS = nodeStrength(net, { direction: 'in', includeBias });
        const outS = nodeStrength(net, { direction: 'out' });
        total.forEach((s, l) => s.forEach((v, i) => expect(v).toBeCloseTo(inS[l][i] + outS[l][i], 9)));
        const inNoBias = nodeStrength(net, { direction: 'in', includeBias: false });
        for (let l = 0; l < net.layers.length; l++) {
          const sum = (a: Float64Array): number => a.reduce((x, y) => x + y, 0);
          expect(sum(outS[l])).toBeCloseTo(sum(inNoBias[l + 1]), 9);
        }
      })
    );
  });

  it('absolute strength bounds the signed one', () => {
    fc.assert(
      fc.property(arbNetwork(), strengthOptions, (net, opts) => {
        const signed = nodeStrength(net, { ...opts, absolute: false });
        const abs = nodeStrength(net, { ...opts, absolute: true });
        signed.forEach((s, l) =>
          s.forEach((v, i) => expect(Math.abs(v)).toBeLessThanOrEqual(abs[l][i] + 1e-9))
        );
      })
    );
  });
});

describe('the TSDoc examples', () => {
  it('hold', () => {
    const net = createNetwork([{ weights: [[1, 2]], bias: [0.5, 0] }, { weights: [[1], [-1]] }]);
    expect(nodeStrength(net).map(s => Array.from(s))).toEqual([[3], [2.5, 1], [0]]);
    expect(layerFluctuation(net)).toEqual([0, 0.75, 0]);
    expect(
      linkWeights(
        createNetwork([
          {
            weights: [
              [1, -1],
              [2, 0]
            ],
            bias: [0.5, 0.5]
          }
        ])
      )[0].mean
    ).toBe(0.5);
    const d = degrees(
      createNetwork([
        {
          weights: [
            [1, 0],
            [2, 3]
          ]
        }
      ])
    );
    expect(d.map(x => [Array.from(x.in), Array.from(x.out)])).toEqual([
      [
        [0, 0],
        [1, 2]
      ],
      [
        [2, 1],
        [0, 0]
      ]
    ]);
  });
});

describe('layerFluctuation', () => {
  it('is the population sd of the hand network strengths', () => {
    const y = layerFluctuation(hand);
    expect(y[0]).toBeCloseTo(1.5, 12); // sd(-1, 2)
    // hidden 6.1, -2.8, 3.3: mean 2.2, deviations 3.9, -5, 1.1
    expect(y[1]).toBeCloseTo(Math.sqrt((3.9 ** 2 + 5 ** 2 + 1.1 ** 2) / 3), 12);
    expect(y[2]).toBe(0); // a single output neuron
  });

  it('agrees with a naive sd of the reference strengths, and ignores the CNT code’s +1', () => {
    fc.assert(
      fc.property(arbNetwork(), strengthOptions, (net, opts) => {
        const y = layerFluctuation(net, opts);
        const ref = naiveStrength(net, opts);
        expect(y.length).toBe(net.layers.length + 1);
        ref.forEach((s, l) => {
          expect(y[l]).toBeCloseTo(naiveSd(s), 9);
          expect(y[l]).toBeCloseTo(naiveSd(s.map(v => v + 1)), 9);
        });
      })
    );
  });
});

describe('linkWeights', () => {
  it('summarises the hand network', () => {
    const [l0, l1] = linkWeights(hand, { bins: 5 });
    // values 1, -2, 0 (masked), 3, 0, -1 and the biases 0.1, 0.2, 0.3
    const values = [1, -2, 0, 3, 0, -1, 0.1, 0.2, 0.3];
    expect(l0.count).toBe(9);
    expect(l0.mean).toBeCloseTo(1.6 / 9, 12);
    expect(l0.sd).toBeCloseTo(naiveSd(values), 12);
    expect([l0.min, l0.max]).toEqual([-2, 3]);
    // sorted: -2, -1, 0, 0, 0.1, 0.2, 0.3, 1, 3; h = 8q
    expect(l0.quantiles.q50).toBeCloseTo(0.1, 12);
    expect(l0.quantiles.q25).toBe(0);
    expect(l0.quantiles.q05).toBeCloseTo(-2 + 0.4 * 1, 12);
    expect(l0.quantiles.q95).toBeCloseTo(1 + 0.6 * 2, 12);
    expect(Array.from(l0.histogram.edges)).toEqual([-2, -1, 0, 1, 2, 3]);
    expect(Array.from(l0.histogram.counts)).toEqual([1, 1, 5, 1, 1]);
    expect(l1.count).toBe(3);
    expect(l1.mean).toBeCloseTo(5 / 3, 12);
    expect(linkWeights(hand)[0].histogram.counts.length).toBe(50);
  });

  it('honours includeBias and edgesOnly', () => {
    expect(linkWeights(hand, { includeBias: false })[0].count).toBe(6);
    const edges = linkWeights(hand, { edgesOnly: true })[0];
    expect(edges.count).toBe(7);
    expect(edges.mean).toBeCloseTo(1.6 / 7, 12);
    const pruned = createNetwork([{ weights: [[1, 2]], mask: [[0, 0]] }]);
    const empty = linkWeights(pruned, { edgesOnly: true })[0];
    expect(empty.count).toBe(0);
    expect(empty.mean).toBeNaN();
    expect(empty.min).toBeNaN();
  });

  it('agrees with a naive reference on random networks', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.boolean(), fc.boolean(), (net, includeBias, edgesOnly) => {
        const got = linkWeights(net, { includeBias, edgesOnly, bins: 4 });
        net.layers.forEach((layer, l) => {
          const values: number[] = [];
          for (let i = 0; i < layer.nIn; i++) {
            for (let j = 0; j < layer.nOut; j++) {
              const exists = hasEdge(layer, i, j);
              if (exists) values.push(layer.weights[i * layer.nOut + j]);
              else if (!edgesOnly) values.push(0);
            }
          }
          if (includeBias) layer.bias?.forEach(b => (!edgesOnly || b !== 0) && values.push(b));
          const s = got[l];
          expect(s.count).toBe(values.length);
          if (values.length === 0) return;
          const sorted = [...values].sort((a, b) => a - b);
          expect(s.min).toBeCloseTo(sorted[0], 15);
          expect(s.max).toBeCloseTo(sorted[sorted.length - 1], 15);
          expect(s.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 9);
          expect(s.sd).toBeCloseTo(naiveSd(values), 9);
          const h = 0.5 * (sorted.length - 1);
          const median = sorted[Math.floor(h)] + (h % 1) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
          expect(s.quantiles.q50).toBeCloseTo(median, 9);
          expect(s.histogram.counts.reduce((a, b) => a + b, 0)).toBe(values.length);
        });
      })
    );
  });
});

describe('strengthVarianceScore', () => {
  it('matches a hand computation', () => {
    // our rows (input neurons) sum to 3, 7 → Var 4; columns (output neurons) 4, 6 → Var 1
    expect(strengthVarianceScore({ nIn: 2, nOut: 2, weights: new Float64Array([1, 2, 3, 4]) })).toBe(2.5);
    // masked weights count as 0: rows 1, 7 → Var 9; columns 4, 4 → Var 0
    const masked: Layer = {
      nIn: 2,
      nOut: 2,
      weights: new Float64Array([1, 2, 3, 4]),
      mask: new Uint8Array([1, 0, 1, 1])
    };
    expect(strengthVarianceScore(masked)).toBe(4.5);
  });

  it('agrees with a reference computed in PyTorch layout', () => {
    fc.assert(
      fc.property(arbNetwork({ maxLayers: 1 }), net => {
        const layer = net.layers[0];
        const { nIn, nOut } = layer;
        // W_pt[o][i] = our weight i → o (0 where no edge)
        const wpt = Array.from({ length: nOut }, (_, o) =>
          Array.from({ length: nIn }, (_, i) => (hasEdge(layer, i, o) ? layer.weights[i * nOut + o] : 0))
        );
        const colSums = Array.from({ length: nIn }, (_, i) => wpt.reduce((a, row) => a + row[i], 0));
        const rowSums = wpt.map(row => row.reduce((a, b) => a + b, 0));
        const expected = (naiveSd(colSums) ** 2 + naiveSd(rowSums) ** 2) / 2;
        expect(strengthVarianceScore(layer)).toBeCloseTo(expected, 9);
      })
    );
  });
});

describe('degrees', () => {
  it('counts existing edges of the hand network', () => {
    const d = degrees(hand);
    expect(Array.from(d[0].out)).toEqual([2, 2]); // (1,1) has weight 0: no edge
    expect(Array.from(d[0].in)).toEqual([0, 0]);
    expect(Array.from(d[1].in)).toEqual([2, 1, 1]); // (0,2) is masked
    expect(Array.from(d[1].out)).toEqual([1, 1, 1]);
    expect(Array.from(d[2].in)).toEqual([3]);
    expect(Array.from(d[2].out)).toEqual([0]);
  });

  it('sums to the edge count of each layer on both sides', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        const d = degrees(net);
        net.layers.forEach((layer, l) => {
          let edges = 0;
          for (let i = 0; i < layer.nIn; i++)
            for (let j = 0; j < layer.nOut; j++) if (hasEdge(layer, i, j)) edges++;
          expect(d[l].out.reduce((a, b) => a + b, 0)).toBe(edges);
          expect(d[l + 1].in.reduce((a, b) => a + b, 0)).toBe(edges);
          for (let i = 0; i < layer.nIn; i++) {
            let deg = 0;
            for (let j = 0; j < layer.nOut; j++) if (hasEdge(layer, i, j)) deg++;
            expect(d[l].out[i]).toBe(deg);
          }
        });
      })
    );
  });
});
