import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  StudySpecError,
  canonicalJson,
  formatResultLine,
  hash64,
  jobSeed,
  parseResults,
  parseStudySpec,
  studyJobs,
  studyKey,
  studySpecDeprecations,
  studyStatus,
  type Json
} from '../../src/core/study';

describe('studyJobs', () => {
  it('is the Cartesian product of the grid lists, last key fastest, merged into fixed', () => {
    const spec = parseStudySpec({
      grid: { network: ['a.json', 'b.json'], null: ['random-pruning', 'gnm'], seed: [1, 2, 3] },
      fixed: { analysis: 'motifs', nulls: 200 }
    });
    const jobs = studyJobs(spec);
    expect(jobs).toHaveLength(12);
    expect(jobs.map(j => [j.params.network, j.params.null, j.params.seed])).toEqual(
      ['a.json', 'b.json'].flatMap(n => ['random-pruning', 'gnm'].flatMap(m => [1, 2, 3].map(s => [n, m, s])))
    );
    for (const j of jobs) expect(j.params).toMatchObject({ analysis: 'motifs', nulls: 200 });
    expect(new Set(jobs.map(j => j.id)).size).toBe(12);
    expect(jobs.map(j => j.index)).toEqual([...Array(12).keys()]);
  });

  it('gives ids that depend on the parameters only, not on grid order', () => {
    const a = studyJobs(parseStudySpec({ grid: { x: [1, 2], y: ['p', 'q'] }, fixed: { k: 1 } }));
    const b = studyJobs(parseStudySpec({ grid: { y: ['q', 'p'], x: [2, 1] }, fixed: { k: 1 } }));
    expect(new Set(a.map(j => j.id))).toEqual(new Set(b.map(j => j.id)));
    const byId = new Map(b.map(j => [j.id, j.params]));
    for (const j of a) expect(byId.get(j.id)).toEqual(j.params);
    expect(a[0].id).toMatch(/^j[0-9a-f]{16}$/);
  });

  it('sets nested values for dotted grid keys without touching fixed', () => {
    const fixed = { motifs: { nulls: 10, chain: 'paths' } };
    const jobs = studyJobs(parseStudySpec({ grid: { 'motifs.chain': ['pairs', 'paths'] }, fixed }));
    expect(jobs.map(j => j.params)).toEqual([
      { motifs: { nulls: 10, chain: 'pairs' } },
      { motifs: { nulls: 10, chain: 'paths' } }
    ]);
    expect(fixed.motifs.chain).toBe('paths');
  });

  it('rejects repeated grid points and empty lists, naming the key', () => {
    expect(() => studyJobs(parseStudySpec({ grid: { seed: [1, 1] } }))).toThrow(/repeats/);
    expect(() => parseStudySpec({ grid: { seed: [] } }, 'x.json')).toThrow(
      /x\.json: grid\.seed is an empty list/
    );
    expect(() => parseStudySpec({ grid: { seed: 3 } }, 'x.json')).toThrow(StudySpecError);
    expect(() => parseStudySpec({ grid: { seed: 3 } }, 'x.json')).toThrow(/grid\.seed/);
    expect(() => parseStudySpec({ grid: { '__proto__.x': [1] } })).toThrow(/dotted path/);
  });

  it('has seeds from the seed parameter, else from the id', () => {
    const [a, b] = studyJobs(parseStudySpec({ grid: { net: ['a', 'b'] } }));
    expect(jobSeed(a)).toBe(parseInt(a.id.slice(1, 9), 16));
    expect(jobSeed(a)).not.toBe(jobSeed(b));
    expect(jobSeed({ id: 'j0000000000000000', index: 0, params: { seed: 5 } })).toBe(5);
  });

  it('names a study by its grid and fixed parameters', () => {
    const s = parseStudySpec({ name: 'a', grid: { x: [1] }, fixed: { y: 2 } });
    expect(studyKey(s)).toBe(studyKey(parseStudySpec({ name: 'b', fixed: { y: 2 }, grid: { x: [1] } })));
    expect(studyKey(s)).not.toBe(studyKey(parseStudySpec({ grid: { x: [2] }, fixed: { y: 2 } })));
  });
});

describe('canonicalJson and hash64', () => {
  const json: fc.Arbitrary<Json> = fc.jsonValue() as fc.Arbitrary<Json>;
  it('gives the same text for the same value whatever the key order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), json), d => {
        const reversed = Object.fromEntries(Object.entries(d).reverse()) as Json;
        expect(canonicalJson(reversed)).toBe(canonicalJson(d as Json));
        expect(JSON.parse(canonicalJson(d as Json))).toEqual(JSON.parse(JSON.stringify(d)));
      })
    );
  });
  it('hashes to 16 hex digits, differently for different texts', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 5000; k++) seen.add(hash64(`{"seed":${k}}`));
    expect(seen.size).toBe(5000);
    expect(hash64('abc')).toMatch(/^[0-9a-f]{16}$/);
  });
});

describe('results lines', () => {
  it('put job, params and result first and round-trip', () => {
    const line = {
      host: 'h',
      seconds: 1.5,
      attempts: 1,
      result: { z: [1, null] },
      params: { a: 1 },
      job: 'j1'
    };
    const text = formatResultLine(line);
    expect(text).toBe(
      '{"job":"j1","params":{"a":1},"result":{"z":[1,null]},"attempts":1,"seconds":1.5,"host":"h"}\n'
    );
    expect(parseResults(text).get('j1')).toEqual(JSON.parse(text));
  });
  it('keep the last line of a job and ignore a torn last line', () => {
    const text =
      formatResultLine({ job: 'j1', params: {}, error: 'boom', attempts: 3 }) +
      formatResultLine({ job: 'j2', params: {}, result: 2 }) +
      formatResultLine({ job: 'j1', params: {}, result: 1 }) +
      '{"job":"j3","par';
    const r = parseResults(text);
    expect([...r.keys()]).toEqual(['j1', 'j2']);
    expect(r.get('j1')?.result).toBe(1);
    expect(() => parseResults('{"job":\n{"job":"j1","params":{},"result":1}\n', 'r.jsonl')).toThrow(
      /r\.jsonl: line 1/
    );
  });
  it('count done, failed and pending jobs', () => {
    const jobs = studyJobs(parseStudySpec({ grid: { seed: [1, 2, 3] } }));
    const results = parseResults(
      formatResultLine({ job: jobs[0].id, params: {}, result: 1 }) +
        formatResultLine({ job: jobs[2].id, params: {}, error: 'x', attempts: 3 })
    );
    expect(studyStatus(jobs, results)).toEqual({
      total: 3,
      done: 1,
      failed: 1,
      pending: 1,
      failedJobs: [jobs[2].id]
    });
  });
});

describe('studySpecDeprecations', () => {
  it("names every place of the old parameter 'nulls', in fixed and in the grid, and nothing else", () => {
    const spec = parseStudySpec({
      grid: { 'motifs.nulls': [10, 20], seed: [1], variants: [{ nulls: 5 }] },
      fixed: { analysis: 'motifs', nulls: 200, analysisOptions: { motifs: { nulls: 3, null: 'gnm' } } }
    });
    expect(studySpecDeprecations(spec)).toEqual([
      "fixed.nulls: 'nulls' is deprecated, use 'samples'",
      "fixed.analysisOptions.motifs.nulls: 'nulls' is deprecated, use 'samples'",
      "grid.motifs.nulls: 'nulls' is deprecated, use 'samples'",
      "grid.variants[0].nulls: 'nulls' is deprecated, use 'samples'"
    ]);
    expect(
      studySpecDeprecations(
        parseStudySpec({ grid: { seed: [1] }, fixed: { analysis: 'motifs', samples: 9 } })
      )
    ).toEqual([]);
  });
});
