/**
 * Null-model samples on all cores: a pool of Node worker threads and the calling thread draw the samples
 * of `motifSignificance` in chunks and the results are merged in sample order.
 *
 * Sample `i` always uses the random stream of `(seed, i)` (see `sampleSeed` in `core/nulls.ts`), so the
 * result is identical to the single-threaded `motifSignificance` for the same options, whatever the number
 * of workers or the chunk size. This module imports `core` and Node built-ins only, never tfjs, so the
 * CLI stays light.
 */
import { availableParallelism } from 'node:os';
import { censusKeys } from '../core/census';
import { motifGraph } from '../core/live';
import type { LayeredNetwork } from '../core/network';
import {
  type MotifSignificance,
  type SignificanceOptions,
  MIN_PARALLEL_WORK,
  motifSignificance,
  nullRunOf,
  realCensus,
  significanceFromSamples
} from '../core/significance';
import { prepareNullCensusOfGraph } from '../core/nulls';
import type { NullWorkerData, NullWorkerResult, NullWorkerTask } from './null-worker';
import { runOnThreads } from './threads';

/** Options of {@link motifSignificanceParallel}. */
export interface ParallelSignificanceOptions extends SignificanceOptions {
  /**
   * Threads that count samples, the calling thread included (it counts chunks too, between the workers'
   * results): default `os.availableParallelism()`, and only the calling thread when samples × live edges
   * is below two million (such a run is faster than starting a thread); 1 runs in this thread.
   */
  readonly workers?: number;
  /**
   * Samples per chunk handed to a worker. Default: guided chunks, `ceil(samples / (8 · workers))` within
   * [1, 250] at first, then `remaining / (3 · workers)` as the run nears its end (never below
   * {@link MIN_GUIDED_CHUNK}), so the workers finish together. A given `chunkSize` is used for every chunk.
   */
  readonly chunkSize?: number;
}

/** Smallest guided chunk (a chunk costs one message round trip, well under a millisecond). */
export const MIN_GUIDED_CHUNK = 4;

/**
 * `motifSignificance` with the null samples drawn on worker threads and the calling thread.
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
  const graph = motifGraph(net, info);
  // Too little work to pay for starting threads (unless workers were asked for explicitly): stay here.
  const edges = graph.layers.reduce((s, l) => s + l.rowPtr[l.nRows], 0);
  if (options.workers === undefined && samples * edges < MIN_PARALLEL_WORK)
    return motifSignificance(net, options);
  // Chunks as small as one sample, so a few expensive samples (`--nulls 10` on a large network) still
  // spread over every core.
  const chunk = fixed ?? Math.min(250, Math.max(1, Math.ceil(samples / (8 * requested))));
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
    graph,
    options: {
      null: info.model,
      seed: info.seed,
      chain: info.chain,
      signed: info.signed,
      rounds: options.rounds ?? 20
    }
  };
  let next = 0;
  let done = 0;
  const take = (): NullWorkerTask | undefined => {
    if (next >= samples) return undefined;
    const n = nextChunk(samples - next);
    const task = { start: next, samples: n };
    next += n;
    return task;
  };
  const store = (start: number, chunk: Float64Array): void => {
    values.set(chunk, start * K);
    done += chunk.length / K;
    options.onProgress?.(done, samples);
  };
  // The calling thread is one of the `nWorkers` counting threads: it counts the real census and then
  // chunks of samples while the other threads start (on the moth 7 % network a worker thread took ~150 ms
  // of CPU to start and optimise, and ~25 % more CPU per sample than this thread, whose code the real
  // census has already optimised; docs/significance.md). Every worker has up to two chunks outstanding, so it starts the next one as soon as it posts
  // a result instead of waiting for the calling thread, which answers between two of its own chunks.
  let failed = false;
  let error: unknown;
  const run = runOnThreads<NullWorkerTask, NullWorkerResult>({
    script: 'null-worker',
    workerData: data,
    threads: nWorkers - 1,
    inFlight: 2,
    next: take,
    onResult: result => store(result.start, result.values)
  }).then(
    () => undefined,
    (err: unknown) => {
      failed = true;
      error = err;
    }
  );
  // runOnThreads has started its threads before it returns its promise.
  let real: Float64Array;
  try {
    real = realCensus(net, info);
    const local = prepareNullCensusOfGraph(graph, data.options);
    for (let task = take(); task !== undefined && !failed; task = take()) {
      store(task.start, local.count(task.start, task.samples).values);
      // let the workers' results in (and hand them their next chunk)
      await new Promise<void>(resolve => setImmediate(resolve));
    }
  } catch (err) {
    next = samples; // the workers get no new chunk and stop
    await run;
    throw err;
  }
  await run;
  if (failed) throw error instanceof Error ? error : new Error(String(error));
  return significanceFromSamples(net, values, info, real);
}
