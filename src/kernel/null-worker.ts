/**
 * Worker thread of {@link motifSignificanceParallel} (`parallel.ts`): for each run it prepares the null
 * census of the census graph it is given, then counts every chunk of samples it is sent, in the order sent
 * (the pool keeps a second chunk queued so the worker never waits for the main thread between chunks). The
 * thread stays warm between runs (`threads.ts`).
 * Imports `core` only (no tfjs).
 */
import type { MotifGraph } from '../core/live';
import { type NullCensusOptions, prepareNullCensusOfGraph } from '../core/nulls';
import { serveRuns } from './threads';

/**
 * What the pool hands a worker at the start of a run: the census view of the network (`motifGraph` with the run's
 * `biasNode` and `pruneDeadGhost`; a few CSR arrays, much smaller than the weight matrices) and the options.
 */
export interface NullWorkerData {
  readonly graph: MotifGraph;
  readonly options: Omit<NullCensusOptions, 'samples' | 'start' | 'biasNode' | 'pruneDeadGhost'>;
}

/** A chunk request: samples `start … start + samples − 1`. */
export interface NullWorkerTask {
  readonly start: number;
  readonly samples: number;
}

/** A chunk result: row-major counts of the chunk's samples. */
export interface NullWorkerResult {
  readonly start: number;
  readonly values: Float64Array;
}

serveRuns((data: NullWorkerData) => {
  const run = prepareNullCensusOfGraph(data.graph, data.options);
  return (task: NullWorkerTask) => {
    const { values } = run.count(task.start, task.samples);
    const result: NullWorkerResult = { start: task.start, values };
    return { result, transfer: [values.buffer as ArrayBuffer] };
  };
});
