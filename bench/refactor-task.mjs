// One measurement of bench/refactor.mjs in a fresh process, against one build of nnmotifs:
//   node bench/refactor-task.mjs LIB_DIR INPUT_DIR TASK
// LIB_DIR is a compiled lib/ (this checkout's, or the reference commit's); only its public entry
// lib/kernel/index.js is used, so both builds are driven through the same calls. Prints one JSON line:
// {"seconds": median wall-clock time of the timed repetitions, "best": the fastest, "cpuBest": the least
// CPU time (user + system) of a repetition, "runs", "cpu": every repetition, "digest": a summary of the
// result that must be the same for both builds}.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const [libDir, inputDir, task] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const nm = require(join(libDir, 'kernel', 'index.js'));

/** A network written by refactor.mjs as plain JSON arrays, built without the library under test. */
function plainNetwork(name) {
  const raw = JSON.parse(readFileSync(join(inputDir, `${name}.plain.json`), 'utf8'));
  return {
    layers: raw.layers.map(l => ({
      nIn: l.nIn,
      nOut: l.nOut,
      weights: Float64Array.from(l.weights),
      ...(l.bias ? { bias: Float64Array.from(l.bias) } : {})
    }))
  };
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** CPU seconds (user + system, all threads) this process has used. */
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

/**
 * Runs `fn` once to warm up (JIT, caches), then `reps` timed times; returns the wall-clock and the CPU
 * seconds of each repetition and the last result.
 */
async function timed(fn, reps) {
  let result = await fn();
  const runs = [];
  const cpu = [];
  for (let k = 0; k < reps; k++) {
    const c = cpuSeconds();
    const t = performance.now();
    result = await fn();
    runs.push((performance.now() - t) / 1000);
    cpu.push(cpuSeconds() - c);
  }
  return { runs, cpu, result };
}

/** Sum and sum of squares of every weight and bias: equal for equal networks (to rounding). */
function networkDigest(net) {
  let s = 0;
  let q = 0;
  let n = 0;
  for (const l of net.layers) {
    for (const arr of [l.weights, l.bias ?? []]) {
      for (let i = 0; i < arr.length; i++) {
        s += arr[i];
        q += arr[i] * arr[i];
      }
      n += arr.length;
    }
  }
  return {
    sizes: net.layers.map(l => [l.nIn, l.nOut]),
    values: n,
    sum: s.toPrecision(10),
    sumSq: q.toPrecision(10)
  };
}

const round = (x, digits = 10) => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : String(x));
const roundAll = obj => Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, round(v)]));

const tasks = {
  // the motif census of the moth network pruned to 7 % and 30 % (bias node on, the authors' setting)
  census7: async () => {
    const net = plainNetwork('moth7');
    const { runs, cpu, result } = await timed(() => nm.motifCensus(net, { biasNode: true }), 7);
    return { runs, cpu, digest: result.counts };
  },
  census30: async () => {
    const net = plainNetwork('moth30');
    const { runs, cpu, result } = await timed(() => nm.motifCensus(net, { biasNode: true }), 3);
    return { runs, cpu, digest: result.counts };
  },
  // census + 100 random-pruning null samples + Z, on one thread (no worker threads: less noise on a
  // shared machine; the samplers and the census are what the refactor touched)
  nullsRandomPruning: async () => {
    const net = plainNetwork('moth7');
    const opts = { null: 'random-pruning', samples: 100, seed: 1, biasNode: true };
    const { runs, cpu, result } = await timed(() => nm.motifSignificance(net, opts), 3);
    return { runs, cpu, digest: { mean: roundAll(result.null.mean), sd: roundAll(result.null.sd) } };
  },
  nullsDegree: async () => {
    const net = plainNetwork('moth7');
    const opts = { null: 'degree', samples: 20, seed: 1, biasNode: true };
    const { runs, cpu, result } = await timed(() => nm.motifSignificance(net, opts), 3);
    return { runs, cpu, digest: { mean: roundAll(result.null.mean), sd: roundAll(result.null.sd) } };
  },
  // node strength, layer fluctuation, link-weight statistics and degrees of the dense 784-1000-1000-10
  metrics: async () => {
    const net = plainNetwork('dense');
    const all = () => ({
      strength: nm.nodeStrength(net),
      fluctuation: nm.layerFluctuation(net),
      links: nm.linkWeights(net),
      degrees: nm.degrees(net)
    });
    const { runs, cpu, result } = await timed(all, 10);
    const strengthSum = result.strength.reduce((s, a) => s + a.reduce((t, v) => t + v, 0), 0);
    return {
      runs,
      cpu,
      digest: {
        strengthSum: round(strengthSum),
        fluctuation: result.fluctuation.map(v => round(v)),
        links: result.links.map(l => [round(l.mean), round(l.sd)]),
        degreeSum: result.degrees.reduce((s, d) => s + d.in.reduce((t, v) => t + v, 0), 0)
      }
    };
  },
  // one epoch of nm.train: MLP 784-300-100-10, batch 128, Adam, 10 000 samples (epochs 2-4 timed)
  trainEpoch: async () => {
    const n = 10_000;
    const raw = readFileSync(join(inputDir, 'train.f32'));
    const all = new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    const x = all.subarray(0, n * 784);
    const y = all.subarray(n * 784, n * 794);
    const model = nm.mlp([784, 300, 100, 10], {
      activation: 'relu',
      outputActivation: 'softmax',
      init: 'glorotUniform',
      seed: 1
    });
    const runs = [];
    const cpu = [];
    const losses = [];
    let c = cpuSeconds();
    await nm.train(
      model,
      { x: { rows: n, cols: 784, data: x }, y: { rows: n, cols: 10, data: y } },
      {
        epochs: 4,
        batchSize: 128,
        optimizer: 'adam',
        lr: 1e-3,
        seed: 1,
        progress: false,
        onEpochEnd: logs => {
          runs.push(logs.seconds);
          cpu.push(cpuSeconds() - c);
          c = cpuSeconds();
          losses.push(logs.loss);
        }
      }
    );
    model.dispose();
    return { runs: runs.slice(1), cpu: cpu.slice(1), digest: { firstEpochLoss: round(losses[0], 3) } };
  },
  // nm.loadNetwork of the same 784-1000-1000-10 network in four formats. One read takes ~20 ms, less than
  // the scheduler's noise on a loaded machine: a timed repetition is READS reads in a row (per-read
  // figures are printed), so the minimum over repetitions measures the reader, not one lucky time slice.
  ...Object.fromEntries(
    [
      ['readJson', 'dense.network.json'],
      ['readSafetensors', 'dense.safetensors'],
      ['readNpz', 'dense.npz'],
      ['readTfjs', 'tfjs/model.json']
    ].map(([name, file]) => [
      name,
      async () => {
        const READS = 10;
        const { runs, cpu, result } = await timed(async () => {
          let net;
          for (let k = 0; k < READS; k++) net = await nm.loadNetwork(join(inputDir, file));
          return net;
        }, 9);
        const perRead = xs => xs.map(x => x / READS);
        return { runs: perRead(runs), cpu: perRead(cpu), digest: networkDigest(result) };
      }
    ])
  )
};

const run = tasks[task];
if (run === undefined) throw new Error(`unknown task ${task}; one of ${Object.keys(tasks).join(', ')}`);
const { runs, cpu, digest } = await run();
process.stdout.write(
  JSON.stringify({
    seconds: median(runs),
    best: Math.min(...runs),
    cpuBest: Math.min(...cpu),
    runs,
    cpu,
    digest
  }) + '\n'
);
process.exit(0);
