/**
 * Null-model samples on all cores: a pool of Node worker threads draws the samples of
 * `motifSignificance` in chunks and the results are merged in sample order.
 *
 * Sample `i` always uses the random stream of `(seed, i)` (see `sampleSeed` in `core/nulls.ts`), so the
 * result is identical to the single-threaded `motifSignificance` for the same options, whatever the number
 * of workers or the chunk size. This module imports `core` and Node built-ins only, never tfjs, so the
 * CLI stays light.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { censusKeys } from '../core/census';
import { motifGraph } from '../core/live';
import type { LayeredNetwork } from '../core/network';
import {
  type MotifSignificance,
  type SignificanceOptions,
  motifSignificance,
  nullRunOf,
  significanceFromSamples
} from '../core/significance';
import type { NullWorkerData, NullWorkerResult } from './null-worker';

/** Options of {@link motifSignificanceParallel}. */
export interface ParallelSignificanceOptions extends SignificanceOptions {
  /** Worker threads, default `os.availableParallelism()`; 1 runs in this thread. */
  readonly workers?: number;
  /**
   * Samples per chunk handed to a worker. Default: guided chunks, `ceil(samples / (8 · workers))` within
   * [10, 250] at first, then `remaining / (3 · workers)` as the run nears its end (never below
   * {@link MIN_GUIDED_CHUNK}), so the workers finish together. A given `chunkSize` is used for every chunk.
   */
  readonly chunkSize?: number;
}

/** Smallest guided chunk (a chunk costs one message round trip, well under a millisecond). */
export const MIN_GUIDED_CHUNK = 4;

/** The compiled worker script next to this module (`lib/kernel/null-worker.js`). */
function workerScript(): string {
  const here = join(__dirname, 'null-worker.js');
  if (existsSync(here)) return here;
  // Running from the TypeScript sources (tests): use the compiled copy.
  const compiled = join(__dirname, '..', '..', 'lib', 'kernel', 'null-worker.js');
  if (existsSync(compiled)) return compiled;
  throw new Error(`null worker script not found next to ${__dirname}; build with: npx tsc -p tsconfig.json`);
}

/**
 * `motifSignificance` with the null samples drawn on worker threads.
 *
 * @param net - the network.
 * @param options - as `motifSignificance`, plus `workers` (default `os.availableParallelism()`) and
 *   `chunkSize`. `onProgress` is called after every chunk.
 * @returns the same result as `motifSignificance(net, options)`.
 * @example
 * ```ts
 * const weights = Float64Array.from({ length: 400 }, (_, k) => (k % 9 === 0 ? 1 : 0));
 * const r = await motifSignificanceParallel({ layers: [{ nIn: 20, nOut: 20, weights }] }, { samples: 1000 });
 * r.z.biFan;
 * ```
 */
export async function motifSignificanceParallel(
  net: LayeredNetwork,
  options: ParallelSignificanceOptions = {}
): Promise<MotifSignificance> {
  const { info, samples } = nullRunOf(options);
  const requested = options.workers ?? availableParallelism();
  if (!Number.isInteger(requested) || requested < 1) {
    throw new RangeError(`workers must be a positive integer, got ${requested}`);
  }
  const fixed = options.chunkSize;
  if (fixed !== undefined && (!Number.isInteger(fixed) || fixed < 1)) {
    throw new RangeError(`chunkSize must be a positive integer, got ${fixed}`);
  }
  const chunk = fixed ?? Math.min(250, Math.max(10, Math.ceil(samples / (8 * requested))));
  const nWorkers = Math.min(requested, Math.ceil(samples / chunk));
  if (nWorkers <= 1) return motifSignificance(net, options);
  // guided: full chunks first, then shrinking ones so no worker is left with a long tail
  const nextChunk = (remaining: number): number =>
    Math.min(
      remaining,
      fixed ?? Math.min(chunk, Math.max(MIN_GUIDED_CHUNK, Math.ceil(remaining / (3 * nWorkers))))
    );

  const K = censusKeys(info.signed).length;
  const values = new Float64Array(samples * K);
  // The workers get the census graph (CSR arrays), not the weight matrices: less to copy, nothing to redo.
  const data: NullWorkerData = {
    graph: motifGraph(net, info),
    options: {
      model: info.model,
      seed: info.seed,
      chain: info.chain,
      signed: info.signed,
      rounds: options.rounds ?? 20
    }
  };
  const script = workerScript();
  let next = 0;
  let done = 0;
  const workers: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      // Every worker has up to two chunks outstanding, so it starts the next one as soon as it posts a
      // result instead of waiting for the main thread's reply.
      const feed = (w: Worker): void => {
        if (next >= samples) return;
        const n = nextChunk(samples - next);
        w.postMessage({ start: next, samples: n });
        next += n;
      };
      for (let k = 0; k < nWorkers; k++) {
        const w = new Worker(script, { workerData: data });
        workers.push(w);
        w.on('message', (result: NullWorkerResult) => {
          values.set(result.values, result.start * K);
          done += result.values.length / K;
          options.onProgress?.(done, samples);
          if (done === samples) resolve();
          else feed(w);
        });
        w.on('error', reject);
        w.on('exit', code => {
          if (code !== 0) reject(new Error(`null worker stopped with exit code ${code}`));
        });
      }
      for (let round = 0; round < 2; round++) for (const w of workers) feed(w);
    });
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
  return significanceFromSamples(net, values, info);
}
