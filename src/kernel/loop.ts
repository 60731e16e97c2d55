/**
 * The one training loop of the kernel: `nm.train`, `nm.prune` (every level, and so the study pipeline) and
 * `nm.trainEnsemble` run their optimizer steps through {@link trainingLoop}. It owns what they must agree
 * on: the row order of every epoch (seeded, see {@link epochOrder}), how batches are cut from it, yielding
 * to the event loop after every batch, and stopping cleanly on a kernel interrupt (SIGINT) or an abort
 * signal. What a step does, and what is measured after it or after an epoch, is the caller's.
 *
 * Interrupts: Jupyter interrupts a tslab kernel with SIGINT. tslab then abandons the running cell (it
 * reports "Interrupted asynchronously") but cannot stop our loop; so while training, a SIGINT listener sets
 * a flag that the loop checks between batches (it yields to the event loop after every batch so the signal
 * is seen). Training stops after the current batch and the listener is removed.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { permutation } from '../core/datasets/matrix';
import { createRng } from '../core/random';
import { getTf } from './tf';

/**
 * The row order of every epoch: epoch `e` is `permutation(n, s_e)` (core) with `s_e` the e-th 32-bit draw
 * of `createRng(seed)`. Every loop uses this order, so a network trained in an ensemble or in a pruning
 * level sees the same batches as when trained alone with its seed.
 *
 * @example
 * ```ts
 * const next = epochOrder(5, 1);
 * next(); // Int32Array permutation of 0..4 for epoch 0
 * ```
 */
export function epochOrder(n: number, seed: number, shuffle = true): () => Int32Array {
  const rng = createRng(seed);
  const identity = Int32Array.from({ length: n }, (_, i) => i);
  return () => (shuffle ? permutation(n, rng.uint32()) : identity);
}

/**
 * The rows `rows` of `x` and `y` as a batch (two new tensors; dispose them).
 *
 * @example
 * ```ts
 * const tf = getTf();
 * const x = tf.tensor2d([[0], [1], [2], [3], [4]]);
 * const [xb, yb] = gatherBatch(x, x, Int32Array.of(4, 0, 2));
 * ```
 */
export function gatherBatch(
  x: tfjs.Tensor2D,
  y: tfjs.Tensor2D,
  rows: Int32Array
): [tfjs.Tensor2D, tfjs.Tensor2D] {
  const tf = getTf();
  return tf.tidy(() => {
    const idx = tf.tensor1d(rows, 'int32');
    return [tf.gather(x, idx), tf.gather(y, idx)] as [tfjs.Tensor2D, tfjs.Tensor2D];
  });
}

/** Yields to the event loop so that signals (SIGINT) and other callbacks are seen between batches. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve));
}

/**
 * Listens for SIGINT (a Jupyter kernel interrupt, or Ctrl-C) while `run` executes; the returned `stop()`
 * reads the flag (or the abort signal). The listener is removed afterwards, whatever happens. Calls nest:
 * an inner call's listener is added next to the outer one's, and a SIGINT sets both flags.
 *
 * @example
 * ```ts
 * await withInterrupt(undefined, async stopped => { for (let k = 0; k < 3 && !stopped(); k++) await new Promise(r => setTimeout(r, 10)); });
 * ```
 */
export async function withInterrupt<T>(
  signal: AbortSignal | undefined,
  run: (stopped: () => boolean) => Promise<T>
): Promise<T> {
  let flag = false;
  const onSigint = (): void => {
    flag = true;
  };
  // Installed after a turn of the event loop, never synchronously: tslab runs a cell's synchronous part in
  // `vm.runInThisContext({breakOnSigint: true})`, whose SIGINT watchdog resets the signal to its default
  // action when it ends — a listener added during that part would leave the kernel to die on interrupt.
  await yieldToEventLoop();
  process.on('SIGINT', onSigint);
  try {
    return await run(() => flag || signal?.aborted === true);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}

/**
 * Training data up to this size is copied in each epoch's order (one gather instead of one per batch):
 * then a batch is a slice (79 gathers of 128 MNIST rows take 7.6 ms, one gather of 10 k rows and 79 slices
 * 2.6 ms). A gather and a slice give the same values, so the copy changes speed, never results.
 */
export const EPOCH_COPY_MAX_BYTES = 256 * 2 ** 20;

/** One batch, as {@link TrainingLoopOptions.step} receives it. */
export interface LoopBatch {
  /**
   * Inputs and targets of the batch: `[rows, cols]`, or `[K, rows, cols]` with {@link TrainingLoopOptions.stacked}
   * (network `i`'s rows in its own order). Owned by the loop: disposed after `step` returns.
   */
  x: tfjs.Tensor;
  y: tfjs.Tensor;
  /** 0-based epoch. */
  epoch: number;
  /** 0-based batch within the epoch. */
  batch: number;
  /** Rows of the batch (per network). */
  rows: number;
  /** Batches per epoch. */
  batchesPerEpoch: number;
}

/** Options of {@link trainingLoop}. */
export interface TrainingLoopOptions {
  /** Training inputs and targets (`rows × cols`). */
  x: tfjs.Tensor2D;
  y: tfjs.Tensor2D;
  batchSize: number;
  /**
   * One seed per network trained: network `i` sees its rows in the order `epochOrder(rows, seeds[i])`.
   * One seed for {@link trainingLoop}'s single network.
   */
  seeds: readonly number[];
  /** Batches as `[K, rows, cols]` (K = `seeds.length`), for stacked networks. Default `false` (one seed). */
  stacked?: boolean;
  /** Shuffle every epoch. Default `true`. */
  shuffle?: boolean;
  /**
   * Up to this many bytes of training data, each epoch's rows are copied once in their order and batches
   * are slices of the copy; above, each batch is gathered. Same values either way. Default
   * {@link EPOCH_COPY_MAX_BYTES}.
   */
  epochCopyMaxBytes?: number;
  /** Most epochs. Default: no limit (until `step` or `epochEnd` stops the loop). */
  epochs?: number;
  /** Stops between batches when aborted (a SIGINT does the same). */
  signal?: AbortSignal;
  /** A further reason to stop between batches, e.g. the flag of an enclosing {@link withInterrupt}. */
  stopped?: () => boolean;
  /** One optimizer step on the batch; return `true` to stop after it (e.g. converged). */
  step(batch: LoopBatch): boolean | void;
  /** After every full epoch; return `true` to stop (early stopping, a callback asking to). */
  epochEnd?(epoch: number): boolean | void | Promise<boolean | void>;
}

/** How {@link trainingLoop} ended. */
export interface LoopOutcome {
  /** Epochs finished (an epoch cut short by `step` or an interrupt does not count). */
  epochs: number;
  /** Optimizer steps taken. */
  batches: number;
  /** Stopped by SIGINT, the abort signal or `stopped()`. */
  interrupted: boolean;
  /** Stopped because `step` or `epochEnd` asked to. */
  stopped: boolean;
}

/**
 * Runs epochs of minibatch steps: for every epoch, draws each network's row order, cuts it into batches of
 * `batchSize` rows (the last one shorter), calls `step` on each, yields to the event loop and checks for an
 * interrupt, then calls `epochEnd`.
 *
 * @example
 * ```ts
 * const tf = getTf();
 * const x = tf.tensor2d(new Float32Array(20), [10, 2]);
 * let seen = 0;
 * const outcome = await trainingLoop({ x, y: x, batchSize: 4, seeds: [1], epochs: 2, step: b => void (seen += b.rows) });
 * outcome.batches; // 6: 3 batches (4 + 4 + 2 rows) per epoch; seen = 20
 * ```
 */
export async function trainingLoop(options: TrainingLoopOptions): Promise<LoopOutcome> {
  const tf = getTf();
  const { x, y, batchSize, seeds } = options;
  const n = x.shape[0];
  const epochs = options.epochs ?? Infinity;
  const stacked = options.stacked ?? false;
  const k = seeds.length;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`training: batchSize must be an integer ≥ 1, got ${batchSize}`);
  if (k < 1 || (!stacked && k !== 1))
    throw new RangeError(`training: ${k} seeds for ${stacked ? 'stacked networks' : 'one network'}`);
  if (n === 0 && epochs === Infinity)
    throw new RangeError('training: no training rows, and no epoch limit to stop at');
  const orders = seeds.map(s => epochOrder(n, s, options.shuffle ?? true));
  const batchesPerEpoch = Math.ceil(n / batchSize);
  const copyEpoch =
    k * n * (x.shape[1] + y.shape[1]) * 4 <= (options.epochCopyMaxBytes ?? EPOCH_COPY_MAX_BYTES);
  /** The rows of `order` (one per network) from `x` and `y`, as `[rows, c]` or `[K, rows, c]`. */
  const gather = (perms: readonly Int32Array[], lo: number, rows: number): [tfjs.Tensor, tfjs.Tensor] =>
    tf.tidy(() => {
      const idx = new Int32Array(k * rows);
      perms.forEach((p, i) => idx.set(p.subarray(lo, lo + rows), i * rows));
      const it = tf.tensor1d(idx, 'int32');
      const [xs, ys] = [tf.gather(x, it), tf.gather(y, it)];
      return stacked
        ? [tf.reshape(xs, [k, rows, x.shape[1]]), tf.reshape(ys, [k, rows, y.shape[1]])]
        : [xs, ys];
    });
  const outcome: LoopOutcome = { epochs: 0, batches: 0, interrupted: false, stopped: false };
  let epochRows: [tfjs.Tensor, tfjs.Tensor] | undefined;
  try {
    await withInterrupt(options.signal, async interrupted => {
      const stopped = (): boolean => interrupted() || options.stopped?.() === true;
      for (let epoch = 0; epoch < epochs; epoch++) {
        const perms = orders.map(next => next());
        epochRows = copyEpoch ? gather(perms, 0, n) : undefined;
        for (let b = 0; b < batchesPerEpoch; b++) {
          const lo = b * batchSize;
          const rows = Math.min(n, lo + batchSize) - lo;
          const [xb, yb] =
            epochRows !== undefined
              ? stacked
                ? [
                    tf.slice(epochRows[0], [0, lo, 0], [k, rows, -1]),
                    tf.slice(epochRows[1], [0, lo, 0], [k, rows, -1])
                  ]
                : [tf.slice(epochRows[0], [lo, 0], [rows, -1]), tf.slice(epochRows[1], [lo, 0], [rows, -1])]
              : gather(perms, lo, rows);
          let done: boolean | void;
          try {
            done = options.step({ x: xb, y: yb, epoch, batch: b, rows, batchesPerEpoch });
          } finally {
            tf.dispose([xb, yb]);
          }
          outcome.batches++;
          await yieldToEventLoop();
          if (stopped()) {
            outcome.interrupted = true;
            return;
          }
          if (done === true) {
            outcome.stopped = true;
            return;
          }
        }
        epochRows?.forEach(t => t.dispose());
        epochRows = undefined;
        outcome.epochs = epoch + 1;
        if ((await options.epochEnd?.(epoch)) === true) {
          outcome.stopped = true;
          return;
        }
      }
    });
  } finally {
    epochRows?.forEach(t => t.dispose());
  }
  return outcome;
}
