#!/usr/bin/env node
/**
 * Benchmark: generating the moth flight data set (issue 4 target: 100 000 trajectories in ≤ 10 s on this
 * 2-core machine), with all workers and with 1 worker, next to a SciPy reference: `solve_ivp(method='RK45')`
 * with the same tolerances on the same initial conditions, in a venv at .cache/bench-venv (created here; the
 * comparison is skipped with a message when numpy/scipy cannot be installed). SciPy runs on a subset and is
 * extrapolated linearly to the full count (said so in the output); its end states are also compared with ours.
 *
 * Usage: `node bench/datasets.mjs [--n 100000] [--ref 1000] [--seed 1]`. Imports the compiled library from
 * lib/ and builds it first (TypeScript 5.9 from node_modules) when it is missing or older than src/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ensureLibBuilt, modulesIn, root } from './build-lib.mjs';

const TARGET_S = 10;
const RTOL = 1e-6;
const ATOL = 1e-6;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Wall-clock seconds of an async function, with its value. */
async function timed(fn) {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const PYTHON_REFERENCE = String.raw`
import json, sys, time
import numpy as np
from scipy.integrate import solve_ivp

job = json.load(open(sys.argv[1]))
p = job['params']
m1 = p['rhoHead'] * 4 / 3 * np.pi * p['bHead'] ** 2 * p['aHead']
m2 = p['rhoButt'] * 4 / 3 * np.pi * p['bButt'] ** 2 * p['aButt']
I1 = m1 / 5 * p['bHead'] ** 2 * (1 + (p['aHead'] / p['bHead']) ** 2)
I2 = m2 / 5 * p['bButt'] ** 2 * (1 + (p['aButt'] / p['bButt']) ** 2)
S_head, S_butt = np.pi * p['bHead'] ** 2, np.pi * p['bButt'] ** 2
L1, L2, L3, K, c, g, betaR = (p[k] for k in ('L1', 'L2', 'L3', 'K', 'c', 'g', 'betaR'))
rhoA, muA = p['rhoA'], p['muA']
h1 = m1 + m2
h10 = I1 + L1 ** 2 * m1
h11 = I2 + L2 ** 2 * m2

def rhs(t, s, F, alpha, tau0):
    x, y, th, ph, xd, yd, thd, phd = s
    speed = np.sqrt(xd * xd + yd * yd)
    re_h = rhoA * speed * 2 * p['bHead'] / muA
    re_b = rhoA * speed * 2 * p['bButt'] / muA
    cd_h = 24 / re_h + 6 / (1 + np.sqrt(re_h)) + 0.4
    cd_b = 24 / re_b + 6 / (1 + np.sqrt(re_b)) + 0.4
    D = 0.5 * rhoA * (cd_b * S_butt + cd_h * S_head)
    h2 = -L1 * m1 * np.sin(th); h3 = -L2 * m2 * np.sin(ph)
    h4 = L1 * m1 * np.cos(th); h5 = L2 * m2 * np.cos(ph)
    h6 = -F * np.cos(alpha + th) + D * abs(xd) * xd - L1 * m1 * np.cos(th) * thd ** 2 - L2 * m2 * np.cos(ph) * phd ** 2
    h7 = g * h1 + D * abs(yd) * yd - L1 * m1 * np.sin(th) * thd ** 2 - F * np.sin(alpha + th) - L2 * m2 * np.sin(ph) * phd ** 2
    spring = K * (ph - th - np.pi - betaR) + c * (phd - thd)
    h8 = -tau0 + g * L1 * m1 * np.cos(th) - spring - F * L3 * np.sin(alpha)
    h9 = tau0 + g * L2 * m2 * np.cos(ph) + spring
    M = np.array([[h1, 0, h2, h3], [0, h1, h4, h5], [h2, h4, h10, 0], [h3, h5, 0, h11]])
    acc = np.linalg.solve(M, -np.array([h6, h7, h8, h9]))
    return [xd, yd, thd, phd, acc[0], acc[1], acc[2], acc[3]]

ends = []
nfev = 0
t0 = time.perf_counter()
for d in job['draws']:
    sol = solve_ivp(rhs, (0, job['t1']), d['state0'], method='RK45', rtol=job['rtol'], atol=job['atol'],
                    args=(d['F'], d['alpha'], d['tau0']))
    if not sol.success:
        raise SystemExit('solve_ivp failed: ' + sol.message)
    nfev += sol.nfev
    ends.append(sol.y[:, -1].tolist())
elapsed = time.perf_counter() - t0
print(json.dumps({'seconds': elapsed, 'nfev': nfev, 'ends': ends}))
`;

/** Creates .cache/bench-venv with numpy and scipy; returns its python, or a reason why not. */
function benchPython() {
  const venv = join(root, '.cache', 'bench-venv');
  const python = join(venv, 'bin', 'python');
  const has = () =>
    existsSync(python) && spawnSync(python, ['-c', 'import numpy, scipy'], { stdio: 'ignore' }).status === 0;
  if (has()) return { python };
  mkdirSync(join(root, '.cache'), { recursive: true });
  if (!existsSync(python)) {
    const mk = spawnSync('python3', ['-m', 'venv', venv], { encoding: 'utf8' });
    if (mk.status !== 0)
      return { reason: `could not create ${venv}: ${(mk.stderr || mk.error || '').toString().trim()}` };
  }
  console.log('installing numpy and scipy into .cache/bench-venv ...');
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', 'numpy', 'scipy'], {
    encoding: 'utf8',
    stdio: 'inherit'
  });
  if (pip.status !== 0 || !has()) return { reason: 'pip install numpy scipy failed in .cache/bench-venv' };
  return { python };
}

ensureLibBuilt({ modules: [...modulesIn('core/datasets'), ...modulesIn('kernel/datasets'), 'core/random'] });
const require = createRequire(import.meta.url);
const { moth } = require(join(root, 'lib/kernel/datasets/moth.js'));
const core = require(join(root, 'lib/core/datasets/moth.js'));

const n = option('n', 100_000);
const nRef = option('ref', 1000);
const seed = option('seed', 1);
const cores = availableParallelism();

console.log(
  `moth data set: ${n} trajectories over [0, 0.02] s, DOPRI5 rtol=${RTOL} atol=${ATOL}, seed ${seed}`
);
console.log(
  `machine: ${cores} CPUs, load average ${loadavg()
    .map(v => v.toFixed(1))
    .join(' ')} (other work on the machine slows every figure)`
);

// Warm up the JIT and the worker start-up path on a small set so the timed runs measure steady state.
await moth(2000, { seed: seed + 1, workers: cores, format: 'array' });

const all = await timed(() => moth(n, { seed, workers: cores, format: 'array', rtol: RTOL, atol: ATOL }));
const one = await timed(() => moth(n, { seed, workers: 1, format: 'array', rtol: RTOL, atol: ATOL }));
const same = all.value.xTrain.data.every((v, i) => v === one.value.xTrain.data[i]);

const simCpu0 = process.cpuUsage();
const sample = core.simulateMoth(nRef, { seed, rtol: RTOL, atol: ATOL });
const simCpu = process.cpuUsage(simCpu0);
const cpuPerTraj = (simCpu.user + simCpu.system) / 1e6 / nRef;

let reference;
const py = benchPython();
if (py.python) {
  const draws = Array.from({ length: nRef }, (_, i) => {
    const d = core.drawMoth(seed, i);
    return { F: d.F, alpha: d.alpha, tau0: d.tau0, state0: [...d.state0] };
  });
  const jobFile = join(root, '.cache', 'bench-moth-job.json');
  writeFileSync(
    jobFile,
    JSON.stringify({ params: core.MOTH_PARAMS, t1: 0.02, rtol: RTOL, atol: ATOL, draws })
  );
  const scriptFile = join(root, '.cache', 'bench-moth-reference.py');
  writeFileSync(scriptFile, PYTHON_REFERENCE);
  const run = spawnSync(py.python, [scriptFile, jobFile], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (run.status === 0) {
    const ref = JSON.parse(run.stdout);
    // Agreement of end states (inputs x_f, y_f, φ_f, θ_f and outputs ẋ_f, ẏ_f, φ̇_f, θ̇_f), relative to scale.
    let worst = 0;
    const cols = [
      [0, 'x', 2],
      [1, 'x', 3],
      [3, 'x', 4],
      [2, 'x', 5],
      [4, 'y', 3],
      [5, 'y', 4],
      [7, 'y', 5],
      [6, 'y', 6]
    ];
    ref.ends.forEach((end, r) => {
      for (const [k, which, col] of cols) {
        const ours = which === 'x' ? sample.x.data[r * 10 + col] : sample.y.data[r * 7 + col];
        worst = Math.max(worst, Math.abs(ours - end[k]) / (1 + Math.abs(end[k])));
      }
    });
    reference = {
      seconds: (ref.seconds * n) / nRef,
      measured: ref.seconds,
      nfev: ref.nfev / nRef,
      worst
    };
  } else {
    console.log(`SciPy reference skipped: the reference run failed:\n${run.stderr}`);
  }
} else {
  console.log(`SciPy reference skipped: ${py.reason}`);
}

const fmt = s => `${s.toFixed(2)} s`;
const rows = [
  ['figure', 'ours', 'reference', 'ratio', 'target', 'met?'],
  [
    `moth(${n}), ${cores} workers`,
    fmt(all.seconds),
    reference ? `${fmt(reference.seconds)} (SciPy RK45, 1 core, extrapolated from ${nRef})` : 'skipped',
    reference ? `${(reference.seconds / all.seconds).toFixed(1)}× faster` : '-',
    `≤ ${TARGET_S} s`,
    all.seconds <= TARGET_S ? 'yes' : 'no'
  ],
  [
    `moth(${n}), 1 worker`,
    fmt(one.seconds),
    reference ? fmt(reference.seconds) : 'skipped',
    reference ? `${(reference.seconds / one.seconds).toFixed(1)}× faster` : '-',
    '-',
    '-'
  ]
];
const widths = rows[0].map((_, c) => Math.max(...rows.map(r => r[c].length)));
for (const r of rows) console.log(r.map((v, c) => v.padEnd(widths[c])).join('  '));
console.log(
  `\nspeed-up of ${cores} workers over 1: ${(one.seconds / all.seconds).toFixed(2)}×; same rows with 1 and ${cores} workers: ${same ? 'yes' : 'NO'}`
);
console.log(
  `ours: ${(sample.evaluations / nRef).toFixed(0)} RHS evaluations per trajectory, ${(cpuPerTraj * 1e6).toFixed(0)} µs CPU per trajectory on one thread ` +
    `(→ ${((cpuPerTraj * n) / cores).toFixed(1)} s for ${n} on ${cores} idle cores)`
);
if (reference) {
  console.log(
    `SciPy: ${reference.nfev.toFixed(0)} RHS evaluations per trajectory, measured ${fmt(reference.measured)} for ${nRef} trajectories ` +
      `(extrapolated ×${(n / nRef).toFixed(1)}); largest end-state difference to ours, relative to 1 + |value|: ${reference.worst.toExponential(1)}`
  );
}
