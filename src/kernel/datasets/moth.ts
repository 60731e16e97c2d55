/**
 * `nm.datasets.moth`: the moth flight data set generated in parallel on worker threads, split and scaled as
 * Zahn et al. did. Determinism: trajectory i depends only on (seed, i), so the rows are identical for any
 * number of workers and any chunk size.
 */
import { availableParallelism } from 'node:os';
import { DataMatrix, ScaledSplit, splitAndScale } from '../../core/datasets/matrix';
import { MothData, SimulateMothOptions, simulateMoth } from '../../core/datasets/moth';
import type { MothChunk, MothJob } from './mothJobs';
import { DatasetFormat, FormatMatrix, asFormat } from './tensors';
import { runOnThreads } from '../threads';

/** Options of {@link simulateMothParallel}. */
export interface ParallelMothOptions extends Omit<SimulateMothOptions, 'first'> {
  /** Worker threads; `0` simulates in the calling thread. Default: the number of CPUs. */
  workers?: number;
  /** Trajectories per job handed to a worker. Default `min(2000, ⌈n / (4·workers)⌉)`. */
  chunkSize?: number;
  /** Called after each finished chunk with the number of trajectories done so far. */
  progress?: (done: number, total: number) => void;
}

/** Options of {@link moth}. */
export interface MothDatasetOptions<F extends DatasetFormat = 'tensor'> extends ParallelMothOptions {
  /** `tensor` (default) or `array`. */
  format?: F;
  /** Fractions held out (defaults 0.2 and 0.2 of the rest, as Zahn et al.). */
  testFraction?: number;
  validationFraction?: number;
}

/** The moth data set: scaled splits in the requested format and the scalers that undo the scaling. */
export type MothDataset<F extends DatasetFormat = 'tensor'> = ScaledSplit<FormatMatrix<F>>;

/**
 * Simulates `n` moth flights (core `simulateMoth`) on worker threads and returns the unsplit, unscaled rows
 * in trajectory order.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const raw = await nm.datasets.simulateMothParallel(400, { seed: 1, workers: 2 });
 * raw.x.rows; // 400
 * ```
 */
export async function simulateMothParallel(n: number, options: ParallelMothOptions = {}): Promise<MothData> {
  const { workers = defaultWorkers(), chunkSize, progress, ...simOptions } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`moth: n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(workers) || workers < 0) {
    throw new RangeError(`moth: workers must be an integer ≥ 0, got ${workers}`);
  }
  const chunk = chunkSize ?? Math.max(1, Math.min(2000, Math.ceil(n / (4 * Math.max(1, workers)))));
  if (!Number.isInteger(chunk) || chunk < 1) throw new RangeError(`moth: chunkSize must be an integer ≥ 1`);

  const x = new Float64Array(n * 10);
  const y = new Float64Array(n * 7);
  const out: MothData = {
    x: { rows: n, cols: 10, data: x },
    y: { rows: n, cols: 7, data: y },
    steps: 0,
    evaluations: 0
  };
  const jobs: MothJob[] = [];
  for (let first = 0; first < n; first += chunk) {
    jobs.push({ count: Math.min(chunk, n - first), options: { ...simOptions, first } });
  }
  let done = 0;
  const collect = (c: {
    first: number;
    x: Float64Array;
    y: Float64Array;
    steps: number;
    evaluations: number;
  }) => {
    x.set(c.x, c.first * 10);
    y.set(c.y, c.first * 7);
    out.steps += c.steps;
    out.evaluations += c.evaluations;
    done += c.x.length / 10;
    progress?.(done, n);
  };

  if (workers === 0 || jobs.length === 0) {
    for (const job of jobs) {
      const d = simulateMoth(job.count, job.options);
      collect({
        first: job.options.first ?? 0,
        x: d.x.data,
        y: d.y.data,
        steps: d.steps,
        evaluations: d.evaluations
      });
    }
    return out;
  }

  let next = 0;
  await runOnThreads<MothJob, MothChunk & { error?: undefined }>({
    script: 'datasets/mothWorker',
    threads: Math.min(workers, jobs.length),
    next: () => jobs[next++],
    onResult: collect
  });
  return out;
}

/**
 * The moth flight inverse problem as a ready-to-train data set: simulate `n` flights in parallel
 * (trajectory i from the stream of (seed, i)), shuffle with the seed, hold out 20 % for testing and 20 % of
 * the rest for validation, and min-max scale inputs (10 columns) and outputs (7 columns) to [−0.5, 0.5] with
 * the training rows' min/max.
 *
 * @param n - number of trajectories (Zahn et al. used 100 000 … 1 000 000).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const data = await nm.datasets.moth(200, { seed: 1, progress: (d, t) => console.log(d, '/', t) });
 * data.xTrain.shape; // [6400, 10]
 * const predictions = { rows: 1, cols: 7, data: new Float64Array(7) }; // e.g. a model's outputs
 * const physical = nm.datasets.minMaxUnscale(predictions, data.scalers.y);
 * ```
 */
export async function moth<F extends DatasetFormat = 'tensor'>(
  n: number,
  options: MothDatasetOptions<F> = {}
): Promise<MothDataset<F>> {
  const { format = 'tensor' as F, testFraction, validationFraction, ...parallel } = options;
  const raw = await simulateMothParallel(n, parallel);
  const s = splitAndScale(raw, { seed: options.seed ?? 0, testFraction, validationFraction });
  const f = (m: DataMatrix): FormatMatrix<F> => asFormat(m, format);
  return {
    xTrain: f(s.xTrain),
    yTrain: f(s.yTrain),
    xVal: f(s.xVal),
    yVal: f(s.yVal),
    xTest: f(s.xTest),
    yTest: f(s.yTest),
    scalers: s.scalers
  };
}

function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
