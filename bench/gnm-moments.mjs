// Exact G(n, m) moments (nm.gnmMoments) of the moth reference network (10-400-400-400-16-7 at 7 % kept,
// built as in run.mjs (a)): seconds and the pairs-convention toChain mean and variance, both chain
// conventions, bias node off and on. `--reference <checkout>` runs the same on another checkout's lib/
// (e.g. main) right before, for a before/after under the same load. Writes bench/results/gnm-moments.json.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ensureLibBuilt, root } from './build-lib.mjs';
import { MOTH, prunedNetwork } from './networks.mjs';

const { values: args } = parseArgs({ options: { reference: { type: 'string' } } });
ensureLibBuilt({ modules: ['core/motifs/gnm-moments'] });
const require = createRequire(import.meta.url);
const net = prunedNetwork(MOTH, 0.07, 1);
const load = () => loadavg()[0].toFixed(1);

function measure(checkout) {
  const { gnmMoments } = require(join(checkout, 'lib/core/motifs/gnm-moments.js'));
  const rows = [];
  for (const chain of ['paths', 'pairs'])
    for (const biasNode of [false, true]) {
      const loadBefore = load();
      const t0 = performance.now();
      const m = gnmMoments(net, { chain, biasNode });
      const seconds = (performance.now() - t0) / 1000;
      rows.push({
        chain,
        biasNode,
        seconds: Number(seconds.toFixed(3)),
        toChainMean: m.mean.toChain,
        toChainVariance: m.variance.toChain,
        load: `${loadBefore}-${load()}`
      });
    }
  return rows;
}

const results = { date: new Date().toISOString(), network: 'moth 7 %', runs: {} };
if (args.reference !== undefined)
  results.runs.reference = { checkout: args.reference, rows: measure(args.reference) };
results.runs.this = { checkout: root, rows: measure(root) };
for (const [name, { rows }] of Object.entries(results.runs)) {
  console.log(`${name}:`);
  console.table(rows);
}
writeFileSync(join(root, 'bench/results/gnm-moments.json'), JSON.stringify(results, null, 2) + '\n');
