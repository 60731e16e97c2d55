/**
 * Iterative magnitude pruning with retraining (Zahn et al. 2022): at every level of a schedule, prune the
 * smallest weights, then retrain the surviving ones to convergence; a snapshot per level (weights, masks,
 * loss traces, metrics) lets a user pick the "optimally sparse" network and resume an interrupted run.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type * as tfjs from '@tensorflow/tfjs';
import type { Layer, LayeredNetwork } from '../core/network';
import {
  AUTHORS_CONVERGENCE,
  AUTHORS_SCHEDULE,
  type ConvergenceRule,
  hasConverged,
  magnitudeMasks
} from '../core/pruning';
import { pruningCurveFigure } from '../figures/training';
import { fromModel } from './convert';
import { FigureHandle, showFigure } from './display';
import { loadNetwork, saveNetwork } from './files';
import { assignNetwork } from './init';
import { inNotebook } from './display';
import { gatherBatch, trainingLoop, withInterrupt } from './loop';
import { tfReady } from './tf';
import { LossName, OptimizerOptions, TrainData, createTrainer, prepareData } from './train';

/** One finished pruning level. */
export interface PruneLevel {
  /** 0-based position among the levels (level 0 is the dense network when `trainDense`). */
  index: number;
  /** Target fraction of weights pruned (0 for the dense level). */
  sparsity: number;
  /** Fraction of weights pruned in each weight layer. */
  layerSparsity: number[];
  /** The retrained network with its masks (pruned weights 0, `mask` 0). */
  network: LayeredNetwork;
  /** Loss after every training batch of this level: training batch loss and validation minibatch loss. */
  losses: { train: number[]; val: number[] };
  /** Mean loss on the whole validation set after retraining. */
  loss: number;
  /** Training batches of this level. */
  batches: number;
  /** Results of the `metrics` option on `network`. */
  metrics?: Record<string, number>;
}

/** Options of {@link prune}. */
export interface PruneOptions extends OptimizerOptions {
  /** Fractions to prune, increasing. Default {@link AUTHORS_SCHEDULE}. */
  schedule?: readonly number[];
  /** `layer` (default, the authors'): each layer loses the fraction; `global`: one cutoff over all layers. */
  scope?: 'layer' | 'global';
  /** Prune biases too, by their own magnitudes, with the same fraction. Default `false`. */
  pruneBiases?: boolean;
  /** Train the dense network to convergence first and record it as level 0 (sparsity 0). Default `true`. */
  trainDense?: boolean;
  /** Lottery-ticket rewinding: after every pruning step, reset the surviving weights (and biases) to their initial values. */
  rewind?: boolean;
  /** Default 128. */
  batchSize?: number;
  /** Default as in `train`. */
  loss?: LossName;
  /** Overrides of {@link AUTHORS_CONVERGENCE}. */
  convergence?: Partial<ConvergenceRule>;
  /** Seed of the shuffles: level `i` shuffles with seed `seed + i`. Default 0. */
  seed?: number;
  /**
   * Directory for snapshots (`initial.json`, `level-00.json`, …, network files written atomically). When it
   * already holds levels of an earlier run, pruning resumes after the last finished one.
   */
  dir?: string;
  /** Measures computed on every level's network (e.g. motif counts), stored in the snapshot. */
  metrics?: (net: LayeredNetwork) => Record<string, number>;
  /** Called after every finished level. */
  onLevelEnd?: (level: PruneLevel) => void | Promise<void>;
  /** Progress: a live loss-vs-sparsity figure in a notebook, one line per level elsewhere. Default `true`. */
  progress?: boolean;
  /** Stops between batches when aborted (like a kernel interrupt); the unfinished level is dropped. */
  signal?: AbortSignal;
}

/** What {@link prune} returns. */
export interface PruneResult {
  levels: PruneLevel[];
  /** The weights before any training (the lottery-ticket rewinding target). */
  initial: LayeredNetwork;
  /** Number of levels read back from `dir` instead of computed. */
  resumed: number;
  /** Stopped by SIGINT or the signal before the schedule was done. */
  interrupted: boolean;
}

/**
 * The last level whose loss is at most `threshold` (the authors' "optimally sparse" network), or
 * `undefined` when no level reaches it. Reads only `loss`, so it takes the levels of a `prune` result as
 * well as a job's rows of `nm.studyResults(out).levels`.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * // e.g. `result.levels` of prune(), or one job's level rows of a study
 * const levels = [{ sparsity: 0.5, loss: 4e-4 }, { sparsity: 0.9, loss: 9e-4 }, { sparsity: 0.95, loss: 0.02 }];
 * const best = nm.optimallySparse(levels); // threshold 0.001
 * best?.sparsity; // 0.9
 * ```
 */
export function optimallySparse<L extends { readonly loss: number }>(
  levels: readonly L[],
  threshold = 0.001
): L | undefined {
  let best: L | undefined;
  for (const level of levels) if (level.loss <= threshold) best = level;
  return best;
}

function sparsityOf(mask: Uint8Array): number {
  let zeros = 0;
  for (const m of mask) if (m === 0) zeros++;
  return mask.length === 0 ? 0 : zeros / mask.length;
}

/** A network with masks attached (weights of pruned connections are 0 already). */
function withMasks(
  net: LayeredNetwork,
  masks: readonly (Uint8Array | undefined)[],
  meta: Record<string, unknown>
): LayeredNetwork {
  const layers: Layer[] = net.layers.map((layer, l) => {
    const m = masks[l];
    const weights = Float64Array.from(layer.weights, (w, k) => (m !== undefined && m[k] === 0 ? 0 : w + 0));
    return { ...layer, weights, ...(m !== undefined ? { mask: Uint8Array.from(m) } : {}) };
  });
  return { layers, meta: { ...(net.meta ?? {}), ...meta } };
}

const levelFile = (i: number): string => `level-${String(i).padStart(2, '0')}.json`;

/** Metadata a level snapshot carries in its network file. */
interface LevelMeta {
  index: number;
  sparsity: number;
  loss: number;
  batches: number;
  losses: { train: number[]; val: number[] };
  metrics?: Record<string, number>;
}

function levelFromNetwork(net: LayeredNetwork, file: string): PruneLevel {
  const meta = (net.meta as { nnmotifsPrune?: LevelMeta } | undefined)?.nnmotifsPrune;
  if (meta === undefined) throw new Error(`prune: ${file} is not a pruning snapshot (no meta.nnmotifsPrune)`);
  return {
    index: meta.index,
    sparsity: meta.sparsity,
    layerSparsity: net.layers.map(l => (l.mask !== undefined ? sparsityOf(l.mask) : 0)),
    network: net,
    losses: meta.losses,
    loss: meta.loss,
    batches: meta.batches,
    ...(meta.metrics !== undefined ? { metrics: meta.metrics } : {})
  };
}

async function readSnapshots(dir: string): Promise<{ initial?: LayeredNetwork; levels: PruneLevel[] }> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { levels: [] };
  }
  const initial = names.includes('initial.json') ? await loadNetwork(join(dir, 'initial.json')) : undefined;
  const levels: PruneLevel[] = [];
  for (let i = 0; names.includes(levelFile(i)); i++) {
    levels.push(levelFromNetwork(await loadNetwork(join(dir, levelFile(i))), levelFile(i)));
  }
  return { ...(initial !== undefined ? { initial } : {}), levels };
}

/**
 * Iterative magnitude pruning with retraining. Level 0 trains the dense network to convergence (unless
 * `trainDense: false`); then for every fraction `c` of the schedule: prune to `c` (see
 * {@link magnitudeMasks}), optionally rewind the survivors to their initial values, and retrain the masked
 * network to convergence ({@link ConvergenceRule}) with a fresh optimizer. The model ends at the last
 * level.
 *
 * Every level starts from the previous level's weights and masks only (fresh optimizer, shuffles seeded
 * with `seed + index`), so resuming from a snapshot gives exactly the levels of an uninterrupted run.
 *
 * @param data - must include validation data (`xVal`, `yVal`): the convergence rule and the level loss use it.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.mlp([10, 400, 400, 400, 16, 7], { activation: 'tanh', init: 'mothNormal', seed: 1 });
 * // example: compile-only, prunes a moth network for hours
 * const data = await nm.datasets.moth(10_000, { seed: 1 });
 * const result = await nm.prune(model, data, { lr: 5e-4, batchSize: 128, dir: 'runs/moth-1' });
 * nm.optimallySparse(result.levels)?.sparsity; // ≈ 0.93 in Zahn et al.
 * ```
 */
export async function prune(
  model: tfjs.LayersModel,
  data: TrainData,
  options: PruneOptions = {}
): Promise<PruneResult> {
  const schedule = options.schedule ?? AUTHORS_SCHEDULE;
  schedule.forEach((c, i) => {
    if (!(c > 0 && c <= 1)) throw new RangeError(`prune: schedule[${i}] = ${c} is not a fraction in (0, 1]`);
    if (i > 0 && !(c > schedule[i - 1])) throw new RangeError('prune: the schedule must increase');
  });
  await tfReady(); // the best backend, selected before the trainer picks its ops
  const rule: ConvergenceRule = { ...AUTHORS_CONVERGENCE, ...(options.convergence ?? {}) };
  if (rule.minBatches < 2 * rule.window) {
    throw new RangeError(
      `prune: convergence.minBatches (${rule.minBatches}) must be ≥ 2 × window (${2 * rule.window})`
    );
  }
  const targets = [...(options.trainDense === false ? [] : [0]), ...schedule];
  const batchSize = options.batchSize ?? 128;
  const seed = options.seed ?? 0;
  const dir = options.dir;

  const saved = dir !== undefined ? await readSnapshots(dir) : { levels: [] as PruneLevel[] };
  saved.levels.forEach((level, i) => {
    if (level.sparsity !== targets[i]) {
      throw new Error(
        `prune: ${dir}/${levelFile(i)} was pruned to ${level.sparsity}, but this run's level ${i} is ${targets[i]}; use another dir`
      );
    }
  });
  const initial = saved.initial ?? fromModel(model);
  if (dir !== undefined && saved.initial === undefined) {
    await mkdir(dir, { recursive: true });
    await saveNetwork(initial, join(dir, 'initial.json'), { overwrite: true });
  }
  const levels: PruneLevel[] = saved.levels.slice(0, targets.length);
  const resumed = levels.length;
  if (resumed > 0) assignNetwork(model, levels[resumed - 1].network);

  const prepared = prepareData(data);
  const { x, y, xVal, yVal } = prepared;
  if (xVal === undefined || yVal === undefined) {
    prepared.dispose();
    throw new RangeError('prune: needs validation data (xVal, yVal) for the convergence rule');
  }
  const nVal = xVal.shape[0];
  const showing = options.progress !== false;
  const notebook = showing && inNotebook();
  let figure: FigureHandle | undefined;
  // Levels are numbered by pruning steps done: level 0 is the dense network (trained to convergence
  // before anything is pruned, often the longest level), level k the k-th step of the schedule, of N.
  const dense = options.trainDense !== false;
  const N = schedule.length;
  const number = (i: number): string => `${dense ? i : i + 1}/${N}`;
  const what = (i: number): string =>
    targets[i] === 0
      ? 'the dense network, training to convergence before the first pruning'
      : `pruned to ${(100 * targets[i]).toFixed(0)} %, retraining`;
  let lastUpdate = 0;
  const show = (title: string): void => {
    lastUpdate = Date.now();
    if (notebook) {
      const curve = pruningCurveFigure(
        [{ sparsity: levels.map(l => l.sparsity), loss: levels.map(l => l.loss) }],
        { threshold: 0.001, title }
      );
      if (figure === undefined) figure = showFigure(curve);
      else figure.update(curve);
    } else console.log(title);
  };
  /** A level finished: the curve gains a point (a line per level outside a notebook). */
  const report = (level: PruneLevel): void => {
    if (!showing) return;
    show(
      notebook
        ? `Pruning level ${number(level.index)} done (sparsity ${(100 * level.sparsity).toFixed(0)} %)`
        : `level ${number(level.index)}  sparsity ${(100 * level.sparsity).toFixed(1)} %  ` +
            `val loss ${level.loss.toExponential(3)}  ${level.batches} batches`
    );
  };
  /** While a level trains: the batch count and the latest validation loss, once a second (10 s as text). */
  const running = (i: number, batches: number, valLoss: number): void => {
    if (!showing || Date.now() - lastUpdate < (notebook ? 1000 : 10_000)) return;
    show(
      `Pruning level ${number(i)} (${what(i)}): batch ${batches}, ` +
        `val loss ${Number.isFinite(valLoss) ? valLoss.toExponential(2) : '-'}`
    );
  };

  let interrupted = false;
  try {
    await withInterrupt(options.signal, async stopped => {
      if (showing && resumed < targets.length) {
        show(
          `Pruning level ${number(resumed)} (${what(resumed)})` +
            (resumed > 0 ? ` (resumed after ${resumed} saved levels)` : '')
        );
      }
      for (let i = resumed; i < targets.length; i++) {
        const c = targets[i];
        let masks: (Uint8Array | undefined)[] =
          levels.length > 0 ? levels[levels.length - 1].network.layers.map(l => l.mask) : [];
        let biasMasks: (Uint8Array | undefined)[] | undefined;
        if (c > 0) {
          const current = withMasks(fromModel(model), masks, {});
          const next = magnitudeMasks(current, c, { scope: options.scope, biases: options.pruneBiases });
          masks = next.weights;
          biasMasks = next.biases;
          if (options.rewind === true) assignNetwork(model, initial);
        }
        const trainer = createTrainer(model, {
          ...options,
          masks: masks.length > 0 ? masks : undefined,
          ...(biasMasks !== undefined ? { biasMasks } : {})
        });
        const losses = { train: [] as number[], val: [] as number[] };
        let batches = 0;
        let loss = NaN;
        try {
          let valStart = 0;
          const outcome = await trainingLoop({
            x,
            y,
            batchSize,
            seeds: [seed + i],
            stopped,
            step: batch => {
              losses.train.push(trainer.step(batch.x as tfjs.Tensor2D, batch.y as tfjs.Tensor2D).loss);
              // Validation minibatch: consecutive rows of the validation set, wrapping around.
              const rows = Math.min(batchSize, nVal);
              const vIdx = Int32Array.from({ length: rows }, (_, k) => (valStart + k) % nVal);
              valStart = (valStart + rows) % nVal;
              const [xv, yv] = gatherBatch(xVal, yVal, vIdx);
              losses.val.push(trainer.evaluate(xv, yv).loss);
              xv.dispose();
              yv.dispose();
              batches++;
              running(i, batches, losses.val[losses.val.length - 1]);
              return batches >= rule.maxBatches || hasConverged(losses.val, batches, rule);
            }
          });
          if (outcome.interrupted) {
            interrupted = true;
            return;
          }
          loss = trainer.evaluate(xVal, yVal).loss;
        } finally {
          trainer.dispose();
        }
        const base = fromModel(model);
        const layerMasks = base.layers.map((_, l) => masks[l] ?? undefined);
        const network0 = withMasks(base, layerMasks, {});
        const metrics = options.metrics?.(network0);
        const meta: LevelMeta = {
          index: i,
          sparsity: c,
          loss,
          batches,
          losses,
          ...(metrics !== undefined ? { metrics } : {})
        };
        const network = withMasks(base, layerMasks, {
          nnmotifsPrune: meta,
          source: `pruning level ${i} (${c})`
        });
        const level: PruneLevel = {
          index: i,
          sparsity: c,
          layerSparsity: layerMasks.map(m => (m !== undefined ? sparsityOf(m) : 0)),
          network,
          losses,
          loss,
          batches,
          ...(metrics !== undefined ? { metrics } : {})
        };
        if (dir !== undefined) await saveNetwork(network, join(dir, levelFile(i)), { overwrite: true });
        levels.push(level);
        report(level);
        await options.onLevelEnd?.(level);
      }
    });
  } finally {
    prepared.dispose();
  }
  return { levels, initial, resumed, interrupted };
}

export {
  AUTHORS_CONVERGENCE,
  AUTHORS_SCHEDULE,
  hasConverged,
  magnitudeMasks,
  nthSmallest,
  type ConvergenceRule,
  type MagnitudeMaskOptions
} from '../core/pruning';
