// node bench/studies.mjs: the study runner's speed; every ratio is against a reference measured in this run.
//
// An analysis-only study of 40 motif jobs on the moth reference network (10-400-400-400-16-7, 7 % of the
// weights kept, as bench/run.mjs), each job ≥ 1 s (BENCH_STUDY_JOBS, BENCH_STUDY_NULLS change the size):
//   1. the machine's CPU ceiling: the same motif work in one plain Node process, then in two at once
//      (no study code at all). On 2 idle cores two processes do 2× the work per second; on a machine shared
//      with other work they do less, and no worker pool can beat that. Measured before and after 2.
//   2. embedded, 1 / 2 / 3 workers: speed-up of 2 workers over 1 (issue target ≥ 1.8×) and its ratio to
//      the ceiling of 1 (how much of what the machine allowed the pool got);
//   3. coordinator overhead: wall time of the 1-worker run minus the sum of its jobs' own seconds, per job
//      and as a fraction of job time (target ≤ 5 %); plus what a worker saves per job by keeping the parsed
//      network (parse time of the moth network file);
//   4. 3 `nnmotifs worker` processes on a local Redis vs embedded with 3 workers (target ≤ 10 % slower);
//   5. TensorFlow threads of pipeline jobs: 2 workers each training paper-size moth networks with 1
//      TensorFlow thread each (cores / workers here; kernel/tf.ts's default on ≤ 2 cores) vs one per core
//      each (TensorFlow's own default), to decide whether workers should size their thread pools.
// Needs redis-server on the PATH for 4 (skipped with a message otherwise). Prints the figures and ratios and
// writes bench/results/studies.json, with the load average before and after: on a shared machine the
// absolute times and the speed-up move with the load; the ratio to the ceiling is the figure to read.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureLibBuilt, root } from './build-lib.mjs';
import { MOTH, prunedNetwork } from './networks.mjs';

const require = createRequire(import.meta.url);
const log = msg => process.stderr.write(`${msg}\n`);
ensureLibBuilt({ log });
const { serializeNetwork, parseNetworkJson } = require('../lib/core/io.js');
const { runStudy } = require('../lib/kernel/study/run.js');

const JOBS = Number(process.env.BENCH_STUDY_JOBS ?? 40);
const NULLS = Number(process.env.BENCH_STUDY_NULLS ?? 150);
const cores = availableParallelism();
const load = () => loadavg().map(x => Number(x.toFixed(2)));
const loadAtStart = load();
const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-bench-study-'));
const networkText = serializeNetwork(prunedNetwork(MOTH, 0.07, 1));
writeFileSync(join(dir, 'moth.json'), networkText);
const motifParams = { samples: NULLS, chain: 'pairs', biasNode: true };
const spec = join(dir, 'spec.json');
writeFileSync(
  spec,
  JSON.stringify({
    grid: { seed: Array.from({ length: JOBS }, (_, k) => k + 1) },
    fixed: { analysis: 'motifs', network: 'moth.json', ...motifParams }
  })
);
const seconds = t0 => (performance.now() - t0) / 1000;
const median = xs => [...xs].sort((a, b) => a - b)[xs.length >> 1];

let runs = 0;
async function timed(specFile, options, jobs = JOBS) {
  const out = join(dir, `out-${runs++}`);
  const t = performance.now();
  const r = await runStudy(specFile, { out, ...options });
  const wall = seconds(t);
  if (r.done !== jobs) throw new Error(`only ${r.done}/${jobs} jobs finished: ${JSON.stringify(r.failed)}`);
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(l => JSON.parse(l));
  return {
    wall,
    jobSeconds: lines.reduce((s, l) => s + l.seconds, 0),
    medianJob: median(lines.map(l => l.seconds)),
    results: lines.map(l => JSON.stringify(l.result)).join('\n')
  };
}

// 1. The CPU ceiling: K motif jobs' work (the same options, seeds 1..K) in plain Node processes.
const K = Number(process.env.BENCH_STUDY_CEILING_JOBS ?? 3);
const unit = join(dir, 'unit.cjs');
writeFileSync(
  unit,
  `const { readFileSync } = require('node:fs');
const { parseNetworkJson } = require(${JSON.stringify(join(root, 'lib/core/io.js'))});
const { motifSignificance } = require(${JSON.stringify(join(root, 'lib/core/significance.js'))});
const net = parseNetworkJson(readFileSync(${JSON.stringify(join(dir, 'moth.json'))}, 'utf8'), 'moth.json');
for (let seed = 1; seed <= ${K}; seed++)
  motifSignificance(net, { null: 'random-pruning', samples: ${NULLS}, seed, chain: 'pairs', biasNode: true, pruneDeadGhost: true });
`
);
const runUnits = count =>
  Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise((resolve, reject) => {
          const t = performance.now();
          const p = spawn(process.execPath, [unit], { stdio: ['ignore', 'ignore', 'inherit'] });
          p.on('exit', code => (code === 0 ? resolve(seconds(t)) : reject(new Error(`unit exited ${code}`))));
        })
    )
  );
async function ceiling() {
  const [one] = await runUnits(1);
  const t = performance.now();
  const two = await runUnits(2);
  const wall = seconds(t);
  // work per second with two processes over work per second with one: 2 on two free cores
  return { oneProcess: one, twoProcesses: two, twoWall: wall, ratio: (2 * one) / wall };
}

log(
  `study bench: ${JOBS} jobs × ${NULLS} nulls on the moth reference network, ${cores} cores, load ${loadAtStart.join(' ')}`
);
const parseTimes = Array.from({ length: 5 }, () => {
  const t = performance.now();
  parseNetworkJson(networkText, 'moth.json');
  return seconds(t);
});
const ceilingBefore = await ceiling();
log(
  `ceiling: 1 process ${ceilingBefore.oneProcess.toFixed(1)} s, 2 at once ${ceilingBefore.twoWall.toFixed(1)} s → ${ceilingBefore.ratio.toFixed(2)}×`
);
const one = await timed(spec, { workers: 1 });
log(`1 worker: ${one.wall.toFixed(1)} s (median job ${one.medianJob.toFixed(2)} s)`);
const two = await timed(spec, { workers: 2 });
log(`2 workers: ${two.wall.toFixed(1)} s`);
const ceilingAfter = await ceiling();
log(
  `ceiling: 1 process ${ceilingAfter.oneProcess.toFixed(1)} s, 2 at once ${ceilingAfter.twoWall.toFixed(1)} s → ${ceilingAfter.ratio.toFixed(2)}×`
);
const three = await timed(spec, { workers: 3 });
log(`3 workers: ${three.wall.toFixed(1)} s`);

// 4. Redis
let redis = null;
if (spawnSync('redis-server', ['--version']).status === 0) {
  const port = await new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', ''], {
    stdio: 'ignore'
  });
  const url = `redis://127.0.0.1:${port}`;
  await new Promise(r => setTimeout(r, 500));
  const cli = join(root, 'lib', 'cli', 'main.js');
  const workers = [0, 1, 2].map(() =>
    spawn(process.execPath, [cli, 'worker', '--queue', url, '--concurrency', '1'], {
      stdio: ['ignore', 'ignore', 'pipe']
    })
  );
  await Promise.all(
    workers.map(
      w => new Promise(resolve => w.stderr.on('data', b => b.toString().includes('serving') && resolve()))
    )
  );
  try {
    const q = await timed(spec, { queue: url });
    log(`3 Redis workers: ${q.wall.toFixed(1)} s`);
    redis = q;
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    server.kill('SIGTERM');
  }
} else log('redis-server not found: skipping the Redis comparison');

// 5. TensorFlow threads of pipeline jobs (paper-size networks, a short schedule and convergence rule)
const PIPELINE_JOBS = 4;
const pipelineSpec = join(dir, 'pipeline.json');
writeFileSync(
  pipelineSpec,
  JSON.stringify({
    grid: { seed: Array.from({ length: PIPELINE_JOBS }, (_, k) => k + 1) },
    fixed: {
      pipeline: 'prune',
      data: { name: 'moth', trajectories: 4000, seed: 1 },
      model: { sizes: MOTH, activation: 'tanh', init: 'mothNormal' },
      train: { optimizer: 'adam', lr: 0.0005, batchSize: 128 },
      prune: {
        schedule: [0.5, 0.9],
        convergence: { minBatches: 200, checkEvery: 50, window: 100, maxBatches: 300 }
      },
      analysis: { levels: 'sparse', metrics: true }
    }
  })
);
const saved = { intra: process.env.TF_NUM_INTRAOP_THREADS, inter: process.env.TF_NUM_INTEROP_THREADS };
const setThreads = n => {
  for (const key of ['TF_NUM_INTRAOP_THREADS', 'TF_NUM_INTEROP_THREADS'])
    if (n === undefined) delete process.env[key];
    else process.env[key] = String(n);
};
setThreads(1);
const oneEach = await timed(pipelineSpec, { workers: 2 }, PIPELINE_JOBS);
log(`pipeline, 2 workers, 1 TF thread each: ${oneEach.wall.toFixed(1)} s`);
setThreads(cores);
const coresEach = await timed(pipelineSpec, { workers: 2 }, PIPELINE_JOBS);
log(`pipeline, 2 workers, ${cores} TF threads each: ${coresEach.wall.toFixed(1)} s`);
setThreads(undefined);
if (saved.intra !== undefined) process.env.TF_NUM_INTRAOP_THREADS = saved.intra;
if (saved.inter !== undefined) process.env.TF_NUM_INTEROP_THREADS = saved.inter;
rmSync(dir, { recursive: true, force: true });

const strip = r => ({ wall: r.wall, jobSeconds: r.jobSeconds, medianJob: r.medianJob });
// Σ job seconds / (wall × workers): 1 when every worker ran jobs all the time; jobs that take longer because
// the machine got busier leave it unchanged, overhead between jobs lowers it
const busy = (r, workers) => r.jobSeconds / (r.wall * workers);
const speedup = one.wall / two.wall;
const ceilingRatio = (ceilingBefore.ratio + ceilingAfter.ratio) / 2;
const figures = {
  date: new Date().toISOString(),
  cores,
  loadAverageAtStart: loadAtStart,
  loadAverageAtEnd: load(),
  jobs: JOBS,
  nulls: NULLS,
  ceiling: { before: ceilingBefore, after: ceilingAfter, mean: ceilingRatio, jobsPerProcess: K },
  oneWorker: strip(one),
  twoWorkers: strip(two),
  threeWorkers: strip(three),
  speedupTwoWorkers: speedup,
  speedupTwoWorkersOverCeiling: speedup / ceilingRatio,
  coordinatorOverheadPerJobSeconds: (one.wall - one.jobSeconds) / JOBS,
  queueOverheadOneWorker: one.wall / one.jobSeconds - 1,
  parseSecondsPerJobSaved: median(parseTimes),
  sameResults: one.results === two.results && one.results === three.results,
  ...(redis !== null
    ? {
        redisThreeWorkers: strip(redis),
        redisOverEmbedded: redis.wall / three.wall,
        busyThreeWorkers: { embedded: busy(three, 3), redis: busy(redis, 3) },
        redisSameResults: redis.results === one.results
      }
    : {}),
  pipelineThreads: {
    jobs: PIPELINE_JOBS,
    workers: 2,
    oneThreadEach: strip(oneEach),
    coresEach: strip(coresEach),
    coresEachOverOneEach: coresEach.wall / oneEach.wall,
    sameResults: oneEach.results === coresEach.results
  }
};
writeFileSync(join(root, 'bench', 'results', 'studies.json'), JSON.stringify(figures, null, 1) + '\n');
console.log(JSON.stringify(figures, null, 1));
log(
  [
    `load ${loadAtStart.join(' ')} → ${figures.loadAverageAtEnd.join(' ')} on ${cores} cores`,
    `CPU ceiling (2 processes vs 1): ${ceilingBefore.ratio.toFixed(2)}× before, ${ceilingAfter.ratio.toFixed(2)}× after`,
    `2 workers vs 1: ${speedup.toFixed(2)}× (target ≥ 1.8), ${(100 * figures.speedupTwoWorkersOverCeiling).toFixed(0)} % of the ceiling`,
    `coordinator overhead ${(1000 * figures.coordinatorOverheadPerJobSeconds).toFixed(0)} ms per job, ${(100 * figures.queueOverheadOneWorker).toFixed(1)} % of job time (target ≤ 5 %), median job ${one.medianJob.toFixed(2)} s; parse saved per job ${(1000 * figures.parseSecondsPerJobSaved).toFixed(0)} ms`,
    ...(redis !== null
      ? [
          `Redis / embedded with 3 workers: ${figures.redisOverEmbedded.toFixed(2)} (target ≤ 1.10); workers busy ${figures.busyThreeWorkers.redis.toFixed(2)} on Redis, ${figures.busyThreeWorkers.embedded.toFixed(2)} embedded`
        ]
      : []),
    `pipeline jobs, 2 workers: ${cores} TF threads each / 1 each: ${figures.pipelineThreads.coresEachOverOneEach.toFixed(2)}`,
    `same results: workers ${figures.sameResults}, Redis ${figures.redisSameResults ?? '-'}, threads ${figures.pipelineThreads.sameResults}`
  ].join('\n')
);
