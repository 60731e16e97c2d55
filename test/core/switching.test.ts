import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LayeredNetwork } from '../../src/core/network';
import { createRng, type Rng } from '../../src/core/random';
import { subgraphCensus } from '../../src/core/subgraphs';
import {
  colourPreservingSwitch,
  edgeColours,
  layeredColouredGraph,
  switchEdgeColours,
  switchGraphColours,
  type ColouredGraph
} from '../../src/core/switching';
import { arbNetwork } from './helpers/random-network';

/** Per node and colour: [out-degree, in-degree] within one layer's colour matrix. */
function degreesByColour(col: Int8Array, nIn: number, nOut: number): Map<string, number> {
  const out = new Map<string, number>();
  const bump = (key: string): void => {
    out.set(key, (out.get(key) ?? 0) + 1);
  };
  for (let i = 0; i < nIn; i++) {
    for (let j = 0; j < nOut; j++) {
      const c = col[i * nOut + j];
      if (c === 0) continue;
      bump(`out ${i} colour ${c}`);
      bump(`in ${j} colour ${c}`);
    }
  }
  return out;
}

function randomColours(rng: Rng, net: LayeredNetwork, palette: number[]): Int8Array[] {
  return net.layers.map(layer => {
    const c = new Int8Array(layer.nIn * layer.nOut);
    for (let t = 0; t < c.length; t++) c[t] = palette[rng.int(palette.length)];
    return c;
  });
}

const arbColouring = (net: LayeredNetwork): fc.Arbitrary<'sign' | Int8Array[] | undefined> =>
  fc.oneof(
    fc.constant(undefined),
    fc.constant('sign' as const),
    fc.integer().map(seed => randomColours(createRng(seed), net, [-2, -1, 0, 1, 2]))
  );

describe('edgeColours', () => {
  it('colours existing edges only: 1, the weight sign, or the given colour', () => {
    const net: LayeredNetwork = {
      layers: [
        {
          nIn: 2,
          nOut: 3,
          weights: Float64Array.of(0.5, -2, 0, 1, 1, -1),
          mask: Uint8Array.of(1, 1, 1, 0, 1, 1)
        }
      ]
    };
    expect(Array.from(edgeColours(net)[0])).toEqual([1, 1, 0, 0, 1, 1]);
    expect(Array.from(edgeColours(net, 'sign')[0])).toEqual([1, -1, 0, 0, 1, -1]);
    expect(Array.from(edgeColours(net, [Int8Array.of(2, 0, 5, 7, -2, 1)])[0])).toEqual([2, 0, 0, 0, -2, 1]);
  });

  it('rejects colours that do not fit the layers', () => {
    const net: LayeredNetwork = { layers: [{ nIn: 2, nOut: 2, weights: new Float64Array(4) }] };
    expect(() => edgeColours(net, [new Int8Array(3)])).toThrow(/layer 0/);
    expect(() => edgeColours(net, [new Int8Array(4), new Int8Array(4)])).toThrow(RangeError);
  });
});

describe('colourPreservingSwitch', () => {
  it('keeps every node’s in- and out-degree in every colour, per layer pair', () => {
    fc.assert(
      fc.property(
        arbNetwork({ maxWidth: 6 }).chain(net => fc.tuple(fc.constant(net), arbColouring(net))),
        fc.integer(),
        fc.double({ min: 0, max: 20, noNaN: true }),
        ([net, colours], seed, swapsPerEdge) => {
          const before = edgeColours(net, colours);
          const copy = before.map(c => c.slice());
          const result = colourPreservingSwitch(net, { colours, seed, swapsPerEdge });
          expect(result.colours.length).toBe(net.layers.length);
          net.layers.forEach((layer, l) => {
            expect(result.colours[l].length).toBe(layer.nIn * layer.nOut);
            expect(degreesByColour(result.colours[l], layer.nIn, layer.nOut)).toEqual(
              degreesByColour(before[l], layer.nIn, layer.nOut)
            );
          });
          // The network view has an edge exactly where a colour is, with the colour as weight.
          expect(edgeColours(result.network, result.colours)).toEqual(result.colours);
          result.network.layers.forEach((layer, l) => {
            for (let t = 0; t < layer.weights.length; t++)
              expect(layer.weights[t]).toBe(result.colours[l][t]);
          });
          expect(result.accepted).toBeLessThanOrEqual(result.attempted);
          const edges = before.reduce((a, c) => a + c.filter(x => x !== 0).length, 0);
          const base = before.map(c => Math.round(swapsPerEdge * c.filter(x => x !== 0).length));
          expect(result.attempted).toBeGreaterThanOrEqual(base.reduce((a, b) => a + b, 0));
          expect(result.attempted).toBeLessThanOrEqual(base.reduce((a, b) => a + b + (b > 0 ? 1 : 0), 0));
          expect(edges).toBe(result.colours.reduce((a, c) => a + c.filter(x => x !== 0).length, 0));
          // Inputs untouched.
          expect(edgeColours(net, colours)).toEqual(copy);
        }
      ),
      { numRuns: 150 }
    );
  });

  it('leaves the coloured 3-node census of a layered graph unchanged (it is fixed by the degrees)', () => {
    fc.assert(
      fc.property(
        arbNetwork({ maxWidth: 6 }).chain(net => fc.tuple(fc.constant(net), arbColouring(net))),
        fc.integer(),
        ([net, colours], seed) => {
          const nul = colourPreservingSwitch(net, { colours, seed });
          expect(subgraphCensus(nul.network, { size: 3, colours: nul.colours }).counts).toEqual(
            subgraphCensus(net, { size: 3, colours }).counts
          );
        }
      ),
      { numRuns: 80 }
    );
  });

  it('is deterministic for a seed, moves edges, and depends on the seed', () => {
    const rng = createRng(11);
    const weights = Float64Array.from({ length: 20 * 20 }, () => (rng.next() < 0.3 ? rng.normal() : 0));
    const net: LayeredNetwork = { layers: [{ nIn: 20, nOut: 20, weights }] };
    const a = colourPreservingSwitch(net, { colours: 'sign', seed: 5 });
    const b = colourPreservingSwitch(net, { colours: 'sign', seed: 5 });
    const c = colourPreservingSwitch(net, { colours: 'sign', seed: 6 });
    expect(b.colours).toEqual(a.colours);
    expect(c.colours).not.toEqual(a.colours);
    expect(a.colours).not.toEqual(edgeColours(net, 'sign'));
    expect(a.accepted).toBeGreaterThan(0);
  });

  it('with no swaps returns the same graph, and copies biases, activations and meta', () => {
    const net: LayeredNetwork = {
      layers: [
        {
          nIn: 2,
          nOut: 2,
          weights: Float64Array.of(1, 0, 0, -3),
          bias: Float64Array.of(0.5, 1),
          activation: 'relu'
        }
      ],
      meta: { source: 'test' }
    };
    const result = colourPreservingSwitch(net, { colours: 'sign', swapsPerEdge: 0, seed: 1 });
    expect(result.colours).toEqual(edgeColours(net, 'sign'));
    expect(result.attempted).toBe(0);
    expect(result.network.layers[0]).toMatchObject({ activation: 'relu', bias: Float64Array.of(0.5, 1) });
    expect(result.network.meta).toMatchObject({ source: 'test', null: { kind: 'colourPreservingSwitch' } });
  });

  it('samples uniformly among all 0/1 matrices with the same row and column sums (one colour)', () => {
    // Start: rows sums (2, 1, 1), column sums (1, 2, 1) on a 3 × 3 layer.
    const start = Int8Array.of(1, 1, 0, 0, 1, 0, 0, 0, 1);
    const rowSums = [2, 1, 1];
    const colSums = [1, 2, 1];
    const states: string[] = [];
    for (let m = 0; m < 1 << 9; m++) {
      const cells = Array.from({ length: 9 }, (_, t) => (m >> t) & 1);
      const rows = [0, 1, 2].map(i => cells[3 * i] + cells[3 * i + 1] + cells[3 * i + 2]);
      const cols = [0, 1, 2].map(j => cells[j] + cells[3 + j] + cells[6 + j]);
      if (rows.join() === rowSums.join() && cols.join() === colSums.join()) states.push(cells.join(''));
    }
    expect(states.length).toBeGreaterThan(4);
    const samples = 4000;
    const seen = new Map<string, number>(states.map(s => [s, 0]));
    for (let s = 0; s < samples; s++) {
      const { colours } = switchEdgeColours([{ nIn: 3, nOut: 3 }], [start], { seed: s, swapsPerEdge: 10 });
      const state = Array.from(colours[0]).join('');
      expect(seen.has(state)).toBe(true);
      seen.set(state, (seen.get(state) as number) + 1);
    }
    const expected = samples / states.length;
    const sd = Math.sqrt(expected * (1 - 1 / states.length));
    for (const count of seen.values()) expect(Math.abs(count - expected)).toBeLessThan(4.5 * sd);
  });

  it('may move an edge onto a masked-out position: the null switches the graph, not the mask', () => {
    const net: LayeredNetwork = {
      layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 1), mask: Uint8Array.of(1, 0, 0, 1) }]
    };
    // Every attempt on this layer succeeds, so only the random parity of the attempt count decides the state:
    // both states must come up about equally often.
    const results = new Map<string, number>();
    for (let seed = 0; seed < 400; seed++) {
      const state = Array.from(colourPreservingSwitch(net, { seed }).colours[0]).join('');
      results.set(state, (results.get(state) ?? 0) + 1);
    }
    expect(Math.abs((results.get('0110') ?? 0) - 200)).toBeLessThan(4.5 * 10);
    expect([...results.keys()].sort()).toEqual(['0110', '1001']);
  });

  it('rejects bad options', () => {
    const net: LayeredNetwork = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 0, 0, 1) }] };
    expect(() => colourPreservingSwitch(net, { swapsPerEdge: -1 })).toThrow(RangeError);
    expect(() => colourPreservingSwitch(net, { swapsPerEdge: Infinity })).toThrow(RangeError);
    expect(() => switchEdgeColours([{ nIn: 2, nOut: 2 }], [])).toThrow(RangeError);
    expect(() => switchEdgeColours([{ nIn: 2, nOut: 2 }], [new Int8Array(3)])).toThrow(RangeError);
  });
});

/** Per node and colour: [out-degree, in-degree] of a coloured graph. */
function graphDegrees(g: ColouredGraph): Map<string, number> {
  const out = new Map<string, number>();
  const bump = (key: string): void => {
    out.set(key, (out.get(key) ?? 0) + 1);
  };
  for (let e = 0; e < g.from.length; e++) {
    bump(`out ${g.from[e]} colour ${g.colour[e]}`);
    bump(`in ${g.to[e]} colour ${g.colour[e]}`);
  }
  return out;
}

/** Ordered pairs with their colour, sorted: the graph as a set. */
const edgeSet = (g: ColouredGraph): string[] =>
  Array.from(g.from, (a, e) => `${a}>${g.to[e]}:${g.colour[e]}`).sort();

describe('layeredColouredGraph', () => {
  it('numbers neurons layer by layer and lists every coloured edge once', () => {
    const g = layeredColouredGraph(
      [
        { nIn: 2, nOut: 2 },
        { nIn: 2, nOut: 1 }
      ],
      [Int8Array.of(1, 0, -1, 2), Int8Array.of(0, -2)]
    );
    expect(g.nodes).toBe(5);
    expect(edgeSet(g)).toEqual(['0>2:1', '1>2:-1', '1>3:2', '3>4:-2']);
    expect(() => layeredColouredGraph([{ nIn: 2, nOut: 2 }], [new Int8Array(3)])).toThrow(/layer 0/);
    expect(() => layeredColouredGraph([{ nIn: 2, nOut: 2 }], [])).toThrow(RangeError);
  });
});

describe('switchGraphColours (FANMOD: switching over the whole graph)', () => {
  it('keeps every node’s in- and out-degree per colour; no self-loop, repeated edge or bidirectional pair', () => {
    fc.assert(
      fc.property(
        arbNetwork({ maxWidth: 6 }).chain(net => fc.tuple(fc.constant(net), arbColouring(net))),
        fc.integer(),
        fc.double({ min: 0, max: 20, noNaN: true }),
        ([net, colours], seed, swapsPerEdge) => {
          const g = layeredColouredGraph(net.layers, edgeColours(net, colours));
          const copy = edgeSet(g);
          const { graph, attempted, accepted } = switchGraphColours(g, { seed, swapsPerEdge });
          expect(graph.nodes).toBe(g.nodes);
          expect(graphDegrees(graph)).toEqual(graphDegrees(g));
          const pairs = new Set<string>();
          for (let e = 0; e < graph.from.length; e++) {
            const [a, b] = [graph.from[e], graph.to[e]];
            expect(a).not.toBe(b);
            expect(pairs.has(`${a}>${b}`)).toBe(false);
            expect(pairs.has(`${b}>${a}`)).toBe(false);
            pairs.add(`${a}>${b}`);
            pairs.add(`${b}>${a}`);
          }
          const base = Math.round(swapsPerEdge * g.from.length);
          expect(attempted - base).toBeGreaterThanOrEqual(0);
          expect(attempted - base).toBeLessThanOrEqual(base > 0 ? 1 : 0);
          expect(accepted).toBeLessThanOrEqual(attempted);
          expect(edgeSet(g)).toEqual(copy); // input untouched
        }
      ),
      { numRuns: 150 }
    );
  });

  it('does not keep the layers: a layered network gets skip connections and edges against the order', () => {
    const rng = createRng(21);
    const sizes = [8, 8, 8, 8];
    const net: LayeredNetwork = {
      layers: sizes.slice(0, -1).map((nIn, l) => ({
        nIn,
        nOut: sizes[l + 1],
        weights: Float64Array.from({ length: nIn * sizes[l + 1] }, () =>
          rng.next() < 0.3 ? rng.normal() : 0
        )
      }))
    };
    const g = layeredColouredGraph(net.layers, edgeColours(net, 'sign'));
    const layerOf = (x: number): number => Math.floor(x / 8);
    const { graph } = switchGraphColours(g, { seed: 2 });
    const steps = Array.from(graph.from, (a, e) => layerOf(graph.to[e]) - layerOf(a));
    expect(steps.filter(d => d === 1).length).toBeLessThan(steps.length);
    expect(steps.some(d => d >= 2)).toBe(true); // skip connection
    expect(steps.some(d => d <= 0)).toBe(true); // within a layer or backwards
    // while the per-layer-pair switching keeps every edge between consecutive layers
    const layered = switchEdgeColours(net.layers, edgeColours(net, 'sign'), { seed: 2 });
    const lg = layeredColouredGraph(net.layers, layered.colours);
    expect(Array.from(lg.from, (a, e) => layerOf(lg.to[e]) - layerOf(a)).every(d => d === 1)).toBe(true);
  });

  it('is deterministic for a seed and depends on it', () => {
    const g = layeredColouredGraph(
      [
        { nIn: 6, nOut: 6 },
        { nIn: 6, nOut: 6 }
      ],
      [
        Int8Array.from({ length: 36 }, (_, t) => (t % 3 === 0 ? 1 : t % 5 === 0 ? -1 : 0)),
        Int8Array.from({ length: 36 }, (_, t) => (t % 4 === 0 ? 1 : t % 7 === 0 ? -1 : 0))
      ]
    );
    const a = switchGraphColours(g, { seed: 5 });
    expect(switchGraphColours(g, { seed: 5 }).graph).toEqual(a.graph);
    expect(edgeSet(switchGraphColours(g, { seed: 6 }).graph)).not.toEqual(edgeSet(a.graph));
    expect(edgeSet(a.graph)).not.toEqual(edgeSet(g));
    expect(switchGraphColours(g, { swapsPerEdge: 0 }).graph).toEqual(g);
  });

  it('samples uniformly among the graphs with the same coloured degrees and no bidirectional pair', () => {
    // 0 → 2 (colour 1), 1 → 3 (colour 1), 2 → 4 (colour 1), 3 → 4 (colour −1): enumerate every graph on the
    // five nodes with the same in/out-degree per colour, no self-loop and no bidirectional pair.
    const g: ColouredGraph = {
      nodes: 5,
      from: Int32Array.of(0, 1, 2, 3),
      to: Int32Array.of(2, 3, 4, 4),
      colour: Int8Array.of(1, 1, 1, -1)
    };
    // colour 1: sources {0, 1, 2} each one out-edge, targets {2, 3, 4} each one in-edge; colour −1 fixed 3 → 4
    const states: string[] = [];
    const targets = [2, 3, 4];
    for (const p of [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0]
    ]) {
      const to = p.map(i => targets[i]);
      const edges = [
        [0, to[0]],
        [1, to[1]],
        [2, to[2]],
        [3, 4]
      ];
      const ok = edges.every(([a, b]) => a !== b && !edges.some(([c, d]) => c === b && d === a));
      if (ok)
        states.push(
          edges
            .slice(0, 3)
            .map(([a, b]) => `${a}>${b}`)
            .join(' ')
        );
    }
    expect(states.length).toBeGreaterThanOrEqual(3);
    const samples = 3000;
    const seen = new Map<string, number>(states.map(s => [s, 0]));
    for (let s = 0; s < samples; s++) {
      const { graph } = switchGraphColours(g, { seed: s, swapsPerEdge: 10 });
      const to = [0, 1, 2].map(
        a => graph.to[Array.from(graph.from).findIndex((x, e) => x === a && graph.colour[e] === 1)]
      );
      const state = to.map((b, a) => `${a}>${b}`).join(' ');
      expect(seen.has(state), state).toBe(true);
      seen.set(state, (seen.get(state) as number) + 1);
    }
    const expected = samples / states.length;
    const sd = Math.sqrt(expected * (1 - 1 / states.length));
    for (const count of seen.values()) expect(Math.abs(count - expected)).toBeLessThan(4.5 * sd);
  });

  it('rejects graphs it cannot switch and bad options, naming the problem', () => {
    const g = (from: number[], to: number[], colour: number[], nodes = 4): ColouredGraph => ({
      nodes,
      from: Int32Array.from(from),
      to: Int32Array.from(to),
      colour: Int8Array.from(colour)
    });
    expect(() => switchGraphColours(g([0], [0], [1]))).toThrow(/self-loop/);
    expect(() => switchGraphColours(g([0, 0], [1, 1], [1, 2]))).toThrow(/twice/);
    expect(() => switchGraphColours(g([0, 1], [1, 0], [1, 1]))).toThrow(/bidirectional/);
    expect(() => switchGraphColours(g([0], [4], [1]))).toThrow(/outside/);
    expect(() => switchGraphColours(g([0], [1], [0]))).toThrow(/colour 0/);
    expect(() => switchGraphColours(g([0], [1, 2], [1]))).toThrow(/one entry per edge/);
    expect(() => switchGraphColours(g([0], [1], [1], -1))).toThrow(/nodes/);
    expect(() => switchGraphColours(g([0], [1], [1]), { swapsPerEdge: -1 })).toThrow(/swapsPerEdge/);
    expect(() => switchGraphColours(g([0], [1], [1]), { swapsPerEdge: NaN })).toThrow(/swapsPerEdge/);
  });
});
