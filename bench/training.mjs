#!/usr/bin/env node
/**
 * Benchmark: training speed (issue 4 targets), all figures measured in the same run.
 *
 * (a) MLP 784-300-100-10 (ReLU, softmax cross-entropy), batch 128, 10 k samples, Adam: median epoch time of
 *     nm.train vs PyTorch CPU (bench/reference_torch.py in .cache/bench-venv, the faster of its default
 *     threads and one thread; skipped with a message when torch cannot be imported) and vs tfjs-node
 *     `model.fit`. Target: ≤ 1.0× PyTorch.
 * (b) Ten moth networks (10-400-400-400-16-7, tanh, N(0,1)/5, Adam 5e-4, batch 128): one epoch of
 *     nm.trainEnsemble (k = 10) vs ten nm.train runs one after another. Target: ≥ 5× faster.
 *     Also the ceiling of that ratio: both do the same FLOPs, so the ensemble can be at most
 *     (sequential time) / (time of the ensemble's matrix products alone) faster.
 *
 * Every comparison runs in `--rounds` interleaved rounds (ours, then the reference, then ours …) with the
 * load average before each, so that a burst of load on a shared machine hits both sides; the table shows
 * the median round and the spread.
 *
 * Data are random (seeded) with the right shapes: the speed of a training step does not depend on values.
 *
 * Usage: `node bench/training.mjs [--n 10000] [--epochs 3] [--moth-n 10000] [--rounds 3]`. Imports lib/
 * and builds it first (TypeScript 5.9 from node_modules) when it is missing or older than the sources it
 * uses. Writes bench/results/training.json.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureLibBuilt, root } from './build-lib.mjs';

const require = createRequire(import.meta.url);

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
const N = option('n', 10_000);
const EPOCHS = option('epochs', 3);
const MOTH_N = option('moth-n', 10_000);
const ROUNDS = option('rounds', 3);

ensureLibBuilt({
  modules: ['kernel/train', 'kernel/ensemble', 'kernel/init', 'kernel/progress', 'kernel/models', 'kernel/tf']
});

const { getTf } = require('../lib/kernel/tf.js');
const { mlp } = require('../lib/kernel/models.js');
const { initialize } = require('../lib/kernel/init.js');
const { train } = require('../lib/kernel/train.js');
const { trainEnsemble } = require('../lib/kernel/ensemble.js');
const { createRng } = require('../lib/core/random.js');
const tf = getTf();

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load1 = () => Number(loadavg()[0].toFixed(2));

function randomData(n, nIn, nOut, oneHot, seed) {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * nIn }, () => rng.normal());
  const y = new Float32Array(n * nOut);
  for (let i = 0; i < n; i++) {
    if (oneHot) y[i * nOut + rng.int(nOut)] = 1;
    else for (let j = 0; j < nOut; j++) y[i * nOut + j] = rng.next() - 0.5;
  }
  return { x: { rows: n, cols: nIn, data: x }, y: { rows: n, cols: nOut, data: y } };
}

// ---- (a) single network ---------------------------------------------------------------------------
const mnistShape = randomData(N, 784, 10, true, 1);
const MNIST_SIZES = [784, 300, 100, 10];

async function oursEpoch() {
  const model = mlp(MNIST_SIZES, {
    activation: 'relu',
    outputActivation: 'softmax',
    init: 'glorotUniform',
    seed: 1
  });
  const times = [];
  await train(model, mnistShape, {
    epochs: EPOCHS + 1,
    batchSize: 128,
    optimizer: 'adam',
    lr: 1e-3,
    progress: false,
    onEpochEnd: logs => {
      times.push(logs.seconds);
    }
  });
  model.dispose();
  return median(times.slice(1));
}

async function fitEpoch() {
  const model = mlp(MNIST_SIZES, {
    activation: 'relu',
    outputActivation: 'softmax',
    init: 'glorotUniform',
    seed: 1
  });
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const x = tf.tensor2d(mnistShape.x.data, [N, 784]);
  const y = tf.tensor2d(mnistShape.y.data, [N, 10]);
  const times = [];
  let t0 = 0;
  await model.fit(x, y, {
    epochs: EPOCHS + 1,
    batchSize: 128,
    shuffle: true,
    verbose: 0,
    callbacks: {
      onEpochBegin: async () => {
        t0 = performance.now();
      },
      onEpochEnd: async () => {
        times.push((performance.now() - t0) / 1000);
      }
    }
  });
  x.dispose();
  y.dispose();
  model.dispose();
  return median(times.slice(1));
}

/** PyTorch's median epoch; `threads` > 0 sets torch.set_num_threads (0: PyTorch's default). */
function torchEpoch(threads = 0) {
  const py = join(root, '.cache/bench-venv/bin/python');
  if (!existsSync(py)) {
    return {
      skipped:
        'no .cache/bench-venv (create it: python3.11 -m venv .cache/bench-venv && .cache/bench-venv/bin/pip install torch)'
    };
  }
  if (spawnSync(py, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0) {
    return {
      skipped: 'torch is not installed in .cache/bench-venv (.cache/bench-venv/bin/pip install torch)'
    };
  }
  const r = spawnSync(
    py,
    [
      join(root, 'bench/reference_torch.py'),
      '--n',
      String(N),
      '--epochs',
      String(EPOCHS),
      '--threads',
      String(threads)
    ],
    { encoding: 'utf8' }
  );
  if (r.status !== 0) return { skipped: `reference_torch.py failed: ${r.stderr.trim().split('\n').pop()}` };
  return JSON.parse(r.stdout.trim().split('\n').pop());
}

/**
 * The stronger of PyTorch with its default threads and with one thread: on a loaded 2-core machine one
 * thread can be the faster, and the reference should be PyTorch at its best.
 */
function bestTorchEpoch() {
  const byDefault = torchEpoch();
  if (byDefault.skipped !== undefined) return byDefault;
  const single = torchEpoch(1);
  const best =
    single.skipped === undefined && single.epochSeconds < byDefault.epochSeconds ? single : byDefault;
  return { ...best, defaultThreads: byDefault, oneThread: single };
}

// ---- (b) ensemble of moth networks ----------------------------------------------------------------
const MOTH = [10, 400, 400, 400, 16, 7];
const mothShape = randomData(MOTH_N, 10, 7, false, 2);
const mothOptions = { epochs: 1, batchSize: 128, optimizer: 'adam', lr: 5e-4 };
const SEEDS = Array.from({ length: 10 }, (_, i) => i + 1);

async function mothSequential() {
  const t0 = performance.now();
  for (const seed of SEEDS) {
    const model = initialize(mlp(MOTH, { activation: 'tanh' }), 'mothNormal', { seed });
    await train(model, mothShape, { ...mothOptions, seed, progress: false });
    model.dispose();
  }
  return (performance.now() - t0) / 1000;
}

async function mothEnsemble() {
  const t0 = performance.now();
  await trainEnsemble(MOTH, mothShape, {
    ...mothOptions,
    seeds: SEEDS,
    init: 'mothNormal',
    activation: 'tanh'
  });
  return (performance.now() - t0) / 1000;
}

/**
 * The matrix products of one ensemble epoch alone (forward, weight gradients, input gradients of every
 * layer but the first; batched [K, rows, n] like trainEnsemble): the FLOP-bound part that batching cannot
 * remove. Returns seconds and GFLOP/s.
 */
function ensembleProductsEpoch(k) {
  const rows = 128;
  const steps = Math.ceil(MOTH_N / rows);
  const t = [];
  for (let l = 0; l + 1 < MOTH.length; l++) {
    t.push({
      h: tf.randomNormal([k, rows, MOTH[l]]),
      w: tf.randomNormal([k, MOTH[l], MOTH[l + 1]]),
      g: tf.randomNormal([k, rows, MOTH[l + 1]]),
      first: l === 0
    });
  }
  const step = () => {
    for (const { h, w, g, first } of t) {
      tf.matMul(h, w).dispose();
      tf.matMul(h, g, true, false).dispose();
      if (!first) tf.matMul(g, w, false, true).dispose();
    }
  };
  step(); // warm-up
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) step();
  const seconds = (performance.now() - t0) / 1000;
  let flops = 0;
  for (let l = 0; l + 1 < MOTH.length; l++) flops += (l === 0 ? 2 : 3) * 2 * k * rows * MOTH[l] * MOTH[l + 1];
  t.forEach(({ h, w, g }) => tf.dispose([h, w, g]));
  return { seconds, gflops: (flops * steps) / seconds / 1e9 };
}

// ---- run ------------------------------------------------------------------------------------------
console.log(
  `training bench: ${availableParallelism()} cores, load average ${loadavg()
    .map(v => v.toFixed(1))
    .join(' ')}, tfjs backend ${tf.getBackend()}`
);
console.log(
  `(a) MLP 784-300-100-10, ${N} samples, batch 128, Adam; per round the median of ${EPOCHS} epochs after a warm-up one`
);
const rounds = { single: [], moth: [] };
for (let r = 0; r < ROUNDS; r++) {
  const load = load1();
  const ours = await oursEpoch();
  const torch = bestTorchEpoch();
  const fit = await fitEpoch();
  rounds.single.push({ load, ours, torch, fit });
  console.log(
    `  round ${r + 1}: load ${load}, nm.train ${ours.toFixed(3)} s, PyTorch ${
      torch.skipped === undefined
        ? `${torch.defaultThreads.epochSeconds.toFixed(3)} s (${torch.defaultThreads.threads} threads), ${
            torch.oneThread.epochSeconds?.toFixed(3) ?? '-'
          } s (1 thread)`
        : 'skipped'
    }, model.fit ${fit.toFixed(3)} s`
  );
}
console.log(
  `(b) 10 moth networks 10-400-400-400-16-7 (tanh), ${MOTH_N} samples, batch 128, Adam, 1 epoch each`
);
await trainEnsemble(MOTH, randomData(256, 10, 7, false, 3), { ...mothOptions, seeds: [1, 2] }); // warm-up
for (let r = 0; r < ROUNDS; r++) {
  const load = load1();
  const sequential = await mothSequential();
  const ensemble = await mothEnsemble();
  const products = ensembleProductsEpoch(SEEDS.length);
  rounds.moth.push({
    load,
    sequential,
    ensemble,
    products: products.seconds,
    productsGflops: products.gflops
  });
  console.log(
    `  round ${r + 1}: load ${load}, sequential ${sequential.toFixed(3)} s, ensemble ${ensemble.toFixed(
      3
    )} s, its matrix products alone ${products.seconds.toFixed(3)} s (${products.gflops.toFixed(0)} GFLOP/s)`
  );
}
const torch = rounds.single.map(r => r.torch).find(t => t.skipped !== undefined) ?? rounds.single[0].torch;
const ours = median(rounds.single.map(r => r.ours));
const fit = median(rounds.single.map(r => r.fit));
const sequential = median(rounds.moth.map(r => r.sequential));
const ensemble = median(rounds.moth.map(r => r.ensemble));
const products = median(rounds.moth.map(r => r.products));
const spread = xs => `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)}`;

const rows = [];
const row = (figure, oursValue, reference, referenceName, ratio, target, met) =>
  rows.push({ figure, ours: oursValue, reference, referenceName, ratio, target, met });
if (torch.skipped !== undefined) {
  console.log(`PyTorch comparison skipped: ${torch.skipped}`);
  row('epoch time vs PyTorch CPU (s)', ours, null, 'PyTorch (skipped)', null, '≤ 1.0×', null);
} else {
  const ratios = rounds.single.map(r => r.ours / r.torch.epochSeconds);
  const torchSeconds = median(rounds.single.map(r => r.torch.epochSeconds));
  row(
    `epoch time vs PyTorch ${torch.torch} CPU (s); ratio per round ${spread(ratios)}`,
    ours,
    torchSeconds,
    'PyTorch',
    median(ratios),
    '≤ 1.0×',
    median(ratios) <= 1
  );
}
row('epoch time vs tfjs-node model.fit (s)', ours, fit, 'model.fit', ours / fit, '(info)', null);
const speedups = rounds.moth.map(r => r.sequential / r.ensemble);
row(
  `10 moth nets, 1 epoch: ensemble vs one after another (s); speed-up per round ${spread(speedups)}`,
  ensemble,
  sequential,
  'sequential',
  median(speedups),
  '≥ 5× faster',
  median(speedups) >= 5
);
const ceilings = rounds.moth.map(r => r.sequential / r.products);
row(
  `ceiling of that speed-up: sequential / ensemble's matrix products alone (s); per round ${spread(ceilings)}`,
  products,
  sequential,
  'sequential',
  median(ceilings),
  '(bound)',
  null
);

const fmt = v => (v === null || v === undefined ? '-' : typeof v === 'number' ? v.toFixed(3) : String(v));
const header = ['figure', 'ours', 'reference', 'ratio', 'target', 'met?'];
const table = [
  header,
  ...rows.map(r => [
    r.figure,
    fmt(r.ours),
    `${fmt(r.reference)} (${r.referenceName})`,
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}×`,
    r.target,
    r.met === null ? '-' : r.met ? 'yes' : 'NO'
  ])
];
const widths = header.map((_, c) => Math.max(...table.map(r => r[c].length)));
for (const r of table) console.log(r.map((cell, c) => cell.padEnd(widths[c])).join('  '));

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/training.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cores: availableParallelism(),
      loadAverage: loadavg(),
      backend: tf.getBackend(),
      tfIntraOpThreads: process.env.TF_NUM_INTRAOP_THREADS ?? 'TensorFlow default',
      samples: N,
      mothSamples: MOTH_N,
      torch,
      rounds,
      rows
    },
    null,
    2
  ) + '\n'
);
console.log('wrote bench/results/training.json');
