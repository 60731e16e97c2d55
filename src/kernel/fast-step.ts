/**
 * The training step behind `nm.train`, `nm.prune` and `nm.trainEnsemble`: a hand-written forward and
 * backward pass through a stack of Dense layers, and an optimizer update that is one fused TensorFlow op
 * per parameter on the native backend.
 *
 * Why not `tf.variableGrads` + `optimizer.applyGradients`: on tfjs-node, Adam alone costs ~13 element-wise
 * ops per parameter tensor (each a full pass over the weights), and the tape records and replays every
 * op of the softmax cross-entropy. Here the backward pass is the textbook one — `softmax − y` for
 * cross-entropy from logits, `Wᵀ`/`hᵀ` products with `transposeA/B`, activation derivatives from the
 * layer outputs — and the update is TensorFlow's own `ResourceApplyAdam` / `ResourceApplyMomentum` /
 * `ResourceApplyGradientDescent` on resource variables (one pass, in place). On the pure-JS fallback
 * backend, which has no such ops, the parameters are tfjs variables updated by a tfjs optimizer.
 *
 * One engine for one network and for K stacked networks: tensors are `[rows, n]` with weights
 * `[nIn, nOut]` and biases `[nOut]`, or `[K, rows, n]` with weights `[K, nIn, nOut]` and biases
 * `[K, 1, nOut]` (batched matMul). Every reduction is over the rows axis (−2), so each of the K networks
 * gets exactly the gradient of its own mean loss.
 *
 * Masks: the masked entries of a parameter are zeroed once, their gradient is multiplied by the mask and
 * their optimizer state is zeroed, so the update of a masked entry is exactly 0 and it stays exactly 0.
 */
import type * as tfjs from '@tensorflow/tfjs';
import { getTf, Tf } from './tf';
import type { LossName, OptimizerOptions } from './train';

/**
 * Applies a Keras activation by name.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const tf = nm.tf();
 * activate(tf, 'relu', tf.tensor([-1, 2])).print(); // [0, 2]
 * ```
 */
export function activate(tf: Tf, name: string, h: tfjs.Tensor): tfjs.Tensor {
  switch (name) {
    case 'linear':
      return h;
    case 'relu':
      return tf.relu(h);
    case 'relu6':
      return tf.relu6(h);
    case 'elu':
      return tf.elu(h);
    case 'selu':
      return tf.selu(h);
    case 'sigmoid':
      return tf.sigmoid(h);
    case 'tanh':
      return tf.tanh(h);
    case 'softplus':
      return tf.softplus(h);
    case 'softsign':
      return tf.div(h, tf.add(tf.abs(h), 1));
    case 'softmax':
      return tf.softmax(h);
    case 'swish':
      return tf.mul(h, tf.sigmoid(h));
    default:
      throw new RangeError(`train: activation '${name}' is not supported`);
  }
}

/**
 * Makes a TF.js optimizer from the shared settings (the update rule of the pure-JS backend; the native
 * backend applies the same rules with fused TensorFlow ops).
 *
 * @example
 * ```ts
 * const opt = makeOptimizer({ optimizer: 'sgdNesterov', lr: 0.01, momentum: 0.6 });
 * ```
 */
export function makeOptimizer(options: OptimizerOptions): tfjs.Optimizer {
  const tf = getTf();
  const { name, lr, momentum } = optimizerSettings(options);
  switch (name) {
    case 'adam':
      return tf.train.adam(lr);
    case 'sgd':
      return momentum > 0 ? tf.train.momentum(lr, momentum, false) : tf.train.sgd(lr);
    case 'sgdNesterov':
      return tf.train.momentum(lr, momentum, true);
  }
}

/** Checked optimizer settings with their defaults filled in. */
interface OptimizerSettings {
  name: 'adam' | 'sgd' | 'sgdNesterov';
  lr: number;
  /** 0 for plain SGD and Adam. */
  momentum: number;
}

function optimizerSettings(options: OptimizerOptions): OptimizerSettings {
  const name = options.optimizer ?? 'adam';
  if (name !== 'adam' && name !== 'sgd' && name !== 'sgdNesterov') {
    throw new RangeError(`optimizer must be adam, sgd or sgdNesterov, got '${String(name)}'`);
  }
  const lr = options.lr ?? (name === 'adam' ? 1e-3 : 0.01);
  if (!(lr > 0)) throw new RangeError(`lr must be > 0, got ${lr}`);
  const momentum = name === 'adam' ? 0 : (options.momentum ?? (name === 'sgdNesterov' ? 0.9 : 0));
  if (!(momentum >= 0)) throw new RangeError(`momentum must be ≥ 0, got ${momentum}`);
  return { name, lr, momentum };
}

/**
 * Trainable tensors with their optimizer. `read` gives snapshots: dispose them before `update`, or the
 * native store has to copy the buffers it updates in place (TensorFlow's copy-on-write).
 */
interface ParamStore {
  read(): tfjs.Tensor[];
  /** One optimizer step; gradients of masked parameters are masked here. Does not dispose `grads`. */
  update(grads: readonly tfjs.Tensor[]): void;
  /** Parameter `i` keeps exactly 0 where `mask` is 0 from now on (`undefined` lifts the mask). Takes `mask`. */
  setMask(i: number, mask: tfjs.Tensor | undefined): void;
  dispose(): void;
}

/** The op-level interface of tfjs-node's backend that the native store needs. */
interface NativeBackend {
  binding: {
    TF_FLOAT: number;
    TF_ATTR_TYPE: number;
    TF_ATTR_BOOL: number;
    TF_ATTR_STRING: number;
    TF_ATTR_SHAPE: number;
  };
  executeSingleOutput(name: string, attrs: unknown[], inputs: tfjs.Tensor[]): tfjs.Tensor;
  executeMultipleOutputs(
    name: string,
    attrs: unknown[],
    inputs: tfjs.Tensor[],
    numOutputs: number
  ): tfjs.Tensor[];
}

function nativeBackend(tf: Tf): NativeBackend | undefined {
  if (tf.getBackend() !== 'tensorflow') return undefined;
  const backend = tf.backend() as unknown as Partial<NativeBackend>;
  return typeof backend.executeSingleOutput === 'function' &&
    typeof backend.executeMultipleOutputs === 'function' &&
    backend.binding !== undefined
    ? (backend as NativeBackend)
    : undefined;
}

/**
 * TensorFlow's derivative ops of activations (one op instead of 2–4 tfjs ops; tfjs-node's `step`, used by
 * the composite relu derivative, is itself several ops). `fromOutput`: the op takes the activation's output
 * rather than its input; `upstreamFirst`: the upstream gradient is the first input.
 */
const NATIVE_ACTIVATION_GRADS: Record<string, { op: string; fromOutput: boolean; upstreamFirst: boolean }> = {
  relu: { op: 'ReluGrad', fromOutput: true, upstreamFirst: true },
  relu6: { op: 'Relu6Grad', fromOutput: true, upstreamFirst: true },
  elu: { op: 'EluGrad', fromOutput: true, upstreamFirst: true },
  selu: { op: 'SeluGrad', fromOutput: true, upstreamFirst: true },
  softplus: { op: 'SoftplusGrad', fromOutput: false, upstreamFirst: true },
  softsign: { op: 'SoftsignGrad', fromOutput: false, upstreamFirst: true },
  tanh: { op: 'TanhGrad', fromOutput: true, upstreamFirst: false },
  sigmoid: { op: 'SigmoidGrad', fromOutput: true, upstreamFirst: false }
};

const floatTypeAttr = (backend: NativeBackend, name: string): unknown => ({
  name,
  type: backend.binding.TF_ATTR_TYPE,
  value: backend.binding.TF_FLOAT
});

/**
 * The ops of the step whose tfjs-node kernels are slow for small tensors: `tf.matMul` reshapes to 3-D and
 * runs the old `BatchMatMul` (145 µs for a 128×100×10 product under oneDNN, against 68 µs for
 * `BatchMatMulV2` on the 2-D tensors), `tf.logSoftmax` is six ops (130 µs against 7 µs for TensorFlow's
 * `LogSoftmax`).
 */
interface StepOps {
  matMul(a: tfjs.Tensor, b: tfjs.Tensor, transposeA: boolean, transposeB: boolean): tfjs.Tensor;
  logSoftmax(z: tfjs.Tensor): tfjs.Tensor;
  /** d(loss)/d(pre-activation) by a native op, or `undefined` when there is none for `act`. */
  activationGrad(act: string, g: tfjs.Tensor, pre: tfjs.Tensor, out: tfjs.Tensor): tfjs.Tensor | undefined;
}

function portableOps(tf: Tf): StepOps {
  return {
    matMul: (a, b, transposeA, transposeB) =>
      tf.matMul(a as tfjs.Tensor2D, b as tfjs.Tensor2D, transposeA, transposeB),
    logSoftmax: z => tf.logSoftmax(z),
    activationGrad: () => undefined
  };
}

function nativeOps(backend: NativeBackend): StepOps {
  const T = [floatTypeAttr(backend, 'T')];
  const flag = (name: string, value: boolean): unknown => ({
    name,
    type: backend.binding.TF_ATTR_BOOL,
    value
  });
  return {
    // BatchMatMulV2 for 2-D too: TensorFlow's 2-D `MatMul` called this way corrupted the heap of runs under
    // `node --cpu-prof` (every run; BatchMatMulV2 never did), so it is not used at all.
    matMul: (a, b, transposeA, transposeB) =>
      backend.executeSingleOutput(
        'BatchMatMulV2',
        [...T, flag('adj_x', transposeA), flag('adj_y', transposeB)],
        [a, b]
      ),
    logSoftmax: z => backend.executeSingleOutput('LogSoftmax', T, [z]),
    activationGrad(act, g, pre, out) {
      const gradOp = NATIVE_ACTIVATION_GRADS[act];
      if (gradOp === undefined) return undefined;
      const inputs = gradOp.upstreamFirst ? [g, gradOp.fromOutput ? out : pre] : [out, g];
      return backend.executeSingleOutput(gradOp.op, T, inputs);
    }
  };
}

/**
 * Per network, the share of rows whose largest output is where the target is largest (the first on ties,
 * as `tf.argMax`). Computed here from the downloaded outputs: cheaper than four small tensor ops.
 */
function accuracyOf(z: ArrayLike<number>, y: ArrayLike<number>, nets: number, classes: number): Float32Array {
  const rows = z.length / classes / nets;
  const acc = new Float32Array(nets);
  const argMax = (a: ArrayLike<number>, at: number): number => {
    let best = 0;
    for (let c = 1; c < classes; c++) if (a[at + c] > a[at + best]) best = c;
    return best;
  };
  for (let k = 0; k < nets; k++) {
    let hits = 0;
    for (let r = 0; r < rows; r++) {
      const at = (k * rows + r) * classes;
      if (argMax(z, at) === argMax(y, at)) hits++;
    }
    acc[k] = hits / rows;
  }
  return acc;
}

let resourceCounter = 0;

/**
 * Parameters as TensorFlow resource variables, updated in place by TensorFlow's fused training ops.
 * Adam: `ResourceApplyAdam` computes `lr·√(1−β₂ᵗ)/(1−β₁ᵗ) · m / (√v + ε̂)`; passing `ε̂ = ε·√(1−β₂ᵗ)`
 * makes that exactly tfjs's `lr · m̂ / (√v̂ + ε)` (ε = 1e-7 as tfjs on float32).
 */
function nativeStore(
  tf: Tf,
  backend: NativeBackend,
  initial: readonly tfjs.Tensor[],
  settings: OptimizerSettings
): ParamStore {
  const b = backend.binding;
  const floatAttr = (name: string): unknown => floatTypeAttr(backend, name);
  const dtypeAttrs = [floatAttr('dtype')];
  const applyAttrs = [
    floatAttr('T'),
    { name: 'use_locking', type: b.TF_ATTR_BOOL, value: false },
    { name: 'use_nesterov', type: b.TF_ATTR_BOOL, value: settings.name === 'sgdNesterov' }
  ];
  const assign = (handle: tfjs.Tensor, value: tfjs.Tensor): void => {
    backend.executeMultipleOutputs('AssignVariableOp', dtypeAttrs, [handle, value], 0);
  };
  const readOne = (handle: tfjs.Tensor): tfjs.Tensor =>
    backend.executeSingleOutput('ReadVariableOp', dtypeAttrs, [handle]);
  const variable = (value: tfjs.Tensor): tfjs.Tensor => {
    const handle = backend.executeSingleOutput(
      'VarHandleOp',
      [
        { name: 'container', type: b.TF_ATTR_STRING, value: '' },
        {
          name: 'shared_name',
          type: b.TF_ATTR_STRING,
          value: `nnmotifs_${process.pid}_${resourceCounter++}`
        },
        floatAttr('dtype'),
        { name: 'shape', type: b.TF_ATTR_SHAPE, value: value.shape }
      ],
      []
    );
    assign(handle, value);
    return handle;
  };
  const slotsPerParam = settings.name === 'adam' ? 2 : settings.momentum > 0 ? 1 : 0;
  const params = initial.map(t => tf.tidy(() => variable(tf.cast(t, 'float32'))));
  const slots = initial.map(t =>
    Array.from({ length: slotsPerParam }, () => tf.tidy(() => variable(tf.zeros(t.shape))))
  );
  const masks: (tfjs.Tensor | undefined)[] = initial.map(() => undefined);
  const lr = tf.scalar(settings.lr);
  const beta1 = tf.scalar(0.9);
  const beta2 = tf.scalar(0.999);
  const momentum = tf.scalar(settings.momentum);
  const epsilon = 1e-7;
  let t = 0;
  return {
    read: () => params.map(readOne),
    update(grads) {
      t++;
      tf.tidy(() => {
        const adamScalars =
          settings.name === 'adam'
            ? [
                tf.scalar(0.9 ** t),
                tf.scalar(0.999 ** t),
                lr,
                beta1,
                beta2,
                tf.scalar(epsilon * Math.sqrt(1 - 0.999 ** t))
              ]
            : [];
        params.forEach((p, i) => {
          const m = masks[i];
          const g = m !== undefined ? tf.mul(grads[i], m) : grads[i];
          if (settings.name === 'adam') {
            backend.executeMultipleOutputs(
              'ResourceApplyAdam',
              applyAttrs,
              [p, ...slots[i], ...adamScalars, g],
              0
            );
          } else if (slotsPerParam === 1) {
            backend.executeMultipleOutputs(
              'ResourceApplyMomentum',
              applyAttrs,
              [p, slots[i][0], lr, g, momentum],
              0
            );
          } else {
            backend.executeMultipleOutputs(
              'ResourceApplyGradientDescent',
              applyAttrs.slice(0, 2),
              [p, lr, g],
              0
            );
          }
        });
      });
    },
    setMask(i, mask) {
      masks[i]?.dispose();
      masks[i] = mask;
      if (mask === undefined) return;
      tf.tidy(() => {
        for (const handle of [params[i], ...slots[i]]) {
          const value = readOne(handle);
          const masked = tf.mul(value, mask);
          value.dispose(); // before the assignment: no copy-on-write of the old buffer
          assign(handle, masked);
        }
      });
    },
    dispose() {
      for (const handle of [...params, ...slots.flat()]) {
        backend.executeMultipleOutputs(
          'DestroyResourceOp',
          [{ name: 'ignore_lookup_error', type: b.TF_ATTR_BOOL, value: true }],
          [handle],
          0
        );
        handle.dispose();
      }
      masks.forEach(m => m?.dispose());
      [lr, beta1, beta2, momentum].forEach(s => s.dispose());
    }
  };
}

/**
 * Parameters as tfjs variables and a tfjs optimizer (pure-JS backend). Masked entries are zeroed after
 * every update: tfjs optimizers keep their state to themselves, so it cannot be masked.
 */
function portableStore(tf: Tf, initial: readonly tfjs.Tensor[], settings: OptimizerSettings): ParamStore {
  const vars = initial.map(t => tf.tidy(() => tf.variable(tf.cast(t, 'float32'), true)));
  const optimizer = makeOptimizer({
    optimizer: settings.name,
    lr: settings.lr,
    ...(settings.name !== 'adam' ? { momentum: settings.momentum } : {})
  });
  const masks: (tfjs.Tensor | undefined)[] = initial.map(() => undefined);
  const applyMask = (i: number): void => {
    const m = masks[i];
    if (m !== undefined) tf.tidy(() => vars[i].assign(tf.mul(vars[i], m)));
  };
  return {
    read: () => vars.map(v => tf.clone(v)),
    update(grads) {
      optimizer.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] })));
      vars.forEach((_, i) => applyMask(i));
    },
    setMask(i, mask) {
      masks[i]?.dispose();
      masks[i] = mask;
      applyMask(i);
    },
    dispose() {
      optimizer.dispose();
      vars.forEach(v => v.dispose());
      masks.forEach(m => m?.dispose());
    }
  };
}

/** One Dense layer of a {@link DenseStack}: initial values (copied) and activation. */
export interface DenseLayerInit {
  /** `[nIn, nOut]`, or `[K, nIn, nOut]` for K stacked networks. */
  kernel: tfjs.Tensor;
  /** `[nOut]`, or `[K, 1, nOut]`; absent for a layer without bias. */
  bias?: tfjs.Tensor;
  activation: string;
}

/** Options of {@link createDenseStack}. */
export interface DenseStackOptions extends OptimizerOptions {
  /** Cross-entropy is computed from the logits: the last activation (softmax or linear) is folded into it. */
  loss: LossName;
}

/** Mean loss (and accuracy, for cross-entropy) of a batch: one value, or one per stacked network. */
export interface BatchLoss {
  loss: Float32Array;
  acc?: Float32Array;
}

/** A trainable stack of Dense layers (see the module documentation). */
export interface DenseStack {
  /** One optimizer step on a batch (`[rows, nIn]` / `[K, rows, nIn]`); returns the loss before the step. */
  step(x: tfjs.Tensor, y: tfjs.Tensor): BatchLoss;
  /** Mean loss (and accuracy) of a batch, without training. */
  evaluate(x: tfjs.Tensor, y: tfjs.Tensor): BatchLoss;
  /**
   * Pruning masks (0/1 float tensors of the parameter's shape, `undefined` = dense): masked weights are
   * zeroed and stay exactly 0. The stack takes ownership of the mask tensors.
   */
  setMasks(
    kernelMasks: readonly (tfjs.Tensor | undefined)[],
    biasMasks: readonly (tfjs.Tensor | undefined)[]
  ): void;
  /** Snapshots of the current kernels and biases (new tensors: dispose them). */
  values(): { kernel: tfjs.Tensor; bias?: tfjs.Tensor }[];
  dispose(): void;
}

/**
 * A Dense stack trained by hand-written backpropagation and fused optimizer ops.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const tf = nm.tf();
 * const stack = createDenseStack(
 *   [{ kernel: tf.randomNormal([2, 4]), bias: tf.zeros([4]), activation: 'tanh' }, { kernel: tf.randomNormal([4, 1]), activation: 'linear' }],
 *   { loss: 'mse', lr: 0.01 }
 * );
 * const { loss } = stack.step(tf.ones([8, 2]), tf.zeros([8, 1]));
 * loss[0]; // the batch loss before the step
 * stack.dispose();
 * ```
 */
export function createDenseStack(layers: readonly DenseLayerInit[], options: DenseStackOptions): DenseStack {
  const tf = getTf();
  if (layers.length === 0) throw new RangeError('train: no Dense layer to train');
  const settings = optimizerSettings(options);
  const { loss } = options;
  const withAcc = loss === 'categoricalCrossentropy';
  const nLayers = layers.length;
  /** Activation applied in the forward pass (the last one is folded into cross-entropy). */
  const acts = layers.map((l, i) => (i === nLayers - 1 && withAcc ? 'linear' : l.activation));
  tf.tidy(() => acts.forEach(a => activate(tf, a, tf.zeros([1])))); // unknown names fail here, not mid-training
  /** Index of each layer's kernel and bias in the parameter list. */
  const kernelAt: number[] = [];
  const biasAt: (number | undefined)[] = [];
  const initial: tfjs.Tensor[] = [];
  layers.forEach(l => {
    kernelAt.push(initial.push(l.kernel) - 1);
    biasAt.push(l.bias !== undefined ? initial.push(l.bias) - 1 : undefined);
  });
  const backend = nativeBackend(tf);
  const store =
    backend !== undefined
      ? nativeStore(tf, backend, initial, settings)
      : portableStore(tf, initial, settings);
  const ops = backend !== undefined ? nativeOps(backend) : portableOps(tf);

  /**
   * Pre-activations and outputs of every layer (not `tf.fused.matMul`: on tfjs-node it is the same three
   * ops, and the backward pass needs the pre-activations of some activations).
   */
  const forward = (params: tfjs.Tensor[], x: tfjs.Tensor): { pre: tfjs.Tensor[]; out: tfjs.Tensor[] } => {
    const pre: tfjs.Tensor[] = [];
    const out: tfjs.Tensor[] = [x];
    layers.forEach((_, l) => {
      const w = params[kernelAt[l]];
      const bi = biasAt[l];
      const bias = bi !== undefined ? params[bi] : undefined;
      const product = ops.matMul(out[l], w, false, false);
      const p = bias !== undefined ? tf.add(product, bias) : product;
      pre.push(p);
      out.push(activate(tf, acts[l], p));
    });
    return { pre, out };
  };

  /** d(loss)/d(output of the last layer), with the per-network mean loss. */
  const lossAndGrad = (z: tfjs.Tensor, y: tfjs.Tensor): { value: tfjs.Tensor; grad: tfjs.Tensor } => {
    const rows = z.shape[z.rank - 2];
    if (loss === 'mse') {
      const diff = tf.sub(z, y);
      return {
        value: tf.mean(tf.square(diff), [-2, -1]),
        grad: tf.mul(diff, 2 / (rows * z.shape[z.rank - 1]))
      };
    }
    // −Σ y·log softmax(z) per row; its gradient is softmax(z)·Σy − y (= softmax − y for one-hot rows).
    const logP = ops.logSoftmax(z);
    return {
      value: tf.mean(tf.neg(tf.sum(tf.mul(y, logP), -1)), -1),
      grad: tf.div(tf.sub(tf.mul(tf.exp(logP), tf.sum(y, -1, true)), y), rows)
    };
  };

  /** d(loss)/d(pre-activation) of layer l from d(loss)/d(output). */
  const throughActivation = (l: number, g: tfjs.Tensor, pre: tfjs.Tensor, out: tfjs.Tensor): tfjs.Tensor => {
    const act = acts[l];
    if (act === 'linear') return g;
    // Without a native op (softmax, swish, the pure-JS backend): tfjs's own derivative of the activation.
    return ops.activationGrad(act, g, pre, out) ?? tf.grad((p: tfjs.Tensor) => activate(tf, act, p))(pre, g);
  };

  const run = (x: tfjs.Tensor, y: tfjs.Tensor, train: boolean): BatchLoss => {
    const params = store.read();
    // [loss, outputs (cross-entropy only: for the accuracy), ...gradients (training only)]
    const results = tf.tidy(() => {
      const { pre, out } = forward(params, x);
      const z = out[nLayers];
      const { value, grad } = lossAndGrad(z, y);
      const kept = withAcc ? [value, z] : [value];
      if (!train) return kept;
      const grads: tfjs.Tensor[] = new Array<tfjs.Tensor>(initial.length);
      let g = grad;
      for (let l = nLayers - 1; l >= 0; l--) {
        const dz = throughActivation(l, g, pre[l], out[l + 1]);
        grads[kernelAt[l]] = ops.matMul(out[l], dz, true, false);
        const bi = biasAt[l];
        if (bi !== undefined) grads[bi] = tf.sum(dz, -2, params[bi].rank === dz.rank);
        if (l > 0) g = ops.matMul(dz, params[kernelAt[l]], false, true);
      }
      return [...kept, ...grads];
    });
    params.forEach(p => p.dispose()); // before the in-place update (no copy-on-write)
    const nKept = withAcc ? 2 : 1;
    if (train) {
      const grads = results.slice(nKept);
      store.update(grads);
      grads.forEach(t => t.dispose());
    }
    const lossValues = results[0].dataSync() as Float32Array;
    const nets = lossValues.length;
    const batch: BatchLoss = { loss: Float32Array.from(lossValues) };
    if (withAcc) {
      const z = results[1];
      batch.acc = accuracyOf(z.dataSync(), y.dataSync(), nets, z.shape[z.rank - 1]);
    }
    tf.dispose(results.slice(0, nKept));
    return batch;
  };

  return {
    step: (x, y) => run(x, y, true),
    evaluate: (x, y) => run(x, y, false),
    setMasks(kernelMasks, biasMasks) {
      layers.forEach((_, l) => {
        store.setMask(kernelAt[l], kernelMasks[l]);
        const bi = biasAt[l];
        if (bi !== undefined) store.setMask(bi, biasMasks[l]);
        else biasMasks[l]?.dispose();
      });
    },
    values() {
      const params = store.read();
      return layers.map((_, l) => {
        const bi = biasAt[l];
        return { kernel: params[kernelAt[l]], ...(bi !== undefined ? { bias: params[bi] } : {}) };
      });
    },
    dispose: () => store.dispose()
  };
}
