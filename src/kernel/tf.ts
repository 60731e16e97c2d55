/**
 * Loads TensorFlow.js for the kernel helpers: the native backend (`@tensorflow/tfjs-node`) when its binding
 * is built, otherwise the pure-JavaScript `@tensorflow/tfjs` with a loud warning — never silently.
 */
import { availableParallelism } from 'node:os';
import type * as tfjs from '@tensorflow/tfjs';

/** The TensorFlow.js namespace (identical API for the native and the pure-JS backend). */
export type Tf = typeof tfjs;

/** Which TensorFlow.js the helpers run on. */
export interface TfBackendInfo {
  /** `tensorflow` (native, tfjs-node) or `cpu` (pure JavaScript). */
  backend: string;
  native: boolean;
  /** Why the native backend could not be loaded, when it could not. */
  reason?: string;
}

let loaded: { tf: Tf; info: TfBackendInfo } | undefined;

/** Prints the warning in a way that is hard to miss in a notebook and in a terminal. */
function warnLoudly(reason: string): void {
  const bar = '!'.repeat(78);
  console.warn(
    [
      bar,
      'nnmotifs: the native TensorFlow backend (@tensorflow/tfjs-node) is NOT available.',
      'Falling back to pure-JavaScript @tensorflow/tfjs: training will be 10-100x slower.',
      `Reason: ${reason}`,
      'Fix: run `npm run setup` in the nnmotifs checkout (it builds the binding offline).',
      bar
    ].join('\n')
  );
}

/**
 * Returns TensorFlow.js, loading it on first use.
 *
 * Set the environment variable `NNMOTIFS_TF=js` to force the pure-JS backend (tests of the fallback).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const tf = nm.tf();
 * tf.tensor([1, 2, 3]).sum().print();
 * ```
 */
export function getTf(): Tf {
  return load().tf;
}

/**
 * Which backend the helpers run on, and why the native one is missing if it is.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.tfBackend(); // { backend: 'tensorflow', native: true }
 * ```
 */
export function tfBackend(): TfBackendInfo {
  return { ...load().info };
}

function load(): { tf: Tf; info: TfBackendInfo } {
  if (loaded) return loaded;
  let reason: string;
  if (process.env.NNMOTIFS_TF === 'js') {
    reason = 'NNMOTIFS_TF=js is set';
  } else {
    try {
      // libtensorflow's C++ logging (oneDNN and CPU-feature notices) would clutter every notebook.
      process.env.TF_CPP_MIN_LOG_LEVEL ??= '2';
      // On two cores, one intra-op thread: the step's ops are small (the largest product of an MNIST MLP is
      // 60 MFLOP), and handing each to a second thread cost more than it gained — nm.train epochs of the
      // 784-300-100-10 MLP took 0.11 s with one thread and 0.14–0.19 s with two (docs/training.md).
      // Set TF_NUM_INTRAOP_THREADS to override, e.g. for big ensembles, whose batched products gain.
      if (availableParallelism() <= 2) process.env.TF_NUM_INTRAOP_THREADS ??= '1';
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const tf = require('@tensorflow/tfjs-node') as Tf;
      tf.backend(); // initialises the registered backend so getBackend() names it
      loaded = { tf, info: { backend: tf.getBackend(), native: true } };
      return loaded;
    } catch (err) {
      reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    }
  }
  warnLoudly(reason);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as Tf;
  tf.backend();
  loaded = { tf, info: { backend: tf.getBackend(), native: false, reason } };
  return loaded;
}
