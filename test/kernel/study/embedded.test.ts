import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../../src/cli/main';
import { runStudy, studyDirStatus } from '../../../src/kernel/study/run';
import { networksDir, resultsOf, writeSpec } from './helpers';

function captureIO(): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: t => void out.push(t), stderr: t => void err.push(t), stderrIsTTY: false };
}

const motifSpec = {
  grid: { network: ['a.json', 'b.json'], null: ['random-pruning', 'gnm'], seed: [1, 2, 3] },
  fixed: { analysis: 'motifs', samples: 100, chain: 'paths' }
};

describe('study run (embedded workers)', () => {
  it('gives byte-identical results with 1 and 3 workers, equal to nnmotifs motifs --json', async () => {
    const dir = networksDir(['a.json', 'b.json']);
    const spec = writeSpec(dir, 'spec.json', motifSpec);
    const one = await runStudy(spec, { out: join(dir, 'one'), workers: 1 });
    const three = await runStudy(spec, { out: join(dir, 'three'), workers: 3 });
    expect(one).toMatchObject({ total: 12, done: 12, ran: 12, failed: [] });
    expect(three).toMatchObject({ total: 12, done: 12, ran: 12, failed: [] });
    const a = resultsOf(readFileSync(join(dir, 'one', 'results.jsonl'), 'utf8'));
    const b = resultsOf(readFileSync(join(dir, 'three', 'results.jsonl'), 'utf8'));
    expect(a).toHaveLength(12);
    expect(b).toEqual(a);

    // the result of a job is what `nnmotifs motifs --json` prints for the same options (without `file`)
    const line = JSON.parse(readFileSync(join(dir, 'one', 'results.jsonl'), 'utf8').split('\n')[4]) as {
      params: { network: string; null: string; seed: number };
      result: unknown;
      seconds: number;
      host: string;
    };
    const io = captureIO();
    const code = await main(
      [
        'motifs',
        join(dir, line.params.network),
        '--samples',
        '100',
        '--seed',
        String(line.params.seed),
        '--null',
        line.params.null,
        '--json',
        '--workers',
        '1'
      ],
      io
    );
    expect(code).toBe(0);
    const cli = JSON.parse(io.out.join('')) as Record<string, unknown>;
    delete cli.file;
    expect(JSON.stringify(line.result)).toBe(JSON.stringify(cli));
    expect(typeof line.seconds).toBe('number');
    expect(typeof line.host).toBe('string');
  });

  it("still reads a spec's old 'nulls' as 'samples' with a deprecation warning, and refuses both at once", async () => {
    const dir = networksDir(['a.json']);
    const fixed = { analysis: 'motifs', network: 'a.json', seed: 2 };
    const current = writeSpec(dir, 'new.json', {
      grid: { chain: ['paths'] },
      fixed: { ...fixed, samples: 30 }
    });
    const old = writeSpec(dir, 'old.json', { grid: { chain: ['paths'] }, fixed: { ...fixed, nulls: 30 } });
    const both = writeSpec(dir, 'both.json', {
      grid: { chain: ['paths'] },
      fixed: { ...fixed, nulls: 30, samples: 30 }
    });
    const warnings: string[] = [];
    const onWarning = (w: Error): void => void warnings.push(`${w.name}: ${w.message}`);
    process.on('warning', onWarning);
    try {
      await runStudy(current, { out: join(dir, 'new'), workers: 1 });
      await runStudy(old, { out: join(dir, 'old'), workers: 1 });
      // warnings are emitted on the next tick
      await new Promise(r => setImmediate(r));
      expect(warnings).toEqual([
        `DeprecationWarning: ${old}: fixed.nulls: 'nulls' is deprecated, use 'samples'`
      ]);
    } finally {
      process.off('warning', onWarning);
    }
    const [a] = resultsOf(readFileSync(join(dir, 'new', 'results.jsonl'), 'utf8'));
    const [b] = resultsOf(readFileSync(join(dir, 'old', 'results.jsonl'), 'utf8'));
    expect((JSON.parse(a.result) as { null: { samples: number } }).null.samples).toBe(30);
    expect(b.result).toBe(a.result);
    const r = await runStudy(both, { out: join(dir, 'both'), workers: 1 });
    expect(r.failed.map(f => f.error)).toEqual([
      "give the number of null samples once, as 'samples' ('nulls' is its old name)"
    ]);
  });

  it('resumes: a re-run does no work, and a cut results file reruns only the missing jobs', async () => {
    const dir = networksDir(['a.json', 'b.json']);
    const spec = writeSpec(dir, 'spec.json', motifSpec);
    const out = join(dir, 'out');
    await runStudy(spec, { out, workers: 2 });
    const full = readFileSync(join(out, 'results.jsonl'), 'utf8');
    expect((await runStudy(spec, { out, workers: 2 })).ran).toBe(0);
    expect(readFileSync(join(out, 'results.jsonl'), 'utf8')).toBe(full);
    // keep 5 lines and a torn sixth, as a crash while writing would leave
    const lines = full.split('\n');
    writeFileSync(join(out, 'results.jsonl'), lines.slice(0, 5).join('\n') + '\n' + lines[5].slice(0, 40));
    const again = await runStudy(spec, { out, workers: 2 });
    expect(again.ran).toBe(7);
    expect(resultsOf(readFileSync(join(out, 'results.jsonl'), 'utf8'))).toEqual(resultsOf(full));
  });

  it('records a job that fails every attempt with its error, runs the rest, exits 1 and lists it', async () => {
    const dir = networksDir(['a.json']);
    const spec = writeSpec(dir, 'spec.json', {
      grid: { chain: ['paths', 'bogus', 'pairs'] },
      fixed: { analysis: 'motifs', network: 'a.json', samples: 10 }
    });
    const out = join(dir, 'out');
    const io = captureIO();
    expect(await main(['study', 'run', spec, '--out', out, '--workers', '2'], io)).toBe(1);
    expect(io.out.join('')).toMatch(/2\/3 jobs have a result/);
    expect(io.out.join('')).toMatch(/failed j[0-9a-f]{16} .*"chain":"bogus".*chain must be paths or pairs/);
    const lines = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(l => l.params.chain)).toEqual(['paths', 'bogus', 'pairs']);
    expect(lines[1]).toMatchObject({ attempts: 3, error: "chain must be paths or pairs, got 'bogus'" });
    expect(lines[1].result).toBeUndefined();
    const status = await studyDirStatus(out);
    expect(status).toMatchObject({ total: 3, done: 2, pending: 0 });
    expect(status.failed).toHaveLength(1);
    const io2 = captureIO();
    expect(await main(['study', 'status', out], io2)).toBe(1);
    expect(io2.out.join('')).toMatch(/2\/3 done, 1 failed, 0 pending/);
  });

  it('runs rewiring and metrics jobs and keeps the rewired networks as snapshots', async () => {
    const dir = networksDir(['a.json']);
    const spec = writeSpec(dir, 'spec.json', {
      grid: { analysis: ['metrics', 'rewiring'] },
      fixed: { network: 'a.json', seed: 3 }
    });
    const out = join(dir, 'out');
    const r = await runStudy(spec, { out, workers: 2 });
    expect(r.failed).toEqual([]);
    const [metrics, rewiring] = readFileSync(join(out, 'results.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(metrics.result.layerSizes).toEqual([6, 12, 12, 4]);
    expect(rewiring.result.metrics.layerSizes).toEqual([6, 12, 12, 4]);
    const snapshot = JSON.parse(readFileSync(join(out, 'snapshots', rewiring.job, 'rewired.json'), 'utf8'));
    expect(snapshot.format).toBe('nnmotifs.network');
  });

  it('reports bad input in one line with exit code 2', async () => {
    const dir = networksDir(['a.json']);
    const spec = writeSpec(dir, 'spec.json', {
      grid: { network: ['a.json', 'missing.json'] },
      fixed: { analysis: 'metrics' }
    });
    for (const [args, message] of [
      [['study', 'run', spec], /needs --out DIR/],
      [['study', 'run', spec, '--out', join(dir, 'o')], /network 'missing\.json'/],
      [['study', 'run', join(dir, 'nope.json'), '--out', join(dir, 'o')], /cannot read .*nope\.json/],
      [['study', 'status', dir], /not a study directory/],
      [['worker'], /needs --queue/],
      [['worker', '--queue', 'http://x'], /redis:\/\/HOST:PORT/]
    ] as const) {
      const io = captureIO();
      expect(await main(args, io), `${args.join(' ')}: ${io.err.join('')}`).toBe(2);
      expect(io.err.join('')).toMatch(message);
      expect(io.err.join('')).not.toMatch(/\n\s+at /);
    }
  });

  it('refuses an output folder that holds another study', async () => {
    const dir = networksDir(['a.json']);
    const out = join(dir, 'out');
    await runStudy(
      writeSpec(dir, 's1.json', { grid: { seed: [1] }, fixed: { analysis: 'metrics', network: 'a.json' } }),
      { out, workers: 1 }
    );
    await expect(
      runStudy(
        writeSpec(dir, 's2.json', { grid: { seed: [2] }, fixed: { analysis: 'metrics', network: 'a.json' } }),
        { out, workers: 1 }
      )
    ).rejects.toThrow(/holds another study/);
  });
});

describe('study run (pipeline)', () => {
  it('trains, prunes and analyses, with the same results for 1 and 2 workers', async () => {
    const dir = networksDir([]);
    const spec = writeSpec(dir, 'pipe.json', {
      grid: { seed: [1, 2] },
      fixed: {
        pipeline: 'prune',
        data: { name: 'binaryTree', n: 400, seed: 1, validationSplit: 0.25 },
        model: { sizes: [31, 12, 12, 4], activation: 'tanh', init: 'mothNormal' },
        train: { optimizer: 'adam', lr: 0.01, batchSize: 32 },
        prune: {
          schedule: [0.5, 0.8],
          convergence: { minBatches: 20, checkEvery: 10, window: 10, maxBatches: 40 }
        },
        analysis: {
          levels: 'sparse',
          minSparsity: 0.6,
          motifs: { samples: 20, chain: ['pairs', 'paths'], biasNode: true, seed: 7 }
        },
        optimal: { relative: 2 },
        snapshots: 'all'
      }
    });
    const one = await runStudy(spec, { out: join(dir, 'one'), workers: 1 });
    const two = await runStudy(spec, { out: join(dir, 'two'), workers: 2 });
    expect(one.failed).toEqual([]);
    expect(two.failed).toEqual([]);
    const text = readFileSync(join(dir, 'one', 'results.jsonl'), 'utf8');
    expect(resultsOf(readFileSync(join(dir, 'two', 'results.jsonl'), 'utf8'))).toEqual(resultsOf(text));
    const line = JSON.parse(text.split('\n')[0]);
    const levels = line.result.levels;
    expect(levels.map((l: { sparsity: number }) => l.sparsity)).toEqual([0, 0.5, 0.8]);
    expect(levels[0].motifs).toBeUndefined();
    expect(levels[1].motifs).toBeUndefined(); // 50 % is below minSparsity
    expect(levels[1].metrics).toBeUndefined();
    expect(Object.keys(levels[2].motifs)).toEqual(['pairs', 'paths']);
    expect(Object.keys(levels[2].motifs.pairs)).toEqual(['counts', 'null', 'z', 'p']);
    expect(levels[2].layerSparsity.every((s: number) => Math.abs(s - 0.8) < 0.02)).toBe(true);
    const snap = JSON.parse(readFileSync(join(dir, 'one', 'snapshots', line.job, 'level-02.json'), 'utf8'));
    expect(snap.layers).toHaveLength(3);
  });
});
