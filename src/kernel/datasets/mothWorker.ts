/**
 * Worker thread of {@link moth}: simulates chunks of trajectories and sends the rows back (transferred, not
 * copied). Each message is a {@link MothJob}; the reply is a {@link MothChunk}.
 */
import { parentPort } from 'node:worker_threads';
import { simulateMoth } from '../../core/datasets/moth';
import type { MothChunk, MothJob } from './mothJobs';

if (!parentPort) throw new Error('mothWorker must run in a worker thread');
const port = parentPort;
port.on('message', (job: MothJob) => {
  try {
    const d = simulateMoth(job.count, job.options);
    const reply: MothChunk = {
      first: job.options.first ?? 0,
      x: d.x.data,
      y: d.y.data,
      steps: d.steps,
      evaluations: d.evaluations
    };
    port.postMessage(reply, [d.x.data.buffer as ArrayBuffer, d.y.data.buffer as ArrayBuffer]);
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
});
