/**
 * `nm.train`: a custom training loop for MLPs on TF.js (the hand-written step of `fast-step.ts`) with
 * seeded shuffling, pruning masks that keep pruned weights exactly 0, early stopping, live progress and a
 * clean stop on a kernel interrupt. The epochs and batches are {@link trainingLoop}'s (`loop.ts`), the one
 * loop that pruning and ensembles run on too.
 *
 * Interrupts: training stops after the current batch (see `loop.ts`), the model keeps its weights and
 * {@link lastHistory} returns the history with `interrupted: true`.
 */
import type * as tfjs from '@tensorflow/tfjs';
import type { DataMatrix } from '../core/datasets/matrix';
import type { JsonObject } from '../figures/spec';
import { BatchLoss, createDenseStack } from './fast-step';
import { denseLayers, refuseTrainingOnlyLayers } from './dense-layers';
import { trainingLoop } from './loop';
import { createProgress, ProgressMode } from './progress';
import { getTf, Tf, tfReady } from './tf';

/** A matrix of samples (rows) as a TF.js tensor or a plain `{rows, cols, data}` matrix. */
export type TrainMatrix = tfjs.Tensor2D | DataMatrix;

/**
 * Training data: `{x, y}` (optionally `xVal`, `yVal`), or a data set of `nm.datasets`
 * (`{xTrain, yTrain, xVal, yVal, …}`; a validation part with 0 rows counts as none).
 */
export type TrainData =
  | { x: TrainMatrix; y: TrainMatrix; xVal?: TrainMatrix; yVal?: TrainMatrix }
  | { xTrain: TrainMatrix; yTrain: TrainMatrix; xVal?: TrainMatrix; yVal?: TrainMatrix };

/** `adam`; `sgd` (plain, or with `momentum` > 0 classical momentum); `sgdNesterov` (Nesterov momentum). */
export type OptimizerName = 'adam' | 'sgd' | 'sgdNesterov';
/** `mse`, or `categoricalCrossentropy` on one-hot targets (computed from the logits, see {@link TrainOptions.loss}). */
export type LossName = 'mse' | 'categoricalCrossentropy';

/** Stop when the monitored loss has not improved by more than `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  patience: number;
  /** Default 0. */
  minDelta?: number;
  /** Default `valLoss` when there is validation data, else `loss`. */
  monitor?: 'valLoss' | 'loss';
}

/** What `onEpochEnd` receives. */
export interface EpochLogs {
  /** 0-based. */
  epoch: number;
  loss: number;
  valLoss?: number;
  acc?: number;
  valAcc?: number;
  seconds: number;
}

/** Optimizer settings shared by {@link train}, pruning and ensembles. */
export interface OptimizerOptions {
  /** Default `adam`. */
  optimizer?: OptimizerName;
  /** Learning rate. Default 1e-3 for Adam, 0.01 for SGD. */
  lr?: number;
  /** Momentum of `sgd` (default 0) and `sgdNesterov` (default 0.9). */
  momentum?: number;
}

/** Options of {@link train}. */
export interface TrainOptions extends OptimizerOptions {
  /** Default 10. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /**
   * Default: `categoricalCrossentropy` when the output activation is softmax, else `mse`. Cross-entropy is
   * computed from the pre-activation outputs (logits) of a softmax or linear output layer, stably.
   */
  loss?: LossName;
  /** Hold out this fraction of the training rows (the last ones, before shuffling, as Keras) for validation. */
  validationSplit?: number;
  earlyStopping?: EarlyStopping;
  /** Seed of the shuffles: epoch `e` uses the e-th draw of a stream seeded with it. Default 0. */
  seed?: number;
  /** Shuffle the training rows every epoch. Default `true`. */
  shuffle?: boolean;
  /** Pruning masks, one per Dense layer (0/1, row-major `nIn × nOut`, absent = dense); masked weights stay 0. */
  masks?: readonly (Uint8Array | null | undefined)[];
  /** Bias masks, one per Dense layer (length `nOut`). */
  biasMasks?: readonly (Uint8Array | null | undefined)[];
  /** Live progress: `true`/`auto` (figure in a notebook, text elsewhere, the default), `false`, or a mode. */
  progress?: boolean | ProgressMode | 'auto';
  /** Title of the progress figure. Default `Training <model name>`. */
  title?: string;
  /** Called after every epoch; return `false` to stop training. */
  onEpochEnd?: (logs: EpochLogs) => void | boolean | Promise<void | boolean>;
  /** Stops training between batches when aborted (like an interrupt). */
  signal?: AbortSignal;
}

/** What {@link train} returns (and {@link lastHistory} shows while training runs). */
export interface TrainHistory {
  /** Mean training loss of every finished epoch. */
  loss: number[];
  /** Validation loss after every finished epoch (empty without validation data). */
  valLoss: number[];
  /** Training / validation accuracy per epoch (cross-entropy only). */
  acc?: number[];
  valAcc?: number[];
  /** Finished epochs. */
  epochs: number;
  /** Optimizer steps taken (including those of an unfinished epoch). */
  batches: number;
  stoppedEarly: boolean;
  /** Stopped by a kernel interrupt (SIGINT) or the abort signal. */
  interrupted: boolean;
  seconds: number;
}

/** The trainable parts of one Dense layer. */
interface DenseParams {
  kernel: tfjs.Variable;
  bias?: tfjs.Variable;
  activation: string;
  nIn: number;
  nOut: number;
}

function denseParams(model: tfjs.LayersModel): DenseParams[] {
  refuseTrainingOnlyLayers(model, 'train');
  return denseLayers(model, 'train').map(d => {
    const weights = d.layer.trainableWeights;
    const kernel = weights.find(w => w.originalName.endsWith('kernel'));
    const bias = weights.find(w => w.originalName.endsWith('bias'));
    if (kernel === undefined) throw new Error(`train: layer "${d.layer.name}" has no trainable kernel`);
    return {
      kernel: kernel.read() as tfjs.Variable,
      ...(bias !== undefined ? { bias: bias.read() as tfjs.Variable } : {}),
      activation: d.activation,
      nIn: d.nIn,
      nOut: d.nOut
    };
  });
}

/** Options of {@link createTrainer}. */
export interface TrainerOptions extends OptimizerOptions {
  loss?: LossName;
  masks?: readonly (Uint8Array | null | undefined)[];
  biasMasks?: readonly (Uint8Array | null | undefined)[];
}

/**
 * One optimizer step per call on a model's Dense layers (the engine of {@link train} and pruning). The
 * weights live in the trainer while it trains; {@link Trainer.writeToModel} and `dispose` copy them into
 * the model's variables.
 */
export interface Trainer {
  readonly loss: LossName;
  /** Whether accuracy is measured (cross-entropy). */
  readonly withAcc: boolean;
  /** One optimizer step on a batch; returns the batch loss (and accuracy) before the step. */
  step(x: tfjs.Tensor2D, y: tfjs.Tensor2D): { loss: number; acc?: number };
  /** Mean loss (and accuracy) over all rows, in chunks. */
  evaluate(x: tfjs.Tensor2D, y: tfjs.Tensor2D): { loss: number; acc?: number };
  /** Replaces the masks and zeroes the newly masked weights and biases. */
  setMasks(
    masks: readonly (Uint8Array | null | undefined)[] | undefined,
    biasMasks?: readonly (Uint8Array | null | undefined)[]
  ): void;
  /** Copies the current weights into the model's variables. */
  writeToModel(): void;
  /** Writes the weights to the model and frees the trainer. */
  dispose(): void;
}

function maskTensors(
  tf: Tf,
  masks: readonly (Uint8Array | null | undefined)[] | undefined,
  shapes: number[][],
  what: string
): (tfjs.Tensor | undefined)[] {
  if (masks === undefined) return shapes.map(() => undefined);
  if (masks.length !== shapes.length) {
    throw new RangeError(`train: ${masks.length} ${what} for ${shapes.length} Dense layers`);
  }
  return masks.map((m, l) => {
    if (m === null || m === undefined) return undefined;
    const size = shapes[l].reduce((a, b) => a * b, 1);
    if (m.length !== size) {
      throw new RangeError(
        `train: ${what} of layer ${l} has ${m.length} entries, expected ${size} (${shapes[l].join(' × ')})`
      );
    }
    return tf.tensor(Float32Array.from(m), shapes[l], 'float32');
  });
}

/**
 * The training engine on a model's Dense layers (the model is trained in place, see {@link Trainer}).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const tf = nm.tf();
 * const trainer = createTrainer(nm.mlp([2, 4, 1]), { lr: 0.01 });
 * trainer.step(tf.ones([8, 2]), tf.zeros([8, 1])).loss; // a number
 * trainer.dispose();
 * ```
 */
export function createTrainer(model: tfjs.LayersModel, options: TrainerOptions = {}): Trainer {
  const tf = getTf();
  const params = denseParams(model);
  const last = params[params.length - 1];
  const loss: LossName = options.loss ?? (last.activation === 'softmax' ? 'categoricalCrossentropy' : 'mse');
  if (loss === 'categoricalCrossentropy' && last.activation !== 'softmax' && last.activation !== 'linear') {
    throw new RangeError(
      `train: categoricalCrossentropy needs a softmax or linear output layer (logits), got '${last.activation}'`
    );
  }
  if (loss !== 'mse' && loss !== 'categoricalCrossentropy') {
    throw new RangeError(`train: loss must be mse or categoricalCrossentropy, got '${String(loss)}'`);
  }
  const withAcc = loss === 'categoricalCrossentropy';
  const stack = createDenseStack(
    params.map(p => ({
      kernel: p.kernel,
      ...(p.bias !== undefined ? { bias: p.bias } : {}),
      activation: p.activation
    })),
    { ...options, loss }
  );
  const setMasks: Trainer['setMasks'] = (m, b) => {
    const kernelMasks = maskTensors(
      tf,
      m,
      params.map(p => [p.nIn, p.nOut]),
      'masks'
    );
    const biasMasks = maskTensors(
      tf,
      b,
      params.map(p => [p.nOut]),
      'bias masks'
    );
    stack.setMasks(kernelMasks, biasMasks);
  };
  const writeToModel = (): void => {
    stack.values().forEach((v, l) => {
      params[l].kernel.assign(v.kernel);
      v.kernel.dispose();
      if (v.bias !== undefined) {
        params[l].bias?.assign(v.bias);
        v.bias.dispose();
      }
    });
  };
  try {
    setMasks(options.masks, options.biasMasks);
  } catch (err) {
    stack.dispose();
    throw err;
  }
  const numbers = (r: BatchLoss): { loss: number; acc?: number } =>
    r.acc !== undefined ? { loss: r.loss[0], acc: r.acc[0] } : { loss: r.loss[0] };

  return {
    loss,
    withAcc,
    step: (x, y) => numbers(stack.step(x, y)),
    evaluate(x, y) {
      const n = x.shape[0];
      if (n === 0) return withAcc ? { loss: NaN, acc: NaN } : { loss: NaN };
      const chunk = 8192;
      let lossSum = 0;
      let accSum = 0;
      for (let s = 0; s < n; s += chunk) {
        const rows = Math.min(chunk, n - s);
        const [xb, yb] =
          rows === n ? [x, y] : [tf.slice(x, [s, 0], [rows, -1]), tf.slice(y, [s, 0], [rows, -1])];
        const r = numbers(stack.evaluate(xb, yb));
        if (xb !== x) tf.dispose([xb, yb]);
        lossSum += r.loss * rows;
        accSum += (r.acc ?? 0) * rows;
      }
      return withAcc ? { loss: lossSum / n, acc: accSum / n } : { loss: lossSum / n };
    },
    setMasks,
    writeToModel,
    dispose() {
      writeToModel();
      stack.dispose();
    }
  };
}

/** Tensors of the training data; `owned` are the ones made here (disposed after training). */
export interface PreparedData {
  x: tfjs.Tensor2D;
  y: tfjs.Tensor2D;
  xVal?: tfjs.Tensor2D;
  yVal?: tfjs.Tensor2D;
  dispose(): void;
}

function isMatrix(m: TrainMatrix): m is DataMatrix {
  return (m as DataMatrix).data !== undefined && (m as DataMatrix).rows !== undefined;
}

/**
 * Turns training data into float32 tensors, checks their shapes and applies `validationSplit`.
 *
 * @example
 * ```ts
 * const d = prepareData({ x: { rows: 4, cols: 1, data: Float32Array.of(1, 2, 3, 4) }, y: { rows: 4, cols: 1, data: new Float32Array(4) } }, 0.25);
 * d.x.shape; // [3, 1]
 * d.dispose();
 * ```
 */
export function prepareData(data: TrainData, validationSplit = 0): PreparedData {
  const tf = getTf();
  const owned: tfjs.Tensor[] = [];
  const tensor = (m: TrainMatrix | undefined, name: string): tfjs.Tensor2D | undefined => {
    if (m === undefined) return undefined;
    if (isMatrix(m)) {
      const t = tf.tensor2d(
        m.data instanceof Float32Array ? m.data : Float32Array.from(m.data),
        [m.rows, m.cols],
        'float32'
      );
      owned.push(t);
      return t;
    }
    if (m.rank !== 2)
      throw new RangeError(`train: ${name} must be 2-D (samples × features), got shape [${m.shape}]`);
    if (m.dtype !== 'float32') {
      const t = tf.cast(m, 'float32');
      owned.push(t);
      return t;
    }
    return m;
  };
  const d = data as { x?: TrainMatrix; y?: TrainMatrix; xTrain?: TrainMatrix; yTrain?: TrainMatrix };
  let x = tensor(d.x ?? d.xTrain, 'x');
  let y = tensor(d.y ?? d.yTrain, 'y');
  if (x === undefined || y === undefined)
    throw new RangeError('train: data needs x and y (or xTrain and yTrain)');
  let xVal = tensor(data.xVal, 'xVal');
  let yVal = tensor(data.yVal, 'yVal');
  if ((xVal === undefined) !== (yVal === undefined))
    throw new RangeError('train: give both xVal and yVal, or neither');
  if (xVal !== undefined && xVal.shape[0] === 0) {
    xVal = undefined;
    yVal = undefined;
  }
  if (x.shape[0] !== y.shape[0])
    throw new RangeError(`train: x has ${x.shape[0]} rows but y has ${y.shape[0]}`);
  if (validationSplit !== 0) {
    if (!(validationSplit > 0 && validationSplit < 1)) {
      throw new RangeError(`train: validationSplit must be in (0, 1), got ${validationSplit}`);
    }
    if (xVal !== undefined) throw new RangeError('train: give validation data or validationSplit, not both');
    const n = x.shape[0];
    const nVal = Math.floor(n * validationSplit);
    if (nVal < 1 || nVal >= n)
      throw new RangeError(
        `train: validationSplit ${validationSplit} of ${n} rows leaves nothing to train or validate on`
      );
    const parts = [
      tf.slice(x, [0, 0], [n - nVal, -1]),
      tf.slice(y, [0, 0], [n - nVal, -1]),
      tf.slice(x, [n - nVal, 0], [nVal, -1]),
      tf.slice(y, [n - nVal, 0], [nVal, -1])
    ] as tfjs.Tensor2D[];
    owned.push(...parts);
    [x, y, xVal, yVal] = parts;
  }
  return {
    x,
    y,
    ...(xVal !== undefined && yVal !== undefined ? { xVal, yVal } : {}),
    dispose() {
      owned.forEach(t => t.dispose());
    }
  };
}

const histories = new WeakMap<tfjs.LayersModel, TrainHistory>();

/**
 * The history of the latest {@link train} call on a model, live while it runs. After a kernel interrupt,
 * the cell that awaited `train` is abandoned by tslab; this is how the next cell gets the history.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const model = nm.mlp([2, 4, 1], { seed: 1 });
 * const x = nm.tf().ones([8, 2]) as nm.TrainMatrix;
 * await nm.train(model, { x, y: nm.tf().zeros([8, 1]) as nm.TrainMatrix }, { epochs: 1, progress: false });
 * const h = nm.lastHistory(model); // { loss: [...], interrupted: true, ... } after an interrupt
 * ```
 */
export function lastHistory(model: tfjs.LayersModel): TrainHistory | undefined {
  return histories.get(model);
}

function lossLabel(loss: LossName): string {
  return loss === 'mse' ? 'loss: MSE (squared target units)' : 'loss: cross-entropy (nats)';
}

/**
 * Trains a model of Dense layers in place and returns the history.
 *
 * @param data - `{x, y, xVal?, yVal?}` or a data set of `nm.datasets`; tensors or `{rows, cols, data}`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const d = nm.datasets.binaryTree(2000, { seed: 1, validationSplit: 0.2 });
 * const model = nm.mlp([31, 20, 10, 4], { outputActivation: 'softmax', init: 'glorotNormal', seed: 1 });
 * const h = await nm.train(model, d, { epochs: 2, batchSize: 20, optimizer: 'sgdNesterov', lr: 0.01, momentum: 0.6 });
 * h.valAcc; // per epoch
 * ```
 */
export async function train(
  model: tfjs.LayersModel,
  data: TrainData,
  options: TrainOptions = {}
): Promise<TrainHistory> {
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new RangeError(`train: epochs must be an integer ≥ 0, got ${epochs}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`train: batchSize must be an integer ≥ 1, got ${batchSize}`);
  await tfReady(); // the best backend, selected before the trainer picks its ops
  const prepared = prepareData(data, options.validationSplit ?? 0);
  const trainer = createTrainer(model, options);
  const history: TrainHistory = {
    loss: [],
    valLoss: [],
    ...(trainer.withAcc ? { acc: [], valAcc: [] } : {}),
    epochs: 0,
    batches: 0,
    stoppedEarly: false,
    interrupted: false,
    seconds: 0
  };
  histories.set(model, history);
  const mode =
    options.progress === undefined || options.progress === true
      ? 'auto'
      : options.progress === false
        ? 'none'
        : options.progress;
  const progress = createProgress(mode);
  const { x, y, xVal, yVal } = prepared;
  const n = x.shape[0];
  const outputs = y.shape[1];
  const lastParams = model.outputs[0]?.shape;
  if (lastParams !== undefined && lastParams[lastParams.length - 1] !== outputs) {
    trainer.dispose();
    prepared.dispose();
    throw new RangeError(
      `train: y has ${outputs} columns but the model has ${String(lastParams[lastParams.length - 1])} outputs`
    );
  }
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const es = options.earlyStopping;
  const monitor = es?.monitor ?? (xVal !== undefined ? 'valLoss' : 'loss');
  if (monitor === 'valLoss' && es !== undefined && xVal === undefined) {
    trainer.dispose();
    prepared.dispose();
    throw new RangeError('train: earlyStopping monitors valLoss but there is no validation data');
  }
  let best = Infinity;
  let wait = 0;
  const started = Date.now();
  const provenance: JsonObject = {
    model: model.name,
    optimizer: options.optimizer ?? 'adam',
    lr: options.lr ?? null,
    batchSize,
    seed: options.seed ?? 0,
    loss: trainer.loss
  };
  progress.start({
    epochs,
    batchesPerEpoch,
    lossLabel: lossLabel(trainer.loss),
    title: options.title ?? `Training ${model.name}`,
    provenance
  });
  let epochStarted = Date.now();
  let lossSum = 0;
  let accSum = 0;
  let seen = 0;
  try {
    const outcome = await trainingLoop({
      x,
      y,
      batchSize,
      seeds: [options.seed ?? 0],
      shuffle: options.shuffle ?? true,
      epochs,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      step: batch => {
        const r = trainer.step(batch.x as tfjs.Tensor2D, batch.y as tfjs.Tensor2D);
        history.batches++;
        lossSum += r.loss * batch.rows;
        accSum += (r.acc ?? 0) * batch.rows;
        seen += batch.rows;
        progress.batch(batch.epoch, batch.batch, {
          loss: lossSum / seen,
          ...(trainer.withAcc ? { acc: accSum / seen } : {})
        });
      },
      epochEnd: async epoch => {
        trainer.writeToModel(); // callbacks and an interrupt see the model as trained so far
        history.loss.push(lossSum / n);
        history.acc?.push(accSum / n);
        const logs: EpochLogs = { epoch, loss: lossSum / n, seconds: 0 };
        if (trainer.withAcc) logs.acc = accSum / n;
        if (xVal !== undefined && yVal !== undefined) {
          const v = trainer.evaluate(xVal, yVal);
          history.valLoss.push(v.loss);
          logs.valLoss = v.loss;
          if (v.acc !== undefined) {
            history.valAcc?.push(v.acc);
            logs.valAcc = v.acc;
          }
        }
        history.epochs = epoch + 1;
        logs.seconds = (Date.now() - epochStarted) / 1000;
        history.seconds = (Date.now() - started) / 1000;
        progress.epoch(history, logs.seconds);
        [lossSum, accSum, seen, epochStarted] = [0, 0, 0, Date.now()];
        if ((await options.onEpochEnd?.(logs)) === false) return true;
        if (es !== undefined) {
          const value = monitor === 'valLoss' ? (logs.valLoss ?? NaN) : logs.loss;
          if (value < best - (es.minDelta ?? 0)) {
            best = value;
            wait = 0;
          } else if (++wait >= es.patience) {
            history.stoppedEarly = true;
            return true;
          }
        }
        return false;
      }
    });
    history.interrupted = outcome.interrupted;
  } finally {
    history.seconds = (Date.now() - started) / 1000;
    trainer.dispose();
    prepared.dispose();
    const status = history.interrupted
      ? `interrupted in epoch ${history.epochs + 1}`
      : history.stoppedEarly
        ? `stopped early after epoch ${history.epochs}`
        : 'finished';
    progress.end(history, status);
  }
  return history;
}
