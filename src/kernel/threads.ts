/**
 * The one pool of worker threads in the kernel: threads of a worker script are fed tasks as they free up
 * (with `inFlight` tasks queued per thread so a thread never waits for the main thread between two), their
 * results handed back in arrival order. Used by the motif null samples (`parallel.ts`) and the moth
 * simulation (`datasets/moth.ts`). Studies run whole jobs in processes instead (`study/pool.ts`): a job may
 * load tfjs-node, and a process can be killed without taking the kernel with it.
 *
 * Threads are kept warm between runs: a thread that finished a run cleanly waits, unreferenced (it does
 * not keep Node from exiting), for the next run of its script, and stops after {@link IDLE_THREAD_MS}
 * without one. Starting a thread and optimising its code cost ~150 ms of CPU on the moth network, so a
 * notebook or study that calls `nm.motifs` many times pays that once. A run that fails stops its threads:
 * a task still in flight would otherwise answer into the next run.
 *
 * Worker scripts serve runs with {@link serveRuns}: each run sends the thread its data once, then tasks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker, parentPort } from 'node:worker_threads';

/** Options of {@link runOnThreads}. */
export interface ThreadPoolOptions<T, R> {
  /** Worker module under `lib/kernel/` without extension, e.g. `null-worker` or `datasets/mothWorker`. */
  readonly script: string;
  /** Given to every thread of the run once, before its first task (see {@link serveRuns}). */
  readonly workerData?: unknown;
  /** Threads to use (at most one per task); warm ones first, new ones for the rest. */
  readonly threads: number;
  /** Tasks queued per thread. Default 1. */
  readonly inFlight?: number;
  /** The next task, or `undefined` when there are no more (called again as threads free up). */
  readonly next: () => T | undefined;
  /** Every result, in arrival order. A result with a string `error` field rejects the run instead. */
  readonly onResult: (result: R) => void;
}

/** How long a warm thread waits for its next run before it stops. */
export const IDLE_THREAD_MS = 60_000;

/** A message to a pooled thread: the run's data (first), or one task. */
type ToThread = { readonly data: unknown } | { readonly task: unknown };

interface Warm {
  readonly worker: Worker;
  readonly timer: NodeJS.Timeout;
}

/** Idle threads by script path. */
const warm = new Map<string, Warm[]>();

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

/** A warm thread of `path`, or a new one. */
function takeThread(path: string): Worker {
  const idle = warm.get(path);
  const entry = idle?.pop();
  if (entry !== undefined) {
    clearTimeout(entry.timer);
    entry.worker.ref();
    return entry.worker;
  }
  const worker = new Worker(path);
  // a thread that dies while idle leaves the pool
  worker.once('exit', () => forget(path, worker));
  return worker;
}

function forget(path: string, worker: Worker): void {
  const idle = warm.get(path);
  const at = idle?.findIndex(e => e.worker === worker) ?? -1;
  if (idle !== undefined && at >= 0) {
    clearTimeout(idle[at].timer);
    idle.splice(at, 1);
  }
}

/** Puts a thread that finished a run cleanly back, unreferenced, until {@link IDLE_THREAD_MS}. */
function returnThread(path: string, worker: Worker): void {
  worker.unref();
  const timer = setTimeout(() => {
    forget(path, worker);
    void worker.terminate();
  }, IDLE_THREAD_MS);
  timer.unref();
  const idle = warm.get(path) ?? [];
  idle.push({ worker, timer });
  warm.set(path, idle);
}

/**
 * Warm threads waiting for a run, per worker script (for tests and diagnostics).
 *
 * @internal
 * @example
 * ```ts
 * warmThreads(); // e.g. { 'null-worker': 1 } after a parallel nm.motifs run on 2 cores
 * ```
 */
export function warmThreads(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [path, idle] of warm)
    if (idle.length > 0) out[path.replace(/^.*[\\/]kernel[\\/]/, '').replace(/\.js$/, '')] = idle.length;
  return out;
}

/**
 * Stops every warm thread (they also stop by themselves after {@link IDLE_THREAD_MS}).
 *
 * @internal
 * @example
 * ```ts
 * await stopWarmThreads();
 * ```
 */
export async function stopWarmThreads(): Promise<void> {
  const all = [...warm.values()].flat();
  warm.clear();
  for (const e of all) clearTimeout(e.timer);
  await Promise.all(all.map(e => e.worker.terminate()));
}

/**
 * Runs tasks on worker threads until `next` has none left and every result is in. The threads are kept
 * warm for the next run of the same script when this one succeeds, and stopped when it fails.
 *
 * @throws the first error of a thread (an `error` result, an exception, an exit).
 * @example
 * ```ts
 * let k = 0;
 * await runOnThreads({ script: 'datasets/mothWorker', threads: 2, next: () => (k < 4 ? { count: 10, options: { first: 10 * k++ } } : undefined), onResult: r => r });
 * ```
 */
export async function runOnThreads<T, R>(options: ThreadPoolOptions<T, R>): Promise<void> {
  if (!Number.isInteger(options.threads) || options.threads < 1)
    throw new RangeError(`threads must be a positive integer, got ${options.threads}`);
  const path = scriptPath(options.script);
  const inFlight = options.inFlight ?? 1;
  const workers: Worker[] = [];
  const detach: (() => void)[] = [];
  let issued = 0;
  let received = 0;
  let exhausted = false;
  let failed = false;
  try {
    await new Promise<void>((resolve, reject) => {
      const fail = (err: unknown): void => {
        failed = true;
        reject(err instanceof Error ? err : new Error(String(err)));
      };
      const feed = (w: Worker): void => {
        if (exhausted || failed) return;
        const task = options.next();
        if (task === undefined) {
          exhausted = true;
          if (received === issued) resolve();
          return;
        }
        issued++;
        w.postMessage({ task } satisfies ToThread);
      };
      const use = (w: Worker): void => {
        const onMessage = (result: R): void => {
          if (failed) return;
          received++;
          const error = (result as { error?: unknown }).error;
          if (typeof error === 'string') {
            fail(new Error(error));
            return;
          }
          try {
            options.onResult(result);
          } catch (err) {
            fail(err);
            return;
          }
          feed(w);
          if (exhausted && received === issued) resolve();
        };
        const onExit = (code: number): void =>
          fail(new Error(`a worker thread (${options.script}) stopped with exit code ${code}`));
        w.on('message', onMessage);
        w.on('error', fail);
        w.on('exit', onExit);
        detach.push(() => {
          w.off('message', onMessage);
          w.off('error', fail);
          w.off('exit', onExit);
        });
        w.postMessage({ data: options.workerData } satisfies ToThread);
      };
      for (let k = 0; k < options.threads; k++) {
        const w = takeThread(path);
        workers.push(w);
        use(w);
      }
      for (let round = 0; round < inFlight; round++) for (const w of workers) feed(w);
      if (issued === 0) resolve();
    });
  } catch (err) {
    failed = true;
    throw err;
  } finally {
    for (const off of detach) off();
    if (failed) await Promise.all(workers.map(w => w.terminate()));
    else for (const w of workers) returnThread(path, w);
  }
}

/**
 * The thread side of {@link runOnThreads}: `start(data)` is called with each run's data and returns the
 * function that answers that run's tasks (the answer and the buffers to transfer with it). An exception is
 * answered as `{ error }`, which fails the run.
 *
 * @example
 * ```ts
 * // example: compile-only, serveRuns answers a pool's messages and so runs only inside a worker thread
 * // in a worker script under src/kernel/
 * serveRuns((data: { scale: number }) => (task: { x: number }) => ({ result: { y: data.scale * task.x } }));
 * ```
 */
export function serveRuns<D, T, R>(
  start: (data: D) => (task: T) => { result: R; transfer?: ArrayBuffer[] }
): void {
  if (parentPort === null) throw new Error('serveRuns: not in a worker thread');
  const port = parentPort;
  let answer: ((task: T) => { result: R; transfer?: ArrayBuffer[] }) | undefined;
  port.on('message', (message: ToThread) => {
    try {
      if ('data' in message) {
        answer = undefined; // the previous run's state goes before the next one is built
        answer = start(message.data as D);
        return;
      }
      if (answer === undefined) throw new Error('a task came before its run data');
      const { result, transfer } = answer(message.task as T);
      port.postMessage(result, transfer ?? []);
    } catch (err) {
      port.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  });
}
