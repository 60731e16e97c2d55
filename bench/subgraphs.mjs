#!/usr/bin/env node
/**
 * Benchmark: coloured 4-node subgraph census and 100 colour-preserving switching nulls, next to FANMOD's
 * published times (Zambra, Testolin & Maritan 2020: size 4 with 100 random networks took 28 s on a 95-node,
 * 613-edge graph and 286 s on the 914-node, 1737-edge MNIST graph; size 5 took 1345 s on the 95-node graph).
 *
 * The graphs are synthetic, of the same sizes: MLPs 31-30-30-4 (95 nodes) and 784-50-50-20-10 (914 nodes),
 * exactly 613 / 1737 edges placed uniformly at random among all weight positions, and the
 * kept edges coloured like Zambra et al.'s classes (strong/mild negative, mild/strong positive: −2, −1, 1, 2;
 * the removed class is the absent edge) with mild twice as likely as strong.
 *
 * Usage: `node bench/subgraphs.mjs [--samples 100] [--repeats 5] [--seed 1] [--null layered|fanmod]`: the null
 * is the switching per layer pair (default) or FANMOD's own over the whole graph (the null FANMOD's published
 * times include; its random networks are censused as general graphs). Imports the compiled library
 * from lib/ and builds it first (TypeScript 5.9 from node_modules) when it is missing or older than src/.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ensureLibBuilt, root } from './build-lib.mjs';

const modules = ['random', 'subgraphs', 'switching', 'canonical'];

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

ensureLibBuilt({ modules: modules.map(m => `core/${m}`) });
const require = createRequire(import.meta.url);
const { createRng } = require(join(root, 'lib/core/random.js'));
const { subgraphCensus, subgraphSignificance } = require(join(root, 'lib/core/subgraphs.js'));

const samples = option('samples', 100);
const repeats = option('repeats', 5);
const seed = option('seed', 1);
const nullIndex = process.argv.indexOf('--null');
const nullModel = nullIndex >= 0 ? process.argv[nullIndex + 1] : 'layered';
if (nullModel !== 'layered' && nullModel !== 'fanmod')
  throw new Error(`--null: layered or fanmod, got ${nullModel}`);
const nullName = nullModel === 'fanmod' ? "FANMOD's whole-graph" : 'layered';

/** A synthetic coloured MLP graph with exactly `targetEdges` edges: returns the network and its colours. */
function syntheticGraph(sizes, targetEdges, rng) {
  const layerWeights = sizes.slice(0, -1).map((n, l) => n * sizes[l + 1]);
  const total = layerWeights.reduce((a, b) => a + b, 0);
  // Partial Fisher-Yates: the first `targetEdges` of a random permutation of all weight positions.
  const positions = Int32Array.from({ length: total }, (_, k) => k);
  for (let t = 0; t < targetEdges; t++) {
    const u = t + rng.int(total - t);
    [positions[t], positions[u]] = [positions[u], positions[t]];
  }
  const palette = [-2, -1, -1, 1, 1, 2];
  const colours = layerWeights.map(n => new Int8Array(n));
  for (let t = 0; t < targetEdges; t++) {
    let k = positions[t];
    let l = 0;
    while (k >= layerWeights[l]) k -= layerWeights[l++];
    colours[l][k] = palette[rng.int(palette.length)];
  }
  const layers = colours.map((c, l) => ({
    nIn: sizes[l],
    nOut: sizes[l + 1],
    weights: Float64Array.from(c, x => x * (0.5 + rng.next()))
  }));
  return { net: { layers }, colours };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  const t0 = process.hrtime.bigint();
  const value = fn();
  return { value, seconds: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const graphs = [
  { name: '31-30-30-4 MLP', sizes: [31, 30, 30, 4], edges: 613, fanmodSeconds: 28, fanmod5Seconds: 1345 },
  { name: '784-50-50-20-10 MNIST MLP', sizes: [784, 50, 50, 20, 10], edges: 1737, fanmodSeconds: 286 }
];

console.log(
  `node ${process.version}, ${samples} random networks (${nullName} switching null), 10 switches per edge, seed ${seed}\n`
);
for (const g of graphs) {
  const rng = createRng(seed);
  const { net, colours } = syntheticGraph(g.sizes, g.edges, rng);
  const nodes = g.sizes.reduce((a, b) => a + b, 0);
  const edges = colours.reduce((a, c) => a + c.filter(x => x !== 0).length, 0);
  const census = [];
  let result;
  for (let r = 0; r < repeats; r++) {
    const t = time(() => subgraphCensus(net, { size: 4, colours }));
    census.push(t.seconds);
    result = t.value;
  }
  const sig = time(() => subgraphSignificance(net, { size: 4, colours, samples, seed, null: nullModel }));
  const classes = Object.keys(sig.value.classes).length;
  const significant = Object.values(sig.value.classes).filter(c => c.p < 0.05).length;
  console.log(`${g.name}: ${nodes} nodes, ${edges} edges (FANMOD graph: ${g.edges})`);
  console.log(
    `  4-node coloured census:        ${(median(census) * 1000).toFixed(1)} ms (median of ${repeats}), ` +
      `${result.total} subgraphs in ${Object.keys(result.counts).length} classes`
  );
  console.log(
    `  census + ${samples} ${nullModel} nulls: ${sig.seconds.toFixed(2)} s, ${classes} classes, ${significant} with p < 0.05`
  );
  console.log(
    `  FANMOD (published):            ${g.fanmodSeconds} s  ->  ours is ${(g.fanmodSeconds / sig.seconds).toFixed(0)}x faster ` +
      `(ours/FANMOD = ${(sig.seconds / g.fanmodSeconds).toFixed(4)})\n`
  );
  if (g.fanmod5Seconds !== undefined) {
    // 5-node coloured census, which Zambra et al. also ran (1345 s with FANMOD on the 95-node graph)
    const c5 = time(() => subgraphCensus(net, { size: 5, colours }));
    const sig5 = time(() => subgraphSignificance(net, { size: 5, colours, samples, seed, null: nullModel }));
    const significant5 = Object.values(sig5.value.classes).filter(c => c.p < 0.05).length;
    console.log(
      `  5-node coloured census:        ${c5.seconds.toFixed(2)} s, ${c5.value.total} subgraphs in ` +
        `${Object.keys(c5.value.counts).length} classes`
    );
    console.log(
      `  census + ${samples} ${nullModel} nulls: ${sig5.seconds.toFixed(2)} s, ` +
        `${Object.keys(sig5.value.classes).length} classes, ${significant5} with p < 0.05`
    );
    console.log(
      `  FANMOD (published):            ${g.fanmod5Seconds} s  ->  ours is ` +
        `${(g.fanmod5Seconds / sig5.seconds).toFixed(0)}x faster (ours/FANMOD = ` +
        `${(sig5.seconds / g.fanmod5Seconds).toFixed(4)}, met? ${sig5.seconds < g.fanmod5Seconds ? 'yes' : 'NO'})\n`
    );
  }
}
console.log('FANMOD times are from Zambra, Testolin & Maritan 2020 on their hardware, not re-measured here.');
