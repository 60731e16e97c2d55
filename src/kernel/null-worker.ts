/**
 * Worker thread of {@link motifSignificanceParallel} (`parallel.ts`): prepares the null census of the
 * census graph it is given once, then counts every chunk of samples it is sent, in the order sent (the
 * pool keeps a second chunk queued so the worker never waits for the main thread between chunks).
 * Imports `core` only (no tfjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { MotifGraph } from '../core/live';
import { type NullCensusOptions, prepareNullCensusOfGraph } from '../core/nulls';

/**
 * What the pool hands a worker when it starts: the census view of the network (`motifGraph` with the run's
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

if (parentPort !== null) {
  const port = parentPort;
  const { graph, options } = workerData as NullWorkerData;
  const run = prepareNullCensusOfGraph(graph, options);
  port.on('message', (task: NullWorkerTask) => {
    const { values } = run.count(task.start, task.samples);
    const result: NullWorkerResult = { start: task.start, values };
    port.postMessage(result, [values.buffer as ArrayBuffer]);
  });
}
