/**
 * The one pool of worker threads in the kernel: N threads of one worker script, fed tasks as they free up
 * (with `inFlight` tasks queued per thread so a thread never waits for the main thread between two), their
 * results handed back in arrival order. Used by the motif null samples (`parallel.ts`) and the moth
 * simulation (`datasets/moth.ts`). Studies run whole jobs in processes instead (`study/pool.ts`): a job may
 * load tfjs-node, and a process can be killed without taking the kernel with it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/** Options of {@link runOnThreads}. */
export interface ThreadPoolOptions<T, R> {
  /** Worker module under `lib/kernel/` without extension, e.g. `null-worker` or `datasets/mothWorker`. */
  readonly script: string;
  /** Given to every thread once, as `workerData`. */
  readonly workerData?: unknown;
  /** Threads to start (at most one per task). */
  readonly threads: number;
  /** Tasks queued per thread. Default 1. */
  readonly inFlight?: number;
  /** The next task, or `undefined` when there are no more (called again as threads free up). */
  readonly next: () => T | undefined;
  /** Every result, in arrival order. A result with a string `error` field rejects the run instead. */
  readonly onResult: (result: R) => void;
}

/** The compiled worker script (`lib/kernel/<script>.js`), also when running from the TypeScript sources. */
function scriptPath(script: string): string {
  const here = join(__dirname, `${script}.js`);
  if (existsSync(here)) return here;
  const compiled = join(__dirname, '..', '..', 'lib', 'kernel', `${script}.js`);
  if (existsSync(compiled)) return compiled;
  throw new Error(
    `worker script ${script}.js not found next to ${__dirname}; build with: npx tsc -p tsconfig.json`
  );
}

/**
 * Runs tasks on a pool of worker threads until `next` has none left and every result is in; the threads
 * are stopped at the end, also on an error.
 *
 * @throws the first error of a thread (an `error` result, an exception, a non-zero exit).
 * @example
 * ```ts
 * let k = 0;
 * await runOnThreads({ script: 'datasets/mothWorker', threads: 2, next: () => (k < 4 ? { count: 10, options: { first: 10 * k++ } } : undefined), onResult: r => r });
 * ```
 */
export async function runOnThreads<T, R>(options: ThreadPoolOptions<T, R>): Promise<void> {
  if (!Number.isInteger(options.threads) || options.threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${options.threads}`);
  const script = scriptPath(options.script);
  const inFlight = options.inFlight ?? 1;
  const workers: Worker[] = [];
  let issued = 0;
  let received = 0;
  let exhausted = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const feed = (w: Worker): void => {
        if (exhausted) return;
        const task = options.next();
        if (task === undefined) {
          exhausted = true;
          if (received === issued) resolve();
          return;
        }
        issued++;
        w.postMessage(task);
      };
      const start = (): Worker => {
        const w = new Worker(script, { workerData: options.workerData });
        w.on('message', (result: R) => {
          received++;
          const error = (result as { error?: unknown }).error;
          if (typeof error === 'string') {
            reject(new Error(error));
            return;
          }
          try {
            options.onResult(result);
          } catch (err) {
            reject(err instanceof Error ? err : new Error(String(err)));
            return;
          }
          feed(w);
          if (exhausted && received === issued) resolve();
        });
        w.on('error', reject);
        w.on('exit', code => {
          if (code !== 0)
            reject(new Error(`a worker thread (${options.script}) stopped with exit code ${code}`));
        });
        return w;
      };
      for (let k = 0; k < options.threads; k++) workers.push(start());
      for (let round = 0; round < inFlight; round++) for (const w of workers) feed(w);
      if (issued === 0) resolve();
    });
  } finally {
    await Promise.all(workers.map(w => w.terminate()));
  }
}
