// node bench/zahn-network.mjs: how long one network of the Zahn study at paper scale takes
// (examples/studies/zahn-paper.json: 10-400-400-400-16-7, moth data of 100 000 trajectories, the authors'
// schedule of 18 levels and convergence rule, 1000 random-pruning nulls at every level from 90 % pruned),
// measured on its parts, without running the study (hours per network):
//   1. the data set, simulated as a pipeline job does (once per worker process, shared by its jobs);
//   2. seconds per training batch (optimizer step + the validation minibatch of the convergence rule), on
//      a level pruned to 93 %, over BENCH_ZAHN_BATCHES batches (default 300);
//   3. batches per level: the dense level trained with the authors' rule, for up to BENCH_ZAHN_MINUTES
//      (default 10); the rule needs at least 1000 per level;
//   4. the motif analysis of one level at 1000 nulls, from runs at 0 and BENCH_ZAHN_NULLS (default 100)
//      nulls (the nulls cost the same each, so 1000 = census + 10 × the 100-null part).
// Prints the parts and the estimate (per network, and for the spec's 20 networks and the paper's 350, in
// core-hours: a job is single-threaded), with the load; writes bench/results/zahn-network.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureLibBuilt, root } from './build-lib.mjs';

const require = createRequire(import.meta.url);
const log = msg => process.stderr.write(`${msg}\n`);
ensureLibBuilt({ log });
// a study worker process runs one job per core: one TensorFlow thread on this machine's share
process.env.TF_NUM_INTRAOP_THREADS ??= '1';
process.env.TF_NUM_INTEROP_THREADS ??= '1';
const { moth } = require('../lib/kernel/datasets/moth.js');
const { mlp } = require('../lib/kernel/models.js');
const { prune } = require('../lib/kernel/prune.js');
const { AUTHORS_SCHEDULE, AUTHORS_CONVERGENCE } = require('../lib/core/pruning.js');
const { motifSignificance } = require('../lib/core/significance.js');
const { motifCensus } = require('../lib/core/census.js');
const { pipelineMotifOptions } = require('../lib/kernel/study/jobs.js');

const BATCHES = Number(process.env.BENCH_ZAHN_BATCHES ?? 300);
const MINUTES = Number(process.env.BENCH_ZAHN_MINUTES ?? 10);
const NULLS = Number(process.env.BENCH_ZAHN_NULLS ?? 100);
const spec = JSON.parse(readFileSync(join(root, 'examples', 'studies', 'zahn-paper.json'), 'utf8'));
const f = spec.fixed;
const load = () => loadavg().map(x => Number(x.toFixed(2)));
const loadAtStart = load();
const seconds = t0 => (performance.now() - t0) / 1000;
log(
  `Zahn network at paper scale: ${f.model.sizes.join('-')}, ${f.data.trajectories} trajectories; load ${loadAtStart.join(' ')}`
);

// 1. data
let t = performance.now();
const data = await moth(f.data.trajectories, { seed: f.data.seed, workers: 0 });
const dataSeconds = seconds(t);
log(`data: ${dataSeconds.toFixed(1)} s (${data.xTrain.shape[0]} training rows)`);

const model = () =>
  mlp(f.model.sizes, {
    activation: f.model.activation,
    outputActivation: 'linear',
    init: f.model.init,
    seed: 1
  });
const trainOptions = {
  optimizer: f.train.optimizer,
  lr: f.train.lr,
  batchSize: f.train.batchSize,
  seed: 1,
  progress: false
};

// 2. seconds per batch on a level pruned to 93 % (ratio 0 never converges: exactly BATCHES batches)
const exact = { minBatches: BATCHES, checkEvery: BATCHES, window: 1, ratio: 0, maxBatches: BATCHES };
t = performance.now();
const pruned = await prune(model(), data, {
  ...trainOptions,
  schedule: [0.93],
  trainDense: false,
  convergence: exact
});
const batchSeconds = seconds(t) / BATCHES;
log(`training: ${(1000 * batchSeconds).toFixed(1)} ms per batch (${BATCHES} batches at 93 % pruned)`);

// 3. batches of the dense level under the authors' rule, within the time budget
const controller = new globalThis.AbortController();
const timer = setTimeout(() => controller.abort(), MINUTES * 60_000);
t = performance.now();
const dense = await prune(model(), data, {
  ...trainOptions,
  schedule: [0.15],
  convergence: AUTHORS_CONVERGENCE,
  signal: controller.signal,
  onLevelEnd: () => controller.abort()
});
clearTimeout(timer);
const denseSeconds = seconds(t);
const denseLevel = dense.levels[0];
log(
  denseLevel !== undefined
    ? `dense level: converged after ${denseLevel.batches} batches, ${denseSeconds.toFixed(0)} s (val loss ${denseLevel.loss.toExponential(2)})`
    : `dense level: not converged after ${denseSeconds.toFixed(0)} s (budget ${MINUTES} min)`
);

// 4. motifs of one level at 1000 nulls
const net = pruned.levels[0].network;
const motifOpts = nulls => pipelineMotifOptions({ ...f.analysis.motifs, nulls }, 7);
t = performance.now();
motifCensus(net, motifOpts(0));
const censusSeconds = seconds(t);
t = performance.now();
motifSignificance(net, motifOpts(NULLS));
const someNulls = seconds(t);
const motifSeconds = censusSeconds + (1000 / NULLS) * Math.max(0, someNulls - censusSeconds);
log(
  `motifs: census ${censusSeconds.toFixed(1)} s, ${NULLS} nulls ${someNulls.toFixed(1)} s → 1000 nulls ≈ ${motifSeconds.toFixed(0)} s per level`
);

// The estimate
const levels = AUTHORS_SCHEDULE.length + 1;
const analysed = AUTHORS_SCHEDULE.filter(c => c >= (f.analysis.minSparsity ?? 0)).length;
const minBatches = AUTHORS_CONVERGENCE.minBatches;
const denseBatches = denseLevel?.batches;
const trainLow = levels * minBatches * batchSeconds;
// every level as long as the dense one (when measured): the pruned levels start from trained weights and
// should need fewer, so this is the high end
const trainHigh =
  denseBatches !== undefined ? levels * Math.max(minBatches, denseBatches) * batchSeconds : undefined;
const motifTotal = analysed * motifSeconds;
const perNetwork = {
  low: trainLow + motifTotal,
  ...(trainHigh !== undefined ? { high: trainHigh + motifTotal } : {})
};
const hours = s => s / 3600;
const figures = {
  date: new Date().toISOString(),
  cores: availableParallelism(),
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: load(),
  spec: 'examples/studies/zahn-paper.json',
  dataSeconds,
  batchSeconds,
  denseLevel:
    denseLevel !== undefined
      ? { batches: denseLevel.batches, seconds: denseSeconds }
      : { convergedWithinSeconds: null, ranSeconds: denseSeconds },
  motifs: {
    censusSeconds,
    nulls: NULLS,
    seconds: someNulls,
    levelAt1000Seconds: motifSeconds,
    levelsAnalysed: analysed
  },
  perNetworkHours: {
    trainingLow: hours(trainLow),
    ...(trainHigh !== undefined ? { trainingHigh: hours(trainHigh) } : {}),
    motifs: hours(motifTotal),
    totalLow: hours(perNetwork.low),
    ...(perNetwork.high !== undefined ? { totalHigh: hours(perNetwork.high) } : {})
  },
  studyCoreHours: Object.fromEntries(
    [20, 350].map(n => [
      n,
      {
        low: hours(n * perNetwork.low),
        ...(perNetwork.high !== undefined ? { high: hours(n * perNetwork.high) } : {})
      }
    ])
  )
};
writeFileSync(join(root, 'bench', 'results', 'zahn-network.json'), JSON.stringify(figures, null, 1) + '\n');
console.log(JSON.stringify(figures, null, 1));
const range = (lo, hi) => (hi !== undefined ? `${lo.toFixed(1)}–${hi.toFixed(1)}` : `≥ ${lo.toFixed(1)}`);
log(
  [
    `one network: training ${range(hours(trainLow), trainHigh && hours(trainHigh))} h (${levels} levels × ${minBatches}${denseBatches !== undefined ? `–${Math.max(minBatches, denseBatches)}` : '+'} batches × ${(1000 * batchSeconds).toFixed(1)} ms) + motifs ${hours(motifTotal).toFixed(1)} h (${analysed} levels × ${motifSeconds.toFixed(0)} s) = ${range(hours(perNetwork.low), perNetwork.high && hours(perNetwork.high))} core-hours`,
    `20 networks (the spec): ${range(figures.studyCoreHours[20].low, figures.studyCoreHours[20].high)} core-hours; 350 (the paper): ${range(figures.studyCoreHours[350].low, figures.studyCoreHours[350].high)} core-hours`,
    `load ${loadAtStart.join(' ')} → ${figures.loadAverageAtEnd.join(' ')} on ${figures.cores} cores`
  ].join('\n')
);
