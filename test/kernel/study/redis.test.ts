/**
 * Studies on a real Redis (BullMQ): worker processes started with the CLI, one killed with SIGKILL mid-job.
 * Needs `redis-server` on the PATH (Debian's package; .ci/run installs it); each run starts its own on a
 * free port and stops it at the end.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STUDY_QUEUE, redisConnection } from '../../../src/kernel/study/queue';
import { runStudy } from '../../../src/kernel/study/run';
import { networksDir, resultsOf, writeSpec } from './helpers';

const CLI = join(__dirname, '..', '..', '..', 'lib', 'cli', 'main.js');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

let redis: ChildProcess | undefined;
let url = '';
const workers: ChildProcess[] = [];

beforeAll(async () => {
  const found = spawnSync('redis-server', ['--version']);
  if (found.status !== 0)
    throw new Error('redis-server is not installed (Debian: apt-get install redis-server)');
  const port = await freePort();
  redis = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore'
    }
  );
  url = `redis://127.0.0.1:${port}`;
  const q = new Queue(STUDY_QUEUE, { connection: redisConnection(url) });
  await q.waitUntilReady();
  await q.close();
}, 30_000);

afterAll(async () => {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGKILL');
  redis?.kill('SIGTERM');
});

interface WorkerProcess {
  proc: ChildProcess;
  log: string[];
}

function startWorker(): WorkerProcess {
  const proc = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--concurrency', '1'], {
    stdio: ['ignore', 'ignore', 'pipe']
  });
  workers.push(proc);
  const log: string[] = [];
  proc.stderr?.on('data', (b: Buffer) =>
    log.push(
      ...b
        .toString()
        .split('\n')
        .filter(l => l.startsWith('worker:'))
    )
  );
  return { proc, log };
}

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 50));
  }
}

async function queueCounts(): Promise<Record<string, number>> {
  const q = new Queue(STUDY_QUEUE, { connection: redisConnection(url) });
  try {
    return await q.getJobCounts('wait', 'active', 'completed', 'failed', 'delayed', 'prioritized');
  } finally {
    await q.close();
  }
}

describe('study on Redis with worker processes', () => {
  it('loses nothing when a worker is killed mid-job, equals the single-worker run, and a re-run does no work', async () => {
    const dir = networksDir(['a.json', 'b.json'], [10, 40, 40, 40, 7], 0.3);
    const spec = writeSpec(dir, 'spec.json', {
      grid: { network: ['a.json', 'b.json'], seed: [1, 2, 3] },
      fixed: { analysis: 'motifs', nulls: 2000, chain: 'pairs', biasNode: true }
    });
    const local = await runStudy(spec, { out: join(dir, 'local'), workers: 1 });
    expect(local.done).toBe(6);

    const pool = [startWorker(), startWorker(), startWorker()];
    await until(() => pool.every(w => w.log.some(l => l.includes('serving'))), 20_000, 'workers to start');
    const run = runStudy(spec, { out: join(dir, 'queue'), queue: url });
    // kill the first worker that starts a job, while it runs it
    let victim: WorkerProcess | undefined;
    await until(
      () => (victim = pool.find(w => w.log.some(l => l.includes(': start ')))) !== undefined,
      30_000,
      'a worker to start a job'
    );
    const killedJob = victim!.log.find(l => l.includes(': start '))!.split(' ')[2];
    expect(victim!.log.some(l => l.includes(`done ${killedJob}`))).toBe(false);
    victim!.proc.kill('SIGKILL');
    const r = await run;
    expect(r).toMatchObject({ total: 6, done: 6, ran: 6, failed: [] });
    // the killed worker's job ran to the end on another worker
    const survivors = pool.filter(w => w !== victim);
    expect(survivors.some(w => w.log.some(l => l.includes(`done ${killedJob}`)))).toBe(true);

    const queued = readFileSync(join(dir, 'queue', 'results.jsonl'), 'utf8');
    expect(resultsOf(queued)).toEqual(resultsOf(readFileSync(join(dir, 'local', 'results.jsonl'), 'utf8')));
    // the coordinator cleans up after itself: nothing left in Redis for this study
    expect(Object.values(await queueCounts()).every(n => n === 0)).toBe(true);

    const logged = survivors.map(w => w.log.length);
    const again = await runStudy(spec, { out: join(dir, 'queue'), queue: url });
    expect(again.ran).toBe(0);
    expect(survivors.map(w => w.log.length)).toEqual(logged);
    expect(readFileSync(join(dir, 'queue', 'results.jsonl'), 'utf8')).toBe(queued);
  }, 120_000);

  it('retries a failing job, then records it as failed while the rest finish', async () => {
    if (!workers.some(w => w.exitCode === null)) startWorker();
    const dir = networksDir(['a.json']);
    const spec = writeSpec(dir, 'spec.json', {
      grid: { chain: ['paths', 'bogus'] },
      fixed: { analysis: 'motifs', network: 'a.json', nulls: 10 }
    });
    const r = await runStudy(spec, { out: join(dir, 'out'), queue: url });
    expect(r.done).toBe(1);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0].error).toBe("chain must be paths or pairs, got 'bogus'");
    const lines = readFileSync(join(dir, 'out', 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines[1]).toMatchObject({ attempts: 3, params: { chain: 'bogus' } });
    expect(Object.values(await queueCounts()).every(n => n === 0)).toBe(true);
  }, 60_000);
});
