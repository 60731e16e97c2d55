// Child process of bench/run.mjs: one random-pruning null sample (sampler only, then its census) of the
// 784-2000-2000-10 network fully dense and at 99 %, the sampler's worst cases (9.7 s and 0.8 s per sample
// before the zero list of nulls.ts).
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { prunedNetwork } from './networks.mjs';

const require = createRequire(import.meta.url);
const { NullSampler, sampleSeed } = require('../lib/core/nulls.js');
const { motifGraph } = require('../lib/core/live.js');
const { createRng } = require('../lib/core/random.js');

const out = {};
for (const keep of [1, 0.99]) {
  const net = prunedNetwork([784, 2000, 2000, 10], keep, 3);
  const sampler = new NullSampler(motifGraph(net, { biasNode: true }), 'random-pruning', 20, false);
  sampler.sample(createRng(sampleSeed(1, 0))); // warm-up
  const runs = [];
  for (let i = 1; i <= 3; i++) {
    const t = performance.now();
    sampler.sample(createRng(sampleSeed(1, i)));
    runs.push((performance.now() - t) / 1000);
  }
  out[keep] = runs.sort((a, b) => a - b)[1];
}
process.stdout.write(JSON.stringify(out) + '\n');
