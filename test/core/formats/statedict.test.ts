import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNpz } from '../../../src/core/formats/npz';
import { parseSafetensors } from '../../../src/core/formats/safetensors';
import { naturalCompare, stateDictToNetwork } from '../../../src/core/formats/statedict';
import type { Tensor } from '../../../src/core/formats/tensor';
import { FIXTURES, expected, fixture, forward } from './helpers';

function load(file: string, layerOrder?: string[]) {
  const bytes = fixture(file);
  const tensors = file.endsWith('.npz') ? parseNpz(bytes, file) : parseSafetensors(bytes, file);
  return stateDictToNetwork(tensors, { source: file, ...(layerOrder ? { layerOrder } : {}) });
}

function t(shape: number[], values?: number[]): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    dtype: 'float64',
    shape,
    data: Float64Array.from(values ?? Array.from({ length: n }, (_, k) => k + 1))
  };
}

describe('stateDictToNetwork: PyTorch models reproduce PyTorch outputs', () => {
  for (const [file, name] of [
    ['sequential_f64.safetensors', 'sequential_f64'],
    ['sequential.npz', 'sequential_f64'],
    ['sequential_compressed.npz', 'sequential_f64'],
    ['modulelist.safetensors', 'modulelist'],
    ['fc_numbered.safetensors', 'fc_numbered'],
    ['explicit_order.safetensors', 'explicit_order'],
    ['pruned.safetensors', 'pruned'],
    ['pruned.npz', 'pruned']
  ] as const) {
    it(`${file}: forward pass equals torch's (weights transposed, layers in order)`, () => {
      const e = expected(name);
      const net = load(file, e.layerOrder);
      e.inputs.forEach((x, n) => {
        const y = forward(net, x, e.activation, e.outputActivation);
        y.forEach((v, j) => expect(v).toBeCloseTo(e.outputs[n][j], 12));
      });
    });
  }

  it('transposes out × in to nIn × nOut (weights[i * nOut + j] = W[j][i])', () => {
    const tensors = parseSafetensors(fixture('sequential_f64.safetensors'));
    const net = stateDictToNetwork(tensors);
    const w = tensors.get('0.weight') as Tensor; // [7, 5]
    expect([net.layers[0].nIn, net.layers[0].nOut]).toEqual([5, 7]);
    for (let i = 0; i < 5; i++)
      for (let j = 0; j < 7; j++) expect(net.layers[0].weights[i * 7 + j]).toBe(w.data[j * 5 + i]);
    expect(Array.from(net.layers[0].bias ?? [])).toEqual(Array.from(tensors.get('0.bias')?.data ?? []));
    expect(net.meta).toEqual({ format: 'pytorch-state-dict', layerNames: ['0', '2', '4'] });
  });

  it('orders layers naturally: layers.9 before layers.10, fc2 before fc10', () => {
    expect(load('modulelist.safetensors').meta?.layerNames).toEqual(
      Array.from({ length: 12 }, (_, k) => `layers.${k}`)
    );
    expect(load('fc_numbered.safetensors').meta?.layerNames).toEqual(['fc1', 'fc2', 'fc10']);
    expect(['net.10', 'net.2', 'net.0', 'fc10', 'fc2', 'fc1', 'a01', 'a1'].sort(naturalCompare)).toEqual([
      'a1',
      'a01',
      'fc1',
      'fc2',
      'fc10',
      'net.0',
      'net.2',
      'net.10'
    ]);
  });

  it('keeps torch.nn.utils.prune masks: weight = weight_orig * mask, mask transposed like the weights', () => {
    const masks = JSON.parse(readFileSync(join(FIXTURES, 'pruned.masks.json'), 'utf8')) as Record<
      string,
      number[][]
    >;
    for (const file of ['pruned.safetensors', 'pruned.npz']) {
      const net = load(file);
      expect(net.meta?.layerNames).toEqual(['hidden', 'out']);
      ['hidden.weight_mask', 'out.weight_mask'].forEach((name, l) => {
        const layer = net.layers[l];
        const m = masks[name]; // [out][in]
        for (let i = 0; i < layer.nIn; i++)
          for (let j = 0; j < layer.nOut; j++) {
            expect(layer.mask?.[i * layer.nOut + j]).toBe(m[j][i]);
            if (m[j][i] === 0) expect(layer.weights[i * layer.nOut + j] === 0).toBe(true); // -0 when weight_orig < 0, as in torch
          }
      });
    }
    expect(Array.from(load('pruned.safetensors').layers[0].mask ?? []).filter(v => v === 0)).toHaveLength(20); // 50 % of 8 × 5
  });

  it('records the activations it is told (a state_dict does not store them)', () => {
    const net = stateDictToNetwork(parseSafetensors(fixture('sequential_f64.safetensors')), {
      activation: 'relu',
      outputActivation: 'softmax'
    });
    expect(net.layers.map(l => l.activation)).toEqual(['relu', 'relu', 'softmax']);
    expect(load('sequential_f64.safetensors').layers.map(l => l.activation)).toEqual([
      undefined,
      undefined,
      undefined
    ]);
  });

  it('accepts a plain object, a bare nn.Linear (keys without a prefix) and a weight_mask next to a weight', () => {
    const net = stateDictToNetwork({ weight: t([2, 3]), bias: t([2]) });
    expect([net.layers[0].nIn, net.layers[0].nOut]).toEqual([3, 2]);
    expect(Array.from(net.layers[0].weights)).toEqual([1, 4, 2, 5, 3, 6]);
    const masked = stateDictToNetwork({ 'fc.weight': t([1, 2]), 'fc.mask': t([1, 2], [1, 0]) });
    expect(Array.from(masked.layers[0].weights)).toEqual([1, 2]); // kept as stored; the mask says what exists
    expect(Array.from(masked.layers[0].mask ?? [])).toEqual([1, 0]);
  });
});

describe('stateDictToNetwork: what is not an MLP is named', () => {
  it('a convolution (4-D weight)', () => {
    expect(() => load('conv.safetensors')).toThrow(
      /^conv\.safetensors: not an MLP: 0\.weight has shape \[2, 1, 3, 3\], which looks like a 2-D convolution kernel/
    );
  });

  it('BatchNorm statistics', () => {
    expect(() => load('batchnorm.safetensors')).toThrow(
      /^batchnorm\.safetensors: 1 is a BatchNorm \(1\.num_batches_tracked \[\], 1\.bias \[4\], 1\.running_mean \[4\], 1\.running_var \[4\], 1\.weight \[4\]\): pass foldNorm: true/
    );
  });

  it('a LayerNorm-like 1-D weight', () => {
    expect(() => stateDictToNetwork({ 'ln.weight': t([4]), 'ln.bias': t([4]) }, { source: 's' })).toThrow(
      /^s: not an MLP: ln\.weight has shape \[4\], which looks like a normalization layer/
    );
  });

  it('layers whose shapes do not connect, with both tensors and shapes', () => {
    expect(() =>
      stateDictToNetwork(
        { 'net.0.weight': t([32, 10]), 'net.2.weight': t([4, 16]) },
        { source: 'm.safetensors' }
      )
    ).toThrow(
      /^m\.safetensors: layers do not connect: net\.2\.weight has shape \[4, 16\] \(out × in: 16 inputs\) but the layer before it, net\.0\.weight \[32, 10\], has 32 outputs \(layer order: net\.0, net\.2\)/
    );
  });

  it('a bias or mask of the wrong shape, mask values other than 0/1, orphans', () => {
    expect(() => stateDictToNetwork({ 'a.weight': t([2, 3]), 'a.bias': t([3]) })).toThrow(
      /a\.bias has shape \[3\], expected \[2\] to go with a\.weight \[2, 3\]/
    );
    expect(() => stateDictToNetwork({ 'a.weight_orig': t([2, 3]), 'a.weight_mask': t([3, 2]) })).toThrow(
      /a\.weight_mask has shape \[3, 2\], but a\.weight_orig has \[2, 3\]/
    );
    expect(() =>
      stateDictToNetwork({ 'a.weight_orig': t([1, 2]), 'a.weight_mask': t([1, 2], [1, 0.5]) })
    ).toThrow(/a\.weight_mask holds 0\.5 at \[0, 1\]; a pruning mask holds only 0 and 1/);
    expect(() => stateDictToNetwork({ 'a.weight_orig': t([1, 2]) })).toThrow(
      /a\.weight_orig comes without its pruning mask a\.weight_mask/
    );
    expect(() => stateDictToNetwork({ 'a.weight': t([1, 2]), 'b.bias': t([2]) })).toThrow(
      /b\.bias: no b\.weight to go with it/
    );
    expect(() => stateDictToNetwork(new Map(), { source: 'empty.npz' })).toThrow(/^empty\.npz: no tensors/);
  });

  it('a layerOrder that does not match the file', () => {
    const sd = { 'a.weight': t([2, 2]), 'b.weight': t([2, 2]) };
    expect(stateDictToNetwork(sd, { layerOrder: ['b', 'a'] }).meta?.layerNames).toEqual(['b', 'a']);
    expect(() => stateDictToNetwork(sd, { layerOrder: ['a'] })).toThrow(
      /layerOrder leaves out the layer\(s\) b/
    );
    expect(() => stateDictToNetwork(sd, { layerOrder: ['a', 'b', 'c'] })).toThrow(
      /layerOrder names "c", but the file has no such layer/
    );
    expect(() => stateDictToNetwork(sd, { layerOrder: ['a', 'a', 'b'] })).toThrow(
      /layerOrder names "a" twice/
    );
  });
});
