/**
 * The local worker pool of studies: N forked Node processes (`child.ts`), one job each at a time. Processes
 * rather than threads: a pipeline job loads tfjs-node (a native addon that belongs in its own process), a
 * job can be stopped by killing its process, and a crash takes down only that job. The same pool runs the
 * embedded default (`study run --workers N`) and the jobs a Redis worker takes (`nnmotifs worker`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { JobOutput, JobPayload } from './jobs';

/** Parent → child messages. */
export type ParentMessage =
  | { type: 'input'; hash: string; text: string }
  | { type: 'run'; task: number; payload: JobPayload; scratch?: string };

/** Child → parent messages. */
export type ChildMessage =
  | { type: 'progress'; task: number; text: string }
  | { type: 'done'; task: number; output: JobOutput; seconds: number; host: string }
  | { type: 'error'; task: number; message: string };

/** A finished job: its output and where and how long it ran. */
export interface PoolResult {
  output: JobOutput;
  seconds: number;
  host: string;
}

/** Options of one {@link JobPool.run}. */
export interface PoolRunOptions {
  /** Scratch directory for the job's checkpoints. */
  scratch?: string;
  onProgress?: (text: string) => void;
}

/** A pool of worker processes. */
export interface JobPool {
  readonly size: number;
  /** Runs a job on the next free process; rejects with the job's error or when its process dies. */
  run(payload: JobPayload, options?: PoolRunOptions): Promise<PoolResult>;
  /** Jobs running now. */
  running(): number;
  /** Stops every process (running jobs are rejected). */
  close(): Promise<void>;
}

/** Options of {@link createJobPool}. */
export interface JobPoolOptions {
  /** Worker processes. */
  size: number;
  /** The contents of an input by its hash (sent to each process once, before its first job needing it). */
  input: (hash: string) => Promise<string>;
}

function childScript(): string {
  const here = join(__dirname, 'child.js');
  if (existsSync(here)) return here;
  // Running from the TypeScript sources (tests): use the compiled copy.
  const compiled = join(__dirname, '..', '..', '..', 'lib', 'kernel', 'study', 'child.js');
  if (existsSync(compiled)) return compiled;
  throw new Error(`study worker script not found next to ${__dirname}; build with: npx tsc -p tsconfig.json`);
}

interface Slot {
  child: ChildProcess;
  inputs: Set<string>;
  task?: {
    id: number;
    resolve: (r: PoolResult) => void;
    reject: (e: Error) => void;
    onProgress?: (text: string) => void;
  };
}

/**
 * Starts a pool of worker processes.
 *
 * @example
 * ```ts
 * // example: compile-only, forks worker processes that run study jobs
 * const texts = new Map<string, string>();
 * const payload = {} as JobPayload;
 * const pool = createJobPool({ size: 2, input: async hash => texts.get(hash)! });
 * const { output } = await pool.run(payload);
 * await pool.close();
 * ```
 */
export function createJobPool(options: JobPoolOptions): JobPool {
  if (!Number.isInteger(options.size) || options.size < 1)
    throw new RangeError(`workers must be a positive integer, got ${options.size}`);
  const script = childScript();
  const slots: Slot[] = [];
  const waiting: (() => void)[] = [];
  let nextTask = 0;
  let closed = false;

  const start = (): Slot => {
    // execArgv [] so test runners' loaders and inspectors are not inherited; the child runs compiled JS.
    const child = fork(script, [], {
      execArgv: [],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    });
    const slot: Slot = { child, inputs: new Set() };
    child.on('message', (m: ChildMessage) => {
      const task = slot.task;
      if (task === undefined || m.task !== task.id) return;
      if (m.type === 'progress') task.onProgress?.(m.text);
      else {
        slot.task = undefined;
        if (m.type === 'done') task.resolve({ output: m.output, seconds: m.seconds, host: m.host });
        else task.reject(new Error(m.message));
        waiting.shift()?.();
      }
    });
    child.on('exit', (code, signal) => {
      const task = slot.task;
      slot.task = undefined;
      const k = slots.indexOf(slot);
      if (k >= 0) slots.splice(k, 1);
      if (!closed) {
        slots.push(start());
        waiting.shift()?.();
      }
      task?.reject(new Error(`worker process exited (${signal ?? `code ${code}`}) while running the job`));
    });
    return slot;
  };
  for (let k = 0; k < options.size; k++) slots.push(start());

  /** Takes a free process (marking it busy before anyone else can see it free), waiting when none is. */
  const acquire = async (task: NonNullable<Slot['task']>): Promise<Slot> => {
    for (;;) {
      if (closed) throw new Error('the worker pool is closed');
      const free = slots.find(s => s.task === undefined && s.child.connected);
      if (free !== undefined) {
        free.task = task;
        return free;
      }
      await new Promise<void>(resolve => waiting.push(resolve));
    }
  };

  return {
    size: options.size,
    running: () => slots.filter(s => s.task !== undefined).length,
    async run(payload, runOptions = {}) {
      const id = nextTask++;
      let settle: Pick<NonNullable<Slot['task']>, 'resolve' | 'reject'> | undefined;
      const result = new Promise<PoolResult>((resolve, reject) => (settle = { resolve, reject }));
      const slot = await acquire({
        id,
        ...settle!,
        ...(runOptions.onProgress ? { onProgress: runOptions.onProgress } : {})
      });
      try {
        for (const hash of Object.values(payload.inputs)) {
          if (slot.inputs.has(hash)) continue;
          const text = await options.input(hash);
          slot.child.send({ type: 'input', hash, text } satisfies ParentMessage);
          slot.inputs.add(hash);
        }
        const message: ParentMessage = {
          type: 'run',
          task: id,
          payload,
          ...(runOptions.scratch !== undefined ? { scratch: runOptions.scratch } : {})
        };
        slot.child.send(message);
      } catch (err) {
        if (slot.task?.id === id) {
          slot.task = undefined;
          waiting.shift()?.();
        }
        settle!.reject(err instanceof Error ? err : new Error(String(err)));
      }
      return result;
    },
    async close() {
      closed = true;
      const exits = slots.map(
        s =>
          new Promise<void>(resolve =>
            s.child.exitCode !== null || s.child.signalCode !== null
              ? resolve()
              : s.child.once('exit', () => resolve())
          )
      );
      for (const s of slots) s.child.kill('SIGKILL');
      for (const w of waiting.splice(0)) w();
      await Promise.all(exits);
    }
  };
}
