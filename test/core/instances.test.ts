import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOTIF_NAMES, motifCensus, type ChainConvention, type MotifName } from '../../src/core/census';
import { motifInstances, type InstanceEdge } from '../../src/core/instances';
import { liveEdges } from '../../src/core/live';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { arbNetwork, randomNetwork } from './helpers/random-network';

interface Opts {
  biasNode: boolean;
  prune: boolean;
  chain: ChainConvention;
}

/** An instance as a set of edges, order-free: the sorted `layer:source>target` keys. */
const canonical = (edges: readonly InstanceEdge[]): string =>
  [...new Set(edges.map(([l, i, j]) => `${l}:${i}>${j}`))].sort().join(' ');

/**
 * Brute-force instances: every node tuple of the explicit live graph (bias node = last node of its layer),
 * checked edge by edge, written as canonical edge sets.
 */
function bruteForce(net: LayeredNetwork, motif: MotifName, opts: Opts): string[] {
  const live = liveEdges(net, { biasNode: opts.biasNode, pruneDeadGhost: opts.prune });
  const L = net.layers.length;
  const size = (k: number): number =>
    k === L ? net.layers[L - 1].nOut : net.layers[k].nIn + (live.biasMasks[k] !== undefined ? 1 : 0);
  const has = (l: number, a: number, b: number): boolean => {
    const layer = net.layers[l];
    if (b >= layer.nOut) return false;
    if (a < layer.nIn) return live.masks[l][a * layer.nOut + b] !== 0;
    const bm = live.biasMasks[l];
    return bm !== undefined && bm[b] !== 0;
  };
  const found: string[] = [];
  const add = (edges: InstanceEdge[]): void => void found.push(canonical(edges));
  const range = (n: number): number[] => Array.from({ length: n }, (_, k) => k);
  const pairsOf = (n: number): [number, number][] =>
    range(n).flatMap(x =>
      range(n)
        .filter(y => y > x)
        .map(y => [x, y] as [number, number])
    );
  const triplesOf = (n: number): number[][] =>
    pairsOf(n).flatMap(([x, y]) =>
      range(n)
        .filter(z => z > y)
        .map(z => [x, y, z])
    );
  for (let l = 0; l < L; l++) {
    const [nA, nB] = [size(l), size(l + 1)];
    for (const a of range(nA)) {
      for (const b of range(nB)) if (motif === 'edges' && has(l, a, b)) add([[l, a, b]]);
      const div = motif === 'soDiverging' ? pairsOf(nB) : motif === 'toDiverging' ? triplesOf(nB) : [];
      for (const ts of div) if (ts.every(t => has(l, a, t))) add(ts.map(t => [l, a, t]));
    }
    for (const d of range(nB)) {
      const conv = motif === 'soConverging' ? pairsOf(nA) : motif === 'toConverging' ? triplesOf(nA) : [];
      for (const ss of conv) if (ss.every(s => has(l, s, d))) add(ss.map(s => [l, s, d]));
    }
    if (motif === 'biFan') {
      for (const [i, j] of pairsOf(nA))
        for (const [k, m] of pairsOf(nB))
          if (has(l, i, k) && has(l, i, m) && has(l, j, k) && has(l, j, m))
            add([
              [l, i, k],
              [l, i, m],
              [l, j, k],
              [l, j, m]
            ]);
    }
  }
  const span = motif === 'soChain' || motif === 'biParallel' ? 2 : motif === 'toChain' ? 3 : 0;
  for (let l = 0; span > 0 && l + span <= L; l++) {
    for (const a of range(size(l))) {
      for (const d of range(size(l + span))) {
        // every path a → … → d through real neurons (a bias node has no incoming edge)
        let paths: InstanceEdge[][] = [[]];
        for (let t = 0; t < span; t++) {
          const from = (p: InstanceEdge[]): number => (t === 0 ? a : p[t - 1][2]);
          const to = t === span - 1 ? [d] : range(net.layers[l + t].nOut);
          paths = paths.flatMap(p =>
            to.filter(x => has(l + t, from(p), x)).map(x => [...p, [l + t, from(p), x] as InstanceEdge])
          );
        }
        if (motif === 'biParallel') {
          for (const [x, y] of pairsOf(paths.length)) add([...paths[x], ...paths[y]]);
        } else if (opts.chain === 'paths') {
          for (const p of paths) add(p);
        } else if (paths.length > 0) {
          // the pair's path through the lowest-numbered neuron next to the target, then next to that
          const key = (p: InstanceEdge[]): number[] =>
            p
              .slice(0, -1)
              .map(e => e[2])
              .reverse();
          const lower = (p: InstanceEdge[], q: InstanceEdge[]): boolean => {
            const [x, y] = [key(p), key(q)];
            const k = x.findIndex((v, i) => v !== y[i]);
            return k >= 0 && x[k] < y[k];
          };
          add(paths.reduce((best, p) => (lower(p, best) ? p : best)));
        }
      }
    }
  }
  return found.sort();
}

const OPTIONS: Opts[] = [
  { biasNode: false, prune: true, chain: 'paths' },
  { biasNode: true, prune: true, chain: 'pairs' },
  { biasNode: true, prune: false, chain: 'paths' },
  { biasNode: false, prune: false, chain: 'pairs' }
];

describe('motifInstances', () => {
  it('lists the instances of a hand-made network', () => {
    // inputs 0, 1 both feed hidden 0 and 1; hidden 0 and 1 both feed the output
    const dense = (nIn: number, nOut: number) => ({
      nIn,
      nOut,
      weights: new Float64Array(nIn * nOut).fill(1)
    });
    const net: LayeredNetwork = { layers: [dense(2, 2), dense(2, 1)] };
    expect(motifInstances(net, 'biFan').instances).toEqual([
      [
        [0, 0, 0],
        [0, 0, 1],
        [0, 1, 0],
        [0, 1, 1]
      ]
    ]);
    expect(motifInstances(net, 'biParallel').instances[0]).toEqual([
      [0, 0, 0],
      [1, 0, 0],
      [0, 0, 1],
      [1, 1, 0]
    ]);
    // two paths from input 0 to the output: two chains as paths, one as a pair shown by its path via hidden 0
    const paths = motifInstances(net, 'soChain', { chain: 'paths' });
    const pairs = motifInstances(net, 'soChain', { chain: 'pairs' });
    expect([paths.total, pairs.total]).toEqual([4, 2]);
    expect(pairs.instances[0]).toEqual([
      [0, 0, 0],
      [1, 0, 0]
    ]);
  });

  it('equals a brute-force enumeration and the census count on random networks', () => {
    const rng = createRng(11);
    for (let trial = 0; trial < 60; trial++) {
      const net = randomNetwork(rng);
      for (const opts of OPTIONS) {
        const census = motifCensus(net, {
          biasNode: opts.biasNode,
          pruneDeadGhost: opts.prune,
          chain: opts.chain
        });
        for (const motif of MOTIF_NAMES) {
          const got = motifInstances(net, motif, {
            biasNode: opts.biasNode,
            pruneDeadGhost: opts.prune,
            chain: opts.chain,
            limit: Infinity
          });
          const label = `trial ${trial} ${motif} ${JSON.stringify(opts)}`;
          expect(got.total, label).toBe(census.counts[motif]);
          expect(got.instances.length, label).toBe(got.total);
          expect(got.instances.map(canonical).sort(), label).toEqual(bruteForce(net, motif, opts));
        }
      }
    }
  });

  it('keeps the first `limit` instances of the full list, and the exact total', () => {
    fc.assert(
      fc.property(
        arbNetwork({ bias: true }),
        fc.constantFrom(...MOTIF_NAMES),
        fc.constantFrom<ChainConvention>('paths', 'pairs'),
        fc.integer({ min: 0, max: 12 }),
        (net, motif, chain, limit) => {
          const all = motifInstances(net, motif, { chain, biasNode: true, limit: Infinity });
          const some = motifInstances(net, motif, { chain, biasNode: true, limit });
          expect(some.total).toBe(all.total);
          expect(some.instances).toEqual(all.instances.slice(0, limit));
        }
      )
    );
  });

  it('gives instances of live edges only, with the edge count of their motif and no repeated edge', () => {
    const edgeCount: Record<MotifName, number> = {
      edges: 1,
      soDiverging: 2,
      soConverging: 2,
      soChain: 2,
      toDiverging: 3,
      toConverging: 3,
      toChain: 3,
      biFan: 4,
      biParallel: 4
    };
    fc.assert(
      fc.property(arbNetwork(), fc.constantFrom(...MOTIF_NAMES), (net, motif) => {
        const live = liveEdges(net);
        for (const instance of motifInstances(net, motif, { limit: 50 }).instances) {
          expect(instance).toHaveLength(edgeCount[motif]);
          expect(new Set(instance.map(e => e.join())).size).toBe(instance.length);
          for (const [l, i, j] of instance) expect(live.masks[l][i * net.layers[l].nOut + j]).toBe(1);
        }
      })
    );
  });

  it('rejects an unknown motif and a negative limit by name', () => {
    const net: LayeredNetwork = { layers: [{ nIn: 1, nOut: 1, weights: Float64Array.of(1) }] };
    expect(() => motifInstances(net, 'triangle' as MotifName)).toThrow(/unknown motif "triangle"/);
    expect(() => motifInstances(net, 'edges', { limit: -1 })).toThrow(/limit must be ≥ 0/);
  });
});
