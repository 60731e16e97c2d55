#!/usr/bin/env node
/**
 * Benchmark: the Network Inspector's motif run, census + 1000 random-pruning nulls + Z-scores of the
 * reference network (moth 10-400-400-400-16-7 pruned to 7 %, bias node on, as `npm run bench` (a)), inside
 * the Inspector's Web Worker as JupyterLab loads it: the worker chunk of the built labextension
 * (`jupyterlab_nnmotifs/labextension/static/nnmotifs-inspector.*.js`) runs in headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core), served over HTTP from its static folder, and gets the
 * network file's bytes through the Inspector's message protocol.
 *
 * References measured in the same run, in Node: the kernel's `nm.motifs` path (`motifSignificanceParallel`,
 * worker threads on every core) and single-threaded `motifSignificance` (the Inspector's worker is one
 * thread too). Rounds alternate browser and Node so a burst of load hits both; the median round is shown.
 *
 * Usage: `node bench/inspector-worker.mjs [--rounds 3] [--nulls 1000]`. Needs the labextension built
 * (`npm run build`). Writes bench/results/inspector-worker.json.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { ensureLibBuilt, root } from './build-lib.mjs';
import { MOTH, prunedNetwork } from './networks.mjs';

const require = createRequire(import.meta.url);
const log = msg => process.stderr.write(`${msg}\n`);
const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, nulls: { type: 'string', default: '1000' } }
});
const ROUNDS = Number(args.rounds);
const NULLS = Number(args.nulls);
const RUN = { samples: NULLS, null: 'random-pruning', seed: 1, chain: 'paths', biasNode: true };

ensureLibBuilt({ modules: ['core/io', 'core/significance', 'kernel/parallel', 'kernel/chromium'], log });
const { serializeNetwork } = require('../lib/core/io.js');
const { motifSignificance } = require('../lib/core/significance.js');
const { motifSignificanceParallel } = require('../lib/kernel/parallel.js');
const { chromiumLaunchOptions } = require('../lib/kernel/chromium.js');
const { chromium } = require('playwright-core');

const staticDir = join(root, 'jupyterlab_nnmotifs/labextension/static');
const chunk = existsSync(staticDir)
  ? readdirSync(staticDir).find(f => f.startsWith('nnmotifs-inspector.') && f.endsWith('.js'))
  : undefined;
if (chunk === undefined) {
  log(`no Inspector worker chunk in ${staticDir}: build the labextension first (npm run build)`);
  process.exit(1);
}

const net = prunedNetwork(MOTH, 0.07, 1);
const fileBytes = Buffer.from(serializeNetwork(net));

// The page and the labextension's static files from one origin, as JupyterLab serves them.
const PAGE = '<!doctype html><meta charset="utf-8"><title>nnmotifs Inspector worker benchmark</title>';
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    return;
  }
  const name = url.pathname.replace(/^\/static\//, '');
  if (url.pathname.startsWith('/static/') && /^[\w.-]+$/.test(name) && existsSync(join(staticDir, name))) {
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(join(staticDir, name)));
    return;
  }
  res.writeHead(404).end();
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${server.address().port}`;

const browser = await chromium.launch(chromiumLaunchOptions('bench'));
const page = await browser.newPage();
page.on('pageerror', error => log(`page error: ${error.message}`));
await page.goto(`${origin}/`);

// Opens the network in a fresh Inspector worker, then times each motif run of that worker in the page.
await page.evaluate(
  async ({ url, bytes }) => {
    const worker = new globalThis.Worker(url, { name: 'nnmotifs-inspector' });
    const next = type =>
      new Promise((resolve, reject) => {
        const listener = event => {
          const message = event.data;
          if (message.type === 'open-failed' || message.type === 'motifs-failed')
            reject(new Error(message.message));
          if (message.type === 'progress') globalThis.progressMessages++;
          if (message.type !== type) return;
          worker.removeEventListener('message', listener);
          resolve(message);
        };
        worker.addEventListener('message', listener);
        worker.addEventListener('error', event =>
          reject(new Error(event.message || 'worker failed to load'))
        );
      });
    const t0 = performance.now();
    worker.postMessage({ type: 'open-file', name: 'moth-7.network.json', bytes: new Uint8Array(bytes) });
    await next('opened');
    globalThis.openMs = performance.now() - t0;
    globalThis.inspectorRun = async (run, options) => {
      globalThis.progressMessages = 0;
      const start = performance.now();
      worker.postMessage({ type: 'motifs', run, options });
      const done = await next('motifs-done');
      return {
        ms: performance.now() - start,
        z: done.result.z,
        progressMessages: globalThis.progressMessages
      };
    };
  },
  { url: `${origin}/static/${chunk}`, bytes: [...fileBytes] }
);
const openMs = await page.evaluate(() => globalThis.openMs);
log(
  `worker chunk ${chunk}: network file opened (parse, structure, metrics, view) in ${(openMs / 1000).toFixed(2)} s`
);

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rounds = [];
let inspectorZ = null;
let kernelZ = null;
for (let r = 0; r < ROUNDS; r++) {
  const load = loadavg()[0];
  const browserRun = await page.evaluate(
    ([run, options]) => globalThis.inspectorRun(run, options),
    [r + 1, RUN]
  );
  let t = performance.now();
  const parallel = await motifSignificanceParallel(net, { samples: NULLS, seed: 1, biasNode: true });
  const kernelSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  motifSignificance(net, { samples: NULLS, seed: 1, biasNode: true });
  const singleSeconds = (performance.now() - t) / 1000;
  inspectorZ = browserRun.z;
  kernelZ = parallel.z;
  const round = {
    load,
    inspectorSeconds: browserRun.ms / 1000,
    progressMessages: browserRun.progressMessages,
    kernelSeconds,
    singleThreadSeconds: singleSeconds
  };
  rounds.push(round);
  log(
    `round ${r + 1}: Inspector worker ${round.inspectorSeconds.toFixed(2)} s (${round.progressMessages} progress updates), ` +
      `nm.motifs path ${kernelSeconds.toFixed(2)} s, single thread ${singleSeconds.toFixed(2)} s (load ${load.toFixed(1)})`
  );
}
await browser.close();
server.close();

const sameZ = Object.keys(kernelZ).every(
  k =>
    Object.is(kernelZ[k], inspectorZ[k]) ||
    (kernelZ[k] === null && inspectorZ[k] === null) ||
    Math.abs(kernelZ[k] - inspectorZ[k]) < 1e-12
);
const inspectorSeconds = median(rounds.map(r => r.inspectorSeconds));
const kernelSeconds = median(rounds.map(r => r.kernelSeconds));
const singleThreadSeconds = median(rounds.map(r => r.singleThreadSeconds));
const table = [
  { figure: `Inspector worker (Chromium): census + ${NULLS} nulls + Z`, seconds: inspectorSeconds },
  {
    figure: 'kernel nm.motifs path (worker threads, Node)',
    seconds: kernelSeconds,
    inspectorOverThis: inspectorSeconds / kernelSeconds
  },
  {
    figure: 'motifSignificance, one thread (Node)',
    seconds: singleThreadSeconds,
    inspectorOverThis: inspectorSeconds / singleThreadSeconds
  }
];
console.log(
  `\nmoth 10-400-400-400-16-7 at 7 %, ${NULLS} random-pruning nulls, bias node, seed 1 (median of ${ROUNDS} rounds, ${availableParallelism()} cores)`
);
console.table(
  table.map(row => ({
    ...row,
    seconds: row.seconds.toFixed(3),
    inspectorOverThis: row.inspectorOverThis?.toFixed(2) ?? ''
  }))
);
console.log(`Z-scores of the Inspector equal the kernel's: ${sameZ}`);

mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/inspector-worker.json'),
  JSON.stringify(
    {
      date: new Date().toISOString(),
      cores: availableParallelism(),
      workerChunk: chunk,
      network: { sizes: MOTH, keep: 0.07, seed: 1, fileBytes: fileBytes.length },
      run: RUN,
      openSeconds: openMs / 1000,
      inspectorSeconds,
      kernelSeconds,
      singleThreadSeconds,
      ratioToKernel: inspectorSeconds / kernelSeconds,
      ratioToSingleThread: inspectorSeconds / singleThreadSeconds,
      sameZ,
      rounds
    },
    null,
    2
  ) + '\n'
);
