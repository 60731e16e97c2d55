import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalForm, canonicalOrder, parseSubgraphKey, subgraphKey } from '../../src/core/canonical';
import { hasEdge, layerSizes, type Layer, type LayeredNetwork } from '../../src/core/network';
import { createRng, type Rng } from '../../src/core/random';
import {
  deltaZ,
  describeSubgraphClass,
  graphSubgraphCensus,
  subgraphCensus,
  subgraphSignificance,
  type SubgraphClassSignificance
} from '../../src/core/subgraphs';
import {
  colourPreservingSwitch,
  edgeColours,
  layeredColouredGraph,
  switchGraphColours,
  type ColouredGraph
} from '../../src/core/switching';
import { arbNetwork, randomNetwork } from './helpers/random-network';

// ---------------------------------------------------------------------------------------------------------
// Brute-force reference: every k-subset of nodes, explicit permutations, string labels. Shares no code with
// the implementation beyond `hasEdge`.

type Colouring = 'none' | 'sign' | Int8Array[];

/** colour[x][y] of the edge x → y between global nodes (0 = none). */
function referenceColours(net: LayeredNetwork, colouring: Colouring): number[][] {
  const sizes = layerSizes(net);
  const n = sizes.reduce((a, b) => a + b, 0);
  const colour = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  let offset = 0;
  net.layers.forEach((layer, l) => {
    for (let i = 0; i < layer.nIn; i++) {
      for (let j = 0; j < layer.nOut; j++) {
        if (!hasEdge(layer, i, j)) continue;
        const k = i * layer.nOut + j;
        const c =
          colouring === 'none' ? 1 : colouring === 'sign' ? Math.sign(layer.weights[k]) : colouring[l][k];
        colour[offset + i][offset + layer.nIn + j] = c;
      }
    }
    offset += layer.nIn;
  });
  return colour;
}

function allPermutations(k: number): number[][] {
  if (k === 0) return [[]];
  const out: number[][] = [];
  for (const rest of allPermutations(k - 1)) {
    for (let pos = 0; pos <= rest.length; pos++) out.push([...rest.slice(0, pos), k - 1, ...rest.slice(pos)]);
  }
  return out;
}

/** Isomorphism-invariant label of a k × k colour matrix: the smallest string over all relabellings. */
function referenceLabel(k: number, m: (p: number, q: number) => number): string {
  let best: string | undefined;
  for (const perm of allPermutations(k)) {
    const parts: string[] = [];
    for (let p = 0; p < k; p++) for (let q = 0; q < k; q++) parts.push(String(m(perm[p], perm[q])));
    const s = parts.join('|');
    if (best === undefined || s < best) best = s;
  }
  return best as string;
}

function weaklyConnected(k: number, edges: [number, number][]): boolean {
  const seen = new Set([0]);
  const stack = [0];
  while (stack.length > 0) {
    const x = stack.pop() as number;
    for (const [a, b] of edges) {
      const y = a === x ? b : b === x ? a : -1;
      if (y >= 0 && !seen.has(y)) {
        seen.add(y);
        stack.push(y);
      }
    }
  }
  return seen.size === k;
}

function subsets(n: number, k: number): number[][] {
  const out: number[][] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === k) {
      out.push([...chosen]);
      return;
    }
    for (let v = start; v < n; v++) pick(v + 1, [...chosen, v]);
  };
  pick(0, []);
  return out;
}

function referenceCensus(
  net: LayeredNetwork,
  k: number,
  colouring: Colouring,
  induced: boolean
): Map<string, number> {
  return referenceMatrixCensus(referenceColours(net, colouring), k, induced);
}

/** Brute-force census of the graph with colour matrix `colour` (`colour[x][y]` of x → y, 0 = none). */
function referenceMatrixCensus(colour: number[][], k: number, induced: boolean): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (label: string): void => {
    counts.set(label, (counts.get(label) ?? 0) + 1);
  };
  for (const nodes of subsets(colour.length, k)) {
    const edges: [number, number][] = [];
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) if (colour[nodes[p]][nodes[q]] !== 0) edges.push([p, q]);
    }
    if (induced) {
      if (weaklyConnected(k, edges)) add(referenceLabel(k, (p, q) => colour[nodes[p]][nodes[q]]));
      continue;
    }
    for (let mask = 1; mask < 1 << edges.length; mask++) {
      const chosen = edges.filter((_, e) => (mask & (1 << e)) !== 0);
      if (!weaklyConnected(k, chosen)) continue;
      add(
        referenceLabel(k, (p, q) =>
          chosen.some(([a, b]) => a === p && b === q) ? colour[nodes[p]][nodes[q]] : 0
        )
      );
    }
  }
  return counts;
}

/** Our census re-expressed with reference labels (decoding every key); fails if two keys share a class. */
function censusByReferenceLabel(counts: Readonly<Record<string, number>>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [key, count] of Object.entries(counts)) {
    const { size, adjacency } = parseSubgraphKey(key);
    const label = referenceLabel(size, (p, q) => adjacency[p * size + q]);
    expect(out.has(label), `two keys for one class: ${key}`).toBe(false);
    out.set(label, count);
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

const ZAMBRA_PALETTE = [-2, -1, 0, 1, 2];

// ---------------------------------------------------------------------------------------------------------

describe('subgraphCensus against brute-force enumeration', () => {
  const cases: { name: string; colouring: (rng: Rng, net: LayeredNetwork) => Colouring }[] = [
    { name: 'uncoloured', colouring: () => 'none' },
    { name: 'sign', colouring: () => 'sign' },
    {
      name: 'five Zambra classes (0 = removed)',
      colouring: (rng, net) => randomColours(rng, net, ZAMBRA_PALETTE)
    }
  ];
  for (const { name, colouring } of cases) {
    for (const k of [3, 4, 5] as const) {
      for (const induced of [true, false]) {
        // size 5: fewer and narrower networks (the brute force tries every edge subset of every node set)
        const trials = k === 5 ? 16 : 40;
        it(`${name}, size ${k}, ${induced ? 'induced' : 'non-induced'}: ${trials} random layered networks`, () => {
          const rng = createRng(1000 * k + (induced ? 1 : 0) + name.length);
          let nonEmpty = 0;
          for (let trial = 0; trial < trials; trial++) {
            const net = randomNetwork(rng, { maxLayers: 4, maxWidth: k === 5 ? 4 : 5 });
            const c = colouring(rng, net);
            const census = subgraphCensus(net, { size: k, colours: c === 'none' ? undefined : c, induced });
            const expected = referenceCensus(net, k, c, induced);
            expect(censusByReferenceLabel(census.counts)).toEqual(expected);
            expect(census.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
            if (census.total > 0) nonEmpty++;
          }
          expect(nonEmpty).toBeGreaterThan(trials / 4);
        });
      }
    }
  }
});

describe('class keys', () => {
  it('follow the documented encoding (hand-derived 3-node keys)', () => {
    // a → b → c: sink c first (row of zeros), then source a, then b: code (0,1)(0,2)(1,0)(1,2)(2,0)(2,1).
    const chain = { layers: [line(1, 1, 1), line(1, 1, 1)] };
    expect(Object.keys(subgraphCensus(chain, { size: 3 }).counts)).toEqual(['3:0,0,0,1,1,0']);
    // a → b, a → c: a sink first, then the other sink, then a.
    const diverging = { layers: [line(1, 2, 1)] };
    expect(subgraphCensus(diverging, { size: 3 }).counts).toEqual({ '3:0,0,0,0,1,1': 1 });
    // a → c, b → c: c first, then a and b.
    const converging = { layers: [line(2, 1, 1)] };
    expect(subgraphCensus(converging, { size: 3 }).counts).toEqual({ '3:0,0,1,0,1,0': 1 });
    // Negative colours sort after positive ones (unsigned bytes): the −1 edge goes last.
    const mixed = { layers: [{ nIn: 1, nOut: 2, weights: Float64Array.of(-1, 1) }] };
    expect(subgraphCensus(mixed, { size: 3, colours: 'sign' }).counts).toEqual({ '3:0,0,0,0,1,-1': 1 });
  });

  it('canonicalForm is invariant under relabelling and consistent with order and parseSubgraphKey', () => {
    const arbGraph = fc.integer({ min: 1, max: 5 }).chain(k =>
      fc.record({
        k: fc.constant(k),
        m: fc.array(fc.constantFrom(0, 0, 0, 1, 2, -1, -2, 127, -128), {
          minLength: k * k,
          maxLength: k * k
        }),
        perm: fc.shuffledSubarray(
          Array.from({ length: k }, (_, i) => i),
          { minLength: k, maxLength: k }
        )
      })
    );
    fc.assert(
      fc.property(arbGraph, ({ k, m, perm }) => {
        const form = canonicalForm(k, m);
        const permuted = new Array<number>(k * k);
        for (let p = 0; p < k; p++)
          for (let q = 0; q < k; q++) permuted[p * k + q] = m[perm[p] * k + perm[q]];
        expect(canonicalForm(k, permuted).key).toBe(form.key);
        for (let p = 0; p < k; p++) {
          for (let q = 0; q < k; q++) {
            expect(form.adjacency[p * k + q]).toBe(p === q ? 0 : m[form.order[p] * k + form.order[q]]);
          }
        }
        const parsed = parseSubgraphKey(form.key);
        expect(subgraphKey(k, parsed.adjacency)).toBe(form.key);
        expect(parsed.size).toBe(k);
        expect(Array.from(parsed.adjacency)).toEqual(Array.from(form.adjacency));
        // Isomorphic iff equal keys: the reference label agrees.
        expect(referenceLabel(k, (p, q) => (p === q ? 0 : m[p * k + q]))).toBe(
          referenceLabel(k, (p, q) => parsed.adjacency[p * k + q])
        );
      }),
      { numRuns: 300 }
    );
  });

  it('canonicalOrder is the order of canonicalForm, also on cells renumbered in the same order', () => {
    // the census labels digit matrices (colours renumbered 1, 2, … in unsigned-byte order) with canonicalOrder
    // and keys classes with canonicalForm: both must choose the same labelling
    const palette = [0, 1, 2, 127, -128, -2, -1]; // ascending as unsigned bytes
    const arbGraph = fc.integer({ min: 1, max: 6 }).chain(k =>
      fc.record({
        k: fc.constant(k),
        m: fc.array(fc.integer({ min: 0, max: palette.length - 1 }), { minLength: k * k, maxLength: k * k })
      })
    );
    fc.assert(
      fc.property(arbGraph, ({ k, m }) => {
        const colours = m.map((d, t) => (t % (k + 1) === 0 ? 0 : palette[d]));
        const digits = Uint8Array.from(m, (d, t) => (t % (k + 1) === 0 ? 0 : d));
        const expected = Array.from(canonicalForm(k, colours).order);
        expect(Array.from(canonicalOrder(k, digits, new Int32Array(k)))).toEqual(expected);
        const bytes = Uint8Array.from(colours, c => c & 0xff);
        expect(Array.from(canonicalOrder(k, bytes, new Int32Array(k)))).toEqual(expected);
      }),
      { numRuns: 300 }
    );
  });

  it('canonicalOrder is the first labelling with the smallest code, as a scan of all k! labellings finds', () => {
    // reference: every permutation in lexicographic order, codes compared as arrays; the first smallest wins
    const lexPermutations = (k: number): number[][] => {
      const out: number[][] = [];
      const pick = (chosen: number[]): void => {
        if (chosen.length === k) out.push([...chosen]);
        for (let v = 0; v < k && chosen.length < k; v++) if (!chosen.includes(v)) pick([...chosen, v]);
      };
      pick([]);
      return out;
    };
    const arbCells = fc.integer({ min: 1, max: 6 }).chain(k =>
      fc.record({
        k: fc.constant(k),
        // few distinct values, mostly 0, so that many labellings tie (symmetric graphs, sinks)
        cells: fc.array(fc.constantFrom(0, 0, 0, 0, 1, 2, 255), { minLength: k * k, maxLength: k * k })
      })
    );
    fc.assert(
      fc.property(arbCells, ({ k, cells }) => {
        const codeOf = (perm: number[]): number[] => {
          const code: number[] = [];
          for (let p = 0; p < k; p++)
            for (let q = 0; q < k; q++) if (p !== q) code.push(cells[perm[p] * k + perm[q]]);
          return code;
        };
        let best: number[] | undefined;
        let bestCode: number[] = [];
        for (const perm of lexPermutations(k)) {
          const code = codeOf(perm);
          const d = code.findIndex((c, t) => c !== bestCode[t]);
          if (best === undefined || (d >= 0 && code[d] < bestCode[d])) {
            best = perm;
            bestCode = code;
          }
        }
        expect(Array.from(canonicalOrder(k, Uint8Array.from(cells), new Int32Array(k)))).toEqual(best);
      }),
      { numRuns: 500 }
    );
  });

  it('rejects malformed keys and out-of-range input', () => {
    expect(() => parseSubgraphKey('3:0,1')).toThrow(RangeError);
    expect(() => parseSubgraphKey('x:0')).toThrow(RangeError);
    expect(() => canonicalForm(3, [0, 1])).toThrow(RangeError);
    expect(() => canonicalForm(2, [0, 300, 0, 0])).toThrow(RangeError);
    expect(() => canonicalForm(7, new Array<number>(49).fill(0))).toThrow(RangeError);
  });
});

function line(nIn: number, nOut: number, w: number): Layer {
  return { nIn, nOut, weights: new Float64Array(nIn * nOut).fill(w) };
}

describe('describeSubgraphClass', () => {
  it('lists the canonical edges and the level of every node of a layered class', () => {
    const info = describeSubgraphClass('3:0,0,0,1,1,0');
    expect(info.size).toBe(3);
    expect(info.edges).toEqual([
      { from: 1, to: 2, colour: 1 },
      { from: 2, to: 0, colour: 1 }
    ]);
    expect(info.levels).toEqual([2, 0, 1]);
  });

  it('gives levels where every edge climbs by one for every class found in a layered network', () => {
    fc.assert(
      fc.property(
        arbNetwork({ maxLayers: 3, maxWidth: 4 }),
        fc.constantFrom(3, 4) as fc.Arbitrary<3 | 4>,
        (net, k) => {
          for (const info of Object.values(subgraphCensus(net, { size: k, colours: 'sign' }).classes)) {
            const levels = info.levels;
            expect(levels).not.toBeNull();
            for (const e of info.edges)
              expect((levels as number[])[e.to]).toBe((levels as number[])[e.from] + 1);
            expect(Math.min(...(levels as number[]))).toBe(0);
          }
        }
      ),
      { numRuns: 60 }
    );
  });

  it('returns null levels for a class that is not layered (a triangle)', () => {
    expect(describeSubgraphClass(canonicalForm(3, [0, 1, 1, 0, 0, 1, 0, 0, 0]).key).levels).toBeNull();
  });
});

describe('subgraphCensus properties', () => {
  /** Relabels the neurons of every neuron layer by a random permutation. */
  function relabel(net: LayeredNetwork, rng: Rng): LayeredNetwork {
    const perms = layerSizes(net).map(n => {
      const p = Array.from({ length: n }, (_, i) => i);
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [p[i], p[j]] = [p[j], p[i]];
      }
      return p;
    });
    return {
      layers: net.layers.map((layer, l) => {
        const weights = new Float64Array(layer.weights.length);
        const mask = layer.mask === undefined ? undefined : new Uint8Array(layer.mask.length);
        for (let i = 0; i < layer.nIn; i++) {
          for (let j = 0; j < layer.nOut; j++) {
            const to = perms[l][i] * layer.nOut + perms[l + 1][j];
            weights[to] = layer.weights[i * layer.nOut + j];
            if (mask !== undefined) mask[to] = (layer.mask as Uint8Array)[i * layer.nOut + j];
          }
        }
        return mask === undefined ? { ...layer, weights } : { ...layer, weights, mask };
      })
    };
  }

  it('does not depend on the order of the neurons within a layer', () => {
    fc.assert(
      fc.property(arbNetwork({ maxWidth: 5 }), fc.integer(), fc.boolean(), (net, seed, induced) => {
        const other = relabel(net, createRng(seed));
        for (const size of [3, 4] as const) {
          expect(subgraphCensus(other, { size, colours: 'sign', induced }).counts).toEqual(
            subgraphCensus(net, { size, colours: 'sign', induced }).counts
          );
        }
      }),
      { numRuns: 80 }
    );
  });

  it('sign classes merged by forgetting colours give the uncoloured census', () => {
    fc.assert(
      fc.property(arbNetwork({ maxWidth: 5 }), fc.constantFrom(3, 4) as fc.Arbitrary<3 | 4>, (net, size) => {
        const merged: Record<string, number> = {};
        for (const [key, count] of Object.entries(subgraphCensus(net, { size, colours: 'sign' }).counts)) {
          const { adjacency } = parseSubgraphKey(key);
          const plain = canonicalForm(
            size,
            Array.from(adjacency, c => (c === 0 ? 0 : 1))
          ).key;
          merged[plain] = (merged[plain] ?? 0) + count;
        }
        const plainCounts = subgraphCensus(net, { size }).counts;
        expect(Object.keys(merged).sort()).toEqual(Object.keys(plainCounts));
        for (const key of Object.keys(plainCounts)) expect(merged[key]).toBe(plainCounts[key]);
      }),
      { numRuns: 80 }
    );
  });

  it('counts Σ C(degree, 2) connected triples (a layered graph has no triangles)', () => {
    fc.assert(
      fc.property(arbNetwork({ maxWidth: 6 }), fc.boolean(), (net, induced) => {
        const sizes = layerSizes(net);
        const offsets = sizes.map((_, l) => sizes.slice(0, l).reduce((a, b) => a + b, 0));
        const degree = new Array<number>(sizes.reduce((a, b) => a + b, 0)).fill(0);
        net.layers.forEach((layer, l) => {
          for (let i = 0; i < layer.nIn; i++) {
            for (let j = 0; j < layer.nOut; j++) {
              if (!hasEdge(layer, i, j)) continue;
              degree[offsets[l] + i]++;
              degree[offsets[l + 1] + j]++;
            }
          }
        });
        const triples = degree.reduce((a, d) => a + (d * (d - 1)) / 2, 0);
        expect(subgraphCensus(net, { size: 3, induced }).total).toBe(triples);
      }),
      { numRuns: 100 }
    );
  });

  it('treats colour 0 as a removed edge and ignores colours where the network has no edge', () => {
    const net: LayeredNetwork = {
      layers: [{ nIn: 1, nOut: 3, weights: Float64Array.of(1, 1, 1), mask: Uint8Array.of(1, 1, 0) }]
    };
    // Edge 0 → 2 is masked out; edge 0 → 1 is removed by colour 0: nothing connected on 3 nodes remains.
    expect(subgraphCensus(net, { size: 3, colours: [Int8Array.of(2, 0, 2)] }).total).toBe(0);
    expect(subgraphCensus(net, { size: 3, colours: [Int8Array.of(2, 1, 2)] }).counts).toEqual({
      '3:0,0,0,0,1,2': 1
    });
  });

  it('rejects bad options', () => {
    const net = { layers: [line(2, 2, 1)] };
    expect(() => subgraphCensus(net, { size: 6 as 5 })).toThrow(RangeError);
    expect(() => subgraphCensus(net, { size: 3, colours: [new Int8Array(3)] })).toThrow(RangeError);
    expect(() => subgraphCensus(net, { size: 3, colours: [] })).toThrow(RangeError);
    const many = new Int8Array(400).map((_, t) => (t % 40) - 20 || 21);
    expect(() => subgraphCensus({ layers: [line(20, 20, 1)] }, { size: 4, colours: [many] })).toThrow(
      /too many/
    );
  });

  it('handles networks without edges and a lone layer', () => {
    expect(subgraphCensus({ layers: [line(3, 2, 0)] }, { size: 4 })).toMatchObject({ total: 0, counts: {} });
    expect(subgraphCensus({ layers: [] }, { size: 3 }).total).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe('subgraphSignificance', () => {
  function mediumNet(seed: number): LayeredNetwork {
    const rng = createRng(seed);
    const sizes = [6, 7, 6, 3];
    return {
      layers: sizes.slice(0, -1).map((nIn, l) => {
        const nOut = sizes[l + 1];
        const weights = new Float64Array(nIn * nOut);
        for (let t = 0; t < weights.length; t++) weights[t] = rng.next() < 0.45 ? rng.normal() : 0;
        return { nIn, nOut, weights };
      })
    };
  }

  it('null counts are the censuses of the documented random networks; statistics follow from them', () => {
    const net = mediumNet(3);
    const colours = randomColours(createRng(4), net, ZAMBRA_PALETTE);
    const sig = subgraphSignificance(net, { size: 4, colours, samples: 12, seed: 99, swapsPerEdge: 5 });
    const real = subgraphCensus(net, { size: 4, colours }).counts;
    const seeds = createRng(99);
    const nullCensus = Array.from({ length: 12 }, () => {
      const nul = colourPreservingSwitch(net, { colours, swapsPerEdge: 5, seed: seeds.uint32() });
      return subgraphCensus(nul.network, { size: 4, colours: nul.colours }).counts;
    });
    const union = new Set([...Object.keys(real), ...nullCensus.flatMap(c => Object.keys(c))]);
    expect(Object.keys(sig.classes)).toEqual([...union].sort());
    expect(Object.keys(sig.info)).toEqual(Object.keys(sig.classes));
    let finite = 0;
    for (const [key, cls] of Object.entries(sig.classes)) {
      expect(cls.count).toBe(real[key] ?? 0);
      expect(cls.nullCounts).toEqual(nullCensus.map(c => c[key] ?? 0));
      const mean = cls.nullCounts.reduce((a, b) => a + b, 0) / 12;
      const sd = Math.sqrt(cls.nullCounts.reduce((a, b) => a + (b - mean) ** 2, 0) / 11);
      expect(cls.nullMean).toBeCloseTo(mean, 10);
      expect(cls.nullSd).toBeCloseTo(sd, 10);
      if (sd > 0) {
        finite++;
        expect(cls.z).toBeCloseTo((cls.count - mean) / sd, 10);
      }
      const ge = cls.nullCounts.filter(c => c >= cls.count).length;
      const le = cls.nullCounts.filter(c => c <= cls.count).length;
      expect(cls.p).toBeCloseTo(Math.min(1, (2 * (1 + Math.min(ge, le))) / 13), 12);
      expect(sig.info[key]).toEqual(describeSubgraphClass(key));
    }
    expect(finite).toBeGreaterThan(3);
  });

  it('is deterministic for a seed and depends on it', () => {
    const net = mediumNet(5);
    // Size 4: the coloured 3-node census of a layered graph is fixed by the per-colour degrees, so its null
    // never varies.
    const a = subgraphSignificance(net, { size: 4, colours: 'sign', samples: 5, seed: 1 });
    const b = subgraphSignificance(net, { size: 4, colours: 'sign', samples: 5, seed: 1 });
    const c = subgraphSignificance(net, { size: 4, colours: 'sign', samples: 5, seed: 2 });
    expect(b).toEqual(a);
    expect(Object.values(c.classes).map(x => x.nullCounts)).not.toEqual(
      Object.values(a.classes).map(x => x.nullCounts)
    );
  });

  it('gives z = NaN (undefined) and p = 1 when no switch is possible (complete layers)', () => {
    const net = { layers: [line(3, 3, 1), line(3, 2, -1)] };
    const sig = subgraphSignificance(net, { size: 4, colours: 'sign', samples: 4, seed: 3 });
    expect(Object.keys(sig.classes).length).toBeGreaterThan(0);
    for (const cls of Object.values(sig.classes)) {
      expect(cls.nullCounts).toEqual([cls.count, cls.count, cls.count, cls.count]);
      expect(cls).toMatchObject({ nullMean: cls.count, nullSd: 0, p: 1 });
      expect(Number.isNaN(cls.z)).toBe(true);
    }
  });

  it('gives z = NaN and the smallest p when the null never varies but differs from the network', () => {
    // x → in0 (+); in_i → h_i (+) for 200 i; h0 → o0 (+), h_i → o_i (−) otherwise. Only x starts a 4-node
    // chain: (+,+,+) in the network. A random network matches in0 to a uniform h, so with probability
    // 199/200 per sample x's chain becomes (+,+,−) (the seed below gives it in all 5 samples).
    const n = 200;
    const diagonal = (sign: (i: number) => number): Float64Array => {
      const w = new Float64Array(n * n);
      for (let i = 0; i < n; i++) w[i * n + i] = sign(i);
      return w;
    };
    const first = new Float64Array(n);
    first[0] = 1;
    const net: LayeredNetwork = {
      layers: [
        { nIn: 1, nOut: n, weights: first },
        { nIn: n, nOut: n, weights: diagonal(() => 1) },
        { nIn: n, nOut: n, weights: diagonal(i => (i === 0 ? 1 : -1)) }
      ]
    };
    const sig = subgraphSignificance(net, { size: 4, colours: 'sign', samples: 5, seed: 4 });
    const chain = (colours: number[]): string => {
      const m = new Array<number>(16).fill(0);
      colours.forEach((c, s) => (m[s * 4 + s + 1] = c));
      return canonicalForm(4, m).key;
    };
    expect(sig.classes[chain([1, 1, 1])]).toMatchObject({ count: 1, nullMean: 0, nullSd: 0 });
    expect(sig.classes[chain([1, 1, -1])]).toMatchObject({ count: 0, nullMean: 1, nullSd: 0 });
    expect(Number.isNaN(sig.classes[chain([1, 1, 1])].z)).toBe(true);
    expect(Number.isNaN(sig.classes[chain([1, 1, -1])].z)).toBe(true);
    expect(sig.classes[chain([1, 1, 1])].p).toBeCloseTo(2 / 6, 12);
  });

  it('rejects fewer than two samples', () => {
    expect(() => subgraphSignificance({ layers: [line(2, 2, 1)] }, { size: 3, samples: 1 })).toThrow(
      RangeError
    );
  });
});

describe('deltaZ', () => {
  const cls = (z: number): SubgraphClassSignificance => ({
    count: 0,
    nullMean: 0,
    nullSd: 1,
    z,
    p: 1,
    nullCounts: []
  });

  it('subtracts Z over the union of classes, NaN where a class is missing (its null never varied)', () => {
    const after = { classes: { '3:a': cls(2.5), '3:b': cls(-1) } };
    const before = { classes: { '3:b': cls(1), '3:c': cls(4) } };
    expect(deltaZ(after, before)).toEqual({ '3:a': NaN, '3:b': -2, '3:c': NaN });
  });

  it('is zero for an analysis against itself and antisymmetric', () => {
    const net = { layers: [line(2, 3, 1), line(3, 2, 1)] };
    const colours = randomColours(createRng(8), net, [1, 2]);
    const a = subgraphSignificance(net, { size: 3, colours, samples: 6, seed: 1 });
    const colours2 = randomColours(createRng(9), net, [1, 2]);
    const b = subgraphSignificance(net, { size: 3, colours: colours2, samples: 6, seed: 1 });
    for (const v of Object.values(deltaZ(a, a))) expect(Number.isNaN(v) || v === 0).toBe(true);
    const ab = deltaZ(a, b);
    const ba = deltaZ(b, a);
    expect(Object.keys(ab)).toEqual(Object.keys(ba));
    for (const key of Object.keys(ab)) {
      if (Number.isFinite(ab[key])) expect(ab[key]).toBeCloseTo(-ba[key], 12);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------

/** A random coloured directed graph: any node pairs, bidirectional pairs included, no self-loops. */
function randomGraph(rng: Rng, nodes: number, density: number, palette: number[]): ColouredGraph {
  const from: number[] = [];
  const to: number[] = [];
  const colour: number[] = [];
  for (let a = 0; a < nodes; a++) {
    for (let b = 0; b < nodes; b++) {
      if (a === b || rng.next() >= density) continue;
      from.push(a);
      to.push(b);
      colour.push(palette[rng.int(palette.length)]);
    }
  }
  return { nodes, from: Int32Array.from(from), to: Int32Array.from(to), colour: Int8Array.from(colour) };
}

function matrixOf(g: ColouredGraph): number[][] {
  const m = Array.from({ length: g.nodes }, () => new Array<number>(g.nodes).fill(0));
  for (let e = 0; e < g.from.length; e++) m[g.from[e]][g.to[e]] = g.colour[e];
  return m;
}

describe('graphSubgraphCensus (any directed graph) against brute-force enumeration', () => {
  for (const k of [3, 4, 5] as const) {
    for (const induced of [true, false]) {
      const trials = k === 5 ? 10 : 30;
      it(`size ${k}, ${induced ? 'induced' : 'non-induced'}: ${trials} random graphs with skip, intra-layer and bidirectional edges`, () => {
        const rng = createRng(77 * k + (induced ? 1 : 0));
        let nonEmpty = 0;
        for (let trial = 0; trial < trials; trial++) {
          const nodes = k === 5 ? 5 + rng.int(3) : 3 + rng.int(5);
          const density = induced || k === 3 ? 0.1 + 0.4 * rng.next() : 0.15 + 0.15 * rng.next();
          const palette = trial % 2 === 0 ? [1] : [-2, -1, 1, 2];
          const g = randomGraph(rng, nodes, density, palette);
          const census = graphSubgraphCensus(g, { size: k, induced });
          const expected = referenceMatrixCensus(matrixOf(g), k, induced);
          expect(censusByReferenceLabel(census.counts)).toEqual(expected);
          // the hash-map lookups of graphs too large for a dense colour matrix give the same census
          expect(graphSubgraphCensus(g, { size: k, induced }, 0)).toEqual(census);
          expect(census.total).toBe([...expected.values()].reduce((a, b) => a + b, 0));
          if (census.total > 0) nonEmpty++;
        }
        expect(nonEmpty).toBeGreaterThan(trials / 4);
      });
    }
  }

  it('size 5 on a 14-node graph: a thousand raw codes, most above 2^32, isomorphic sets in one class', () => {
    // four colours give raw codes up to 5^20 and most of the 1202 node sets their own raw code, so the
    // census's code tables grow several times; a class reached from several raw codes is counted once
    const g = randomGraph(createRng(5), 14, 0.25, [1, 1, 1, 1, 1, 1, 1, 1, -1, 2, -2]);
    const census = graphSubgraphCensus(g, { size: 5 });
    const expected = referenceMatrixCensus(matrixOf(g), 5, true);
    expect(census.total).toBeGreaterThan(1000);
    expect(Math.max(...Object.values(census.counts))).toBeGreaterThan(4);
    expect(censusByReferenceLabel(census.counts)).toEqual(expected);
  });

  it('equals subgraphCensus on a layered network', () => {
    const rng = createRng(8);
    for (let trial = 0; trial < 20; trial++) {
      const net = randomNetwork(rng, { maxLayers: 4, maxWidth: 5 });
      const colours = randomColours(rng, net, ZAMBRA_PALETTE);
      const g = layeredColouredGraph(net.layers, edgeColours(net, colours));
      for (const k of [3, 4] as const) {
        expect(graphSubgraphCensus(g, { size: k })).toEqual(subgraphCensus(net, { size: k, colours }));
      }
    }
  });

  it('rejects bad graphs and sizes', () => {
    const g = (from: number[], to: number[]): ColouredGraph => ({
      nodes: 3,
      from: Int32Array.from(from),
      to: Int32Array.from(to),
      colour: new Int8Array(from.length).fill(1)
    });
    expect(() => graphSubgraphCensus(g([0], [0]), { size: 3 })).toThrow(/self-loop/);
    expect(() => graphSubgraphCensus(g([0, 0], [1, 1]), { size: 3 })).toThrow(/twice/);
    expect(() => graphSubgraphCensus(g([0], [3]), { size: 3 })).toThrow(/outside/);
    expect(() => graphSubgraphCensus(g([0], [1]), { size: 6 as 3 })).toThrow(/size/);
    expect(graphSubgraphCensus(g([0, 1], [1, 0]), { size: 3 }).total).toBe(0); // a bidirectional pair is fine
  });
});

describe("subgraphSignificance with FANMOD's null (null: 'fanmod')", () => {
  const net = (() => {
    const rng = createRng(31);
    const sizes = [6, 7, 6, 3];
    return {
      layers: sizes.slice(0, -1).map((nIn, l) => {
        const nOut = sizes[l + 1];
        return {
          nIn,
          nOut,
          weights: Float64Array.from({ length: nIn * nOut }, () => (rng.next() < 0.45 ? rng.normal() : 0))
        };
      })
    };
  })();

  it('null counts are the censuses of whole-graph switched random networks', () => {
    const colours = randomColours(createRng(4), net, ZAMBRA_PALETTE);
    const sig = subgraphSignificance(net, {
      size: 4,
      colours,
      samples: 10,
      seed: 9,
      swapsPerEdge: 5,
      null: 'fanmod'
    });
    expect(sig.null).toBe('fanmod');
    const g = layeredColouredGraph(net.layers, edgeColours(net, colours));
    const seeds = createRng(9);
    const nullCensus = Array.from(
      { length: 10 },
      () =>
        graphSubgraphCensus(switchGraphColours(g, { swapsPerEdge: 5, seed: seeds.uint32() }).graph, {
          size: 4
        }).counts
    );
    const real = subgraphCensus(net, { size: 4, colours }).counts;
    const union = new Set([...Object.keys(real), ...nullCensus.flatMap(c => Object.keys(c))]);
    expect(Object.keys(sig.classes)).toEqual([...union].sort());
    for (const [key, cls] of Object.entries(sig.classes)) {
      expect(cls.count).toBe(real[key] ?? 0);
      expect(cls.nullCounts).toEqual(nullCensus.map(c => c[key] ?? 0));
    }
    // the random networks have classes a layered network cannot have (skip or intra-layer edges)
    expect(Object.values(sig.info).some(info => info.levels === null)).toBe(true);
    expect(Object.keys(real).every(key => sig.info[key].levels !== null)).toBe(true);
  });

  it('differs from the layered null, which stays the default', () => {
    const a = subgraphSignificance(net, { size: 3, colours: 'sign', samples: 4, seed: 1 });
    const b = subgraphSignificance(net, { size: 3, colours: 'sign', samples: 4, seed: 1, null: 'layered' });
    expect(a.null).toBe('layered');
    expect(b).toEqual(a);
    const c = subgraphSignificance(net, { size: 3, colours: 'sign', samples: 4, seed: 1, null: 'fanmod' });
    expect(Object.keys(c.classes).length).toBeGreaterThan(Object.keys(a.classes).length);
    expect(() => subgraphSignificance(net, { size: 3, null: 'curveball' as 'fanmod' })).toThrow(
      /null must be/
    );
  });
});
