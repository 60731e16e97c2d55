// npm run bench: speed of the motif census + null models against a NumPy implementation of the same
// definitions (bench/reference_numpy.py) and igraph's motifs_randesu, all measured in this run.
// `npm run bench -- --only a` runs only the moth 7 % figures (a) (the census target), with their references.
//
// Wall time on a shared machine is mostly the load: census + 1000 nulls of the moth network took 1.2-1.4 s
// at load 0.2 and 16-32 s at load 18-24 with the same code, network and null (every thread got a small
// share of a core). The rows of (a) therefore also give the CPU seconds of all threads of the run (the
// load changes them far less, though they still rise: one thread took 1.37 s at load 0.2 on 2026-11-21,
// 2.2-2.6 s CPU at load 13), CPU / cores (the wall time had the run the cores to itself, at this load's CPU
// speed), and the NumPy ratio on CPU seconds; the load average is printed with the rows of (a).
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureLibBuilt, root } from './build-lib.mjs';
import { DENSE, MOTH, prunedNetwork } from './networks.mjs';

const require = createRequire(import.meta.url);
const log = msg => process.stderr.write(`${msg}\n`);
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
const only = args.only === undefined ? null : new Set(args.only.split(','));
const wanted = label => only === null || only.has(label);
/** CPU seconds of this process, every thread (worker threads included). */
const cpuSeconds = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const load1 = () => loadavg()[0].toFixed(1);

// 1. Build lib/ when it is missing or older than the sources.
ensureLibBuilt({ log });
const { motifCensus } = require('../lib/core/census.js');
const { motifSignificanceParallel } = require('../lib/kernel/parallel.js');
const { prepareNullCensus } = require('../lib/core/nulls.js');

// 2. Python venv with numpy and igraph (skipped with a message when it cannot be made).
const venv = join(root, '.cache/bench-venv');
const py = join(venv, 'bin/python');
let python = null;
if (!existsSync(py)) {
  log('creating .cache/bench-venv with numpy and igraph ...');
  spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  if (existsSync(py)) spawnSync(py, ['-m', 'pip', 'install', '-q', 'numpy', 'igraph'], { stdio: 'inherit' });
}
if (existsSync(py) && spawnSync(py, ['-c', 'import numpy, igraph'], { stdio: 'ignore' }).status === 0)
  python = py;
else log('NumPy/igraph not available: skipping the reference comparisons');

const cacheDir = join(root, '.cache/bench');
mkdirSync(cacheDir, { recursive: true });
function writeForPython(net, name) {
  const layers = net.layers.map((layer, l) => {
    const w = `${name}-w${l}.f64`;
    writeFileSync(join(cacheDir, w), Buffer.from(layer.weights.buffer));
    let b = null;
    if (layer.bias) {
      b = `${name}-b${l}.f64`;
      writeFileSync(join(cacheDir, b), Buffer.from(layer.bias.buffer));
    }
    return { nIn: layer.nIn, nOut: layer.nOut, weights: w, bias: b };
  });
  const file = join(cacheDir, `${name}.json`);
  writeFileSync(file, JSON.stringify({ layers }));
  return file;
}
function reference(net, name, nulls, extra = []) {
  if (python === null) return null;
  const r = spawnSync(
    python,
    [join(root, 'bench/reference_numpy.py'), writeForPython(net, name), String(nulls), '1', ...extra],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
      // one BLAS thread: on a shared 2-core machine OpenBLAS threads oversubscribe and slow NumPy down ~4x
      env: { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' }
    }
  );
  if (r.status !== 0) {
    log(`reference failed for ${name}: ${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout);
}
function sameCounts(a, b) {
  return Object.keys(a).every(k => Math.abs(a[k] - b[k]) <= 1e-9 * Math.max(1, Math.abs(a[k])));
}
function timeCensus(net) {
  motifCensus(net, { biasNode: true }); // warm-up (JIT)
  const runs = [];
  for (let k = 0; k < 5; k++) {
    const t = performance.now();
    motifCensus(net, { biasNode: true });
    runs.push((performance.now() - t) / 1000);
  }
  return runs.sort((x, y) => x - y)[2];
}

/**
 * One random-pruning null sample + its census on this thread, after 200 samples of warm-up: 500 samples
 * timed one by one, the 10th percentile of their wall times (a sample takes ~2 ms, less than a scheduler
 * time slice, so the fastest tenth ran without being preempted: stable within a few % at load 10, where
 * the median moved by 2x) and the CPU time per sample over all 500.
 */
function timeOneNull(net) {
  const run = prepareNullCensus(net, { biasNode: true, seed: 1 });
  run.count(0, 200);
  const times = [];
  const c0 = cpuSeconds();
  for (let k = 0; k < 500; k++) {
    const t = performance.now();
    run.count(200 + k, 1);
    times.push((performance.now() - t) / 1000);
  }
  const cpu = (cpuSeconds() - c0) / 500;
  return { p10: times.sort((x, y) => x - y)[50], cpu };
}

const rows = [];
const results = {
  date: new Date().toISOString(),
  cores: availableParallelism(),
  loadAverageAtStart: loadavg(),
  figures: {}
};
const row = (figure, ours, ref, target, met, note = '') => {
  rows.push({
    figure,
    ours,
    ref,
    ratio: ref === null || ours === null ? null : ref / ours,
    target,
    met,
    note
  });
};
const NULLS = 1000;
const REF_NULLS = 50;

// (a) and (b): moth network at 7 % and 30 %.
for (const [keep, target, label] of [
  [0.07, 0.5, 'a'],
  [0.3, 15, 'b']
].filter(([, , l]) => wanted(l))) {
  const net = prunedNetwork(MOTH, keep, 1);
  const census = motifCensus(net, { biasNode: true });
  const censusSeconds = timeCensus(net);
  log(
    `(${label}) moth ${Math.round(keep * 100)}%: ${census.counts.edges} live edges (bias node on); running ${NULLS} nulls ...`
  );
  const oneNull = label === 'a' ? timeOneNull(net) : null;
  const loadBefore = load1();
  const t0 = performance.now();
  const c0 = cpuSeconds();
  const sig = await motifSignificanceParallel(net, { samples: NULLS, seed: 1, biasNode: true });
  const pipeline = (performance.now() - t0) / 1000;
  const pipelineCpu = cpuSeconds() - c0;
  const loadAt = `load ${loadBefore}-${load1()}`;
  // the same run on one thread, right after, for the parallel speed-up under the same load
  const t1 = performance.now();
  const c1 = cpuSeconds();
  await motifSignificanceParallel(net, { samples: NULLS, seed: 1, biasNode: true, workers: 1 });
  const oneThread = (performance.now() - t1) / 1000;
  const oneThreadCpu = cpuSeconds() - c1;
  // and once more on all threads: the first run started its threads, this one finds them warm
  // (src/kernel/threads.ts), as a notebook's or a study's next nm.motifs call does
  const t2 = performance.now();
  const c2 = cpuSeconds();
  await motifSignificanceParallel(net, { samples: NULLS, seed: 1, biasNode: true });
  const warmRun = (performance.now() - t2) / 1000;
  const warmRunCpu = cpuSeconds() - c2;
  const ref = reference(
    net,
    `moth${keep}`,
    label === 'a' ? REF_NULLS : 10,
    label === 'a' ? ['--igraph'] : []
  );
  const refNulls = label === 'a' ? REF_NULLS : 10;
  const refPipeline = ref === null ? null : ref.census_seconds + (ref.null_seconds * NULLS) / refNulls;
  const refPipelineCpu =
    ref === null ? null : ref.census_cpu_seconds + (ref.null_cpu_seconds * NULLS) / refNulls;
  const cores = availableParallelism();
  const agree = ref === null ? null : sameCounts(census.counts, ref.counts);
  row(
    `(${label}) census, moth ${Math.round(keep * 100)}% (${census.counts.edges} edges)`,
    censusSeconds,
    ref?.census_seconds ?? null,
    null,
    null,
    agree === false ? 'COUNTS DIFFER' : agree ? 'same counts' : ''
  );
  row(
    `(${label}) census + ${NULLS} random-pruning nulls + Z, moth ${Math.round(keep * 100)}%`,
    pipeline,
    refPipeline,
    target,
    pipeline <= target,
    `wall, ${loadAt}` +
      (ref === null ? '' : `; NumPy (1 core): ${refNulls} nulls timed, extrapolated to ${NULLS}`)
  );
  row(
    `(${label}) the same run: CPU seconds of all threads (NumPy: CPU seconds)`,
    pipelineCpu,
    refPipelineCpu,
    null,
    null,
    'CPU time grows far less with the load than wall time'
  );
  row(
    `(${label}) the same run: CPU / ${cores} cores (wall time with the cores to itself)`,
    pipelineCpu / cores,
    null,
    target,
    pipelineCpu / cores <= target,
    'at this load CPU speed: CPU seconds rise with the load too, less than wall time'
  );
  row(
    `(${label}) the same on one thread (reference column) vs ${cores} threads`,
    pipeline,
    oneThread,
    null,
    null,
    `ratio = speed-up of the threads (wall); one thread: ${oneThreadCpu.toFixed(2)} s CPU, load ${load1()}`
  );
  row(
    `(${label}) the same again, threads warm (a second nm.motifs call) vs the first run`,
    warmRun,
    pipeline,
    target,
    warmRun <= target,
    `ratio = first / warm (wall); CPU ${warmRunCpu.toFixed(2)} s vs ${pipelineCpu.toFixed(2)} s, load ${load1()}`
  );
  if (oneNull !== null) {
    const refPerNull = ref === null ? null : ref.null_cpu_seconds / refNulls;
    row(
      `(${label}) one null sample + census, one thread: 10th percentile of 500 (NumPy: CPU per sample)`,
      oneNull.p10,
      refPerNull,
      0.001,
      oneNull.p10 <= 0.001,
      `CPU per sample over 500: ${(oneNull.cpu * 1000).toFixed(2)} ms; ~1 ms per sample per core is what 0.5 s on 2 cores needs`
    );
  }
  if (ref?.igraph_seconds !== undefined) {
    row(
      `(${label}) one census vs igraph motifs_randesu(size=4)`,
      censusSeconds,
      ref.igraph_seconds,
      null,
      null,
      `${ref.igraph_edges} edges`
    );
  }
  results.figures[`moth${keep}`] = {
    liveEdges: census.counts.edges,
    censusSeconds,
    pipelineSeconds: pipeline,
    pipelineCpuSeconds: pipelineCpu,
    oneThreadSeconds: oneThread,
    oneThreadCpuSeconds: oneThreadCpu,
    warmSeconds: warmRun,
    warmCpuSeconds: warmRunCpu,
    oneNullSeconds: oneNull?.p10 ?? null,
    oneNullCpuSeconds: oneNull?.cpu ?? null,
    load: loadAt,
    workers: availableParallelism(),
    z: sig.z,
    numpy: ref
  };
}

// (c) dense 784-1000-1000-10: census time and peak memory in a fresh process.
if (wanted('c')) {
  log('(c) dense 784-1000-1000-10 census ...');
  const r = spawnSync(process.execPath, [join(root, 'bench/dense-census.mjs')], { encoding: 'utf8' });
  const dense = JSON.parse(r.stdout);
  const ref = reference(prunedNetwork(DENSE, 1, 3), 'dense', 0);
  row(
    `(c) census, dense 784-1000-1000-10 (${dense.counts.edges} edges)`,
    dense.seconds,
    ref?.census_seconds ?? null,
    10,
    dense.seconds <= 10,
    ref && !sameCounts(dense.counts, ref.counts) ? 'COUNTS DIFFER' : ref ? 'same counts' : ''
  );
  row('(c) peak memory (maxRSS, MB), dense census', dense.maxRssMB, null, 2048, dense.maxRssMB < 2048);
  results.figures.dense = { ...dense, numpy: ref };
}

// (d) the random-pruning sampler on dense layers (its former worst case), in a fresh process.
if (wanted('d')) {
  log('(d) random-pruning null samples, 784-2000-2000-10 at 100 % and 99 % ...');
  const r = spawnSync(process.execPath, [join(root, 'bench/dense-null.mjs')], { encoding: 'utf8' });
  const dense = JSON.parse(r.stdout);
  for (const [keep, before] of [
    ['1', 9.7],
    ['0.99', 0.8]
  ]) {
    row(
      `(d) one random-pruning null sample, 784-2000-2000-10 at ${Number(keep) * 100} %`,
      dense[keep],
      null,
      1,
      dense[keep] <= 1,
      `was ${before} s per sample on a quiet machine`
    );
  }
  results.figures.denseNull = dense;
}

results.loadAverageAtEnd = loadavg();
results.table = rows;
mkdirSync(join(root, 'bench/results'), { recursive: true });
const resultFile = only === null ? 'latest.json' : `latest-${[...only].join('')}.json`;
writeFileSync(join(root, 'bench/results', resultFile), JSON.stringify(results, null, 2) + '\n');

const f = x => (x === null ? '—' : x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x.toFixed(4));
const header = ['figure', 'ours', 'reference', 'ratio', 'target', 'met?', 'note'];
const table = rows.map(r => [
  r.figure,
  f(r.ours),
  f(r.ref),
  r.ratio === null ? '—' : `${r.ratio.toFixed(1)}x`,
  r.target === null ? '—' : `≤ ${r.target}`,
  r.met === null ? '' : r.met ? 'yes' : 'NO',
  r.note
]);
const widths = header.map((h, c) => Math.max(h.length, ...table.map(t => t[c].length)));
const line = cells =>
  cells.map((c, k) => (k === 0 || k === 6 ? c.padEnd(widths[k]) : c.padStart(widths[k]))).join('  ');
console.log(
  `seconds unless stated; ratio = reference / ours; ${availableParallelism()} cores, load average ${loadavg()
    .map(x => x.toFixed(1))
    .join(' ')}`
);
console.log(line(header));
console.log(widths.map(w => '-'.repeat(w)).join('  '));
for (const t of table) console.log(line(t));
console.log(`written to bench/results/${resultFile}`);
