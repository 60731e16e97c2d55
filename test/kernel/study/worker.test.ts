/**
 * What a study worker process keeps between jobs: parsed input networks, by content hash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runStudyJob, type JobPayload } from '../../../src/kernel/study/jobs';
import { networksDir } from './helpers';

describe('study worker: parsed inputs', () => {
  it('parses an input network once for all the jobs on it, with the same results as parsing each time', async () => {
    const dir = networksDir(['a.json', 'b.json']);
    const texts: Record<string, string> = {
      ha: readFileSync(join(dir, 'a.json'), 'utf8'),
      hb: readFileSync(join(dir, 'b.json'), 'utf8')
    };
    const fetched: string[] = [];
    const ctx = {
      input: (hash: string): Promise<string> => {
        fetched.push(hash);
        return Promise.resolve(texts[hash]);
      }
    };
    const job = (hash: string, seed: number): JobPayload => ({
      study: 's-cache',
      job: `j${hash}${seed}`,
      params: { analysis: 'motifs', network: `${hash}.json`, nulls: 20, seed },
      seed,
      inputs: { network: hash }
    });
    const results: string[] = [];
    for (const [hash, seed] of [
      ['ha', 1],
      ['hb', 1],
      ['ha', 2],
      ['ha', 1]
    ] as const)
      results.push(JSON.stringify((await runStudyJob(job(hash, seed), ctx)).result));
    expect(fetched).toEqual(['ha', 'hb']);
    expect(results[3]).toBe(results[0]); // the cached network gives the first result again
    expect(results[2]).not.toBe(results[0]); // another seed, other nulls
    // a fresh input (another hash with the same text) gives the same bytes as the cached one
    texts.ha2 = texts.ha;
    const fresh = await runStudyJob({ ...job('ha2', 2), params: job('ha', 2).params }, ctx);
    expect(fetched).toEqual(['ha', 'hb', 'ha2']);
    expect(JSON.stringify(fresh.result)).toBe(results[2]);
  });

  it('writes typed arrays of results as JSON arrays, as the CLI does (the histogram was {"0": …})', async () => {
    const dir = networksDir(['a.json']);
    const text = readFileSync(join(dir, 'a.json'), 'utf8');
    const out = await runStudyJob(
      {
        study: 's-arrays',
        job: 'jarrays',
        params: { analysis: 'metrics', network: 'a.json' },
        seed: 0,
        inputs: { network: 'ha' }
      },
      { input: () => Promise.resolve(text) }
    );
    const result = out.result as {
      linkWeights: { histogram: { edges: unknown; counts: unknown } }[];
      nodeStrength: unknown[];
    };
    expect(result.linkWeights.length).toBeGreaterThan(0);
    for (const { histogram } of result.linkWeights) {
      expect(Array.isArray(histogram.edges)).toBe(true);
      expect(Array.isArray(histogram.counts)).toBe(true);
      const counts = histogram.counts as number[];
      expect(counts.length).toBeGreaterThan(0);
      expect(counts.every(c => Number.isInteger(c))).toBe(true);
      expect(histogram.edges).toHaveLength(counts.length + 1);
    }
    expect(Array.isArray(result.nodeStrength[0])).toBe(true);
  });

  it('does not keep a file that fails to parse: the error names it every time', async () => {
    const ctx = { input: (): Promise<string> => Promise.resolve('{"format": "nnmotifs.network"') };
    const payload: JobPayload = {
      study: 's-bad',
      job: 'jbad',
      params: { analysis: 'metrics', network: 'broken.json' },
      seed: 0,
      inputs: { network: 'hbad' }
    };
    await expect(runStudyJob(payload, ctx)).rejects.toThrow(/broken\.json/);
    await expect(runStudyJob(payload, ctx)).rejects.toThrow(/broken\.json/);
  });
});
