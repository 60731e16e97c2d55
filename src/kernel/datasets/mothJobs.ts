/** Messages between {@link moth} and its worker threads. */
import type { SimulateMothOptions } from '../../core/datasets/moth';

/** Simulate `count` trajectories starting at `options.first`. */
export interface MothJob {
  count: number;
  options: SimulateMothOptions;
}

/** The rows of one job, or the error that stopped it. */
export type MothChunk =
  | { first: number; x: Float64Array; y: Float64Array; steps: number; evaluations: number; error?: undefined }
  | { error: string };
