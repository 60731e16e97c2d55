import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import {
  MAX_LAYER_WEIGHTS,
  MAX_TOTAL_WEIGHTS,
  NetworkError,
  createNetwork,
  validateNetwork,
  type LayerInput
} from '../../src/core/validate';
import { arbNetwork, randomNetwork } from './helpers/random-network';

/** Runs `fn`, expects a NetworkError and returns it. */
function networkError(fn: () => unknown): NetworkError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(NetworkError);
    return err as NetworkError;
  }
  throw new Error('expected a NetworkError, nothing was thrown');
}

/** The layer as plain nested arrays, the way a user would type it. */
function toInput(layer: Layer): LayerInput {
  const rows = (flat: ArrayLike<number>): number[][] =>
    Array.from({ length: layer.nIn }, (_, i) =>
      Array.from({ length: layer.nOut }, (_, j) => flat[i * layer.nOut + j])
    );
  const input: LayerInput = { weights: rows(layer.weights) };
  if (layer.bias) input.bias = Array.from(layer.bias);
  if (layer.mask) input.mask = rows(layer.mask);
  if (layer.activation !== undefined) input.activation = layer.activation;
  return input;
}

describe('NetworkError', () => {
  it('names the source, the layer and the problem', () => {
    const err = new NetworkError('bias has 3 values, expected 4', { source: 'net.json', layer: 2 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('NetworkError');
    expect(err.message).toBe('net.json, layer 2: bias has 3 values, expected 4');
    expect(err.source).toBe('net.json');
    expect(err.layer).toBe(2);
    expect(err.problem).toBe('bias has 3 values, expected 4');
  });

  it('leaves out what is unknown', () => {
    expect(new NetworkError('no layers').message).toBe('no layers');
    expect(new NetworkError('no layers', { source: 'a.json' }).message).toBe('a.json: no layers');
    expect(new NetworkError('empty', { layer: 0 }).message).toBe('layer 0: empty');
    expect(new NetworkError('empty', { layer: 0 }).source).toBeUndefined();
  });
});

describe('createNetwork', () => {
  it('copies nested [n_in][n_out] arrays into row-major typed arrays', () => {
    const weights = [
      [0.5, -1, 0],
      [2, 0, 3]
    ];
    const net = createNetwork(
      [
        { weights, bias: [0.1, 0, -0.1], mask: [1, 1, 0, 1, 0, 1], activation: 'relu' },
        { weights: { nIn: 3, nOut: 1, data: [1, -1, 4] } }
      ],
      { meta: { name: 'tiny' } }
    );
    const [l0, l1] = net.layers;
    expect(l0.nIn).toBe(2);
    expect(l0.nOut).toBe(3);
    expect(l0.weights).toEqual(new Float64Array([0.5, -1, 0, 2, 0, 3]));
    expect(l0.bias).toEqual(new Float64Array([0.1, 0, -0.1]));
    expect(l0.mask).toEqual(new Uint8Array([1, 1, 0, 1, 0, 1]));
    expect(l0.activation).toBe('relu');
    expect(l1.weights).toEqual(new Float64Array([1, -1, 4]));
    expect(l1.bias).toBeUndefined();
    expect(l1.mask).toBeUndefined();
    expect(net.meta).toEqual({ name: 'tiny' });
    // A copy: later edits of the input do not reach the network.
    weights[0][0] = 99;
    expect(l0.weights[0]).toBe(0.5);
  });

  it('accepts a nested mask', () => {
    const net = createNetwork([{ weights: [[1, 2]], mask: [[0, 1]] }]);
    expect(net.layers[0].mask).toEqual(new Uint8Array([0, 1]));
  });

  it('rebuilds every random network exactly from its plain arrays', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        const rebuilt = createNetwork(net.layers.map(toInput));
        expect(rebuilt.layers).toEqual(net.layers);
      })
    );
  });

  it('rejects an empty list of layers', () => {
    const err = networkError(() => createNetwork([], { source: 'x.json' }));
    expect(err.message).toBe('x.json: the network has no layers');
    expect(err.layer).toBeUndefined();
  });

  it('rejects empty layers', () => {
    expect(networkError(() => createNetwork([{ weights: [] }])).problem).toMatch(
      /empty layer.*0 source neurons/
    );
    const noColumns = networkError(() => createNetwork([{ weights: [[1]] }, { weights: [[]] }]));
    expect(noColumns.layer).toBe(1);
    expect(noColumns.problem).toMatch(/empty layer.*0 target neurons/);
    expect(networkError(() => createNetwork([{ weights: { nIn: 0, nOut: 3, data: [] } }])).problem).toMatch(
      /empty layer: nIn/
    );
  });

  it('rejects ragged rows, naming the row', () => {
    const err = networkError(() =>
      createNetwork([{ weights: [[1]] }, { weights: [[1, 2], [3]] }], { source: 'r.json' })
    );
    expect(err.message).toBe('r.json, layer 1: weights row 1 has 1 entries but row 0 has 2 (ragged rows)');
  });

  it('rejects consecutive layers that do not fit', () => {
    const err = networkError(() =>
      createNetwork([
        { weights: { nIn: 2, nOut: 3, data: [1, 2, 3, 4, 5, 6] } },
        { weights: { nIn: 2, nOut: 1, data: [1, 2] } }
      ])
    );
    expect(err.layer).toBe(1);
    expect(err.problem).toMatch(/2 source neurons.*layer 0 has 3 target neurons/);
  });

  it('rejects wrong lengths of flat weights, bias and mask', () => {
    expect(
      networkError(() => createNetwork([{ weights: { nIn: 2, nOut: 2, data: [1, 2, 3] } }])).problem
    ).toBe('weights data has 3 values, expected nIn × nOut = 2 × 2 = 4');
    expect(networkError(() => createNetwork([{ weights: [[1, 2]], bias: [1] }])).problem).toBe(
      'bias has 1 values, expected 2 (one per target neuron)'
    );
    expect(networkError(() => createNetwork([{ weights: [[1, 2]], mask: [1, 1, 1] }])).problem).toMatch(
      /mask has 3 values, expected nIn × nOut = 2/
    );
    expect(networkError(() => createNetwork([{ weights: [[1, 2]], mask: [[1]] }])).problem).toMatch(
      /mask row 0 has 1 entries, expected 2/
    );
  });

  it('rejects non-numbers, saying where', () => {
    const bad = [[1, 'x' as unknown as number]];
    const err = networkError(() => createNetwork([{ weights: bad }]));
    expect(err.problem).toBe('weights row 0, column 1 is the string "x", not a number');
    expect(
      networkError(() => createNetwork([{ weights: [[1]], bias: [null as unknown as number] }])).problem
    ).toBe('bias entry 0 is null, not a number');
  });

  it('rejects NaN and infinities with layer, row and column', () => {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const err = networkError(() =>
        createNetwork(
          [
            { weights: [[1, 2]] },
            {
              weights: [
                [1, 2],
                [3, bad]
              ]
            }
          ],
          { source: 'n.json' }
        )
      );
      expect(err.message).toBe(
        `n.json, layer 1: weight from source neuron 1 to target neuron 1 (row 1, column 1) is ${bad}`
      );
    }
    expect(networkError(() => createNetwork([{ weights: [[1, 2]], bias: [0, NaN] }])).problem).toBe(
      'bias of target neuron 1 is NaN'
    );
  });

  it('rejects mask values other than 0 and 1', () => {
    for (const bad of [0.5, 2, -1, NaN]) {
      const err = networkError(() => createNetwork([{ weights: [[1, 2]], mask: [[1, bad]] }]));
      expect(err.problem).toBe(`mask row 0, column 1 is ${bad}; a mask holds only 0 and 1`);
    }
  });

  it('rejects absurd sizes before allocating, stating the size and the limit', () => {
    const huge = networkError(() =>
      createNetwork([{ weights: { nIn: 2 ** 15, nOut: 2 ** 13 + 1, data: [] } }])
    );
    expect(huge.layer).toBe(0);
    expect(huge.problem).toContain(`${2 ** 15 * (2 ** 13 + 1)} weights`);
    expect(huge.problem).toContain(`2^28 = ${MAX_LAYER_WEIGHTS}`);
    const layers: LayerInput[] = Array.from({ length: 5 }, () => ({
      weights: { nIn: 2 ** 14, nOut: 2 ** 14, data: [] }
    }));
    const total = networkError(() => createNetwork(layers));
    expect(total.layer).toBeUndefined();
    expect(total.problem).toBe(
      `the network has ${5 * 2 ** 28} weights in total, more than the limit of 2^30 = ${MAX_TOTAL_WEIGHTS}`
    );
  });
});

describe('validateNetwork', () => {
  it('accepts every generated network', () => {
    const rng = createRng(1);
    for (let t = 0; t < 200; t++) expect(() => validateNetwork(randomNetwork(rng))).not.toThrow();
    fc.assert(fc.property(arbNetwork(), net => validateNetwork(net)));
  });

  it('finds a poisoned weight wherever it is', () => {
    fc.assert(
      fc.property(
        arbNetwork(),
        fc.nat(),
        fc.nat(),
        fc.constantFrom(NaN, Infinity, -Infinity),
        (net, a, b, bad) => {
          const l = a % net.layers.length;
          const layer = net.layers[l];
          const k = b % layer.weights.length;
          const weights = Float64Array.from(layer.weights);
          weights[k] = bad;
          const layers = net.layers.map((x, m) => (m === l ? { ...x, weights } : x));
          const err = networkError(() => validateNetwork({ layers }, 'p.json'));
          expect(err.source).toBe('p.json');
          expect(err.layer).toBe(l);
          const i = Math.floor(k / layer.nOut);
          const j = k % layer.nOut;
          expect(err.problem).toBe(
            `weight from source neuron ${i} to target neuron ${j} (row ${i}, column ${j}) is ${bad}`
          );
        }
      )
    );
  });

  it('rejects hand-made layers with wrong array lengths or types', () => {
    const ok: Layer = { nIn: 2, nOut: 2, weights: new Float64Array(4) };
    const check = (layer: Partial<Layer> & Record<string, unknown>): string =>
      networkError(() => validateNetwork({ layers: [ok, layer as unknown as Layer] })).problem;
    expect(check({ nIn: 2, nOut: 2, weights: new Float64Array(3) })).toBe(
      'weights has 3 values, expected nIn × nOut = 2 × 2 = 4'
    );
    expect(check({ nIn: 2, nOut: 2, weights: [0, 0, 0, 0] as unknown as Float64Array })).toBe(
      'weights must be a Float64Array'
    );
    expect(check({ nIn: 2, nOut: 2, weights: new Float64Array(4), bias: new Float64Array(3) })).toMatch(
      /bias has 3 values, expected 2/
    );
    expect(check({ nIn: 2, nOut: 2, weights: new Float64Array(4), mask: new Uint8Array([1, 0, 2, 1]) })).toBe(
      'mask row 1, column 0 is 2; a mask holds only 0 and 1'
    );
    expect(check({ nIn: 2.5, nOut: 2, weights: new Float64Array(5) })).toMatch(/nIn.*whole number/);
    expect(check({ nIn: 2, nOut: 0, weights: new Float64Array(0) })).toBe(
      'empty layer: nOut (target neurons) is 0'
    );
  });

  it('rejects a network without layers and mismatched neighbours', () => {
    expect(networkError(() => validateNetwork({ layers: [] }, 'e.json')).message).toBe(
      'e.json: the network has no layers'
    );
    const net: LayeredNetwork = {
      layers: [
        { nIn: 1, nOut: 2, weights: new Float64Array(2) },
        { nIn: 3, nOut: 1, weights: new Float64Array(3) }
      ]
    };
    expect(networkError(() => validateNetwork(net)).layer).toBe(1);
  });

  it('checks the total size before anything else', () => {
    const layers = Array.from({ length: 5 }, () => ({
      nIn: 2 ** 14,
      nOut: 2 ** 14,
      weights: new Float64Array(0)
    }));
    expect(networkError(() => validateNetwork({ layers })).problem).toMatch(
      /in total, more than the limit of 2\^30/
    );
  });
});
