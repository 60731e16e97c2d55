/**
 * `nnmotifs study run|status` and `nnmotifs worker`: studies from a shell. The work is in `../study.ts`
 * (loaded on use: BullMQ and the study runner are not needed by the other commands).
 */
import { type Command, InputError, intOption, stringOption } from '../command';

/** Runs `action`, turning the study's usage errors (`StudySpecError`) into exit-2 input errors. */
async function asInputErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof Error && err.name === 'StudySpecError') throw new InputError(err.message);
    throw err;
  }
}

export const studyCommand: Command = {
  name: 'study',
  synopsis: 'run SPEC.json --out DIR [--workers N] [--queue redis://HOST:PORT]\nstatus DIR',
  summary: 'run a study (a grid of analyses or train-prune pipelines, docs/studies.md) or show its status',
  details:
    'study run: runs every job of SPEC.json that has no result in DIR/results.jsonl yet, on N local worker\n' +
    'processes (default: cores) or, with --queue, on the workers of that Redis. Exit 0 when every job has a\n' +
    'result, 1 when some failed (listed).',
  options: {
    out: { type: 'string', value: 'DIR', help: 'the study folder (results.jsonl, networks, logs)' },
    workers: { type: 'string', value: 'N', help: 'local worker processes (default: cores)' },
    queue: { type: 'string', value: 'URL', help: 'run the jobs on the workers of this Redis queue' }
  },
  async run(args, io) {
    const { studyCommand: runStudyCommand } = await import('../study');
    const workers = args.values.workers === undefined ? undefined : intOption(args, 'workers', 1, 1, 1024);
    return asInputErrors(() =>
      runStudyCommand(
        {
          sub: args.positionals[0],
          target: args.positionals[1],
          out: stringOption(args, 'out'),
          queue: stringOption(args, 'queue'),
          workers
        },
        io
      )
    );
  }
};

export const workerCommand: Command = {
  name: 'worker',
  synopsis: '--queue redis://HOST:PORT [--concurrency N]',
  summary: 'serve the study queue on that Redis (any study), N jobs at a time, until stopped',
  options: {
    queue: { type: 'string', value: 'URL', help: 'the Redis of the queue, redis://HOST:PORT' },
    concurrency: { type: 'string', value: 'N', help: 'jobs at a time (default 1)' }
  },
  async run(args, io) {
    const { workerCommand: serve } = await import('../study');
    const concurrency = intOption(args, 'concurrency', 1, 1, 1024);
    await asInputErrors(() => serve({ queue: stringOption(args, 'queue'), concurrency }, io));
  }
};
