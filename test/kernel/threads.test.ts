/**
 * The kernel's worker-thread pool (`src/kernel/threads.ts`): threads stay warm between runs and serve each
 * run's own data, a failed run stops its threads, and warm threads never keep Node from exiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { ensureLibBuilt, root } from '../../bench/build-lib.mjs';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { motifSignificance } from '../../src/core/significance';
import { motifSignificanceParallel } from '../../src/kernel/parallel';
import { runOnThreads, stopWarmThreads, warmThreads } from '../../src/kernel/threads';
import type { MothChunk, MothJob } from '../../src/kernel/datasets/mothJobs';

function randomNet(seed: number, sizes: number[], density: number): LayeredNetwork {
  const rng = createRng(seed);
  const layers: Layer[] = sizes.slice(0, -1).map((nIn, l) => ({
    nIn,
    nOut: sizes[l + 1],
    weights: Float64Array.from({ length: nIn * sizes[l + 1] }, () =>
      rng.next() < density ? rng.normal() : 0
    )
  }));
  return { layers };
}

beforeAll(
  () =>
    ensureLibBuilt({
      modules: ['kernel/threads', 'kernel/null-worker', 'kernel/datasets/mothWorker'],
      log: () => undefined
    }),
  180_000
);
afterAll(() => stopWarmThreads());

describe('runOnThreads', () => {
  it('keeps threads warm between runs and gives each run its own data', async () => {
    await stopWarmThreads();
    const a = randomNet(1, [5, 9, 8, 3], 0.4);
    const b = randomNet(2, [7, 6, 6, 4], 0.5);
    const options = {
      samples: 40,
      seed: 5,
      biasNode: false,
      chain: 'pairs',
      workers: 3,
      chunkSize: 3
    } as const;
    const first = await motifSignificanceParallel(a, options);
    expect(warmThreads()).toEqual({ 'null-worker': 2 });
    // the same threads serve the next runs (no more are started), alternating networks
    const second = await motifSignificanceParallel(b, options);
    const third = await motifSignificanceParallel(a, { ...options, seed: 6 });
    expect(warmThreads()).toEqual({ 'null-worker': 2 });
    const { workers: _w, chunkSize: _c, ...single } = options;
    expect(JSON.stringify(first)).toBe(JSON.stringify(motifSignificance(a, single)));
    expect(JSON.stringify(second)).toBe(JSON.stringify(motifSignificance(b, single)));
    expect(JSON.stringify(third)).toBe(JSON.stringify(motifSignificance(a, { ...single, seed: 6 })));
  });

  it('stops the threads of a failed run, and the next run starts fresh ones', async () => {
    await stopWarmThreads();
    let k = 0;
    const jobs = (): MothJob | undefined =>
      k < 6 ? { count: 2, options: { seed: 1, first: 2 * k++ } } : undefined;
    await runOnThreads<MothJob, MothChunk>({
      script: 'datasets/mothWorker',
      threads: 2,
      next: jobs,
      onResult: () => undefined
    });
    expect(warmThreads()).toEqual({ 'datasets/mothWorker': 2 });
    k = 0;
    await expect(
      runOnThreads<MothJob, MothChunk>({
        script: 'datasets/mothWorker',
        threads: 2,
        inFlight: 2,
        next: jobs,
        onResult: () => {
          throw new Error('refused by the test');
        }
      })
    ).rejects.toThrow('refused by the test');
    expect(warmThreads()['datasets/mothWorker']).toBeUndefined();
    // a thread's own error fails the run with its message (a job the simulator refuses)
    let once = false;
    await expect(
      runOnThreads<MothJob, MothChunk>({
        script: 'datasets/mothWorker',
        threads: 1,
        next: () => (once ? undefined : ((once = true), { count: -1, options: { seed: 1 } })),
        onResult: () => undefined
      })
    ).rejects.toThrow(/count|positive|integer/i);
    expect(warmThreads()['datasets/mothWorker']).toBeUndefined();
    k = 0;
    const got: number[] = [];
    await runOnThreads<MothJob, MothChunk>({
      script: 'datasets/mothWorker',
      threads: 2,
      next: jobs,
      onResult: r => {
        if (r.error === undefined) got.push(r.first);
      }
    });
    expect(got.sort((x, y) => x - y)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('does not keep Node from exiting while threads are warm', async () => {
    // a script that runs one parallel census and returns: Node must exit at once, not after the idle timeout
    const script = `
      const { motifSignificanceParallel } = require(${JSON.stringify(join(root, 'lib', 'kernel', 'parallel.js'))});
      const { warmThreads } = require(${JSON.stringify(join(root, 'lib', 'kernel', 'threads.js'))});
      const w = Float64Array.from({ length: 400 }, (_, k) => (k % 7 === 0 ? 1 : 0));
      motifSignificanceParallel({ layers: [{ nIn: 20, nOut: 20, weights: w }, { nIn: 20, nOut: 20, weights: w }] }, { samples: 20, workers: 2 })
        .then(() => console.log(JSON.stringify(warmThreads())));`;
    const started = Date.now();
    const output = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
      const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('error', reject);
      child.on('exit', code => resolve({ code, out }));
    });
    expect(output.code).toBe(0);
    expect(JSON.parse(output.out)).toEqual({ 'null-worker': 1 });
    // the idle timeout is 60 s; exiting takes well under that on any machine
    expect(Date.now() - started).toBeLessThan(30_000);
  }, 60_000);
});
