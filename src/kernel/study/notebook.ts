/**
 * Studies from a notebook: `await nm.study(spec, {out})` runs a study with a live progress figure (jobs
 * done / failed / running, ETA) and returns a handle to its results; `nm.studyResults(out)` reads any
 * study directory as tidy rows (one row per observation), ready for the population figures.
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  type Json,
  type JsonRecord,
  type StudyResultLine,
  type StudySpec,
  parseResults
} from '../../core/study';
import { studyProgressFigure } from '../../figures/population';
import { type FigureHandle, inNotebook, showFigure } from '../display';
import {
  runStudy,
  studyProgressText,
  type StudyProgress,
  type StudyRunOptions,
  type StudyRunResult
} from './run';

/** Scalar parameters of a job, nested keys joined with dots (`data.trajectories`). */
export type FlatParams = Record<string, string | number | boolean | null>;

/** A motif observation: one motif of one network (at one pruning level and chain convention for pipelines). */
export interface MotifRow extends Readonly<FlatParams> {
  job: string;
  motif: string;
  count: number;
  /** `null` when undefined (the null never varies). */
  z: number | null;
  p: number | null;
  /** Pipeline jobs: the level and its sparsity; `chain` when several conventions were counted. */
  level: number | null;
  sparsity: number | null;
  chain: string | null;
  /** Pipeline jobs: whether this level is the job's optimally sparse one. */
  optimal: boolean | null;
}

/** A pruning level of a pipeline job. */
export interface LevelRow extends Readonly<FlatParams> {
  job: string;
  level: number;
  sparsity: number;
  loss: number;
  batches: number;
  optimal: boolean;
}

/** A per-layer metric value (layer fluctuation of neuron layer `layer`). */
export interface MetricRow extends Readonly<FlatParams> {
  job: string;
  metric: string;
  layer: number;
  value: number | null;
  level: number | null;
  sparsity: number | null;
}

/** A study's results as tidy tables. */
export interface StudyResults {
  /** Every result line (the last one of each job). */
  lines: StudyResultLine[];
  motifs: MotifRow[];
  levels: LevelRow[];
  metrics: MetricRow[];
  /** Jobs that failed every attempt. */
  failed: { job: string; params: JsonRecord; error: string }[];
}

function flatten(params: JsonRecord, prefix = '', out: FlatParams = {}): FlatParams {
  for (const [k, v] of Object.entries(params)) {
    const key = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v, `${key}.`, out);
    else if (!Array.isArray(v)) out[key] = v;
  }
  return out;
}

const isRecord = (v: Json | undefined): v is JsonRecord =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const numOrNull = (v: Json | undefined): number | null => (typeof v === 'number' ? v : null);

function motifRows(
  base: FlatParams & { job: string },
  r: JsonRecord,
  at: { level: number | null; sparsity: number | null; chain: string | null; optimal: boolean | null }
): MotifRow[] {
  const counts = isRecord(r.counts) ? r.counts : {};
  const z = isRecord(r.z) ? r.z : {};
  const p = isRecord(r.p) ? r.p : {};
  return Object.keys(counts).map(motif => ({
    ...base,
    ...at,
    motif,
    count: numOrNull(counts[motif]) ?? NaN,
    z: numOrNull(z[motif]),
    p: numOrNull(p[motif])
  }));
}

function metricRows(
  base: FlatParams & { job: string },
  m: JsonRecord,
  level: number | null,
  sparsity: number | null
): MetricRow[] {
  const f = m.layerFluctuation;
  if (!Array.isArray(f)) return [];
  return f.map((value, layer) => ({
    ...base,
    metric: 'layerFluctuation',
    layer,
    value: numOrNull(value),
    level,
    sparsity
  }));
}

/**
 * Tidy rows of results lines (see {@link studyResults}).
 */
export function tidyStudyResults(lines: readonly StudyResultLine[]): StudyResults {
  const out: StudyResults = { lines: [...lines], motifs: [], levels: [], metrics: [], failed: [] };
  for (const line of lines) {
    if (line.result === undefined) {
      out.failed.push({ job: line.job, params: line.params, error: line.error ?? '' });
      continue;
    }
    const base = { ...flatten(line.params), job: line.job };
    const r = line.result;
    if (!isRecord(r)) continue;
    if (Array.isArray(r.levels)) {
      const optimal = isRecord(r.optimal) ? numOrNull(r.optimal.index) : null;
      for (const level of r.levels) {
        if (!isRecord(level)) continue;
        const index = numOrNull(level.index) ?? -1;
        const sparsity = numOrNull(level.sparsity) ?? NaN;
        const isOptimal = index === optimal;
        out.levels.push({
          ...base,
          level: index,
          sparsity,
          loss: numOrNull(level.loss) ?? NaN,
          batches: numOrNull(level.batches) ?? 0,
          optimal: isOptimal
        });
        if (isRecord(level.motifs)) {
          for (const [chain, m] of Object.entries(level.motifs)) {
            if (isRecord(m))
              out.motifs.push(...motifRows(base, m, { level: index, sparsity, chain, optimal: isOptimal }));
          }
        }
        if (isRecord(level.metrics)) out.metrics.push(...metricRows(base, level.metrics, index, sparsity));
      }
    } else if (isRecord(r.counts)) {
      out.motifs.push(...motifRows(base, r, { level: null, sparsity: null, chain: null, optimal: null }));
    } else {
      out.metrics.push(...metricRows(base, isRecord(r.metrics) ? r.metrics : r, null, null));
    }
  }
  return out;
}

/**
 * Reads a study directory's `results.jsonl` as tidy rows: `motifs` (one row per motif and network, and per
 * level for pipelines), `levels` (pipelines: loss and sparsity per level), `metrics` (layer fluctuation per
 * neuron layer) and the `failed` jobs. Parameters are columns (nested ones with dotted names).
 *
 * @throws Error when the file is missing or has a malformed line (naming it).
 * @example
 * ```ts
 * // example: compile-only, reads a study folder
 * import * as nm from 'nnmotifs';
 * const r = await nm.studyResults('runs/moth');
 * r.motifs.filter(row => row.motif === 'biFan').map(row => row.z);
 * ```
 */
export async function studyResults(out: string): Promise<StudyResults> {
  const file = join(out, 'results.jsonl');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    // A study folder whose first job has not finished yet has no results file: no rows, not an error.
    if (await isDirectory(out)) return tidyStudyResults([]);
    throw new Error(`${out}: no such study folder (run the study first: nm.study(spec, { out }))`);
  }
  return tidyStudyResults([...parseResults(text, file).values()]);
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** Options of {@link study}. */
export interface NotebookStudyOptions extends StudyRunOptions {
  /** Live progress: a figure in a notebook, a line on stderr elsewhere. Default `true`. */
  progress?: boolean;
}

/** What {@link study} returns: the run's summary and the results as tidy rows. */
export interface StudyHandle extends StudyRunResult {
  /** Reads the results (all jobs of the study, also those of earlier runs). */
  results(): Promise<StudyResults>;
}

/** Minimum time between two progress updates. */
const PROGRESS_INTERVAL_MS = 500;
/** Outside a notebook, one line every 2 s at most. */
const TEXT_INTERVAL_MS = 2000;

/**
 * Runs a study from a notebook (see `runStudy`): jobs without a result run on local worker processes (or
 * on the Redis `queue`), a figure shows jobs done / failed / running and the ETA while it runs, and the
 * returned handle reads the results. Interrupting the kernel stops handing out jobs; running the cell
 * again resumes.
 *
 * @example
 * ```ts
 * // example: compile-only, trains and measures networks of net.json for minutes
 * import * as nm from 'nnmotifs';
 * const s = await nm.study({ grid: { seed: [1, 2, 3] }, fixed: { analysis: 'motifs', network: 'net.json', samples: 200 } },
 *   { out: 'runs/motifs' });
 * const rows = (await s.results()).motifs;
 * ```
 */
export async function study(spec: string | StudySpec, options: NotebookStudyOptions): Promise<StudyHandle> {
  const showing = options.progress !== false;
  const notebook = showing && inNotebook();
  let figure: FigureHandle | undefined;
  let last = 0;
  let latest: StudyProgress | undefined;
  const draw = (p: StudyProgress): void => {
    const spec = studyProgressFigure(p);
    if (notebook) {
      if (figure === undefined) figure = showFigure(spec);
      else figure.update(spec);
    } else process.stderr.write(studyProgressText(p) + '\n');
  };
  const controller = new AbortController();
  const onInterrupt = (): void => controller.abort();
  options.signal?.addEventListener('abort', onInterrupt);
  process.once('SIGINT', onInterrupt);
  try {
    const r = await runStudy(spec, {
      ...options,
      signal: controller.signal,
      onProgress: p => {
        latest = p;
        options.onProgress?.(p);
        const now = Date.now();
        if (
          !showing ||
          (now - last < (notebook ? PROGRESS_INTERVAL_MS : TEXT_INTERVAL_MS) && p.running + p.pending > 0)
        )
          return;
        last = now;
        draw(p);
      }
    });
    if (showing && latest !== undefined)
      draw({ ...latest, running: 0, done: r.done, failed: r.failed.length, elapsed: r.seconds });
    return { ...r, results: () => studyResults(r.out) };
  } finally {
    process.off('SIGINT', onInterrupt);
    options.signal?.removeEventListener('abort', onInterrupt);
  }
}
