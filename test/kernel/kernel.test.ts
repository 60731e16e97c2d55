import { describe, expect, it, vi } from 'vitest';
import { fromModel } from '../../src/kernel/convert';
import { displayBundle, figureBundle } from '../../src/kernel/display';
import { mlp } from '../../src/kernel/models';
import { getTf, tfBackend } from '../../src/kernel/tf';
import { nodeStrengthFigure } from '../../src/figures/strength';
import { FIGURE_MIME } from '../../src/figures/spec';

describe('tfjs loading', () => {
  it('reports which backend runs and why the native one is missing', () => {
    const info = tfBackend();
    expect(typeof info.backend).toBe('string');
    if (!info.native) expect(info.reason).toBeTruthy();
    else expect(info.backend).toBe('tensorflow');
  });
});

describe('mlp + fromModel', () => {
  it('reads kernels and biases in nIn × nOut layout, exactly as TF.js holds them', () => {
    const tf = getTf();
    const model = mlp([3, 5, 2], { activation: 'tanh', init: 'glorotNormal', seed: 7 });
    // Give the biases non-zero values so that their layout is checked too.
    const dense = model.layers[0];
    const [k] = dense.getWeights();
    dense.setWeights([k, tf.tensor1d([1, 2, 3, 4, 5])]);
    const net = fromModel(model);
    expect(net.layers.map(l => [l.nIn, l.nOut, l.activation])).toEqual([
      [3, 5, 'tanh'],
      [5, 2, 'linear']
    ]);
    const kernel = k.arraySync() as number[][];
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 5; j++) expect(net.layers[0].weights[i * 5 + j]).toBeCloseTo(kernel[i][j], 7);
    expect(Array.from(net.layers[0].bias ?? [])).toEqual([1, 2, 3, 4, 5]);
    // Forward pass through the converted weights equals the model's prediction.
    const x = [0.3, -0.7, 1.1];
    let h = x;
    for (const layer of net.layers) {
      const out = new Array<number>(layer.nOut).fill(0);
      for (let j = 0; j < layer.nOut; j++) {
        let z = layer.bias?.[j] ?? 0;
        for (let i = 0; i < layer.nIn; i++) z += h[i] * layer.weights[i * layer.nOut + j];
        out[j] = layer.activation === 'tanh' ? Math.tanh(z) : z;
      }
      h = out;
    }
    const y = (model.predict(tf.tensor2d([x])) as ReturnType<typeof tf.tensor2d>).arraySync()[0];
    y.forEach((v, j) => expect(v).toBeCloseTo(h[j], 5));
  });

  it('seeds the initialization', () => {
    const a = fromModel(mlp([4, 6, 2], { seed: 3 }));
    const b = fromModel(mlp([4, 6, 2], { seed: 3 }));
    const c = fromModel(mlp([4, 6, 2], { seed: 4 }));
    expect(Array.from(a.layers[0].weights)).toEqual(Array.from(b.layers[0].weights));
    expect(Array.from(a.layers[0].weights)).not.toEqual(Array.from(c.layers[0].weights));
  });

  it('rejects what is not an MLP, naming the layer', () => {
    const tf = getTf();
    const model = tf.sequential();
    model.add(tf.layers.conv1d({ filters: 2, kernelSize: 2, inputShape: [5, 1], name: 'my_conv' }));
    expect(() => fromModel(model)).toThrow(/"my_conv" \(Conv1D\) is not part of an MLP/);
  });

  it('rejects absurd sizes with a message naming the layer', () => {
    expect(() => mlp([4])).toThrow(/at least an input and an output/);
    expect(() => mlp([4, 0, 2])).toThrow(/layer 1 size/);
    expect(() => mlp([4, 2.5])).toThrow(/layer 1 size/);
  });
});

describe('display', () => {
  it('prints text/plain outside a tslab kernel and keeps the figure bundle complete', () => {
    const spec = nodeStrengthFigure([new Float64Array([1, 2]), new Float64Array([3])]);
    const bundle = figureBundle(spec);
    expect(bundle[FIGURE_MIME]).toBe(spec);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const handle = displayBundle(bundle);
    handle.update(bundle);
    expect(log).toHaveBeenCalledTimes(2);
    expect(String(log.mock.calls[0][0])).toContain('Node strength per layer');
    log.mockRestore();
  });

  it('refuses bundles without text/plain', () => {
    expect(() => displayBundle({ [FIGURE_MIME]: {} })).toThrow(/text\/plain/);
  });
});
