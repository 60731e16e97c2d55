/**
 * Loads TensorFlow.js for the kernel helpers, best backend first, never silently degraded:
 * 1. native TensorFlow (`@tensorflow/tfjs-node`) when its binding is built and runs ops on this Node;
 * 2. else WebAssembly (`@tensorflow/tfjs-backend-wasm`, SIMD where the CPU has it; tfjs disables its threads
 *    in Node), initialised in the background and selected by {@link tfReady}, which `train`, `prune` and
 *    `trainEnsemble` await first;
 * 3. else pure JavaScript (`cpu`).
 * Each step down prints why. `NNMOTIFS_TF=wasm|cpu` starts lower down (`js` = `cpu`), e.g. for tests.
 */
import { availableParallelism } from 'node:os';
import type * as tfjs from '@tensorflow/tfjs';

/** The TensorFlow.js namespace (identical API for every backend). */
export type Tf = typeof tfjs;

/** Which TensorFlow.js backend the helpers run on, and why not a better one. */
export interface TfBackendInfo {
  /** `tensorflow` (native, tfjs-node), `wasm` (WebAssembly) or `cpu` (pure JavaScript). */
  backend: string;
  native: boolean;
  /** Why the native backend is not used, when it is not. */
  reason?: string;
  /** Why the WebAssembly backend is not used, when the helpers run on `cpu`. */
  wasmReason?: string;
  /** `true` while the WebAssembly backend is still starting (await {@link tfReady}). */
  pending?: boolean;
  /** The WebAssembly backend's features, when it runs. */
  wasm?: { simd: boolean; threads: boolean };
}

let loaded: { tf: Tf; info: TfBackendInfo; ready: Promise<void> } | undefined;

/** Prints the warning in a way that is hard to miss in a notebook and in a terminal. */
function warnLoudly(lines: string[]): void {
  const bar = '!'.repeat(78);
  console.warn([bar, ...lines, bar].join('\n'));
}

function firstLine(err: unknown): string {
  return err instanceof Error ? err.message.split('\n')[0] : String(err);
}

/**
 * Returns TensorFlow.js, loading it on first use.
 *
 * Set the environment variable `NNMOTIFS_TF=wasm` or `NNMOTIFS_TF=cpu` (`js`) to skip the better backends.
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
 * Which backend the helpers run on, and why not a better one.
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

/**
 * Waits until the best available backend runs (the WebAssembly backend starts asynchronously), selects it
 * and returns {@link tfBackend}. `nm.train`, `nm.prune` and `nm.trainEnsemble` call it first.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const info = await nm.tfReady(); // { backend: 'wasm', native: false, reason: '…', wasm: { simd: true, threads: false } }
 * ```
 */
export async function tfReady(): Promise<TfBackendInfo> {
  const state = load();
  await state.ready;
  return { ...state.info };
}

/**
 * Runs TopK, whose kernel goes through tfjs-node's op-attribute helpers. tfjs-node 4.22.0 as published calls
 * `util.isNullOrUndefined` there, which Node 23 removed: the binding loads, then every training step fails.
 * The set-up patches it (docs/node-versions.md); a tfjs-node it has not patched must not be used blindly.
 */
function checkNativeOps(tf: Tf): void {
  try {
    tf.tidy(() => tf.topk(tf.tensor1d([1, 2]), 1).values.dataSync());
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `@tensorflow/tfjs-node loads but cannot run ops on Node ${process.version} (${message}): it lacks the ` +
        'Node 23+ patch the set-up applies (run `npm run setup` in the nnmotifs checkout; docs/node-versions.md)'
    );
  }
}

function loadNative(): Tf {
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
  checkNativeOps(tf);
  return tf;
}

/**
 * Starts the WebAssembly backend without selecting it: tfjs initialises it asynchronously, and selecting it
 * before it is ready would make every synchronous op (e.g. `nm.mlp`) throw. Once its instance exists it is
 * registered again with a synchronous factory, so {@link tfReady} can select it at a safe point (never in
 * the middle of a training run: the trainer chooses its ops by backend when it starts).
 */
function startWasm(tf: Tf, info: TfBackendInfo): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const wasm = require('@tensorflow/tfjs-backend-wasm') as { getThreadsCount(): number };
  const factory = tf.findBackendFactory('wasm');
  if (factory === undefined || factory === null)
    throw new Error('@tensorflow/tfjs-backend-wasm registered no backend');
  return (async () => {
    const instance = await factory();
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', () => instance, 2);
    if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") failed');
    const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    info.backend = 'wasm';
    info.wasm = { simd: Boolean(simd), threads: wasm.getThreadsCount() > 1 };
  })();
}

function load(): { tf: Tf; info: TfBackendInfo; ready: Promise<void> } {
  if (loaded) return loaded;
  const wanted = process.env.NNMOTIFS_TF === 'js' ? 'cpu' : process.env.NNMOTIFS_TF;
  let reason: string;
  if (wanted === 'wasm' || wanted === 'cpu') {
    reason = `NNMOTIFS_TF=${process.env.NNMOTIFS_TF} is set`;
  } else {
    try {
      const tf = loadNative();
      loaded = { tf, info: { backend: tf.getBackend(), native: true }, ready: Promise.resolve() };
      return loaded;
    } catch (err) {
      reason = firstLine(err);
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const tf = require('@tensorflow/tfjs') as Tf;
  // tfjs-node may have registered (and selected) its backend before failing the check: leave it. The cpu
  // backend is the one ops run on until the WebAssembly backend is ready (synchronous for cpu).
  if (tf.getBackend() !== 'cpu') void tf.setBackend('cpu');
  tf.backend();
  const info: TfBackendInfo = { backend: 'cpu', native: false, reason };
  const onCpu = (wasmReason: string): void => {
    info.backend = 'cpu';
    info.wasmReason = wasmReason;
    delete info.pending;
    warnLoudly([
      'nnmotifs: neither native TensorFlow nor WebAssembly is available: pure-JavaScript @tensorflow/tfjs',
      'runs, and training will be 10-100x slower.',
      `Native: ${reason}`,
      `WebAssembly: ${wasmReason}`,
      'Fix: run `npm run setup` in the nnmotifs checkout (it builds the native binding offline).'
    ]);
  };
  let ready = Promise.resolve();
  if (wanted === 'cpu') {
    onCpu(reason);
  } else {
    try {
      info.pending = true;
      ready = startWasm(tf, info).then(
        () => {
          delete info.pending;
          warnLoudly([
            'nnmotifs: the native TensorFlow backend (@tensorflow/tfjs-node) is NOT available.',
            `Running on WebAssembly (@tensorflow/tfjs-backend-wasm, SIMD ${info.wasm?.simd ? 'on' : 'off'}; ` +
              'tfjs runs it single-threaded in Node): slower than native, faster than pure JS.',
            `Reason: ${reason}`,
            'Fix: run `npm run setup` in the nnmotifs checkout (it builds the binding offline).'
          ]);
        },
        err => onCpu(firstLine(err))
      );
    } catch (err) {
      onCpu(firstLine(err));
    }
  }
  loaded = { tf, info, ready };
  return loaded;
}
