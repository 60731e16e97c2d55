/**
 * `nnmotifs study run|status` and `nnmotifs worker`: studies from a shell (see `kernel/study`).
 * Usage errors are thrown as `StudySpecError`, which `main` reports with exit code 2.
 */
import { StudySpecError } from '../core/study';
import { runStudy, studyDirStatus, studyProgressText } from '../kernel/study/run';
import type { CliIO } from './command';

/** Arguments of `study`. */
export interface StudyArgs {
  sub?: string;
  target?: string;
  out?: string;
  queue?: string;
  workers?: number;
}

/** `nnmotifs study run|status`; returns the exit code. */
export async function studyCommand(args: StudyArgs, io: CliIO): Promise<number> {
  if (args.sub === 'status') {
    if (args.target === undefined) throw new StudySpecError('study status needs DIR');
    const s = await studyDirStatus(args.target);
    io.stdout(
      `${s.name ?? s.out}: ${s.done}/${s.total} done, ${s.failed.length} failed, ${s.pending} pending` +
        (s.medianSeconds !== undefined ? `; median job ${s.medianSeconds.toFixed(1)} s` : '') +
        '\n'
    );
    for (const f of s.failed) io.stdout(`failed ${f.job}: ${f.error}\n`);
    return s.done === s.total ? 0 : 1;
  }
  if (args.sub !== 'run') throw new StudySpecError(`study needs run or status, got '${args.sub ?? ''}'`);
  if (args.target === undefined) throw new StudySpecError('study run needs SPEC.json');
  if (args.out === undefined) throw new StudySpecError('study run needs --out DIR');
  let last = 0;
  const r = await runStudy(args.target, {
    out: args.out,
    ...(args.workers !== undefined ? { workers: args.workers } : {}),
    ...(args.queue !== undefined ? { queue: args.queue } : {}),
    onProgress: p => {
      const now = Date.now();
      if (now - last < 2000 && p.running + p.pending > 0) return;
      last = now;
      io.stderr(studyProgressText(p) + '\n');
    }
  });
  io.stdout(
    `${r.out}: ${r.done}/${r.total} jobs have a result (ran ${r.ran} now, ${r.seconds.toFixed(1)} s)\n`
  );
  for (const f of r.failed) io.stdout(`failed ${f.job} ${JSON.stringify(f.params)}: ${f.error}\n`);
  return r.done === r.total ? 0 : 1;
}

/** `nnmotifs worker`: serves the queue until SIGINT/SIGTERM, then finishes its running jobs and stops. */
export async function workerCommand(args: { queue?: string; concurrency: number }, io: CliIO): Promise<void> {
  if (args.queue === undefined) throw new StudySpecError('worker needs --queue redis://HOST:PORT');
  const { startQueueWorker, redisConnection } = await import('../kernel/study/queue');
  try {
    redisConnection(args.queue);
  } catch (err) {
    throw new StudySpecError((err as Error).message);
  }
  const worker = await startQueueWorker(args.queue, {
    concurrency: args.concurrency,
    log: text => io.stderr(`worker: ${text}\n`)
  });
  io.stderr(`worker: serving ${args.queue} with ${args.concurrency} process(es); Ctrl-C to stop\n`);
  await new Promise<void>(resolve => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  io.stderr(
    `worker: stopping after the running jobs (at most ${CLOSE_TIMEOUT_MS / 1000} s; signal again to stop now)\n`
  );
  // A second signal, or a Redis that no longer answers, must not keep the worker alive: its unfinished
  // jobs are retried elsewhere when their locks expire.
  const now = (): void => process.exit(130);
  process.once('SIGINT', now);
  process.once('SIGTERM', now);
  const timer = setTimeout(now, CLOSE_TIMEOUT_MS);
  timer.unref();
  await worker.close();
  clearTimeout(timer);
  process.off('SIGINT', now);
  process.off('SIGTERM', now);
}

/** How long a stopping worker waits for its running jobs and Redis before it exits anyway. */
const CLOSE_TIMEOUT_MS = 60_000;
