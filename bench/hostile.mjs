#!/usr/bin/env node
/**
 * Benchmark: the hostile corpus (test/hostile/corpus.mjs) through the CLI, the kernel's loadNetwork and
 * the Inspector's worker core, each probe in its own process under the same limits as the test
 * (`ulimit -v`, `--max-old-space-size`). Prints wall time and peak RSS per probe and mode against the
 * targets (< 5 s, < 1 GiB), and as a reference measured in the same run, reading a genuine network of
 * about 4 MB (a 1000-1000-10 float32 .safetensors) the same way: a refused probe should cost no more than
 * reading a real file.
 *
 * Also reported, for information: the genuine-looking 8192×8192 all-zero npz layer under the default
 * 2 GiB budget (a real network size: it is read, not refused).
 *
 * Wall time includes starting Node and loading nnmotifs (about 0.3 s on a quiet machine); `read` is the
 * reader alone, measured inside the kernel and worker probes.
 *
 * Usage: `node bench/hostile.mjs [--only ID]`. Writes bench/results/hostile.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ensureLibBuilt, root } from './build-lib.mjs';

const log = msg => process.stderr.write(`${msg}\n`);
const { values: args } = parseArgs({ options: { only: { type: 'string' } } });
ensureLibBuilt({ log });
const { buildCorpus } = await import('../test/hostile/corpus.mjs');
const { runProbe, bundleWorkerCore, expectationOf } = await import('../test/hostile/run.mjs');

const TARGET_MS = 5000;
const TARGET_RSS_KIB = 1024 * 1024;

const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-hostile-bench-'));
const probes = buildCorpus(dir);
const workerBundle = await bundleWorkerCore(dir);

// Reference: a genuine 1000-1000-10 float32 safetensors (about 4 MB), read through the same paths.
{
  const header = {
    '0.weight': { dtype: 'F32', shape: [1000, 1000], data_offsets: [0, 4_000_000] },
    '1.weight': { dtype: 'F32', shape: [10, 1000], data_offsets: [4_000_000, 4_040_000] }
  };
  const h = Buffer.from(JSON.stringify(header));
  const data = Buffer.alloc(4_040_000);
  for (let k = 0; k < data.length / 4; k++) data.writeFloatLE(Math.sin(k), 4 * k);
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  mkdirSync(join(dir, 'reference'));
  writeFileSync(join(dir, 'reference', 'mlp.safetensors'), Buffer.concat([len, h, data]));
}
const reference = {
  id: 'reference_genuine_4mb',
  family: 'reference',
  file: join('reference', 'mlp.safetensors'),
  modes: ['cli', 'kernel', 'worker'],
  expect: { exit: 0, message: '' }
};
const defaultBudget = probes.find(p => p.id === 'npz_bomb_256m_npy');
const info = {
  ...defaultBudget,
  id: 'npz_bomb_256m_npy@2GiB (info)',
  args: [],
  expect: { exit: 0, message: '' }
};

const rows = [];
const all = [reference, ...probes.filter(p => args.only === undefined || p.id.includes(args.only)), info];
for (const probe of all) {
  for (const mode of probe.modes) {
    const r = await runProbe(probe, mode, dir, { timeoutMs: 120_000, workerBundle });
    const e = expectationOf(probe, mode);
    const asExpected =
      probe === info
        ? null
        : r.code === e.exit && (e.message === '' || new RegExp(e.message).test(r.message));
    rows.push({
      probe: probe.id,
      family: probe.family,
      mode,
      exit: r.code,
      asExpected,
      ms: Math.round(r.ms),
      readMs: r.readMs === undefined || Number.isNaN(r.readMs) ? null : Math.round(r.readMs),
      rssMiB: Math.round(r.maxRssKiB / 1024),
      withinTargets: r.ms < TARGET_MS && r.maxRssKiB < TARGET_RSS_KIB
    });
    const row = rows[rows.length - 1];
    log(
      `${row.probe.padEnd(32)} ${mode.padEnd(6)} exit ${String(row.exit).padEnd(4)} ${String(row.ms).padStart(6)} ms ` +
        `(read ${row.readMs === null ? '   -' : String(row.readMs).padStart(5)} ms) ` +
        `${String(row.rssMiB).padStart(5)} MiB${row.asExpected === false ? '  UNEXPECTED: ' + r.message.slice(0, 200) : ''}` +
        `${row.withinTargets ? '' : '  OVER TARGET'}`
    );
  }
}
rmSync(dir, { recursive: true, force: true });

const hostile = rows.filter(r => r.family !== 'reference' && r.asExpected !== null);
const ref = rows.filter(r => r.family === 'reference');
const max = (list, key) => Math.max(...list.map(r => r[key]));
const summary = {
  date: new Date().toISOString(),
  node: process.version,
  load: loadavg().map(x => Number(x.toFixed(2))),
  probes: new Set(hostile.map(r => r.probe)).size,
  runs: hostile.length,
  asExpected: hostile.filter(r => r.asExpected).length,
  exitCodes: Object.fromEntries(
    [...new Set(hostile.map(r => r.exit))].map(c => [c, hostile.filter(r => r.exit === c).length])
  ),
  maxMs: max(hostile, 'ms'),
  maxRssMiB: max(hostile, 'rssMiB'),
  maxReadMs: max(
    hostile.filter(r => r.readMs !== null),
    'readMs'
  ),
  withinTargets: hostile.filter(r => r.withinTargets).length,
  referenceMaxMs: max(ref, 'ms'),
  referenceMaxRssMiB: max(ref, 'rssMiB'),
  ratioMaxMsToReference: Number((max(hostile, 'ms') / max(ref, 'ms')).toFixed(2)),
  ratioMaxRssToReference: Number((max(hostile, 'rssMiB') / max(ref, 'rssMiB')).toFixed(2))
};
log('');
log(
  `${summary.runs} runs of ${summary.probes} probes: ${summary.asExpected} as expected, exit codes ${JSON.stringify(summary.exitCodes)}; ` +
    `max ${summary.maxMs} ms wall (Node start-up included; the reader alone at most ${summary.maxReadMs} ms), max ${summary.maxRssMiB} MiB RSS (targets < ${TARGET_MS} ms, < 1024 MiB: ` +
    `${summary.withinTargets}/${summary.runs} within); reference (genuine 4 MB file) max ${summary.referenceMaxMs} ms, ` +
    `${summary.referenceMaxRssMiB} MiB; ratios ${summary.ratioMaxMsToReference}× time, ${summary.ratioMaxRssToReference}× RSS; load ${summary.load.join(' ')}`
);
mkdirSync(join(root, 'bench', 'results'), { recursive: true });
writeFileSync(
  join(root, 'bench', 'results', 'hostile.json'),
  JSON.stringify({ summary, rows }, null, 2) + '\n'
);
