/**
 * A helper Web Worker of the Network Inspector's worker (started by `worker.ts`, one per extra core):
 * counts chunks of null samples of a motif run, so the run uses two cores as the kernel's `nm.motifs`
 * does (the kernel's calling thread plus worker threads). The first message is the run
 * ({@link HelperStart}); every later one a chunk, answered with its counts in the order received.
 */
import type { MotifGraph } from '../../core/live';
import { type NullCensusOptions, type PreparedNullCensus, prepareNullCensusOfGraph } from '../../core/nulls';

/** The run a helper counts for: the census graph and the null options (as `prepareNullCensusOfGraph`). */
export interface HelperStart {
  readonly graph: MotifGraph;
  readonly options: Omit<NullCensusOptions, 'samples' | 'start'>;
}

/** A chunk request: samples `start … start + samples − 1`. */
export interface HelperTask {
  readonly start: number;
  readonly samples: number;
}

/** A chunk's counts (row-major), or the error that stopped the helper. */
export type HelperResult =
  | { readonly start: number; readonly values: Float64Array }
  | { readonly start: number; readonly error: string };

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HelperStart | HelperTask>) => void) | null;
  postMessage(message: HelperResult, transfer?: Transferable[]): void;
};

let run: PreparedNullCensus | undefined;
scope.onmessage = event => {
  const data = event.data;
  if ('graph' in data) {
    run = prepareNullCensusOfGraph(data.graph, data.options);
    return;
  }
  try {
    if (run === undefined) throw new Error('null helper: a chunk came before the run');
    const { values } = run.count(data.start, data.samples);
    scope.postMessage({ start: data.start, values }, [values.buffer]);
  } catch (error) {
    scope.postMessage({ start: data.start, error: error instanceof Error ? error.message : String(error) });
  }
};
