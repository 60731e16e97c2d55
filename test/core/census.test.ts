import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CensusWorkspace,
  MOTIF_NAMES,
  SIGN_PATTERNS,
  censusKeys,
  countMotifGraph,
  motifCensus,
  type ChainConvention
} from '../../src/core/census';
import { liveEdges, motifGraph } from '../../src/core/live';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng, type Rng } from '../../src/core/random';
import { arbNetwork, randomNetwork } from './helpers/random-network';

type Sign = '+' | '-';

/**
 * Brute-force census: enumerates node tuples of the explicit live graph (bias nodes included as an extra
 * node of their layer) and names sign patterns by trying every relabelling of the motif.
 */
function bruteForce(
  net: LayeredNetwork,
  opts: { biasNode: boolean; prune: boolean; chain: ChainConvention }
): Record<string, number> {
  const live = liveEdges(net, { biasNode: opts.biasNode, pruneDeadGhost: opts.prune });
  const L = net.layers.length;
  // nodes of neuron layer k: real neurons, then the bias node of weight layer k when there is one
  const size = (k: number): number =>
    k === L ? net.layers[L - 1].nOut : net.layers[k].nIn + (live.biasMasks[k] !== undefined ? 1 : 0);
  // sign of the edge from node a of layer l to node b of layer l+1, or undefined
  const edge = (l: number, a: number, b: number): Sign | undefined => {
    const layer = net.layers[l];
    if (b >= layer.nOut) return undefined;
    if (a < layer.nIn) {
      const k = a * layer.nOut + b;
      return live.masks[l][k] !== 0 ? (layer.weights[k] < 0 ? '-' : '+') : undefined;
    }
    const bm = live.biasMasks[l];
    if (bm === undefined || bm[b] === 0) return undefined;
    return (layer.bias as Float64Array)[b] < 0 ? '-' : '+';
  };
  const counts: Record<string, number> = {};
  const add = (motif: string, pattern: string): void => {
    counts[motif] = (counts[motif] ?? 0) + 1;
    counts[`${motif}:${pattern}`] = (counts[`${motif}:${pattern}`] ?? 0) + 1;
  };
  const multiset = (xs: Sign[]): string => [...xs].sort().join('');
  const minOf = (xs: string[]): string => [...xs].sort()[0];
  const pairSets: Record<string, Set<string>> = {};
  const addPair = (motif: string, pattern: string, l: number, a: number, d: number): void => {
    for (const key of [motif, `${motif}:${pattern}`]) (pairSets[key] ??= new Set()).add(`${l}:${a},${d}`);
  };

  for (let l = 0; l < L; l++) {
    const nA = size(l);
    const nB = size(l + 1);
    for (let a = 0; a < nA; a++) {
      for (let b = 0; b < nB; b++) {
        const s = edge(l, a, b);
        if (s !== undefined) add('edges', s);
      }
    }
    // diverging: one source, 2 or 3 distinct targets
    for (let a = 0; a < nA; a++) {
      for (let x = 0; x < nB; x++) {
        for (let y = x + 1; y < nB; y++) {
          const e = [edge(l, a, x), edge(l, a, y)];
          if (e.every(s => s !== undefined)) add('soDiverging', multiset(e as Sign[]));
          for (let z = y + 1; z < nB; z++) {
            const f = [...e, edge(l, a, z)];
            if (f.every(s => s !== undefined)) add('toDiverging', multiset(f as Sign[]));
          }
        }
      }
    }
    // converging: one target, 2 or 3 distinct sources
    for (let d = 0; d < nB; d++) {
      for (let x = 0; x < nA; x++) {
        for (let y = x + 1; y < nA; y++) {
          const e = [edge(l, x, d), edge(l, y, d)];
          if (e.every(s => s !== undefined)) add('soConverging', multiset(e as Sign[]));
          for (let z = y + 1; z < nA; z++) {
            const f = [...e, edge(l, z, d)];
            if (f.every(s => s !== undefined)) add('toConverging', multiset(f as Sign[]));
          }
        }
      }
    }
    // bi-fan: sources {i, j}, targets {k, m}, all four edges
    for (let i = 0; i < nA; i++) {
      for (let j = i + 1; j < nA; j++) {
        for (let k = 0; k < nB; k++) {
          for (let m = k + 1; m < nB; m++) {
            const ik = edge(l, i, k);
            const im = edge(l, i, m);
            const jk = edge(l, j, k);
            const jm = edge(l, j, m);
            if (ik && im && jk && jm) {
              add(
                'biFan',
                minOf([
                  `${ik}${im}/${jk}${jm}`,
                  `${jk}${jm}/${ik}${im}`,
                  `${im}${ik}/${jm}${jk}`,
                  `${jm}${jk}/${im}${ik}`
                ])
              );
            }
          }
        }
      }
    }
  }
  for (let l = 0; l + 1 < L; l++) {
    const [nA, nB, nC] = [size(l), size(l + 1), size(l + 2)];
    for (let a = 0; a < nA; a++) {
      for (let c = 0; c < nC; c++) {
        for (let b = 0; b < nB; b++) {
          const ab = edge(l, a, b);
          const bc = ab && edge(l + 1, b, c);
          if (ab && bc) {
            if (opts.chain === 'paths') add('soChain', `${ab}${bc}`);
            else addPair('soChain', `${ab}${bc}`, l, a, c);
          }
          for (let b2 = b + 1; b2 < nB; b2++) {
            const ab2 = edge(l, a, b2);
            const b2c = ab2 && edge(l + 1, b2, c);
            if (ab && bc && ab2 && b2c)
              add('biParallel', minOf([`${ab}${bc}/${ab2}${b2c}`, `${ab2}${b2c}/${ab}${bc}`]));
          }
        }
      }
    }
  }
  for (let l = 0; l + 2 < L; l++) {
    const [nA, nB, nC, nD] = [size(l), size(l + 1), size(l + 2), size(l + 3)];
    for (let a = 0; a < nA; a++)
      for (let b = 0; b < nB; b++) {
        const ab = edge(l, a, b);
        if (!ab) continue;
        for (let c = 0; c < nC; c++) {
          const bc = edge(l + 1, b, c);
          if (!bc) continue;
          for (let d = 0; d < nD; d++) {
            const cd = edge(l + 2, c, d);
            if (!cd) continue;
            if (opts.chain === 'paths') add('toChain', `${ab}${bc}${cd}`);
            else addPair('toChain', `${ab}${bc}${cd}`, l, a, d);
          }
        }
      }
  }
  for (const [key, set] of Object.entries(pairSets)) counts[key] = set.size;
  return counts;
}

function expectCensusMatches(
  net: LayeredNetwork,
  biasNode: boolean,
  prune: boolean,
  chain: ChainConvention
): void {
  const ref = bruteForce(net, { biasNode, prune, chain });
  const got = motifCensus(net, { biasNode, pruneDeadGhost: prune, chain, signed: true });
  const plain = motifCensus(net, { biasNode, pruneDeadGhost: prune, chain });
  for (const name of MOTIF_NAMES) {
    expect(got.counts[name], name).toBe(ref[name] ?? 0);
    expect(plain.counts[name], name).toBe(ref[name] ?? 0);
  }
  for (const key of censusKeys(true).slice(MOTIF_NAMES.length)) {
    expect((got.signedCounts as Record<string, number>)[key], key).toBe(ref[key] ?? 0);
  }
  // every pattern the brute force produced is a key of the census
  for (const key of Object.keys(ref)) expect(censusKeys(true)).toContain(key);
}

/** Random network with wider layers and a chosen density, to reach both the wedge and the bitset counts. */
function wideNetwork(rng: Rng, sizes: number[], density: number, bias: boolean): LayeredNetwork {
  const layers: Layer[] = sizes.slice(0, -1).map((nIn, l) => {
    const nOut = sizes[l + 1];
    const weights = new Float64Array(nIn * nOut);
    for (let k = 0; k < weights.length; k++) if (rng.next() < density) weights[k] = rng.normal();
    const layer: Layer = { nIn, nOut, weights };
    if (!bias) return layer;
    return {
      ...layer,
      bias: Float64Array.from({ length: nOut }, () => (rng.next() < 0.5 ? rng.normal() : 0))
    };
  });
  return { layers };
}

describe('motifCensus', () => {
  it('counts a hand-made network', () => {
    // 2 inputs fully connected to 2 hidden, hidden 0 -> output 0, hidden 1 -> outputs 0 and 1
    const net: LayeredNetwork = {
      layers: [
        { nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 1) },
        { nIn: 2, nOut: 2, weights: Float64Array.of(1, 0, 1, 1) }
      ]
    };
    const { counts, chain } = motifCensus(net);
    expect(chain).toBe('paths');
    expect(counts).toEqual({
      edges: 7,
      soDiverging: 3, // inputs 0 and 1, hidden 1
      soConverging: 3, // hidden 0, hidden 1, output 0
      soChain: 6, // 2 inputs × (hidden 0: 1 out + hidden 1: 2 outs)
      toDiverging: 0,
      toConverging: 0,
      toChain: 0,
      biFan: 1,
      biParallel: 2 // input a → {h0, h1} → output 0, for both inputs
    });
    // pairs: (a, output) joined by ≥1 path: each input reaches both outputs
    expect(motifCensus(net, { chain: 'pairs' }).counts.soChain).toBe(4);
  });

  it('uses C(n,3) for third-order converging (not the C(n,2) of the authors)', () => {
    const net: LayeredNetwork = { layers: [{ nIn: 4, nOut: 1, weights: Float64Array.of(1, 1, 1, 1) }] };
    expect(motifCensus(net).counts.toConverging).toBe(4);
  });

  it('counts the bias node only when asked', () => {
    const net: LayeredNetwork = {
      layers: [{ nIn: 1, nOut: 2, weights: Float64Array.of(1, 1), bias: Float64Array.of(1, -1) }]
    };
    expect(motifCensus(net).counts.biFan).toBe(0);
    const withBias = motifCensus(net, { biasNode: true, signed: true });
    expect(withBias.counts.biFan).toBe(1);
    expect(withBias.signedCounts?.['biFan:++/+-']).toBe(1);
    expect(withBias.biasNode).toBe(true);
  });

  it('lists 7 bi-fan and 10 bi-parallel sign patterns', () => {
    expect(SIGN_PATTERNS.biFan).toHaveLength(7);
    expect(SIGN_PATTERNS.biParallel).toHaveLength(10);
    expect(SIGN_PATTERNS.toChain).toHaveLength(8);
  });

  it('equals brute-force enumeration on many small random networks (all options)', () => {
    const rng = createRng(2024);
    for (let n = 0; n < 250; n++) {
      const net = randomNetwork(rng, { maxLayers: 4, maxWidth: 5 });
      for (const biasNode of [false, true])
        for (const prune of [true, false])
          for (const chain of ['paths', 'pairs'] as const) expectCensusMatches(net, biasNode, prune, chain);
    }
  });

  it('equals brute force on one-neuron layers', () => {
    const rng = createRng(5);
    for (let n = 0; n < 40; n++) {
      const net = randomNetwork(rng, { maxLayers: 4, maxWidth: 1, density: 0.8 });
      for (const chain of ['paths', 'pairs'] as const) expectCensusMatches(net, true, n % 2 === 0, chain);
    }
  });

  it('equals brute force on wider sparse and dense networks (wedge, bitset and pair-matrix strategies)', () => {
    const rng = createRng(99);
    const cases: [number[], number][] = [
      [[9, 40, 37, 12, 3], 0.08],
      [[6, 33, 35, 8], 0.9],
      [[34, 3, 36, 33], 0.5],
      [[40, 38, 2, 35], 0.25],
      // sparse layers under a wide bias row: the source-pair matrix strategy, and its dense-row two-paths
      [[4, 40, 40, 30, 3], 0.06]
    ];
    for (const [sizes, density] of cases) {
      const net = wideNetwork(rng, sizes, density, true);
      for (const chain of ['paths', 'pairs'] as const) expectCensusMatches(net, true, true, chain);
    }
  });

  it('equals brute force when a wide bias row is counted through its two-paths (pair-matrix strategy)', () => {
    // seed 7: the bias row of layer 0 has 15 edges into sparse neurons, which the lookup of layer 1's
    // source-pair matrix counts through their two-paths rather than through C(15, 2) matrix reads
    const net = wideNetwork(createRng(7), [4, 40, 40, 30, 3], 0.06, true);
    for (const chain of ['paths', 'pairs'] as const) expectCensusMatches(net, true, true, chain);
  });

  it('gives the same counts with a reused workspace as with a fresh one (property)', () => {
    const ws = new CensusWorkspace();
    fc.assert(
      fc.property(
        arbNetwork({ maxWidth: 8 }),
        fc.boolean(),
        fc.constantFrom('paths', 'pairs'),
        (net, signed, chain) => {
          const g = motifGraph(net, { biasNode: true });
          const n = censusKeys(signed).length;
          const a = new Float64Array(n);
          const b = new Float64Array(n);
          countMotifGraph(g, { signed, chain: chain as ChainConvention }, a, ws);
          countMotifGraph(g, { signed, chain: chain as ChainConvention }, b);
          return a.every((x, k) => x === b[k]);
        }
      )
    );
  });

  it('signed totals equal the sum of their patterns (paths convention)', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        const r = motifCensus(net, { signed: true, biasNode: true });
        return MOTIF_NAMES.every(
          name =>
            SIGN_PATTERNS[name].reduce(
              (t, p) => t + (r.signedCounts as Record<string, number>)[`${name}:${p}`],
              0
            ) === r.counts[name]
        );
      })
    );
  });
});
