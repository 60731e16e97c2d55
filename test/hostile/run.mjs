// Runs hostile probes in child processes under a memory limit (ulimit -v and --max-old-space-size) and a
// time limit, through the CLI, the kernel's loadNetwork and the Inspector's worker core. Shared by
// test/hostile/hostile.test.ts and bench/hostile.mjs.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

export const here = dirname(fileURLToPath(import.meta.url));
export const root = join(here, '..', '..');
const require = createRequire(import.meta.url);

/** Virtual memory limit of a probe's process (V8 reserves address space well beyond what it uses). */
export const PROBE_VIRTUAL_KIB = 6 * 1024 * 1024;
/** JS heap limit of a probe's process, MiB. */
export const PROBE_HEAP_MIB = 1024;

/** Bundles the Inspector's worker core (TypeScript, ESM) into one CommonJS file for Node. */
export async function bundleWorkerCore(outDir) {
  const esbuild = await import('esbuild');
  const outfile = join(outDir, 'worker-core.cjs');
  esbuild.buildSync({
    entryPoints: [join(root, 'src', 'lab', 'inspector', 'worker-core.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error'
  });
  return outfile;
}

const shellQuote = s => `'${String(s).replace(/'/g, `'\\''`)}'`;

/** Runs a command to its end (or kills it after `timeoutMs`), without blocking the event loop. */
function runAsync(command, args, { timeoutMs, env }) {
  return new Promise(resolveRun => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', d => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', d => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status, signal) => {
      clearTimeout(timer);
      resolveRun({ status, signal, stdout, stderr, timedOut });
    });
  });
}

/**
 * Runs one probe in one mode. Resolves to { code, message, stderr, ms, maxRssKiB, timedOut }.
 */
export async function runProbe(probe, mode, corpusDir, { timeoutMs = 30_000, workerBundle } = {}) {
  const file = join(corpusDir, probe.file);
  const args = probe.args ?? [];
  const maxIdx = args.indexOf('--max-memory');
  const { parseMemorySize } = require(join(root, 'lib', 'core', 'formats', 'budget.js'));
  const maxMemory = maxIdx >= 0 ? parseMemorySize(args[maxIdx + 1]) : undefined;
  const node = [process.execPath, `--max-old-space-size=${PROBE_HEAP_MIB}`];
  let command;
  const scratch = mkdtempSync(join(tmpdir(), 'nnmotifs-probe-'));
  const rssFile = join(scratch, 'rss');
  if (mode === 'cli') {
    command = [
      ...node,
      '--import',
      pathToFileURL(join(here, 'rss-hook.mjs')).href,
      join(root, 'lib', 'cli', 'main.js'),
      'metrics',
      file,
      ...args
    ];
  } else if (mode === 'kernel') {
    command = [...node, join(here, 'probe.mjs'), 'kernel', file, maxMemory ?? ''];
  } else {
    command = [...node, join(here, 'probe.mjs'), 'worker', file, maxMemory ?? '', workerBundle];
  }
  const script = `ulimit -v ${PROBE_VIRTUAL_KIB} && exec ${command.map(shellQuote).join(' ')}`;
  const t0 = performance.now();
  const r = await runAsync('/bin/sh', ['-c', script], {
    timeoutMs,
    env: { ...process.env, NNMOTIFS_PROBE_RSS: rssFile }
  });
  const ms = performance.now() - t0;
  let result;
  if (mode === 'cli') {
    let rss = NaN;
    try {
      rss = Number(readFileSync(rssFile, 'utf8'));
    } catch {
      // killed before exit
    }
    result = { code: r.status, message: r.stderr.trim(), stderr: r.stderr, maxRssKiB: rss };
  } else {
    let parsed = { code: r.status, message: r.stderr.trim(), maxRssKiB: NaN };
    try {
      parsed = JSON.parse(r.stdout.trim().split('\n').pop());
    } catch {
      // no report: crashed or killed
    }
    result = { ...parsed, code: r.status, stderr: r.stderr };
  }
  rmSync(scratch, { recursive: true, force: true });
  return { ...result, ms, timedOut: r.timedOut };
}

/** What a probe should give in a mode. */
export function expectationOf(probe, mode) {
  return mode === 'worker' && probe.workerExpect !== undefined ? probe.workerExpect : probe.expect;
}
