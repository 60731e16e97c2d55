import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfjsModelToNetwork, tfjsWeightPaths } from '../../../src/core/formats/tfjs';
import { FIXTURES, f32Bytes, forward } from './helpers';

interface KerasExpected {
  inputs: number[][];
  outputs: number[][];
  /** Every weight as the model holds it (dequantized where quantized), flat, by Keras path. */
  weights: Record<string, number[]>;
}

function keras(name: string) {
  const dir = join(FIXTURES, name);
  const text = readFileSync(join(dir, 'model.json'), 'utf8');
  const shards = new Map(tfjsWeightPaths(text).map(p => [p, new Uint8Array(readFileSync(join(dir, p)))]));
  const exp = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as KerasExpected;
  return { text, shards, exp, source: `${name}/model.json` };
}

/** A TF.js-style model.json around a list of Sequential layer configs and float32 weights. */
function sequentialJson(
  layers: unknown[],
  weights: { name: string; shape: number[]; dtype?: string; quantization?: unknown }[]
) {
  return JSON.stringify({
    format: 'layers-model',
    modelTopology: { class_name: 'Sequential', config: { name: 's', layers } },
    weightsManifest: [{ paths: ['w.bin'], weights: weights.map(w => ({ dtype: 'float32', ...w })) }]
  });
}

const dense = (name: string, units: number, extra: Record<string, unknown> = {}) => ({
  class_name: 'Dense',
  config: { name, units, activation: 'linear', use_bias: true, ...extra }
});

describe('tfjsModelToNetwork on Keras models (tensorflowjs layout)', () => {
  it('Sequential with Dropout and a trailing Activation: weights exact, outputs equal Keras predictions', () => {
    const { text, shards, exp, source } = keras('keras_sequential');
    expect(tfjsWeightPaths(text)).toEqual(['group1-shard1of2.bin', 'group1-shard2of2.bin']);
    const net = tfjsModelToNetwork(text, shards, { source });
    expect(net.layers.map(l => [l.nIn, l.nOut, l.activation, l.bias !== undefined])).toEqual([
      [5, 6, 'relu', true],
      [6, 4, 'tanh', true],
      [4, 3, 'softmax', false]
    ]);
    expect(net.meta).toEqual({
      format: 'tfjs-layers-model',
      source,
      modelName: 'sequential',
      layerNames: ['hidden', 'hidden2', 'out']
    });
    // Kernels are nIn × nOut in Keras too: no transposition, values bit for bit (float32 → double).
    expect(Array.from(net.layers[0].weights)).toEqual(exp.weights['sequential/hidden/kernel']);
    expect(Array.from(net.layers[1].bias ?? [])).toEqual(exp.weights['sequential/hidden2/bias']);
    exp.inputs.forEach((x, n) =>
      forward(net, x).forEach((v, j) => expect(v).toBeCloseTo(exp.outputs[n][j], 6))
    );
  });

  it('quantized weights (uint8, uint16 with min/scale; float16) read back as the dequantized values', () => {
    const { text, shards, exp, source } = keras('keras_quantized');
    const net = tfjsModelToNetwork(text, shards, { source });
    const close = (a: ArrayLike<number>, b: number[]) =>
      Array.from(a).forEach((v, k) => expect(v).toBeCloseTo(b[k], 12));
    close(net.layers[0].weights, exp.weights['sequential/hidden/kernel']);
    close(net.layers[1].weights, exp.weights['sequential/hidden2/kernel']);
    expect(Array.from(net.layers[1].bias ?? [])).toEqual(exp.weights['sequential/hidden2/bias']); // float16: exact
    expect(Array.from(net.layers[2].weights)).toEqual(exp.weights['sequential/out/kernel']); // not quantized
    // uint8 quantization of the first kernel moves outputs a little, not a lot.
    exp.inputs.forEach((x, n) =>
      forward(net, x).forEach((v, j) => expect(Math.abs(v - exp.outputs[n][j])).toBeLessThan(0.02))
    );
  });

  it('a functional chain (Keras 3 inbound nodes) with a ReLU layer', () => {
    const { text, shards, exp, source } = keras('keras_functional');
    const net = tfjsModelToNetwork(text, shards, { source });
    expect(net.layers.map(l => l.activation)).toEqual(['sigmoid', 'relu', 'linear']);
    exp.inputs.forEach((x, n) =>
      forward(net, x).forEach((v, j) => expect(v).toBeCloseTo(exp.outputs[n][j], 6))
    );
  });

  it('refuses a branching functional model, naming the merge layer', () => {
    const { text, shards, source } = keras('keras_branched');
    expect(() => tfjsModelToNetwork(text, shards, { source })).toThrow(
      /^keras_branched\/model\.json: not an MLP: layer "sum" \(Add\) merges 2 inputs \(a, b\)/
    );
  });
});

describe('tfjsModelToNetwork on hand-written model.json variants', () => {
  it('TF.js-saved functional model (Keras 2 inbound nodes) and old Keras list-of-layers Sequential', () => {
    const text = JSON.stringify({
      modelTopology: {
        class_name: 'Model',
        config: {
          name: 'model1',
          layers: [
            {
              name: 'in',
              class_name: 'InputLayer',
              config: { batch_input_shape: [null, 2] },
              inbound_nodes: []
            },
            { ...dense('o', 1), name: 'o', inbound_nodes: [[['h', 0, 0, {}]]] },
            { ...dense('h', 2, { activation: 'relu' }), name: 'h', inbound_nodes: [[['in', 0, 0, {}]]] }
          ],
          input_layers: [['in', 0, 0]],
          output_layers: [['o', 0, 0]]
        }
      },
      weightsManifest: [
        {
          paths: ['a.bin'],
          weights: [
            { name: 'o/kernel', shape: [2, 1], dtype: 'float32' },
            { name: 'o/bias', shape: [1], dtype: 'float32' },
            { name: 'h/kernel', shape: [2, 2], dtype: 'float32' },
            { name: 'h/bias', shape: [2], dtype: 'float32' }
          ]
        }
      ]
    });
    const net = tfjsModelToNetwork(text, { 'a.bin': f32Bytes([5, 6, 7, 1, 2, 3, 4, 0.5, -0.5]) });
    // Chain order comes from the graph, not from the listing order.
    expect(net.meta?.layerNames).toEqual(['h', 'o']);
    expect(Array.from(net.layers[0].weights)).toEqual([1, 2, 3, 4]);
    expect(Array.from(net.layers[1].weights)).toEqual([5, 6]);
    expect(Array.from(net.layers[1].bias ?? [])).toEqual([7]);

    const old = JSON.stringify({
      modelTopology: {
        model_config: { class_name: 'Sequential', config: [dense('d', 1, { use_bias: false })] }
      },
      weightsManifest: [
        { paths: ['w.bin'], weights: [{ name: 'd/kernel:0', shape: [2, 1], dtype: 'float32' }] }
      ]
    });
    expect(
      Array.from(tfjsModelToNetwork(old, new Map([['w.bin', f32Bytes([1, 2])]])).layers[0].weights)
    ).toEqual([1, 2]);
  });

  it('skips string weights and optimizer weights it does not need', () => {
    const strings = new Uint8Array([2, 0, 0, 0, 0x68, 0x69]); // one string "hi"
    const text = sequentialJson(
      [dense('d', 1, { use_bias: false })],
      [
        { name: 'vocab', shape: [1], dtype: 'string' },
        { name: 'd/kernel', shape: [1, 1] },
        { name: 'optimizer/d/kernel/m', shape: [1, 1], dtype: 'int32' }
      ]
    );
    const bytes = new Uint8Array([...strings, ...f32Bytes([2.5]), 9, 0, 0, 0]);
    expect(Array.from(tfjsModelToNetwork(text, { 'w.bin': bytes }).layers[0].weights)).toEqual([2.5]);
  });

  it('rejects what is not an MLP or does not fit, naming the file and layer', () => {
    const conv = sequentialJson([{ class_name: 'Conv2D', config: { name: 'c' } }], []);
    expect(() => tfjsModelToNetwork(conv, { 'w.bin': new Uint8Array(0) }, { source: 'm.json' })).toThrow(
      /^m\.json: layer "c" \(Conv2D\) is not part of an MLP/
    );
    const chain = sequentialJson(
      [dense('a', 3), dense('b', 1)],
      [
        { name: 'a/kernel', shape: [2, 3] },
        { name: 'a/bias', shape: [3] },
        { name: 'b/kernel', shape: [2, 1] },
        { name: 'b/bias', shape: [1] }
      ]
    );
    expect(() =>
      tfjsModelToNetwork(chain, { 'w.bin': new Uint8Array(4 * 12) }, { source: 'm.json' })
    ).toThrow(
      /^m\.json: layer "b" \(Dense\) takes 2 inputs \(kernel \[2, 1\]\) but the Dense layer before it, "a", has 3 outputs/
    );
    expect(() =>
      tfjsModelToNetwork(chain, { 'w.bin': new Uint8Array(4 * 11) }, { source: 'm.json' })
    ).toThrow(
      /^m\.json: weight shards w\.bin hold 44 bytes, but the manifest needs more: weight "b\/bias" \[1\] ends at byte 48/
    );
    expect(() =>
      tfjsModelToNetwork(chain, { 'w.bin': new Uint8Array(4 * 13) }, { source: 'm.json' })
    ).toThrow(/hold 52 bytes, but the manifest describes 48/);
    expect(() => tfjsModelToNetwork(chain, {}, { source: 'm.json' })).toThrow(
      /^m\.json: weight shard "w\.bin" is missing/
    );
    const noBias = sequentialJson([dense('a', 1)], [{ name: 'a/kernel', shape: [1, 1] }]);
    expect(() => tfjsModelToNetwork(noBias, { 'w.bin': new Uint8Array(4) })).toThrow(
      /layer "a": no weight named "a\/bias"/
    );
    const act = sequentialJson([{ class_name: 'Activation', config: { name: 'x', activation: 'relu' } }], []);
    expect(() => tfjsModelToNetwork(act, { 'w.bin': new Uint8Array(0) })).toThrow(
      /layer "x" \(Activation\) comes before any Dense layer/
    );
    const twice = sequentialJson(
      [
        dense('a', 1, { activation: 'tanh', use_bias: false }),
        { class_name: 'Activation', config: { name: 'x', activation: 'relu' } }
      ],
      [{ name: 'a/kernel', shape: [1, 1] }]
    );
    expect(() => tfjsModelToNetwork(twice, { 'w.bin': new Uint8Array(4) })).toThrow(
      /layer "x" \(Activation\) follows layer "a", which already applies tanh/
    );
    const badQ = sequentialJson(
      [dense('a', 1, { use_bias: false })],
      [{ name: 'a/kernel', shape: [1, 1], quantization: { dtype: 'uint8' } }]
    );
    expect(() => tfjsModelToNetwork(badQ, { 'w.bin': new Uint8Array(1) })).toThrow(
      /uint8 quantization needs numbers "min" and "scale"/
    );
  });

  it('rejects graph models that are not dense chains and files that are not model.json', () => {
    expect(() =>
      tfjsModelToNetwork(
        '{"format": "graph-model", "modelTopology": {}, "weightsManifest": []}',
        {},
        { source: 'g.json' }
      )
    ).toThrow(/^g\.json: a TF\.js graph model without nodes/);
    const noDense =
      '{"format": "graph-model", "modelTopology": {"node": [{"name": "x", "op": "Placeholder"}]}, "weightsManifest": []}';
    expect(() => tfjsModelToNetwork(noDense, {}, { source: 'g.json' })).toThrow(
      /^g\.json: the TF\.js graph model has no MatMul node with a constant weight/
    );
    expect(() => tfjsModelToNetwork('{"layers": []}', {}, { source: 'n.json' })).toThrow(
      /"modelTopology" is missing/
    );
    expect(() => tfjsModelToNetwork('{oops', {}, { source: 'n.json' })).toThrow(
      /^n\.json: model\.json is not valid JSON/
    );
  });
});
