/**
 * Properties of layer choice and BatchNorm folding in stateDictToNetwork, on random state_dicts:
 * a folded network computes exactly what "linear layer, then BatchNorm (eval mode)" computes, written out
 * here by hand; choosing layers gives the network of just those tensors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stateDictToNetwork } from '../../../src/core/formats/statedict';
import type { Tensor } from '../../../src/core/formats/tensor';
import { forward } from './helpers';

const t = (shape: number[], data: number[]): Tensor => ({
  dtype: 'float64',
  shape,
  data: Float64Array.from(data)
});
const value = fc.double({ min: -2, max: 2, noNaN: true });
const positive = fc.double({ min: 0.05, max: 3, noNaN: true });

/** A random Linear(nIn, nOut) → BatchNorm1d(nOut) → Linear(nOut, 2) state_dict, with an input vector. */
const model = fc
  .record({ nIn: fc.integer({ min: 1, max: 5 }), nOut: fc.integer({ min: 1, max: 5 }) })
  .chain(({ nIn, nOut }) =>
    fc.record({
      nIn: fc.constant(nIn),
      nOut: fc.constant(nOut),
      w: fc.array(value, { minLength: nIn * nOut, maxLength: nIn * nOut }),
      b: fc.array(value, { minLength: nOut, maxLength: nOut }),
      gamma: fc.array(value, { minLength: nOut, maxLength: nOut }),
      beta: fc.array(value, { minLength: nOut, maxLength: nOut }),
      mean: fc.array(value, { minLength: nOut, maxLength: nOut }),
      variance: fc.array(positive, { minLength: nOut, maxLength: nOut }),
      w2: fc.array(value, { minLength: 2 * nOut, maxLength: 2 * nOut }),
      x: fc.array(value, { minLength: nIn, maxLength: nIn })
    })
  );

describe('foldNorm', () => {
  it('the folded layer equals the linear layer followed by the BatchNorm (eval mode)', () => {
    fc.assert(
      fc.property(model, m => {
        const tensors = {
          '0.weight': t([m.nOut, m.nIn], m.w),
          '0.bias': t([m.nOut], m.b),
          '1.weight': t([m.nOut], m.gamma),
          '1.bias': t([m.nOut], m.beta),
          '1.running_mean': t([m.nOut], m.mean),
          '1.running_var': t([m.nOut], m.variance),
          '1.num_batches_tracked': t([], [7]),
          '2.weight': t([2, m.nOut], m.w2)
        };
        const net = stateDictToNetwork(tensors, { foldNorm: true });
        expect(net.layers.map(l => [l.nIn, l.nOut])).toEqual([
          [m.nIn, m.nOut],
          [m.nOut, 2]
        ]);
        // By hand: z = W x + b, then (z - mean) / sqrt(var + 1e-5) * gamma + beta, then W2.
        const z = Array.from({ length: m.nOut }, (_, o) => {
          let s = m.b[o];
          for (let i = 0; i < m.nIn; i++) s += m.w[o * m.nIn + i] * m.x[i];
          return ((s - m.mean[o]) / Math.sqrt(m.variance[o] + 1e-5)) * m.gamma[o] + m.beta[o];
        });
        const y = [0, 1].map(k => z.reduce((s, v, o) => s + m.w2[k * m.nOut + o] * v, 0));
        const got = forward(net, m.x, 'linear', 'linear');
        got.forEach((v, k) => expect(v).toBeCloseTo(y[k], 9));
      })
    );
  });

  it('without foldNorm a BatchNorm is an error naming it; with layers it is skipped and listed', () => {
    fc.assert(
      fc.property(model, m => {
        const tensors = {
          '0.weight': t([m.nOut, m.nIn], m.w),
          '1.weight': t([m.nOut], m.gamma),
          '1.bias': t([m.nOut], m.beta),
          '1.running_mean': t([m.nOut], m.mean),
          '1.running_var': t([m.nOut], m.variance),
          '2.weight': t([2, m.nOut], m.w2)
        };
        expect(() => stateDictToNetwork(tensors, { source: 's' })).toThrow(/^s: 1 is a BatchNorm/);
        const chosen = stateDictToNetwork(tensors, { layers: ['0', '2'] });
        const plain = stateDictToNetwork({
          '0.weight': tensors['0.weight'],
          '2.weight': tensors['2.weight']
        });
        expect(chosen.layers.map(l => Array.from(l.weights))).toEqual(
          plain.layers.map(l => Array.from(l.weights))
        );
        expect(chosen.meta?.skipped).toEqual([
          '1: BatchNorm: folded into the linear layer before it with foldNorm, else left out'
        ]);
      })
    );
  });
});
