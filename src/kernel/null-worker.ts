/**
 * Worker thread of {@link motifSignificanceParallel} (`parallel.ts`): prepares the null census of the
 * network it is given once, then counts every chunk of samples it is sent. Imports `core` only (no tfjs).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LayeredNetwork } from '../core/network';
import { type NullCensusOptions, prepareNullCensus } from '../core/nulls';

/** What the pool hands a worker when it starts. */
export interface NullWorkerData {
  readonly net: LayeredNetwork;
  readonly options: Omit<NullCensusOptions, 'samples' | 'start'>;
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
  const { net, options } = workerData as NullWorkerData;
  const run = prepareNullCensus(net, options);
  port.on('message', (task: NullWorkerTask) => {
    const { values } = run.count(task.start, task.samples);
    const result: NullWorkerResult = { start: task.start, values };
    port.postMessage(result, [values.buffer as ArrayBuffer]);
  });
}
