/**
 * `nm.datasets.moth`: the moth flight data set generated in parallel on worker threads, split and scaled as
 * Zahn et al. did. Determinism: trajectory i depends only on (seed, i), so the rows are identical for any
 * number of workers and any chunk size.
 */
import { availableParallelism } from 'node:os';
import { extname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataMatrix, ScaledSplit, splitAndScale } from '../../core/datasets/matrix';
import { MothData, SimulateMothOptions, simulateMoth } from '../../core/datasets/moth';
import type { MothChunk, MothJob } from './mothJobs';
import { DatasetFormat, FormatMatrix, asFormat } from './tensors';

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

  const pool = Array.from({ length: Math.min(workers, jobs.length) }, () => startWorker());
  try {
    let next = 0;
    await Promise.all(
      pool.map(
        worker =>
          new Promise<void>((resolve, reject) => {
            const give = (): void => {
              if (next >= jobs.length) {
                resolve();
                return;
              }
              worker.postMessage(jobs[next++]);
            };
            worker.on('message', (msg: MothChunk) => {
              if (msg.error !== undefined) {
                reject(new Error(msg.error));
                return;
              }
              collect(msg);
              give();
            });
            worker.on('error', reject);
            worker.on('exit', code => {
              if (code !== 0) reject(new Error(`moth: a worker thread exited with code ${code}`));
            });
            give();
          })
      )
    );
  } finally {
    await Promise.all(pool.map(w => w.terminate()));
  }
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

/**
 * Starts one simulation worker. From the compiled library this runs `mothWorker.js`; from the TypeScript
 * sources (tests) the worker first registers a `.ts` loader built on the TypeScript compiler, which only the
 * development checkout has.
 */
function startWorker(): Worker {
  const ext = extname(__filename);
  const file = join(__dirname, `mothWorker${ext}`);
  if (ext !== '.ts') return new Worker(file);
  const bootstrap = `
    const { workerData } = require('node:worker_threads');
    const { readFileSync } = require('node:fs');
    const ts = require('node:module').createRequire(workerData.file)('typescript');
    require.extensions['.ts'] = (module, filename) => {
      const out = ts.transpileModule(readFileSync(filename, 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
        fileName: filename
      });
      module._compile(out.outputText, filename);
    };
    require(workerData.file);
  `;
  return new Worker(bootstrap, { eval: true, workerData: { file } });
}
