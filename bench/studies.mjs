// node bench/studies.mjs: the study runner's speed, all ratios measured in this run.
//
// An analysis-only study of 40 motif jobs on the moth reference network (10-400-400-400-16-7, 7 % of the
// weights kept, as bench/run.mjs), each job ≥ 1 s:
//   1. embedded, 1 worker vs 2 workers: speed-up (target ≥ 1.8× on 2 free cores);
//   2. queue overhead: wall time of the 1-worker run over the sum of its jobs' own seconds (target ≤ 5 %);
//   3. 3 `nnmotifs worker` processes on a local Redis vs embedded with 3 workers (target ≤ 10 % slower).
// Needs redis-server on the PATH for 3 (skipped with a message otherwise). Prints JSON and writes
// bench/results/studies.json. The machine's load is printed: on a shared machine the ratios are noisy.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
const { serializeNetwork } = require('../lib/core/io.js');
const { runStudy } = require('../lib/kernel/study/run.js');

const JOBS = Number(process.env.BENCH_STUDY_JOBS ?? 40);
const NULLS = Number(process.env.BENCH_STUDY_NULLS ?? 60);
const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-bench-study-'));
writeFileSync(join(dir, 'moth.json'), serializeNetwork(prunedNetwork(MOTH, 0.07, 1)));
const spec = join(dir, 'spec.json');
writeFileSync(
  spec,
  JSON.stringify({
    grid: { seed: Array.from({ length: JOBS }, (_, k) => k + 1) },
    fixed: { analysis: 'motifs', network: 'moth.json', nulls: NULLS, chain: 'pairs', biasNode: true }
  })
);

let runs = 0;
async function timed(options) {
  const out = join(dir, `out-${runs++}`);
  const t = performance.now();
  const r = await runStudy(spec, { out, ...options });
  const wall = (performance.now() - t) / 1000;
  if (r.done !== JOBS) throw new Error(`only ${r.done}/${JOBS} jobs finished: ${JSON.stringify(r.failed)}`);
  const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map(l => JSON.parse(l));
  const jobSeconds = lines.reduce((s, l) => s + l.seconds, 0);
  const results = lines.map(l => JSON.stringify(l.result)).join('\n');
  return { wall, jobSeconds, medianJob: lines.map(l => l.seconds).sort((a, b) => a - b)[JOBS >> 1], results };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

log(
  `study bench: ${JOBS} jobs × ${NULLS} nulls on the moth reference network, load ${loadavg()
    .map(x => x.toFixed(2))
    .join(' ')}`
);
const one = await timed({ workers: 1 });
log(`1 worker: ${one.wall.toFixed(1)} s (median job ${one.medianJob.toFixed(2)} s)`);
const two = await timed({ workers: 2 });
log(`2 workers: ${two.wall.toFixed(1)} s`);
const three = await timed({ workers: 3 });
log(`3 workers: ${three.wall.toFixed(1)} s`);

let redis = null;
if (spawnSync('redis-server', ['--version']).status === 0) {
  const port = await freePort();
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
    const q = await timed({ queue: url });
    log(`3 Redis workers: ${q.wall.toFixed(1)} s`);
    redis = { ...q, sameResults: q.results === one.results };
  } finally {
    for (const w of workers) w.kill('SIGTERM');
    server.kill('SIGTERM');
  }
} else log('redis-server not found: skipping the Redis comparison');

const strip = r => ({ wall: r.wall, jobSeconds: r.jobSeconds, medianJob: r.medianJob });
const figures = {
  date: new Date().toISOString(),
  cores: availableParallelism(),
  loadAverageAtEnd: loadavg(),
  jobs: JOBS,
  nulls: NULLS,
  oneWorker: strip(one),
  twoWorkers: strip(two),
  threeWorkers: strip(three),
  speedupTwoWorkers: one.wall / two.wall,
  queueOverheadOneWorker: one.wall / one.jobSeconds - 1,
  sameResults: one.results === two.results && one.results === three.results,
  ...(redis !== null
    ? {
        redisThreeWorkers: strip(redis),
        redisOverEmbedded: redis.wall / three.wall,
        redisSameResults: redis.sameResults
      }
    : {})
};
writeFileSync(join(root, 'bench', 'results', 'studies.json'), JSON.stringify(figures, null, 1) + '\n');
console.log(JSON.stringify(figures, null, 1));
log(
  `speed-up 2 workers ${figures.speedupTwoWorkers.toFixed(2)}× (target ≥ 1.8), overhead ${(100 * figures.queueOverheadOneWorker).toFixed(1)} % (≤ 5 %)` +
    (redis !== null ? `, Redis/embedded with 3 workers ${figures.redisOverEmbedded.toFixed(2)} (≤ 1.10)` : '')
);
