/**
 * Worker thread of {@link moth}: simulates chunks of trajectories and sends the rows back (transferred, not
 * copied). Each task is a {@link MothJob}; the reply is a {@link MothChunk}.
 */
import { simulateMoth } from '../../core/datasets/moth';
import { serveRuns } from '../threads';
import type { MothChunk, MothJob } from './mothJobs';

serveRuns(() => (job: MothJob) => {
  const d = simulateMoth(job.count, job.options);
  const result: MothChunk = {
    first: job.options.first ?? 0,
    x: d.x.data,
    y: d.y.data,
    steps: d.steps,
    evaluations: d.evaluations
  };
  return { result, transfer: [d.x.data.buffer as ArrayBuffer, d.y.data.buffer as ArrayBuffer] };
});
