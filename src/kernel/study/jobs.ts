/**
 * What one study job does, wherever it runs (a local worker process or a machine serving a Redis queue).
 * A job sees only its parameters and its inputs (network files as nnmotifs network JSON, fetched by content
 * hash), never the coordinator's file system, and its `result` depends only on those: the same parameters
 * give the same bytes on any worker.
 *
 * Two kinds of job:
 * - analysis-only (`analysis`: `metrics` | `motifs` | `rewiring` of the input `network`): the result is what
 *   `nnmotifs metrics --json` / `motifs --json` print (without `file`), or the metrics of the rewired network.
 * - the pipeline (`pipeline`: `prune`): data → model → train → iterative magnitude pruning → per-level
 *   metrics and motif significance (Zahn et al.'s workflow). See `docs/studies.md` for its parameters.
 */
import { motifCensus } from '../../core/census';
import { serializeNetwork, parseNetworkJson } from '../../core/io';
import { degrees, layerFluctuation, linkWeights, nodeStrength } from '../../core/metrics';
import { type LayeredNetwork, layerSizes } from '../../core/network';
import { NULL_MODELS, type NullModel } from '../../core/nulls';
import { paRewire } from '../../core/rewiring';
import { motifSignificance } from '../../core/significance';
import { type Json, type JsonRecord, typedArraysAsArrays } from '../../core/study';

/** A job as it travels to a worker: everything it needs except the input contents. */
export interface JobPayload {
  /** Study key (a hash of the spec): names the job's scratch directory on the worker. */
  readonly study: string;
  readonly job: string;
  readonly params: JsonRecord;
  /** The job's seed (`jobSeed`). */
  readonly seed: number;
  /** Input name → content hash (the contents travel separately, once per worker). */
  readonly inputs: Readonly<Record<string, string>>;
}

/** A file the job asks the coordinator to keep under `OUT/snapshots/<job>/`. */
export interface JobFile {
  readonly name: string;
  readonly text: string;
}

/** What a job returns. */
export interface JobOutput {
  readonly result: Json;
  readonly files?: readonly JobFile[];
}

/** What the worker gives a job besides its payload. */
export interface JobContext {
  /** The content of an input by its hash. */
  input(hash: string): Promise<string>;
  /** A directory of this worker's own where a long job keeps checkpoints (pruning levels). */
  scratch?: string;
  /** Progress of a long job, e.g. `level 3/18`. */
  progress?(text: string): void;
}

/** A job whose parameters are wrong (the message says which). Retried like any failure, then recorded. */
export class JobError extends Error {
  override name = 'JobError';
}

/** Round-trips through JSON: typed arrays become arrays, NaN becomes null, exactly as the CLI prints. */
function asJson(value: unknown): Json {
  return JSON.parse(JSON.stringify(value, typedArraysAsArrays)) as Json;
}

function str(p: JsonRecord, key: string, fallback?: string): string {
  const v = p[key] ?? fallback;
  if (typeof v !== 'string')
    throw new JobError(`parameter '${key}' must be a string, got ${JSON.stringify(v)}`);
  return v;
}

function num(p: JsonRecord, key: string, fallback?: number): number {
  const v = p[key] ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v))
    throw new JobError(`parameter '${key}' must be a number, got ${JSON.stringify(v)}`);
  return v;
}

function bool(p: JsonRecord, key: string, fallback: boolean): boolean {
  const v = p[key] ?? fallback;
  if (typeof v !== 'boolean')
    throw new JobError(`parameter '${key}' must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

function record(p: JsonRecord, key: string): JsonRecord {
  const v = p[key] ?? {};
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new JobError(`parameter '${key}' must be an object, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * The metrics of a network as `nnmotifs metrics --json` prints them (without `file`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const m = metricsJson(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * m.layerSizes; // [4, 8, 3]
 * ```
 */
export function metricsJson(net: LayeredNetwork): {
  layerSizes: number[];
  linkWeights: ReturnType<typeof linkWeights>;
  nodeStrength: number[][];
  layerFluctuation: number[];
  degrees: { in: number[]; out: number[] }[];
} {
  return {
    layerSizes: layerSizes(net),
    linkWeights: linkWeights(net),
    nodeStrength: nodeStrength(net).map(s => Array.from(s)),
    layerFluctuation: layerFluctuation(net),
    degrees: degrees(net).map(d => ({ in: Array.from(d.in), out: Array.from(d.out) }))
  };
}

/**
 * The number of null samples of a job: `samples`, or its old name `nulls` (deprecated, noted when the
 * spec is loaded; kept so that studies written with it keep their job ids). Both at once is an error.
 */
function samplesParameter(p: JsonRecord): number {
  if (p.nulls !== undefined && p.samples !== undefined)
    throw new JobError(`give the number of null samples once, as 'samples' ('nulls' is its old name)`);
  const samples = p.nulls !== undefined ? num(p, 'nulls') : num(p, 'samples', 1000);
  if (!Number.isInteger(samples) || samples < 0)
    throw new JobError(`parameter 'samples' must be a whole number ≥ 0, got ${samples}`);
  return samples;
}

/** Motif options shared by analysis jobs and the pipeline, read from parameters. */
function motifOptions(p: JsonRecord, seed: number) {
  const model = str(p, 'null', 'random-pruning') as NullModel;
  if (!NULL_MODELS.includes(model))
    throw new JobError(`null must be one of ${NULL_MODELS.join(', ')}, got '${model}'`);
  const chain = str(p, 'chain', 'paths');
  if (chain !== 'paths' && chain !== 'pairs')
    throw new JobError(`chain must be paths or pairs, got '${chain}'`);
  return {
    null: model,
    samples: samplesParameter(p),
    seed,
    chain: chain as 'paths' | 'pairs',
    biasNode: bool(p, 'biasNode', false),
    signed: bool(p, 'signed', false),
    pruneDeadGhost: !bool(p, 'keepDeadGhost', false)
  };
}

/**
 * Motif counts, Z and p as `nnmotifs motifs --json` prints them (without `file`); with `samples: 0` the
 * census only, as the CLI.
 */
function motifsJson(net: LayeredNetwork, p: JsonRecord, seed: number): Json {
  const o = motifOptions(p, seed);
  if (o.samples === 0) return asJson(motifCensus(net, o));
  return asJson(motifSignificance(net, o));
}

/**
 * Networks parsed in this process, by content hash, most recently used last. The jobs a worker runs mostly
 * share their inputs (a grid of seeds and null models on a few networks), and parsing is a fixed cost per
 * job (≈ 0.1 s for the moth reference network, `bench/studies.mjs`); the analyses never modify a network.
 */
const parsedNetworks = new Map<string, LayeredNetwork>();
/** Networks kept parsed per worker process (the moth reference network takes ≈ 3 MB). */
const PARSED_NETWORKS_KEPT = 16;

async function inputNetwork(hash: string, name: string, ctx: JobContext): Promise<LayeredNetwork> {
  const cached = parsedNetworks.get(hash);
  if (cached !== undefined) {
    parsedNetworks.delete(hash);
    parsedNetworks.set(hash, cached);
    return cached;
  }
  const net = parseNetworkJson(await ctx.input(hash), name);
  parsedNetworks.set(hash, net);
  if (parsedNetworks.size > PARSED_NETWORKS_KEPT) parsedNetworks.delete(parsedNetworks.keys().next().value!);
  return net;
}

async function analysisJob(payload: JobPayload, ctx: JobContext): Promise<JobOutput> {
  const p = payload.params;
  const hash = payload.inputs.network;
  if (hash === undefined) throw new JobError(`analysis job needs a 'network' input file`);
  const net = await inputNetwork(hash, str(p, 'network'), ctx);
  const analysis = str(p, 'analysis');
  if (analysis === 'metrics') return { result: asJson(metricsJson(net)) };
  if (analysis === 'motifs') return { result: motifsJson(net, p, payload.seed) };
  if (analysis === 'rewiring') {
    let rewired: LayeredNetwork;
    try {
      rewired = paRewire(net, { seed: payload.seed });
    } catch (err) {
      throw new JobError(`${str(p, 'network')}: ${(err as Error).message}`);
    }
    const result: JsonRecord = { metrics: asJson(metricsJson(rewired)) };
    if (p.motifs !== undefined) result.motifs = motifsJson(rewired, record(p, 'motifs'), payload.seed);
    return { result, files: [{ name: 'rewired.json', text: serializeNetwork(rewired) }] };
  }
  throw new JobError(`analysis must be metrics, motifs or rewiring, got '${analysis}'`);
}

/**
 * Runs one job.
 *
 * @throws {@link JobError} for parameters that are wrong (the message says which); other errors are
 *   failures of this attempt.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const text = nm.serializeNetwork(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * const out = await runStudyJob(
 *   { study: 's', job: 'j', params: { analysis: 'metrics', network: 'a.json' }, seed: 0, inputs: { network: 'h' } },
 *   { input: async () => text }
 * );
 * ```
 */
export async function runStudyJob(payload: JobPayload, ctx: JobContext): Promise<JobOutput> {
  const p = payload.params;
  if (p.pipeline !== undefined) {
    // tfjs is loaded only by pipeline jobs, so analysis-only workers and the CLI stay light.
    const { pipelineJob } = await import('./pipeline');
    return pipelineJob(payload, ctx);
  }
  if (p.analysis !== undefined) return analysisJob(payload, ctx);
  throw new JobError(
    `a job needs 'analysis' (metrics | motifs | rewiring) or 'pipeline' (prune) in its parameters`
  );
}

export { motifOptions as pipelineMotifOptions, asJson, str, num, bool, record };
