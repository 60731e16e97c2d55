/**
 * A study worker process (forked by {@link createJobPool}): receives inputs once and jobs one at a time
 * over IPC, runs each with `runStudyJob`, and reports progress, the output or the error. A crash of this
 * process loses only the job it was running, which the pool reports as a failed attempt.
 */
import { hostname } from 'node:os';
import { runStudyJob } from './jobs';
import type { ChildMessage, ParentMessage } from './pool';

const inputs = new Map<string, string>();

function send(message: ChildMessage): void {
  process.send?.(message);
}

process.on('message', (message: ParentMessage) => {
  if (message.type === 'input') {
    inputs.set(message.hash, message.text);
    return;
  }
  const started = Date.now();
  const { task, payload, scratch } = message;
  runStudyJob(payload, {
    input: hash => {
      const text = inputs.get(hash);
      return text !== undefined
        ? Promise.resolve(text)
        : Promise.reject(new Error(`input ${hash} was not sent to this worker`));
    },
    ...(scratch !== undefined ? { scratch } : {}),
    progress: text => send({ type: 'progress', task, text })
  }).then(
    output => send({ type: 'done', task, output, seconds: (Date.now() - started) / 1000, host: hostname() }),
    (err: unknown) => send({ type: 'error', task, message: err instanceof Error ? err.message : String(err) })
  );
});

// The parent died (e.g. a worker killed with kill -9): stop too, the job will be retried elsewhere.
process.on('disconnect', () => process.exit(0));
