/**
 * The study coordinator: expands a spec into jobs, skips those that already have a result in
 * `OUT/results.jsonl`, ships the inputs with the jobs, runs them on local worker processes (default) or
 * through a Redis queue, retries a failed job up to 3 attempts, and appends one line per finished job.
 * At the end the file is rewritten in grid order (one line per job), so the same spec gives the same
 * `result`s in the same order whatever ran it.
 */
import { appendFile, mkdir, open, readFile, rm, truncate } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { serializeNetwork } from '../../core/io';
import {
  type JsonRecord,
  type StudyJob,
  type StudyResultLine,
  type StudySpec,
  StudySpecError,
  formatResultLine,
  hash64,
  jobSeed,
  parseResults,
  parseStudySpec,
  studyJobs,
  studyKey,
  studySpecDeprecations,
  studyStatus
} from '../../core/study';
import { loadNetwork, writeFileAtomic } from '../files';
import type { JobPayload } from './jobs';
import { createJobPool, type PoolResult } from './pool';

/** Attempts per job before it is recorded as failed. */
export const STUDY_ATTEMPTS = 3;

/** What a progress callback is told (after every event, throttling is the caller's). */
export interface StudyProgress {
  total: number;
  /** Jobs with a result (including those of earlier runs). */
  done: number;
  failed: number;
  running: number;
  pending: number;
  /** Seconds since this run started. */
  elapsed: number;
  /** Estimated seconds to the end, from this run's pace (undefined before the first job ends). */
  eta?: number;
  /** Progress text of the running jobs (e.g. `level 3/18`), by job id. */
  current: Record<string, string>;
}

const duration = (s: number): string =>
  s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(0)} min` : `${(s / 3600).toFixed(1)} h`;

/**
 * One line of study progress: done / failed / running of the total, the elapsed time and the ETA.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.studyProgressText({ total: 4, done: 1, failed: 0, running: 2, pending: 1, elapsed: 3, eta: 9, current: {} });
 * // 'study: 1/4 done, 0 failed, 2 running, ETA 9 s (3 s)'
 * ```
 */
export function studyProgressText(p: StudyProgress): string {
  const eta = p.eta !== undefined && p.running + p.pending > 0 ? `, ETA ${duration(p.eta)}` : '';
  const current = Object.entries(p.current)
    .filter(([, text]) => text !== 'started')
    .map(([job, text]) => `${job}: ${text}`);
  return (
    `study: ${p.done}/${p.total} done, ${p.failed} failed, ${p.running} running${eta} (${duration(p.elapsed)})` +
    (current.length > 0 ? ` — ${current.join('; ')}` : '')
  );
}

/** Options of {@link runStudy}. */
export interface StudyRunOptions {
  /** Output directory (created): `results.jsonl`, `study.json` (the spec), `snapshots/`. */
  out: string;
  /** Local worker processes (embedded mode). Default: the number of cores. */
  workers?: number;
  /** `redis://HOST:PORT`: enqueue on this Redis and wait for `nnmotifs worker`s instead of local workers. */
  queue?: string;
  /** Directory that relative input paths of a spec object are resolved against. Default: the current one. */
  baseDir?: string;
  onProgress?: (progress: StudyProgress) => void;
  /** Stops handing out jobs; running ones are abandoned (they have no result line and run again next time). */
  signal?: AbortSignal;
}

/** What {@link runStudy} returns. */
export interface StudyRunResult {
  out: string;
  total: number;
  /** Jobs with a result. */
  done: number;
  /** Jobs run by this call (the rest had results already). */
  ran: number;
  /** Jobs that failed every attempt in this run, with the last error. */
  failed: { job: string; params: JsonRecord; error: string }[];
  seconds: number;
}

/** A spec with where it came from (relative input paths are resolved against `baseDir`). */
export interface LoadedSpec {
  spec: StudySpec;
  baseDir: string;
  source: string;
}

/**
 * Reads a spec file (relative paths inside it are resolved against its folder).
 *
 * @throws {@link StudySpecError} for unreadable or malformed specs, naming the file and the key.
 */
export async function readStudySpec(file: string): Promise<LoadedSpec> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new StudySpecError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new StudySpecError(`${file}: not JSON (${(err as Error).message})`);
  }
  return { spec: parseStudySpec(value, file), baseDir: dirname(resolve(file)), source: file };
}

/** The work a backend is asked to do and how it reports back. */
export interface StudyBackendTask {
  readonly jobs: readonly { job: StudyJob; payload: JobPayload }[];
  readonly inputs: ReadonlyMap<string, string>;
  readonly out: string;
  readonly signal?: AbortSignal;
  onStart(job: StudyJob): void;
  onProgress(job: StudyJob, text: string): void;
  onDone(job: StudyJob, result: PoolResult, attempts: number): Promise<void>;
  onFailed(job: StudyJob, error: string, attempts: number): Promise<void>;
}

/** Runs the jobs on local worker processes, each job up to {@link STUDY_ATTEMPTS} times. */
async function runEmbedded(task: StudyBackendTask, workers: number): Promise<void> {
  const size = Math.max(1, Math.min(workers, task.jobs.length));
  const pool = createJobPool({
    size,
    input: hash => {
      const text = task.inputs.get(hash);
      return text !== undefined ? Promise.resolve(text) : Promise.reject(new Error(`unknown input ${hash}`));
    }
  });
  try {
    let next = 0;
    const aborted = (): boolean => task.signal?.aborted === true;
    const lane = async (): Promise<void> => {
      while (next < task.jobs.length && !aborted()) {
        const { job, payload } = task.jobs[next++];
        const scratch = join(task.out, '.work', job.id);
        task.onStart(job);
        let error = '';
        let attempt = 0;
        for (attempt = 1; attempt <= STUDY_ATTEMPTS; attempt++) {
          try {
            const r = await pool.run(payload, { scratch, onProgress: text => task.onProgress(job, text) });
            await task.onDone(job, r, attempt);
            await rm(scratch, { recursive: true, force: true });
            error = '';
            break;
          } catch (err) {
            error = err instanceof Error ? err.message : String(err);
            if (aborted()) return;
          }
        }
        if (error !== '') await task.onFailed(job, error, STUDY_ATTEMPTS);
      }
    };
    await Promise.all(Array.from({ length: size }, lane));
  } finally {
    await pool.close();
  }
}

/** Reads `results.jsonl`, dropping a torn last line left by a crash so the next append starts clean. */
async function readResults(file: string): Promise<Map<string, StudyResultLine>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return new Map();
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    const keep = text.lastIndexOf('\n') + 1;
    await truncate(file, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  return parseResults(text, file);
}

/** Loads the network inputs of the jobs once each, as nnmotifs network JSON keyed by content hash. */
async function loadInputs(
  jobs: readonly StudyJob[],
  baseDir: string
): Promise<{ inputs: Map<string, string>; byJob: Map<string, Record<string, string>> }> {
  const inputs = new Map<string, string>();
  const byPath = new Map<string, string>();
  const byJob = new Map<string, Record<string, string>>();
  for (const job of jobs) {
    const refs: Record<string, string> = {};
    const network = job.params.network;
    if (typeof network === 'string') {
      const path = resolve(baseDir, network);
      let hash = byPath.get(path);
      if (hash === undefined) {
        let text: string;
        try {
          text = serializeNetwork(await loadNetwork(path));
        } catch (err) {
          throw new StudySpecError(`job ${job.id}: network '${network}': ${(err as Error).message}`);
        }
        hash = hash64(text);
        inputs.set(hash, text);
        byPath.set(path, hash);
      }
      refs.network = hash;
    }
    byJob.set(job.id, refs);
  }
  return { inputs, byJob };
}

/**
 * Runs a study: every job of the spec that has no result line in `OUT/results.jsonl` yet.
 *
 * @param spec - a spec file path, or a spec object (inputs resolved against `options.baseDir`).
 * @throws {@link StudySpecError} for a malformed spec, an unreadable input, or an `out` that holds
 *   another study.
 * @example
 * ```ts
 * // example: compile-only, runs a study spec file for minutes
 * import * as nm from 'nnmotifs';
 * const r = await nm.runStudy('examples/studies/moth-motifs.json', { out: 'runs/moth', workers: 2 });
 * r.done === r.total; // true when no job failed
 * ```
 */
export async function runStudy(spec: string | StudySpec, options: StudyRunOptions): Promise<StudyRunResult> {
  const started = Date.now();
  const loaded: LoadedSpec =
    typeof spec === 'string'
      ? await readStudySpec(spec)
      : { spec: parseStudySpec(spec), baseDir: resolve(options.baseDir ?? '.'), source: 'spec' };
  for (const note of studySpecDeprecations(loaded.spec))
    process.emitWarning(`${loaded.source}: ${note}`, 'DeprecationWarning');
  const out = resolve(options.out);
  await mkdir(out, { recursive: true });
  const key = studyKey(loaded.spec);
  const specFile = join(out, 'study.json');
  const specText = JSON.stringify({ ...loaded.spec, study: key }, null, 2) + '\n';
  try {
    const existing = JSON.parse(await readFile(specFile, 'utf8')) as { study?: string };
    if (existing.study !== key)
      throw new StudySpecError(`${out} holds another study (study.json differs); use another --out`);
  } catch (err) {
    if (err instanceof StudySpecError) throw err;
    await writeFileAtomic(specFile, specText, { overwrite: true, exists: () => new Error('unreachable') });
  }

  const jobs = studyJobs(loaded.spec);
  const resultsFile = join(out, 'results.jsonl');
  const results = await readResults(resultsFile);
  const todo = jobs.filter(j => results.get(j.id)?.result === undefined);
  const { inputs, byJob } = await loadInputs(todo, loaded.baseDir);
  const running = new Map<string, string>();
  const failed: StudyRunResult['failed'] = [];
  let ranHere = 0;
  const status = (): StudyProgress => {
    const s = studyStatus(jobs, results);
    const elapsed = (Date.now() - started) / 1000;
    const remaining = s.total - s.done - failed.length;
    return {
      total: s.total,
      done: s.done,
      failed: failed.length,
      running: running.size,
      pending: remaining - running.size,
      elapsed,
      ...(ranHere > 0 ? { eta: (elapsed / ranHere) * remaining } : {}),
      current: Object.fromEntries(running)
    };
  };
  // One writer: lines are appended in the order jobs finish, each with one write of a whole line.
  let writes: Promise<void> = Promise.resolve();
  const record = (line: StudyResultLine): Promise<void> => {
    writes = writes.then(() => appendFile(resultsFile, formatResultLine(line)));
    return writes;
  };
  const task: StudyBackendTask = {
    jobs: todo.map(job => ({
      job,
      payload: {
        study: key,
        job: job.id,
        params: job.params,
        seed: jobSeed(job),
        inputs: byJob.get(job.id) ?? {}
      }
    })),
    inputs,
    out,
    ...(options.signal !== undefined ? { signal: options.signal } : {}),
    onStart(job) {
      running.set(job.id, 'started');
      options.onProgress?.(status());
    },
    onProgress(job, text) {
      running.set(job.id, text);
      options.onProgress?.(status());
    },
    async onDone(job, r, attempts) {
      const files = r.output.files ?? [];
      if (files.length > 0) {
        const dir = join(out, 'snapshots', job.id);
        await mkdir(dir, { recursive: true });
        for (const f of files)
          await writeFileAtomic(join(dir, f.name), f.text, {
            overwrite: true,
            exists: () => new Error('unreachable')
          });
      }
      const line: StudyResultLine = {
        job: job.id,
        params: job.params,
        result: r.output.result,
        attempts,
        seconds: r.seconds,
        host: r.host
      };
      await record(line);
      results.set(job.id, line);
      running.delete(job.id);
      ranHere++;
      options.onProgress?.(status());
    },
    async onFailed(job, error, attempts) {
      const line: StudyResultLine = { job: job.id, params: job.params, error, attempts };
      await record(line);
      results.set(job.id, line);
      running.delete(job.id);
      failed.push({ job: job.id, params: job.params, error });
      options.onProgress?.(status());
    }
  };
  options.onProgress?.(status());
  if (todo.length > 0) {
    if (options.queue !== undefined) {
      const { runOnQueue } = await import('./queue');
      await runOnQueue(task, options.queue);
    } else {
      await runEmbedded(task, options.workers ?? availableParallelism());
    }
  }
  await writes;
  await compactResults(resultsFile, jobs, results);
  const s = studyStatus(jobs, results);
  return { out, total: s.total, done: s.done, ran: ranHere, failed, seconds: (Date.now() - started) / 1000 };
}

/** Rewrites `results.jsonl` atomically in grid order, one line per job (the last one each job had). */
async function compactResults(
  file: string,
  jobs: readonly StudyJob[],
  results: ReadonlyMap<string, StudyResultLine>
): Promise<void> {
  const text = jobs
    .map(j => results.get(j.id))
    .filter((l): l is StudyResultLine => l !== undefined)
    .map(formatResultLine)
    .join('');
  let current = '';
  try {
    current = await readFile(file, 'utf8');
  } catch {
    // no file yet
  }
  if (current === text) return;
  if (text === '' && current === '') {
    const h = await open(file, 'a');
    await h.close();
    return;
  }
  await writeFileAtomic(file, text, { overwrite: true, exists: () => new Error('unreachable') });
}

/** What `study status` reports. */
export interface StudyDirStatus {
  out: string;
  name?: string;
  total: number;
  done: number;
  failed: { job: string; error: string }[];
  pending: number;
  /** Median seconds of a finished job (undefined before any). */
  medianSeconds?: number;
}

/**
 * The state of a study directory (from its `study.json` and `results.jsonl`).
 *
 * @throws {@link StudySpecError} when `out` is not a study directory.
 * @example
 * ```ts
 * // example: compile-only, reads a study folder
 * import * as nm from 'nnmotifs';
 * const s = await nm.studyDirStatus('runs/moth');
 * `${s.done}/${s.total}`;
 * ```
 */
export async function studyDirStatus(out: string): Promise<StudyDirStatus> {
  let specText: string;
  try {
    specText = await readFile(join(out, 'study.json'), 'utf8');
  } catch {
    throw new StudySpecError(`${out} is not a study directory (no study.json; run nnmotifs study run first)`);
  }
  const spec = parseStudySpec(JSON.parse(specText), join(out, 'study.json'));
  const jobs = studyJobs(spec);
  const results = await readResults(join(out, 'results.jsonl'));
  const s = studyStatus(jobs, results);
  const seconds = jobs
    .map(j => results.get(j.id))
    .filter(l => l?.result !== undefined && typeof l.seconds === 'number')
    .map(l => l!.seconds!)
    .sort((a, b) => a - b);
  return {
    out,
    ...(spec.name !== undefined ? { name: spec.name } : {}),
    total: s.total,
    done: s.done,
    pending: s.pending,
    failed: s.failedJobs.map(id => ({ job: id, error: results.get(id)?.error ?? '' })),
    ...(seconds.length > 0 ? { medianSeconds: seconds[Math.floor((seconds.length - 1) / 2)] } : {})
  };
}
