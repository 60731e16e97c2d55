/**
 * Studies across machines: BullMQ on Redis. The coordinator (`study run --queue`) puts the inputs in Redis
 * (by content hash, once) and the jobs on one shared queue; any number of `nnmotifs worker --queue` processes,
 * on any machines that reach the Redis, take jobs, run them on their own local pool and return the output
 * through Redis. Workers and coordinator share no file system.
 *
 * Nothing is lost to a dead worker: a job's lock expires when its worker stops renewing it (`kill -9`, a
 * lost machine), BullMQ moves the stalled job back to the queue and another worker runs it. A job that
 * throws is retried up to 3 attempts, then the coordinator records it as failed. The coordinator removes a
 * job from Redis only after its line is in `results.jsonl`, so a coordinator stopped midway and started
 * again picks up results that finished meanwhile.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Job, Queue, QueueEvents, Worker, type ConnectionOptions } from 'bullmq';
import type { JobPayload } from './jobs';
import { createJobPool, type PoolResult } from './pool';
import { STUDY_ATTEMPTS, type StudyBackendTask } from './run';

/** The one queue every study uses, so a worker serves whatever study is queued on its Redis. */
export const STUDY_QUEUE = 'nnmotifs-study';
const INPUT_PREFIX = 'nnmotifs:input:';
/** Inputs stay in Redis for 30 days after their last upload. */
const INPUT_TTL_SECONDS = 30 * 24 * 3600;

/** Lock of a running job; renewed every half of it, so a dead worker's job is free again within it. */
export const LOCK_MS = 10_000;
/** How often workers look for stalled jobs (those whose lock expired). */
export const STALLED_CHECK_MS = 5_000;

/**
 * Connection options of a `redis://HOST:PORT` URL.
 *
 * @throws Error naming the URL when it is not `redis://HOST:PORT` (optionally with `/DB`).
 */
export function redisConnection(url: string): ConnectionOptions {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`--queue must be redis://HOST:PORT, got '${url}'`);
  }
  if (u.protocol !== 'redis:' || u.hostname === '')
    throw new Error(`--queue must be redis://HOST:PORT, got '${url}'`);
  const db = u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0;
  return {
    host: u.hostname,
    port: u.port === '' ? 6379 : Number(u.port),
    db,
    ...(u.password !== '' ? { password: decodeURIComponent(u.password) } : {}),
    ...(u.username !== '' ? { username: decodeURIComponent(u.username) } : {}),
    // BullMQ workers block on Redis; they must not give up on a slow reply.
    maxRetriesPerRequest: null
  };
}

/** What a queue job carries. */
interface QueueJobData {
  payload: JobPayload;
}

const bullId = (p: JobPayload): string => `${p.study}-${p.job}`;

/** Runs the task's jobs through the Redis queue at `url` and waits for all of them. */
export async function runOnQueue(task: StudyBackendTask, url: string): Promise<void> {
  const connection = redisConnection(url);
  const queue = new Queue<QueueJobData, PoolResult>(STUDY_QUEUE, { connection });
  const events = new QueueEvents(STUDY_QUEUE, { connection });
  try {
    await Promise.all([queue.waitUntilReady(), events.waitUntilReady()]);
    const redis = await queue.client;
    for (const [hash, text] of task.inputs)
      await redis.set(INPUT_PREFIX + hash, text, { EX: INPUT_TTL_SECONDS });

    const byId = new Map(task.jobs.map(j => [bullId(j.payload), j]));
    const pending = new Set(byId.keys());
    let finish: () => void = () => undefined;
    const finished = new Promise<void>(resolve => (finish = resolve));
    if (pending.size === 0) finish();
    const busy = new Set<string>();
    const settle = async (id: string): Promise<void> => {
      if (!pending.has(id) || busy.has(id)) return;
      busy.add(id);
      try {
        const job = await Job.fromId<QueueJobData, PoolResult>(queue, id);
        if (job === undefined) return;
        const state = await job.getState();
        const entry = byId.get(id)!;
        if (state === 'completed' && job.returnvalue !== null && job.returnvalue !== undefined) {
          pending.delete(id);
          await task.onDone(entry.job, job.returnvalue, Math.max(1, job.attemptsMade));
          await job.remove();
        } else if (state === 'failed') {
          pending.delete(id);
          await task.onFailed(entry.job, job.failedReason ?? 'failed', job.attemptsMade);
          await job.remove();
        } else if (state === 'active') {
          task.onStart(entry.job);
        }
        if (pending.size === 0) finish();
      } finally {
        busy.delete(id);
      }
    };
    events.on('completed', ({ jobId }) => void settle(jobId));
    events.on('failed', ({ jobId }) => void settle(jobId));
    events.on('active', ({ jobId }) => {
      const entry = byId.get(jobId);
      if (entry !== undefined && pending.has(jobId)) task.onStart(entry.job);
    });
    events.on('progress', ({ jobId, data }) => {
      const entry = byId.get(jobId);
      if (entry !== undefined && pending.has(jobId) && typeof data === 'string')
        task.onProgress(entry.job, data);
    });

    // A job left failed by an earlier coordinator gets a fresh set of attempts; a completed one is taken as is.
    for (const id of pending) {
      const old = await Job.fromId(queue, id);
      if (old !== undefined && (await old.getState()) === 'failed') await old.remove();
    }
    await queue.addBulk(
      task.jobs.map(j => ({
        name: 'job',
        data: { payload: j.payload },
        opts: {
          jobId: bullId(j.payload),
          attempts: STUDY_ATTEMPTS,
          backoff: { type: 'fixed', delay: 500 },
          removeOnComplete: false,
          removeOnFail: false
        }
      }))
    );
    // Events can be missed (a job that finished before we subscribed, a dropped connection): sweep too.
    const sweep = setInterval(() => {
      for (const id of pending) void settle(id);
    }, 2000);
    const onAbort = (): void => finish();
    task.signal?.addEventListener('abort', onAbort);
    try {
      for (const id of pending) await settle(id);
      await finished;
    } finally {
      clearInterval(sweep);
      task.signal?.removeEventListener('abort', onAbort);
    }
  } finally {
    await events.close();
    await queue.close();
  }
}

/** Options of {@link startQueueWorker}. */
export interface QueueWorkerOptions {
  /** Jobs run at once (local worker processes). Default 1. */
  concurrency?: number;
  /** Where jobs keep their checkpoints. Default `os.tmpdir()/nnmotifs-worker`. */
  scratch?: string;
  /** Called when a job starts and ends (for the worker's log). */
  log?: (text: string) => void;
}

/** A running queue worker. */
export interface QueueWorker {
  /** Stops taking jobs, waits for the running ones, and stops the local pool. */
  close(): Promise<void>;
}

/**
 * Serves the study queue on a Redis: takes jobs of any study, runs them on a local pool of worker
 * processes and returns their output through Redis.
 *
 * @example
 * ```ts
 * // example: compile-only, needs a Redis server
 * const worker = await startQueueWorker('redis://127.0.0.1:6379', { concurrency: 2 });
 * // … later
 * await worker.close();
 * ```
 */
export async function startQueueWorker(url: string, options: QueueWorkerOptions = {}): Promise<QueueWorker> {
  const connection = redisConnection(url);
  const concurrency = options.concurrency ?? 1;
  const scratchRoot = options.scratch ?? join(tmpdir(), 'nnmotifs-worker');
  const queue = new Queue(STUDY_QUEUE, { connection });
  const redis = await queue.client;
  const inputs = new Map<string, string>();
  const pool = createJobPool({
    size: concurrency,
    input: async hash => {
      const cached = inputs.get(hash);
      if (cached !== undefined) return cached;
      const text = await redis.get(INPUT_PREFIX + hash);
      if (text === null)
        throw new Error(`input ${hash} is not in Redis (expired or never uploaded); run study run again`);
      inputs.set(hash, text);
      return text;
    }
  });
  const worker = new Worker<QueueJobData, PoolResult>(
    STUDY_QUEUE,
    async job => {
      const payload = job.data.payload;
      const scratch = join(scratchRoot, bullId(payload));
      options.log?.(`start ${bullId(payload)} (attempt ${job.attemptsMade + 1})`);
      const r = await pool.run(payload, {
        scratch,
        onProgress: text => void job.updateProgress(text).catch(() => undefined)
      });
      await rm(scratch, { recursive: true, force: true });
      options.log?.(`done ${bullId(payload)} in ${r.seconds.toFixed(1)} s`);
      return r;
    },
    {
      connection,
      concurrency,
      lockDuration: LOCK_MS,
      stalledInterval: STALLED_CHECK_MS,
      maxStalledCount: STUDY_ATTEMPTS
    }
  );
  worker.on('failed', (job, err) => options.log?.(`failed ${job?.id ?? '?'}: ${err.message}`));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      await pool.close();
      await queue.close();
    }
  };
}
