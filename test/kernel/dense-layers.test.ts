import { describe, expect, it } from 'vitest';
import { fromModel } from '../../src/kernel/convert';
import { denseLayers } from '../../src/kernel/dense-layers';
import { assignNetwork, initialize, modelSizes } from '../../src/kernel/init';
import { getTf } from '../../src/kernel/tf';
import { train } from '../../src/kernel/train';

const tf = getTf();

function withDropout(rate: number) {
  const m = tf.sequential({ name: `dropout-${rate}` });
  m.add(tf.layers.dense({ inputShape: [3], units: 5, activation: 'tanh' }));
  m.add(tf.layers.dropout({ rate, name: 'drop' }));
  m.add(tf.layers.dense({ units: 2 }));
  return m;
}

const data = {
  x: { rows: 4, cols: 3, data: new Float32Array(12).fill(0.5) },
  y: { rows: 4, cols: 2, data: new Float32Array(8) }
};

describe('one walk over Dense layers: every helper agrees on Dropout', () => {
  it('weights-only helpers pass over Dropout (no weights, identity at inference) and record it', () => {
    const m = withDropout(0.3);
    const walk = denseLayers(m, 'test');
    expect(walk.map(d => [d.nIn, d.nOut, d.activation])).toEqual([
      [3, 5, 'tanh'],
      [5, 2, 'linear']
    ]);
    expect(walk[0].after).toEqual([{ name: 'drop', className: 'Dropout', rate: 0.3 }]);
    expect(fromModel(m).layers.map(l => [l.nIn, l.nOut])).toEqual([
      [3, 5],
      [5, 2]
    ]);
    expect(modelSizes(m)).toEqual([3, 5, 2]);
    const net = fromModel(initialize(m, 'mothNormal', { seed: 1 }));
    assignNetwork(m, net);
    expect(Array.from(fromModel(m).layers[0].weights)).toEqual(Array.from(net.layers[0].weights));
  });

  it('training refuses an active Dropout, naming it, and trains when its rate is 0', async () => {
    await expect(train(withDropout(0.3), data, { epochs: 1, progress: false })).rejects.toThrow(
      /train: layer "drop" \(Dropout, rate 0\.3\) is active during training.*remove it \(or set its rate to 0\)/
    );
    const h = await train(withDropout(0), data, { epochs: 1, progress: false });
    expect(h.epochs).toBe(1);
  });

  it('folds a standalone Activation into a linear Dense layer and refuses a second activation', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [2], units: 3 }));
    m.add(tf.layers.activation({ activation: 'relu' }));
    m.add(tf.layers.dense({ units: 1 }));
    expect(fromModel(m).layers.map(l => l.activation)).toEqual(['relu', 'linear']);
    const twice = tf.sequential();
    twice.add(tf.layers.dense({ inputShape: [2], units: 3, activation: 'tanh' }));
    twice.add(tf.layers.activation({ activation: 'relu', name: 'act' }));
    expect(() => fromModel(twice)).toThrow(
      /fromModel: layer "act" \(Activation relu\) follows Dense layer .* has its own activation 'tanh'/
    );
  });

  it('rejects layers that are not part of an MLP, naming them', () => {
    const m = tf.sequential();
    m.add(tf.layers.dense({ inputShape: [4], units: 4 }));
    m.add(tf.layers.reshape({ targetShape: [2, 2], name: 'rs' }));
    expect(() => fromModel(m)).toThrow(/fromModel: layer "rs" \(Reshape\) is not part of an MLP/);
    expect(() => modelSizes(m)).toThrow(/modelSizes: layer "rs" \(Reshape\)/);
  });
});
