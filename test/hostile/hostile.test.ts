/**
 * The hostile corpus (test/hostile/corpus.mjs), generated into a temporary folder and run through the
 * CLI (`nnmotifs metrics FILE`), the kernel's `loadNetwork` and the Network Inspector's worker core, each
 * probe in its own process under a memory limit (`ulimit -v`, `--max-old-space-size`) and a time limit.
 * Every probe must be refused with the expected exit code and a one-line message of the expected class.
 * Time and peak RSS are measured by bench/hostile.mjs, not asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

interface Probe {
  id: string;
  family: string;
  file: string;
  modes: ('cli' | 'kernel' | 'worker')[];
  expect: { exit: number; message: string };
  workerExpect?: { exit: number; message: string };
  args?: string[];
}
interface Outcome {
  code: number | null;
  message: string;
  stderr: string;
  timedOut: boolean;
}
interface CorpusModule {
  buildCorpus(dir: string): Probe[];
}
interface RunModule {
  runProbe(
    probe: Probe,
    mode: string,
    dir: string,
    options: { timeoutMs: number; workerBundle: string }
  ): Promise<Outcome>;
  bundleWorkerCore(dir: string): Promise<string>;
  expectationOf(probe: Probe, mode: string): { exit: number; message: string };
}

/** Generous: two shared cores under a full test run. The < 5 s target is measured by bench/hostile.mjs. */
const PROBE_TIMEOUT_MS = 30_000;

/** Imports a plain-JavaScript helper module (shared with bench/hostile.mjs, so not TypeScript). */
const load = (path: string): Promise<unknown> => import(/* @vite-ignore */ path);

let dir = '';
let probes: Probe[] = [];
let workerBundle = '';
let run: RunModule;

beforeAll(async () => {
  // lib/ (the CLI and loadNetwork as users run them) must be current.
  const { ensureLibBuilt } = (await load(join(__dirname, '..', '..', 'bench', 'build-lib.mjs'))) as {
    ensureLibBuilt(options: { log: (msg: string) => void }): void;
  };
  ensureLibBuilt({ log: () => undefined });
  const corpus = (await load(join(__dirname, 'corpus.mjs'))) as CorpusModule;
  run = (await load(join(__dirname, 'run.mjs'))) as RunModule;
  dir = mkdtempSync(join(tmpdir(), 'nnmotifs-hostile-'));
  probes = corpus.buildCorpus(dir);
  workerBundle = await run.bundleWorkerCore(dir);
}, 120_000);

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('hostile corpus', () => {
  it('covers every family of the hostile-input campaign in all three paths, and every format', () => {
    const families = new Set(probes.map(p => p.family));
    for (const family of [
      'symlink',
      'special file',
      'path traversal',
      'duplicate reference',
      'zip bomb',
      'prototype key',
      'structural limit',
      'deep structure',
      'large JSON',
      'absurd size',
      'code execution'
    ]) {
      expect(families, family).toContain(family);
    }
    for (const mode of ['cli', 'kernel', 'worker'] as const) {
      expect(probes.filter(p => p.modes.includes(mode)).length).toBeGreaterThan(25);
    }
    // The model files of other tools (PyTorch pickles, ONNX, HDF5) have hostile probes too.
    for (const extension of ['.pt', '.onnx', '.h5', '.npz', '.safetensors', '.json']) {
      expect(probes.filter(p => p.file.endsWith(extension)).length, extension).toBeGreaterThanOrEqual(2);
    }
  });

  for (const mode of ['cli', 'kernel', 'worker'] as const) {
    it(`every probe is refused with its expected exit code and a one-line reason (${mode})`, async () => {
      const failures: string[] = [];
      for (const probe of probes.filter(p => p.modes.includes(mode))) {
        const expected = run.expectationOf(probe, mode);
        const outcome = await run.runProbe(probe, mode, dir, { timeoutMs: PROBE_TIMEOUT_MS, workerBundle });
        const lines = outcome.message.split('\n').filter(line => line.trim() !== '');
        const problems = [
          outcome.timedOut ? `timed out after ${PROBE_TIMEOUT_MS} ms` : '',
          outcome.code !== expected.exit ? `exit ${outcome.code}, expected ${expected.exit}` : '',
          new RegExp(expected.message).test(outcome.message)
            ? ''
            : `message does not match /${expected.message}/`,
          lines.length !== 1 ? `${lines.length} lines of message` : '',
          /\n\s+at /.test(outcome.stderr) ? 'stack trace on stderr' : ''
        ].filter(p => p !== '');
        if (problems.length > 0) {
          failures.push(`${probe.id}: ${problems.join('; ')} — got: ${outcome.message.slice(0, 400)}`);
        }
      }
      expect(failures).toEqual([]);
    }, 600_000);
  }
});
