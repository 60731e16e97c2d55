/**
 * The pipeline job of a study (`"pipeline": "prune"`): data → model → train → iterative magnitude pruning
 * with retraining → per-level metrics and motif significance, the workflow of Zahn, Daniel & Kutz.
 *
 * Parameters (all JSON; defaults in brackets):
 * - `data`: `{"name": "moth", "trajectories": N, "seed": S}` or `{"name": "binaryTree" | "independentClusters",
 *   "n": N, "seed": S, "validationSplit": 0.2}`; built on the worker from its parameters (nothing to ship).
 * - `model`: `{"sizes": [...], "activation": ["relu"], "outputActivation": ["linear"], "init": ["glorotUniform"]}`;
 *   the weights are drawn with the job's seed.
 * - `train`: `{"optimizer": ["adam"], "lr", "batchSize": [128], "loss"}`.
 * - `prune`: `{"schedule": "authors" | [fractions], "convergence": "authors" | {...}, "scope": ["layer"],
 *   "rewind": [false], "trainDense": [true]}`.
 * - `analysis`: `{"levels": ["sparse"] | "all" | "optimal", "minSparsity": [0], "metrics": [true], "motifs": {"samples", "null",
 *   "chain": "pairs" | ["pairs", "paths"], "biasNode", "seed"}}` (no `motifs`: no census).
 * - `optimal`: `{"threshold": [0.001]}` (the paper's) or `{"relative": r}` (loss ≤ r × the dense loss).
 * - `snapshots`: `"all"` | `"optimal"` | `["none"]`: level networks kept under `OUT/snapshots/<job>/`.
 *
 * Checkpoints: every finished level (and its analysis) is saved in the worker's scratch directory, so a
 * worker that is stopped and restarts on the same machine resumes the job after its last finished level
 * with exactly the levels an uninterrupted run would give (see `prune`).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { serializeNetwork } from '../../core/io';
import type { LayeredNetwork } from '../../core/network';
import { canonicalJson, type Json, type JsonRecord } from '../../core/study';
import { binaryTree, independentClusters } from '../datasets/index';
import { moth } from '../datasets/moth';
import { mlp } from '../models';
import type { Init } from '../models';
import {
  AUTHORS_CONVERGENCE,
  AUTHORS_SCHEDULE,
  type ConvergenceRule,
  optimallySparse,
  prune,
  type PruneLevel
} from '../prune';
import type { LossName, OptimizerName, TrainData } from '../train';
import {
  JobError,
  type JobContext,
  type JobFile,
  type JobOutput,
  type JobPayload,
  asJson,
  bool,
  metricsJson,
  num,
  pipelineMotifOptions,
  record,
  str
} from './jobs';
import { motifSignificance } from '../../core/significance';

/** Data sets built in this process, by their parameters (jobs of one study share them). */
const dataCache = new Map<string, TrainData>();

async function dataFor(p: JsonRecord): Promise<TrainData> {
  const key = canonicalJson(p);
  const cached = dataCache.get(key);
  if (cached !== undefined) return cached;
  const name = str(p, 'name');
  const seed = num(p, 'seed', 0);
  let data: TrainData;
  if (name === 'moth') {
    // workers: 0 — a study worker is one of several processes already; it simulates in its own thread.
    data = await moth(num(p, 'trajectories', 10_000), { seed, workers: 0 });
  } else if (name === 'binaryTree' || name === 'independentClusters') {
    const make = name === 'binaryTree' ? binaryTree : independentClusters;
    data = make(num(p, 'n', 2000), { seed, validationSplit: num(p, 'validationSplit', 0.2) });
  } else {
    throw new JobError(`data.name must be moth, binaryTree or independentClusters, got '${name}'`);
  }
  dataCache.set(key, data);
  return data;
}

function numbers(v: Json | undefined, what: string): number[] {
  if (!Array.isArray(v) || v.some(x => typeof x !== 'number'))
    throw new JobError(`${what} must be a list of numbers, got ${JSON.stringify(v)}`);
  return v as number[];
}

function chains(v: Json | undefined): ('pairs' | 'paths')[] {
  const list = v === undefined ? ['paths'] : Array.isArray(v) ? v : [v];
  for (const c of list)
    if (c !== 'pairs' && c !== 'paths')
      throw new JobError(`analysis.motifs.chain: pairs or paths, got ${JSON.stringify(c)}`);
  return list as ('pairs' | 'paths')[];
}

/** Metrics and motifs of one level (what the result keeps per level besides loss and sparsity). */
function analyseLevel(net: LayeredNetwork, analysis: JsonRecord, seed: number): JsonRecord {
  const out: JsonRecord = {};
  if (bool(analysis, 'metrics', true)) {
    const m = metricsJson(net);
    out.metrics = asJson({ layerFluctuation: m.layerFluctuation, linkWeights: m.linkWeights });
  }
  if (analysis.motifs !== undefined) {
    const mp = record(analysis, 'motifs');
    const motifs: JsonRecord = {};
    for (const chain of chains(mp.chain)) {
      const o = pipelineMotifOptions({ ...mp, chain }, num(mp, 'seed', seed));
      const r = motifSignificance(net, o);
      motifs[chain] = asJson({ counts: r.counts, null: r.null, z: r.z, p: r.p });
    }
    out.motifs = motifs;
  }
  return out;
}

/** Runs the pipeline job (see the module comment for its parameters). */
export async function pipelineJob(payload: JobPayload, ctx: JobContext): Promise<JobOutput> {
  const p = payload.params;
  const kind = str(p, 'pipeline');
  if (kind !== 'prune') throw new JobError(`pipeline must be 'prune', got '${kind}'`);
  const dataP = record(p, 'data');
  const modelP = record(p, 'model');
  const trainP = record(p, 'train');
  const pruneP = record(p, 'prune');
  const analysis = record(p, 'analysis');
  const optimalP = record(p, 'optimal');
  const snapshots = str(p, 'snapshots', 'none');
  if (!['all', 'optimal', 'none'].includes(snapshots))
    throw new JobError(`snapshots must be all, optimal or none, got '${snapshots}'`);
  const which = str(analysis, 'levels', 'sparse');
  if (!['all', 'sparse', 'optimal'].includes(which))
    throw new JobError(`analysis.levels must be all, sparse or optimal, got '${which}'`);

  const schedule =
    pruneP.schedule === undefined || pruneP.schedule === 'authors'
      ? AUTHORS_SCHEDULE
      : numbers(pruneP.schedule, 'prune.schedule');
  const convergence: Partial<ConvergenceRule> =
    pruneP.convergence === undefined || pruneP.convergence === 'authors'
      ? AUTHORS_CONVERGENCE
      : (record(pruneP, 'convergence') as Partial<ConvergenceRule>);

  ctx.progress?.('data');
  const data = await dataFor(dataP);
  const sizes = numbers(modelP.sizes, 'model.sizes');
  const model = mlp(sizes, {
    activation: str(modelP, 'activation', 'relu'),
    outputActivation: str(modelP, 'outputActivation', 'linear'),
    init: (modelP.init ?? 'glorotUniform') as Init,
    seed: payload.seed
  });
  const scratch = ctx.scratch;
  const pruneDir = scratch !== undefined ? join(scratch, 'prune') : undefined;
  if (scratch !== undefined) mkdirSync(scratch, { recursive: true });
  const analysisFile = (i: number): string | undefined =>
    scratch !== undefined ? join(scratch, `analysis-${String(i).padStart(2, '0')}.json`) : undefined;
  const analyses = new Map<number, JsonRecord>();
  const analyse = (level: PruneLevel): JsonRecord => {
    const cached = analyses.get(level.index);
    if (cached !== undefined) return cached;
    const file = analysisFile(level.index);
    let a: JsonRecord;
    if (file !== undefined && existsSync(file)) a = JSON.parse(readFileSync(file, 'utf8')) as JsonRecord;
    else {
      a = analyseLevel(level.network, analysis, payload.seed);
      if (file !== undefined) writeFileSync(file, JSON.stringify(a));
    }
    analyses.set(level.index, a);
    return a;
  };
  const total = schedule.length + (pruneP.trainDense === false ? 0 : 1);
  const minSparsity = num(analysis, 'minSparsity', 0);
  const wanted = (level: PruneLevel): boolean =>
    level.sparsity >= minSparsity && (which === 'all' || (which === 'sparse' && level.sparsity > 0));
  // Levels numbered as nm.prune numbers them: level 0/N is the dense network, level k the k-th pruning step.
  const dense = pruneP.trainDense !== false;
  const levelName = (index: number): string => `level ${dense ? index : index + 1}/${schedule.length}`;
  ctx.progress?.(`${levelName(0)} (${dense ? 'training the dense network' : 'pruning'})`);
  const result = await prune(model, data, {
    schedule,
    convergence,
    scope: str(pruneP, 'scope', 'layer') as 'layer' | 'global',
    rewind: bool(pruneP, 'rewind', false),
    trainDense: bool(pruneP, 'trainDense', true),
    optimizer: str(trainP, 'optimizer', 'adam') as OptimizerName,
    ...(trainP.lr !== undefined ? { lr: num(trainP, 'lr') } : {}),
    ...(trainP.loss !== undefined ? { loss: str(trainP, 'loss') as LossName } : {}),
    batchSize: num(trainP, 'batchSize', 128),
    seed: payload.seed,
    progress: false,
    ...(pruneDir !== undefined ? { dir: pruneDir } : {}),
    onLevelEnd: level => {
      if (wanted(level)) analyse(level);
      if (level.index + 1 < total) ctx.progress?.(levelName(level.index + 1));
    }
  });
  model.dispose();
  const levels = result.levels;
  const threshold =
    optimalP.relative !== undefined
      ? num(optimalP, 'relative') * levels[0].loss
      : num(optimalP, 'threshold', 0.001);
  const best = optimallySparse(levels, threshold);
  const rows: Json[] = levels.map(level => {
    const row: JsonRecord = {
      index: level.index,
      sparsity: level.sparsity,
      layerSparsity: level.layerSparsity,
      loss: level.loss,
      batches: level.batches
    };
    if (wanted(level) || (which === 'optimal' && level === best)) Object.assign(row, analyse(level));
    return asJson(row);
  });
  const files: JobFile[] = [];
  for (const level of levels) {
    if (snapshots === 'all' || (snapshots === 'optimal' && level === best))
      files.push({
        name: `level-${String(level.index).padStart(2, '0')}.json`,
        text: serializeNetwork(level.network)
      });
  }
  return {
    result: {
      levels: rows,
      optimal:
        best === undefined ? null : { index: best.index, sparsity: best.sparsity, loss: best.loss, threshold }
    },
    files
  };
}
