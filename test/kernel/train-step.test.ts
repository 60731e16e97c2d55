import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import type * as tfjs from '@tensorflow/tfjs';
import { createRng } from '../../src/core/random';
import { activate, createDenseStack, DenseLayerInit, makeOptimizer } from '../../src/kernel/fast-step';
import { getTf } from '../../src/kernel/tf';
import type { LossName, OptimizerOptions } from '../../src/kernel/train';

const tf = getTf();

/** Seeded normal values of a shape, scaled. */
function normal(shape: number[], seed: number, scale = 1): tfjs.Tensor {
  const rng = createRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => scale * rng.normal()),
    shape
  );
}

/** Seeded one-hot rows (`[rows, c]`, or `[k, rows, c]`). */
function oneHot(shape: number[], seed: number): tfjs.Tensor {
  const rng = createRng(seed);
  const c = shape[shape.length - 1];
  const rows = shape.reduce((a, b) => a * b, 1) / c;
  const data = new Float32Array(rows * c);
  for (let r = 0; r < rows; r++) data[r * c + rng.int(c)] = 1;
  return tf.tensor(data, shape);
}

/** Dense layers with seeded weights; stacked `[k, nIn, nOut]` when `k` is given. */
function layersOf(sizes: number[], acts: string[], seed: number, k?: number): DenseLayerInit[] {
  return acts.map((activation, l) => ({
    kernel: normal(k === undefined ? [sizes[l], sizes[l + 1]] : [k, sizes[l], sizes[l + 1]], seed + l, 0.8),
    bias: normal(k === undefined ? [sizes[l + 1]] : [k, 1, sizes[l + 1]], seed + 100 + l, 0.3),
    activation
  }));
}

const paramsOf = (layers: readonly DenseLayerInit[]): tfjs.Tensor[] =>
  layers.flatMap(l => (l.bias !== undefined ? [l.kernel, l.bias] : [l.kernel]));

/**
 * The loss by plain tfjs ops (autodiff-able): the sum over networks of each network's mean loss, as
 * `tf.losses` computes it for one network; cross-entropy from the logits of the last layer.
 */
function referenceLoss(
  layers: readonly DenseLayerInit[],
  params: tfjs.Tensor[],
  loss: LossName,
  x: tfjs.Tensor,
  y: tfjs.Tensor
): tfjs.Scalar {
  let h = x;
  let p = 0;
  layers.forEach((layer, l) => {
    const w = params[p++];
    const pre = tf.add(
      tf.matMul(h as tfjs.Tensor3D, w as tfjs.Tensor3D),
      layer.bias !== undefined ? params[p++] : 0
    );
    h =
      l === layers.length - 1 && loss === 'categoricalCrossentropy'
        ? pre
        : activate(tf, layer.activation, pre);
  });
  const nets = x.rank === 3 ? x.shape[0] : 1;
  const perNet = (k: number): tfjs.Scalar => {
    const out = x.rank === 3 ? tf.squeeze(tf.slice(h, [k, 0, 0], [1, -1, -1]), [0]) : h;
    const target = x.rank === 3 ? tf.squeeze(tf.slice(y, [k, 0, 0], [1, -1, -1]), [0]) : y;
    return loss === 'mse'
      ? tf.mean(tf.squaredDifference(out, target))
      : (tf.losses.softmaxCrossEntropy(target, out) as tfjs.Scalar);
  };
  return tf.addN(Array.from({ length: nets }, (_, k) => perNet(k))) as tfjs.Scalar;
}

/** Outputs of the last layer before its activation (logits), by plain tfjs ops. */
function referenceLogits(layers: readonly DenseLayerInit[], x: tfjs.Tensor): tfjs.Tensor {
  return tf.tidy(() => {
    let h = x;
    layers.forEach((layer, l) => {
      const pre = tf.add(tf.matMul(h as tfjs.Tensor3D, layer.kernel as tfjs.Tensor3D), layer.bias ?? 0);
      h = l === layers.length - 1 ? pre : activate(tf, layer.activation, pre);
    });
    return h;
  });
}

/** The gradient the stack applies, read back from one plain SGD step with lr 1: g = before − after. */
function stackGradients(
  layers: DenseLayerInit[],
  loss: LossName,
  x: tfjs.Tensor,
  y: tfjs.Tensor
): Float32Array[] {
  const stack = createDenseStack(layers, { loss, optimizer: 'sgd', lr: 1 });
  const before = paramsOf(layers).map(t => t.dataSync());
  stack.step(x, y);
  const after = stack.values().flatMap(v => (v.bias !== undefined ? [v.kernel, v.bias] : [v.kernel]));
  stack.dispose();
  return after.map((t, i) => {
    const a = t.dataSync();
    t.dispose();
    return Float32Array.from(before[i], (b, j) => b - a[j]);
  });
}

/** Largest |a − b| over all parameters, relative to max(1, largest |b|). */
function maxRelDiff(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let worst = 0;
  let scale = 1;
  b.forEach(t => Array.from(t).forEach(v => (scale = Math.max(scale, Math.abs(v)))));
  a.forEach((t, i) => Array.from(t).forEach((v, j) => (worst = Math.max(worst, Math.abs(v - b[i][j])))));
  return worst / scale;
}

const HIDDEN = [
  'linear',
  'relu',
  'relu6',
  'elu',
  'selu',
  'sigmoid',
  'tanh',
  'softplus',
  'softsign',
  'softmax',
  'swish'
];

describe.each(['tensorflow', 'cpu'])('dense stack on the %s backend', backendName => {
  const previous = tf.getBackend();
  it(`runs on ${backendName}`, async () => {
    await tf.setBackend(backendName);
    expect(tf.getBackend()).toBe(backendName);
  });
  afterAll(async () => {
    await tf.setBackend(previous);
  });

  it.each(HIDDEN)(
    'hand-written gradient equals tf.grad to 1e-5 (hidden %s, MSE through a sigmoid output and cross-entropy)',
    act => {
      for (const [loss, out] of [
        ['mse', 'sigmoid'],
        ['categoricalCrossentropy', 'softmax']
      ] as const) {
        // Inputs of scale 3: relu6 and softsign see values past their kinks.
        const x = normal([7, 5], 1, 3);
        const y = loss === 'mse' ? normal([7, 3], 2) : oneHot([7, 3], 2);
        const layers = layersOf([5, 6, 4, 3], [act, act, out], 10);
        const ours = stackGradients(layers, loss, x, y);
        const ref = tf.grads((...ps: tfjs.Tensor[]) => referenceLoss(layers, ps, loss, x, y))(
          paramsOf(layers)
        );
        expect(
          maxRelDiff(
            ours,
            ref.map(g => g.dataSync())
          )
        ).toBeLessThan(1e-5);
        tf.dispose([x, y, ...ref, ...paramsOf(layers)]);
      }
    }
  );

  it('gives each of K stacked networks the gradient of its own mean loss (batched matMul)', () => {
    for (const loss of ['mse', 'categoricalCrossentropy'] as const) {
      const x = normal([3, 6, 4], 3);
      const y = loss === 'mse' ? normal([3, 6, 2], 4) : oneHot([3, 6, 2], 4);
      const layers = layersOf([4, 5, 2], ['tanh', loss === 'mse' ? 'linear' : 'softmax'], 20, 3);
      const ours = stackGradients(layers, loss, x, y);
      const ref = tf.grads((...ps: tfjs.Tensor[]) => referenceLoss(layers, ps, loss, x, y))(paramsOf(layers));
      expect(
        maxRelDiff(
          ours,
          ref.map(g => g.dataSync())
        )
      ).toBeLessThan(1e-5);
      tf.dispose([x, y, ...ref, ...paramsOf(layers)]);
    }
  });

  it.each([
    { optimizer: 'adam', lr: 0.01 },
    { optimizer: 'sgd', lr: 0.05 },
    { optimizer: 'sgd', lr: 0.05, momentum: 0.5 },
    { optimizer: 'sgdNesterov', lr: 0.05, momentum: 0.6 }
  ] as OptimizerOptions[])('updates as the tfjs optimizer does (%o), step after step', options => {
    const layers = layersOf([4, 6, 2], ['relu', 'linear'], 30);
    const stack = createDenseStack(layers, { ...options, loss: 'mse' });
    const vars = paramsOf(layers).map(t => tf.variable(t));
    const optimizer = makeOptimizer(options);
    for (let s = 0; s < 6; s++) {
      const x = normal([8, 4], 40 + s);
      const y = normal([8, 2], 50 + s);
      const ours = stack.step(x, y);
      const { value, grads } = tf.variableGrads(() => referenceLoss(layers, vars, 'mse', x, y), vars);
      optimizer.applyGradients(grads);
      // float32 rounding: TensorFlow's fused update orders its arithmetic differently.
      expect(Math.abs(ours.loss[0] - value.dataSync()[0])).toBeLessThan(1e-5 * Math.abs(value.dataSync()[0]));
      tf.dispose([x, y, value, ...Object.values(grads)]);
    }
    const trained = stack.values().flatMap(v => (v.bias !== undefined ? [v.kernel, v.bias] : [v.kernel]));
    expect(
      maxRelDiff(
        trained.map(t => t.dataSync()),
        vars.map(v => v.dataSync())
      )
    ).toBeLessThan(1e-5);
    stack.dispose();
    optimizer.dispose();
    tf.dispose([...trained, ...vars, ...paramsOf(layers)]);
  });

  it('keeps masked entries exactly 0 under Adam, also for a mask set mid-training; the others move', () => {
    const layers = layersOf([4, 6, 2], ['tanh', 'linear'], 60);
    const stack = createDenseStack(layers, { loss: 'mse', optimizer: 'adam', lr: 0.05 });
    const first = Float32Array.from({ length: 24 }, (_, k) => (k % 3 === 0 ? 0 : 1));
    const later = Float32Array.from(first, (m, k) => (k % 5 === 0 ? 0 : m));
    const trainSteps = (n: number): void => {
      for (let s = 0; s < n; s++) {
        const x = normal([8, 4], 70 + s);
        const y = normal([8, 2], 80 + s);
        stack.step(x, y);
        tf.dispose([x, y]);
      }
    };
    const kernel0 = (): Float32Array => {
      const v = stack.values();
      const data = v[0].kernel.dataSync() as Float32Array;
      const bias = v[0].bias?.dataSync() ?? new Float32Array(0);
      tf.dispose(v.flatMap(t => (t.bias !== undefined ? [t.kernel, t.bias] : [t.kernel])));
      expect(Math.abs(bias[1])).toBe(0);
      return data;
    };
    stack.setMasks([tf.tensor(first, [4, 6]), undefined], [tf.tensor([1, 0, 1, 1, 1, 1]), undefined]);
    const start = kernel0();
    trainSteps(10); // Adam builds momentum for every unmasked weight
    stack.setMasks([tf.tensor(later, [4, 6]), undefined], [tf.tensor([1, 0, 1, 1, 1, 1]), undefined]);
    trainSteps(10);
    const end = kernel0();
    end.forEach((w, k) => {
      if (later[k] === 0) expect(Math.abs(w)).toBe(0);
      else expect(w).not.toBe(start[k]);
    });
    stack.dispose();
    tf.dispose(paramsOf(layers));
  });

  it('frees what it made: no tensor left after dispose', () => {
    const before = tf.memory().numTensors;
    const layers = layersOf([3, 4, 2], ['relu', 'softmax'], 90);
    const stack = createDenseStack(layers, { loss: 'categoricalCrossentropy' });
    const x = normal([5, 3], 91);
    const y = oneHot([5, 2], 92);
    expect(stack.step(x, y).acc).toHaveLength(1);
    expect(stack.evaluate(x, y).loss).toHaveLength(1);
    stack.setMasks([tf.ones([3, 4]), undefined], [undefined, undefined]);
    stack.dispose();
    tf.dispose([x, y, ...paramsOf(layers)]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('measures accuracy per network as tf.argMax agreement (first index on ties)', () => {
    const layers = layersOf([3, 4], ['softmax'], 97, 2);
    const x = normal([2, 6, 3], 98);
    // Row 0 of each network: a tie in the target, resolved to the first class as tf.argMax does.
    const y = tf.concat([tf.tensor([0.5, 0.5, 0, 0], [1, 1, 4]).tile([2, 1, 1]), oneHot([2, 5, 4], 99)], 1);
    const stack = createDenseStack(layers, { loss: 'categoricalCrossentropy' });
    const ours = stack.evaluate(x, y).acc;
    const z = referenceLogits(layers, x);
    const ref = tf.mean(tf.cast(tf.equal(tf.argMax(z, -1), tf.argMax(y, -1)), 'float32'), -1).dataSync();
    expect(Array.from(ours ?? [])).toEqual(Array.from(ref));
    stack.dispose();
    tf.dispose([x, y, z, ...paramsOf(layers)]);
  });

  it('names an unknown activation before training starts', () => {
    const layers = layersOf([3, 2], ['gelu'], 95);
    expect(() => createDenseStack(layers, { loss: 'mse' })).toThrow(/activation 'gelu' is not supported/);
    tf.dispose(paramsOf(layers));
  });
});

describe('dense stack on the native backend, under signals', () => {
  it('keeps training while signals keep arriving (a kernel interrupt is a SIGINT)', async () => {
    // TensorFlow's 2-D MatMul called directly crashed the process (heap corruption) under exactly this.
    const onSignal = (): void => undefined;
    process.on('SIGUSR2', onSignal);
    const storm = spawn('sh', ['-c', `while kill -USR2 ${process.pid} 2>/dev/null; do :; done`]);
    await new Promise(resolve => setTimeout(resolve, 200)); // the storm has started
    const layers = layersOf([784, 300, 100, 10], ['relu', 'relu', 'softmax'], 120);
    const stack = createDenseStack(layers, { loss: 'categoricalCrossentropy' });
    const x = normal([128, 784], 121);
    const y = oneHot([128, 10], 122);
    const losses: number[] = [];
    try {
      for (let s = 0; s < 150; s++) losses.push(stack.step(x, y).loss[0]);
    } finally {
      storm.kill();
      process.off('SIGUSR2', onSignal);
    }
    expect(losses[149]).toBeLessThan(losses[0]); // one batch, learnt
    stack.dispose();
    tf.dispose([x, y, ...paramsOf(layers)]);
  });
});
