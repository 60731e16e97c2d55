#!/usr/bin/env node
/**
 * Benchmark of issue #14 (one implementation per idea): is the refactored code as fast as the code before
 * the refactor, and does it compute the same? Both builds are measured in this one run.
 *
 * The reference is `--base` (default e680a73, the last commit before the refactor: the end of the
 * 2026-11-21 session, from which every #14 branch forked; the repository has no release tags). It is
 * exported with `git archive` into `.cache/refactor-base/<commit>/` (no git worktree is registered),
 * linked to this checkout's node_modules and compiled with the same TypeScript; the build is kept and
 * reused by later runs.
 *
 * Tasks (bench/refactor-task.mjs), each through the public entry `lib/kernel/index.js` of either build,
 * each in a fresh process (warm-up, then the median of several repetitions):
 * - census7, census30: `motifCensus` of the moth 10-400-400-400-16-7 network pruned to 7 % / 30 %, bias node;
 * - nullsRandomPruning, nullsDegree: `motifSignificance` with 100 random-pruning / 20 degree-preserving
 *   null samples on one thread (census + samplers + Z);
 * - metrics: node strength, layer fluctuation, link weights and degrees of a dense 784-1000-1000-10;
 * - trainEpoch: one epoch of `nm.train` (784-300-100-10, batch 128, Adam, 10 000 samples);
 * - readJson, readSafetensors, readNpz, readTfjs: `nm.loadNetwork` of that dense network in four formats.
 *
 * `--rounds R` (default 3) rounds; each round runs every task for both builds, alternating which goes
 * first, so load bursts on a shared machine hit both. The figure compared is CPU time (user + system of
 * the process, `process.cpuUsage`), the least of all repetitions: at a load of 15-20 on 2 cores a process
 * gets an eighth of a core and its wall-clock medians swing by 2x between rounds, while its CPU time stays
 * within a few per cent. `ratio` = refactored / reference CPU time (> 1: slower); `wallRatio` the same of
 * the best wall-clock times and `medianRatio` of the median wall-clock times, for the record. The noise of
 * a task is the spread of its per-round CPU ratios; a slowdown counts when the ratio exceeds
 * 1 + max(0.05, noise). Every task also returns a digest of its result (counts, null means
 * and sd, metrics, weight sums): the two builds must agree.
 *
 * Usage: `node bench/refactor.mjs [--base REV] [--rounds 3] [--only census7,metrics]`.
 * Writes bench/results/refactor.json.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { ensureLibBuilt, root } from './build-lib.mjs';
import { DENSE, MOTH, prunedNetwork } from './networks.mjs';

const require = createRequire(import.meta.url);
const log = msg => process.stderr.write(`${msg}\n`);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}
const BASE = option('base', 'e680a73');
const ROUNDS = Number(option('rounds', '3'));
const TASKS = [
  'census7',
  'census30',
  'nullsRandomPruning',
  'nullsDegree',
  'metrics',
  'trainEpoch',
  'readJson',
  'readSafetensors',
  'readNpz',
  'readTfjs'
];
const only = option('only', undefined)?.split(',');
const tasks = only ?? TASKS;
for (const t of tasks)
  if (!TASKS.includes(t)) throw new Error(`unknown task ${t}; one of ${TASKS.join(', ')}`);

const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
const tsc = join(root, 'node_modules/typescript/bin/tsc');

// 1. The two builds.
ensureLibBuilt({ log });
const ours = { name: 'refactored', commit: git('rev-parse', 'HEAD'), lib: join(root, 'lib') };
const baseCommit = git('rev-parse', `${BASE}^{commit}`);
const baseDir = join(root, '.cache/refactor-base', baseCommit);
if (!existsSync(join(baseDir, 'lib/kernel/index.js'))) {
  log(`building the reference ${baseCommit.slice(0, 7)} in ${baseDir} ...`);
  mkdirSync(baseDir, { recursive: true });
  execFileSync('sh', ['-c', `git archive ${baseCommit} | tar -x -C "${baseDir}"`], { cwd: root });
  if (!existsSync(join(baseDir, 'node_modules')))
    symlinkSync(realpathSync(join(root, 'node_modules')), join(baseDir, 'node_modules'));
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: baseDir, encoding: 'utf8' });
  if (!existsSync(join(baseDir, 'lib/kernel/index.js')))
    throw new Error(`the reference did not build:\n${r.stdout}${r.stderr}`);
}
const base = { name: 'reference', commit: baseCommit, lib: join(baseDir, 'lib') };

// 2. Inputs, written once per run from seeded draws (plain JSON and files in the formats read).
const input = join(root, '.cache/refactor-inputs');
mkdirSync(join(input, 'tfjs'), { recursive: true });
const plain = net => ({
  layers: net.layers.map(l => ({
    nIn: l.nIn,
    nOut: l.nOut,
    weights: Array.from(l.weights),
    ...(l.bias ? { bias: Array.from(l.bias) } : {})
  }))
});
const dense = prunedNetwork(DENSE, 1, 3);
writeFileSync(join(input, 'moth7.plain.json'), JSON.stringify(plain(prunedNetwork(MOTH, 0.07, 1))));
writeFileSync(join(input, 'moth30.plain.json'), JSON.stringify(plain(prunedNetwork(MOTH, 0.3, 1))));
writeFileSync(join(input, 'dense.plain.json'), JSON.stringify(plain(dense)));
{
  const nm = require(join(ours.lib, 'kernel/index.js'));
  await nm.saveNetwork(dense, join(input, 'dense.network.json'), { overwrite: true });
  // a PyTorch state_dict of nn.Linear layers: `layers.<l>.weight` [out, in] and `layers.<l>.bias`, float32
  const tensors = [];
  dense.layers.forEach((l, k) => {
    const w = new Float32Array(l.nIn * l.nOut);
    for (let i = 0; i < l.nIn; i++)
      for (let j = 0; j < l.nOut; j++) w[j * l.nIn + i] = l.weights[i * l.nOut + j];
    tensors.push([`layers.${2 * k}.weight`, [l.nOut, l.nIn], w]);
    tensors.push([`layers.${2 * k}.bias`, [l.nOut], Float32Array.from(l.bias)]);
  });
  let offset = 0;
  const header = {};
  for (const [name, shape, data] of tensors) {
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  writeFileSync(
    join(input, 'dense.safetensors'),
    Buffer.concat([len, Buffer.from(json), ...tensors.map(([, , d]) => Buffer.from(d.buffer))])
  );
  // the same as .npz: one NumPy v1 .npy member per tensor
  const npy = (shape, data) => {
    let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
    h += ' '.repeat(63 - ((10 + h.length) % 64)) + '\n';
    const pre = Buffer.alloc(10);
    pre.write('\x93NUMPY', 0, 'latin1');
    pre[6] = 1;
    pre[7] = 0;
    pre.writeUInt16LE(h.length, 8);
    return new Uint8Array(Buffer.concat([pre, Buffer.from(h, 'latin1'), Buffer.from(data.buffer)]));
  };
  writeFileSync(
    join(input, 'dense.npz'),
    zipSync(Object.fromEntries(tensors.map(([name, shape, data]) => [`${name}.npy`, npy(shape, data)])), {
      level: 0
    })
  );
  // a TF.js layers model written by TF.js itself
  const model = nm.toModel(dense);
  await model.save(`file://${join(input, 'tfjs')}`);
  model.dispose();
  // training data: 10 000 random samples, one-hot labels
  const rngMod = require(join(ours.lib, 'core/random.js'));
  const rng = rngMod.createRng(1);
  const n = 10_000;
  const data = new Float32Array(n * 794);
  for (let i = 0; i < n * 784; i++) data[i] = rng.normal();
  for (let i = 0; i < n; i++) data[n * 784 + i * 10 + rng.int(10)] = 1;
  writeFileSync(join(input, 'train.f32'), Buffer.from(data.buffer));
}

// 3. Rounds.
function measure(build, task) {
  const r = spawnSync(process.execPath, [join(root, 'bench/refactor-task.mjs'), build.lib, input, task], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
    env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' }
  });
  if (r.status !== 0) throw new Error(`${task} on the ${build.name} build failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const samples = Object.fromEntries(
  tasks.map(t => [
    t,
    {
      reference: [],
      refactored: [],
      best: { reference: [], refactored: [] },
      cpu: { reference: [], refactored: [] },
      load: []
    }
  ])
);
const digests = {};
for (let round = 0; round < ROUNDS; round++) {
  for (const task of tasks) {
    const order = (round + tasks.indexOf(task)) % 2 === 0 ? [base, ours] : [ours, base];
    samples[task].load.push(Number(loadavg()[0].toFixed(2)));
    for (const build of order) {
      const m = measure(build, task);
      samples[task][build.name].push(m.seconds);
      samples[task].best[build.name].push(m.best);
      samples[task].cpu[build.name].push(m.cpuBest);
      digests[task] ??= {};
      digests[task][build.name] = m.digest;
    }
    const s = samples[task];
    log(
      `round ${round + 1}/${ROUNDS} ${task}: reference ${s.reference.at(-1).toFixed(4)} s (best ${s.best.reference.at(-1).toFixed(4)}, CPU ${s.cpu.reference.at(-1).toFixed(4)}), refactored ${s.refactored.at(-1).toFixed(4)} s (best ${s.best.refactored.at(-1).toFixed(4)}, CPU ${s.cpu.refactored.at(-1).toFixed(4)}) (load ${s.load.at(-1)})`
    );
  }
}

// 4. Table and results.
const rows = tasks.map(task => {
  const s = samples[task];
  const ref = Math.min(...s.cpu.reference);
  const now = Math.min(...s.cpu.refactored);
  const perRound = s.cpu.reference.map((r, k) => s.cpu.refactored[k] / r);
  const noise = Math.max(...perRound) - Math.min(...perRound);
  const ratio = now / ref;
  const wallRatio = Math.min(...s.best.refactored) / Math.min(...s.best.reference);
  const medianRatio = median(s.refactored) / median(s.reference);
  const same = JSON.stringify(digests[task].reference) === JSON.stringify(digests[task].refactored);
  return {
    task,
    referenceCpuSeconds: ref,
    refactoredCpuSeconds: now,
    ratio,
    referenceBestWallSeconds: Math.min(...s.best.reference),
    refactoredBestWallSeconds: Math.min(...s.best.refactored),
    wallRatio,
    referenceMedianWallSeconds: median(s.reference),
    refactoredMedianWallSeconds: median(s.refactored),
    medianRatio,
    perRoundRatios: perRound,
    noise,
    rounds: ROUNDS,
    slowdown: ratio > 1 + Math.max(0.05, noise),
    sameResult: same,
    ...(same ? {} : { digests: digests[task] }),
    loadAverages: s.load
  };
});
const pad = (x, n) => String(x).padEnd(n);
const lines = [
  `reference ${base.commit.slice(0, 7)} vs refactored ${ours.commit.slice(0, 7)}, ${ROUNDS} rounds, ${availableParallelism()} cores (${cpus()[0]?.model ?? '?'}), load at start ${loadavg()[0].toFixed(2)}`,
  `${pad('task', 20)}${pad('ref CPU s', 11)}${pad('new CPU s', 11)}${pad('ratio', 8)}${pad('noise', 8)}${pad('wall ratio', 12)}${pad('median wall', 13)}${pad('same result', 13)}verdict`,
  ...rows.map(
    r =>
      `${pad(r.task, 20)}${pad(r.referenceCpuSeconds.toFixed(4), 11)}${pad(r.refactoredCpuSeconds.toFixed(4), 11)}${pad(r.ratio.toFixed(3), 8)}${pad(r.noise.toFixed(3), 8)}${pad(r.wallRatio.toFixed(3), 12)}${pad(r.medianRatio.toFixed(3), 13)}${pad(r.sameResult ? 'yes' : 'NO', 13)}${r.slowdown ? 'SLOWER' : r.ratio < 1 - Math.max(0.05, r.noise) ? 'faster' : 'same within noise'}`
  )
];
process.stdout.write(lines.join('\n') + '\n');
mkdirSync(join(root, 'bench/results'), { recursive: true });
const outFile = join(root, 'bench/results/refactor.json');
const previous = existsSync(outFile) && only !== undefined ? JSON.parse(readFileSync(outFile, 'utf8')) : null;
writeFileSync(
  outFile,
  JSON.stringify(
    {
      date: new Date().toISOString(),
      command: `node bench/refactor.mjs ${process.argv.slice(2).join(' ')}`.trim(),
      reference: { commit: base.commit },
      refactored: { commit: ours.commit, dirty: git('status', '--porcelain', '--', 'src') !== '' },
      rounds: ROUNDS,
      cores: availableParallelism(),
      node: process.version,
      rows: previous === null ? rows : [...previous.rows.filter(r => !tasks.includes(r.task)), ...rows]
    },
    null,
    2
  ) + '\n'
);
log(`wrote ${outFile}`);
