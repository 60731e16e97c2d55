/**
 * Training K networks of the same shape at once, as the moth papers' authors did with einsum: every
 * layer's weights are one tensor `[K, nIn, nOut]`, the forward pass is a batched `tf.matMul`, and one
 * optimizer steps all networks (Adam and SGD act element-wise, so this is K independent trainings).
 *
 * Network `i` is initialised like `initialize(model, init, {seed: seeds[i]})` and sees its batches in the
 * order `train(model, data, {seed: seeds[i]})` would use; the loss is the sum of the K per-network mean
 * losses, so each network gets exactly its own gradient. Up to float32 rounding (the batched matrix product
 * may sum in another order), network `i` equals the same network trained alone.
 */
import type { Layer, LayeredNetwork } from '../core/network';
import { ModelInit, drawNetwork } from './init';
import { createDenseStack } from './fast-step';
import { trainingLoop } from './loop';
import { createProgress, type ProgressMode } from './progress';
import { LossName, OptimizerOptions, TrainData, prepareData } from './train';
import { getTf, tfReady } from './tf';

/** Options of {@link trainEnsemble}. */
export interface EnsembleOptions extends OptimizerOptions {
  /** Number of networks. Default `seeds.length`, or 10 without seeds. */
  k?: number;
  /** Seed of each network (initialization and shuffles). Default `0 … k−1`. */
  seeds?: readonly number[];
  /** Initialization of every network (PA-rewired allowed). Default `glorotUniform`. */
  init?: ModelInit;
  /** Hidden activation. Default `relu`. */
  activation?: string;
  /** Output activation. Default `linear`. */
  outputActivation?: string;
  /** Default 10. */
  epochs?: number;
  /** Default 32. */
  batchSize?: number;
  /** Default `categoricalCrossentropy` for a softmax output, else `mse` (as `train`). */
  loss?: LossName;
  /** Pruning masks: `masks[i][l]` for network `i`, weight layer `l` (absent = dense). */
  masks?: readonly (readonly (Uint8Array | null | undefined)[] | undefined)[];
  /**
   * Progress of the mean loss over the networks, in `nm.train`'s style: `true`/`auto` (a live figure in a
   * notebook, one line per epoch elsewhere), a mode, or `false` (the default).
   */
  progress?: boolean | ProgressMode | 'auto';
  /** Stops between batches when aborted (a kernel interrupt does the same). */
  signal?: AbortSignal;
}

/** Per-network history of {@link trainEnsemble}. */
export interface EnsembleHistory {
  loss: number[];
  valLoss: number[];
  acc?: number[];
  valAcc?: number[];
}

/** What {@link trainEnsemble} returns. */
export interface EnsembleResult {
  /** The trained networks, with masks when masks were given. */
  networks: LayeredNetwork[];
  histories: EnsembleHistory[];
  seeds: number[];
  epochs: number;
  interrupted: boolean;
  seconds: number;
}

/**
 * Trains `k` MLPs with neuron counts `sizes` at once on the same data, each with its own seed.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * // example: compile-only, trains ten moth networks (minutes)
 * const d = await nm.datasets.moth(10_000, { seed: 1 });
 * const { networks, histories } = await nm.trainEnsemble([10, 400, 400, 400, 16, 7], d, {
 *   k: 10, init: 'mothNormal', activation: 'tanh', epochs: 5, batchSize: 128, lr: 5e-4
 * });
 * ```
 */
export async function trainEnsemble(
  sizes: readonly number[],
  data: TrainData,
  options: EnsembleOptions = {}
): Promise<EnsembleResult> {
  await tfReady(); // the best backend, selected before any tensor of the run exists
  const tf = getTf();
  const seeds = [...(options.seeds ?? Array.from({ length: options.k ?? 10 }, (_, i) => i))];
  const k = options.k ?? seeds.length;
  if (!Number.isInteger(k) || k < 1)
    throw new RangeError(`trainEnsemble: k must be an integer ≥ 1, got ${k}`);
  if (seeds.length !== k)
    throw new RangeError(`trainEnsemble: k = ${k} but ${seeds.length} seeds were given`);
  const epochs = options.epochs ?? 10;
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(epochs) || epochs < 0)
    throw new RangeError(`trainEnsemble: epochs must be an integer ≥ 0`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`trainEnsemble: batchSize must be an integer ≥ 1`);
  const hidden = options.activation ?? 'relu';
  const outAct = options.outputActivation ?? 'linear';
  const loss: LossName = options.loss ?? (outAct === 'softmax' ? 'categoricalCrossentropy' : 'mse');
  if (loss === 'categoricalCrossentropy' && outAct !== 'softmax' && outAct !== 'linear') {
    throw new RangeError(
      `trainEnsemble: categoricalCrossentropy needs a softmax or linear output, got '${outAct}'`
    );
  }
  const withAcc = loss === 'categoricalCrossentropy';
  const nLayers = sizes.length - 1;
  const acts = Array.from({ length: nLayers }, (_, l) => (l === nLayers - 1 ? outAct : hidden));
  if (options.masks !== undefined && options.masks.length !== k) {
    throw new RangeError(`trainEnsemble: ${options.masks.length} mask sets for ${k} networks`);
  }

  // Stacked initial weights: network i drawn exactly as initialize(…, {seed: seeds[i]}).
  const drawn = seeds.map(s => drawNetwork(sizes, options.init ?? 'glorotUniform', s));
  const stack3 = (l: number, part: 'weights' | 'bias' | 'mask'): Float32Array => {
    const { nIn, nOut } = drawn[0].layers[l];
    const size = part === 'bias' ? nOut : nIn * nOut;
    const out = new Float32Array(k * size);
    for (let i = 0; i < k; i++) {
      if (part === 'mask') {
        const m = options.masks?.[i]?.[l];
        if (m === null || m === undefined) out.fill(1, i * size, (i + 1) * size);
        else if (m.length !== size) {
          throw new RangeError(
            `trainEnsemble: mask of network ${i}, layer ${l} has ${m.length} entries, expected ${size}`
          );
        } else out.set(m, i * size);
      } else {
        out.set(drawn[i].layers[l][part] ?? new Float64Array(size), i * size);
      }
    }
    return out;
  };
  // Checked before any tensor exists: a bad mask leaks nothing.
  const maskData = acts.map((_, l) =>
    options.masks?.some(ms => ms?.[l] !== undefined && ms?.[l] !== null) === true
      ? stack3(l, 'mask')
      : undefined
  );
  const prepared = prepareData(data);
  const { x, y, xVal, yVal } = prepared;
  const n = x.shape[0];
  if (x.shape[1] !== sizes[0] || y.shape[1] !== sizes[nLayers]) {
    prepared.dispose();
    throw new RangeError(
      `trainEnsemble: data is ${x.shape[1]} → ${y.shape[1]} but the networks are ${sizes[0]} → ${sizes[nLayers]}`
    );
  }
  const initial = acts.map((activation, l) => ({
    kernel: tf.tensor3d(stack3(l, 'weights'), [k, sizes[l], sizes[l + 1]]),
    bias: tf.tensor3d(stack3(l, 'bias'), [k, 1, sizes[l + 1]]),
    activation
  }));
  const stack = createDenseStack(initial, { ...options, loss });
  initial.forEach(l => tf.dispose([l.kernel, l.bias]));
  stack.setMasks(
    maskData.map((m, l) => (m !== undefined ? tf.tensor3d(m, [k, sizes[l], sizes[l + 1]]) : undefined)),
    []
  );

  const histories: EnsembleHistory[] = seeds.map(() => ({
    loss: [],
    valLoss: [],
    ...(withAcc ? { acc: [], valAcc: [] } : {})
  }));
  const started = Date.now();
  const progress = createProgress(
    options.progress === undefined || options.progress === false
      ? 'none'
      : options.progress === true
        ? 'auto'
        : options.progress
  );
  const mean = (values: (h: EnsembleHistory) => number[] | undefined): number[] | undefined => {
    const first = values(histories[0]);
    if (first === undefined || first.length === 0) return undefined;
    return first.map((_, e) => histories.reduce((s, h) => s + (values(h)?.[e] ?? NaN), 0) / k);
  };
  const curves = () => {
    const [valLoss, acc, valAcc] = [mean(h => h.valLoss), mean(h => h.acc), mean(h => h.valAcc)];
    return {
      loss: mean(h => h.loss) ?? [],
      ...(valLoss !== undefined ? { valLoss } : {}),
      ...(acc !== undefined ? { acc } : {}),
      ...(valAcc !== undefined ? { valAcc } : {})
    };
  };
  progress.start({
    epochs,
    batchesPerEpoch: Math.ceil(n / batchSize),
    lossLabel: `${loss === 'mse' ? 'loss: MSE' : 'loss: cross-entropy (nats)'}, mean over ${k} networks`,
    title: `Training ${k} networks`
  });
  let epochStarted = Date.now();
  let status = 'stopped by an error';
  let lossSum = new Float64Array(k);
  let accSum = new Float64Array(k);
  try {
    const outcome = await trainingLoop({
      x,
      y,
      batchSize,
      seeds,
      stacked: true,
      epochs,
      ...(options.signal !== undefined ? { signal: options.signal } : {}),
      step: batch => {
        const { loss: lossData, acc: accData } = stack.step(batch.x, batch.y);
        for (let i = 0; i < k; i++) {
          lossSum[i] += lossData[i] * batch.rows;
          accSum[i] += (accData?.[i] ?? 0) * batch.rows;
        }
      },
      epochEnd: () => {
        histories.forEach((h, i) => {
          h.loss.push(lossSum[i] / n);
          h.acc?.push(accSum[i] / n);
        });
        [lossSum, accSum] = [new Float64Array(k), new Float64Array(k)];
        if (xVal !== undefined && yVal !== undefined) {
          const [xv, yv] = tf.tidy(() => [
            tf.tile(tf.expandDims(xVal, 0), [k, 1, 1]),
            tf.tile(tf.expandDims(yVal, 0), [k, 1, 1])
          ]);
          const { loss: vl, acc: va } = stack.evaluate(xv, yv);
          tf.dispose([xv, yv]);
          histories.forEach((h, i) => {
            h.valLoss.push(vl[i]);
            if (va !== undefined) h.valAcc?.push(va[i]);
          });
        }
        progress.epoch(curves(), (Date.now() - epochStarted) / 1000);
        epochStarted = Date.now();
      }
    });
    status = outcome.interrupted ? `interrupted in epoch ${outcome.epochs + 1}` : 'finished';
    const networks: LayeredNetwork[] = seeds.map(() => ({ layers: [] as Layer[] }));
    const trained = stack.values();
    for (let l = 0; l < nLayers; l++) {
      const [nIn, nOut] = [sizes[l], sizes[l + 1]];
      const w = trained[l].kernel.dataSync();
      const bias = trained[l].bias?.dataSync() ?? new Float32Array(k * nOut);
      for (let i = 0; i < k; i++) {
        const mask = options.masks?.[i]?.[l] ?? undefined;
        // A plain loop, not Float64Array.from with a map callback (~20× slower: 200 ms for 1.6 M weights);
        // `+ 0` turns the −0 of masked weights into +0.
        const weights = new Float64Array(nIn * nOut);
        for (let j = 0, at = i * nIn * nOut; j < weights.length; j++) weights[j] = w[at + j] + 0;
        (networks[i].layers as Layer[]).push({
          nIn,
          nOut,
          weights,
          bias: Float64Array.from(bias.subarray(i * nOut, (i + 1) * nOut)),
          activation: acts[l],
          ...(mask !== undefined ? { mask: Uint8Array.from(mask) } : {})
        });
      }
    }
    trained.forEach(v => tf.dispose([v.kernel, ...(v.bias !== undefined ? [v.bias] : [])]));
    seeds.forEach((s, i) => {
      networks[i] = {
        layers: networks[i].layers,
        meta: { source: `ensemble network ${i} (seed ${s})`, seed: s }
      };
    });
    return {
      networks,
      histories,
      seeds,
      epochs: outcome.epochs,
      interrupted: outcome.interrupted,
      seconds: (Date.now() - started) / 1000
    };
  } finally {
    prepared.dispose();
    stack.dispose();
    progress.end(curves(), status);
  }
}
