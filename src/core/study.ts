/**
 * Studies: a grid of jobs with persisted results (the papers' populations of networks). Pure logic only:
 * the spec, its expansion into jobs with deterministic ids and seeds, and the `results.jsonl` line format.
 * Running jobs (worker processes, a Redis queue) lives in `kernel/study`.
 *
 * A spec is `{"grid": {...}, "fixed": {...}}`: every list under `grid` multiplies (the Cartesian product,
 * in key order, the last key varying fastest), `fixed` is merged into every job. A grid key may be a dotted
 * path (`"model.init"`) that sets a nested value of the parameters.
 */
import { z } from 'zod';

/** JSON values as they appear in specs, parameters and results. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
/** A JSON object. */
export type JsonRecord = { [key: string]: Json };

/**
 * `JSON.stringify` replacer that writes typed arrays as JSON arrays (plain `JSON.stringify` writes them as
 * `{"0": …, "1": …}`); non-finite numbers become `null` as usual. The one rule for every JSON the
 * project writes from results: CLI `--json` output and study result lines.
 *
 * @example
 * ```ts
 * JSON.stringify({ counts: new Int32Array([3, 1]) }, typedArraysAsArrays); // '{"counts":[3,1]}'
 * ```
 */
export function typedArraysAsArrays(_key: string, value: unknown): unknown {
  return ArrayBuffer.isView(value) && !(value instanceof DataView)
    ? Array.from(value as unknown as ArrayLike<number>)
    : value;
}

const jsonSchema: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(jsonSchema),
    z.record(z.string(), jsonSchema)
  ])
);

const specSchema = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  grid: z.record(z.string(), z.array(jsonSchema)).default({}),
  fixed: z.record(z.string(), jsonSchema).default({})
});

/** A study spec as written in `SPEC.json`. */
export interface StudySpec {
  name?: string;
  description?: string;
  grid: Record<string, Json[]>;
  fixed: JsonRecord;
}

/** One job of a study: its id and its full parameters (fixed merged with one grid point). */
export interface StudyJob {
  /** `j` + 16 hex digits, a hash of the canonical JSON of `params`: the same parameters, the same id. */
  readonly id: string;
  /** Position in the grid (order of the results file after compaction). */
  readonly index: number;
  readonly params: JsonRecord;
}

/** Thrown for a malformed spec; the message names the key that is wrong. */
export class StudySpecError extends Error {
  override name = 'StudySpecError';
}

/**
 * Validates a parsed spec.
 *
 * @param value - the parsed JSON of a spec file.
 * @param source - file name for error messages.
 * @throws {@link StudySpecError} naming the key that is wrong.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.parseStudySpec({ grid: { seed: [1, 2] }, fixed: { analysis: 'metrics', network: 'a.json' } });
 * spec.grid.seed; // [1, 2]: two jobs
 * ```
 */
export function parseStudySpec(value: unknown, source = 'spec'): StudySpec {
  const r = specSchema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const where = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    throw new StudySpecError(`${source}: ${where}: ${issue.message}`);
  }
  for (const [key, values] of Object.entries(r.data.grid)) {
    if (values.length === 0) throw new StudySpecError(`${source}: grid.${key} is an empty list (no jobs)`);
    if (key.split('.').some(part => part === '' || part === '__proto__'))
      throw new StudySpecError(`${source}: grid key '${key}' is not a valid dotted path`);
  }
  return r.data as StudySpec;
}

/** Old parameter names of study specs and the names that replaced them. */
const RENAMED_PARAMETERS: Readonly<Record<string, string>> = { nulls: 'samples' };

/**
 * Deprecation notes for old parameter names in a spec (`nulls`, now `samples`), one per place, naming
 * where it stands (`fixed.motifs.nulls`, `grid.nulls`). The old names still work, so studies written with
 * them keep their job ids and resume; a job that gives both names is refused when it runs.
 *
 * @example
 * ```ts
 * const spec = parseStudySpec({ fixed: { analysis: 'motifs', network: 'a.json', nulls: 200 } });
 * studySpecDeprecations(spec); // ["fixed.nulls: 'nulls' is deprecated, use 'samples'"]
 * ```
 */
export function studySpecDeprecations(spec: StudySpec): string[] {
  const notes: string[] = [];
  const note = (where: string, key: string): void => {
    const renamed = RENAMED_PARAMETERS[key];
    if (renamed !== undefined) notes.push(`${where}: '${key}' is deprecated, use '${renamed}'`);
  };
  const walk = (value: Json, where: string): void => {
    if (Array.isArray(value)) value.forEach((v, k) => walk(v, `${where}[${k}]`));
    else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) {
        note(`${where}.${key}`, key);
        walk(v, `${where}.${key}`);
      }
    }
  };
  walk(spec.fixed, 'fixed');
  for (const [key, values] of Object.entries(spec.grid)) {
    note(`grid.${key}`, key.split('.').pop() ?? key);
    walk(values, `grid.${key}`);
  }
  return notes;
}

/**
 * JSON with object keys sorted at every depth: the same value always gives the same text.
 *
 * @example
 * ```ts
 * canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] }); // '{"a":[2,{"c":4,"d":3}],"b":1}'
 * ```
 */
export function canonicalJson(value: Json): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
}

/**
 * A 64-bit hash of a string as 16 hex digits (two FNV-1a 32-bit lanes with different offsets, each
 * finished with a murmur3 mixer). Not cryptographic: for ids of jobs and inputs.
 *
 * @example
 * ```ts
 * hash64('abc') === hash64('abc'); // true
 * ```
 */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  const mix = (h: number): number => {
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (h ^ (h >>> 16)) >>> 0;
  };
  return (
    mix(a).toString(16).padStart(8, '0') +
    mix(b ^ a)
      .toString(16)
      .padStart(8, '0')
  );
}

function setPath(target: JsonRecord, path: string, value: Json): void {
  const parts = path.split('.');
  let node: JsonRecord = target;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) {
      const fresh: JsonRecord = {};
      node[part] = fresh;
      node = fresh;
    } else {
      const copy: JsonRecord = { ...next };
      node[part] = copy;
      node = copy;
    }
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * The jobs of a spec: the Cartesian product of the `grid` lists (last key fastest), each merged into a copy
 * of `fixed`. Ids are hashes of the parameters, so they do not depend on the order of the grid or on
 * which jobs already ran.
 *
 * @throws {@link StudySpecError} when two grid points give the same parameters.
 * @example
 * ```ts
 * const jobs = studyJobs({ grid: { seed: [1, 2], 'motifs.null': ['gnm'] }, fixed: { motifs: { samples: 10 } } });
 * jobs[1].params; // { motifs: { samples: 10, null: 'gnm' }, seed: 2 }
 * ```
 */
export function studyJobs(spec: StudySpec): StudyJob[] {
  const keys = Object.keys(spec.grid);
  const jobs: StudyJob[] = [];
  const total = keys.reduce((n, k) => n * spec.grid[k].length, 1);
  const seen = new Set<string>();
  for (let index = 0; index < total; index++) {
    const params = JSON.parse(JSON.stringify(spec.fixed)) as JsonRecord;
    let rest = index;
    for (let k = keys.length - 1; k >= 0; k--) {
      const values = spec.grid[keys[k]];
      setPath(params, keys[k], values[rest % values.length]);
      rest = Math.floor(rest / values.length);
    }
    const id = `j${hash64(canonicalJson(params))}`;
    if (seen.has(id))
      throw new StudySpecError(`grid point ${index} repeats the parameters of an earlier one`);
    seen.add(id);
    jobs.push({ id, index, params });
  }
  return jobs;
}

/**
 * The seed of a job: its `seed` parameter when it has one, else a 32-bit number derived from its id (so
 * every job of a grid without seeds still gets its own, reproducible stream).
 *
 * @example
 * ```ts
 * jobSeed({ id: 'j0123456789abcdef', index: 0, params: { seed: 4 } }); // 4
 * ```
 */
export function jobSeed(job: StudyJob): number {
  const s = job.params.seed;
  if (typeof s === 'number' && Number.isFinite(s)) return s;
  return parseInt(job.id.slice(1, 9), 16);
}

/** A hash that names a study on a shared queue: the same grid and fixed parameters, the same key. */
export function studyKey(spec: StudySpec): string {
  return hash64(canonicalJson({ grid: spec.grid, fixed: spec.fixed }));
}

/** A line of `results.jsonl`: a finished job (`result`) or one that failed every attempt (`error`). */
export interface StudyResultLine {
  job: string;
  params: JsonRecord;
  /** The job's result: depends only on the parameters (byte-identical whatever ran it). */
  result?: Json;
  /** Why the job failed (its last attempt's error), when it has no result. */
  error?: string;
  /** Attempts used. */
  attempts?: number;
  /** Wall-clock seconds of the successful attempt. */
  seconds?: number;
  /** Host name of the worker. */
  host?: string;
}

/**
 * One line of `results.jsonl`: the job, its parameters and its result first (in that order), then the
 * bookkeeping (attempts, seconds, host). Ends with a newline.
 *
 * @example
 * ```ts
 * formatResultLine({ job: 'j1', params: { seed: 1 }, result: { n: 2 } }); // '{"job":"j1","params":{"seed":1},"result":{"n":2}}\n'
 * ```
 */
export function formatResultLine(line: StudyResultLine): string {
  const ordered: Record<string, unknown> = { job: line.job, params: line.params };
  if (line.result !== undefined) ordered.result = line.result;
  if (line.error !== undefined) ordered.error = line.error;
  if (line.attempts !== undefined) ordered.attempts = line.attempts;
  if (line.seconds !== undefined) ordered.seconds = line.seconds;
  if (line.host !== undefined) ordered.host = line.host;
  return JSON.stringify(ordered) + '\n';
}

/**
 * Reads `results.jsonl`: the last line of every job wins (a result after a failure from an earlier run).
 * A torn last line (a crash while writing) is ignored; any other malformed line is an error.
 *
 * @throws Error naming the line that is not a result line.
 * @example
 * ```ts
 * parseResults('{"job":"j1","params":{},"result":1}\n').get('j1')?.result; // 1
 * ```
 */
export function parseResults(text: string, source = 'results.jsonl'): Map<string, StudyResultLine> {
  const out = new Map<string, StudyResultLine>();
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      if (k === lines.length - 1) return; // torn last line: the job simply has no result yet
      throw new Error(`${source}: line ${k + 1} is not JSON`);
    }
    const line = value as StudyResultLine;
    if (value === null || typeof value !== 'object' || typeof line.job !== 'string')
      throw new Error(`${source}: line ${k + 1} has no "job"`);
    out.set(line.job, line);
  });
  return out;
}

/** Counts of a study's jobs by state. */
export interface StudyStatus {
  total: number;
  done: number;
  failed: number;
  pending: number;
  /** Ids of the jobs whose last line is a failure. */
  failedJobs: string[];
}

/**
 * Which jobs of a spec have a result, which failed, which are pending.
 *
 * @example
 * ```ts
 * const jobs = studyJobs({ grid: { seed: [1, 2] }, fixed: {} });
 * studyStatus(jobs, new Map()).pending; // 2
 * ```
 */
export function studyStatus(
  jobs: readonly StudyJob[],
  results: ReadonlyMap<string, StudyResultLine>
): StudyStatus {
  let done = 0;
  const failedJobs: string[] = [];
  for (const job of jobs) {
    const line = results.get(job.id);
    if (line?.result !== undefined) done++;
    else if (line?.error !== undefined) failedJobs.push(job.id);
  }
  return {
    total: jobs.length,
    done,
    failed: failedJobs.length,
    pending: jobs.length - done - failedJobs.length,
    failedJobs
  };
}
