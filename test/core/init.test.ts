import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { drawKernel, drawNetwork, type Init, paInit } from '../../src/core/init';
import { createRng } from '../../src/core/random';
import { paRewire } from '../../src/core/rewiring';

/**
 * SHA-256 (first 16 hex digits) of the weights that kernel/init.ts drew before the weight drawing moved
 * to core (commit e680a73): the streams must stay bit-identical, or every seeded experiment changes.
 */
const BEFORE_THE_MOVE: Record<string, string> = {
  '"glorotNormal" 5-7-4': '10f218208f1e7e0e',
  '"glorotNormal" 9-3': '65de88d1b1897066',
  '"glorotUniform" 5-7-4': '253c082ca0fd4fb3',
  '"glorotUniform" 9-3': '4ea0ae75da49ef7e',
  '"heNormal" 5-7-4': '9bc71ae2931fb1e8',
  '"heNormal" 9-3': '1d8ec7240f9e2876',
  '"heUniform" 5-7-4': '1e7a2dda1c56135e',
  '"heUniform" 9-3': 'e771f04fe06aad90',
  '"orthogonal" 5-7-4': 'd945c53bbc09d022',
  '"orthogonal" 9-3': '5d7e277d3519db43',
  '"mothNormal" 5-7-4': 'dc3f66c460105f10',
  '"mothNormal" 9-3': 'f4d3e2685cda95d8',
  '{"kind":"normal","mean":0.1,"sd":0.5} 5-7-4': '06181fb0185735fb',
  '{"kind":"normal","mean":0.1,"sd":0.5} 9-3': 'fd629a1bc4613b31',
  '{"kind":"uniform","limit":0.3} 5-7-4': '8adf39967d36a93e',
  '{"kind":"uniform","limit":0.3} 9-3': 'e3251530439d4c4f',
  '{"kind":"orthogonal","gain":2} 5-7-4': '41a061596570f84c',
  '{"kind":"orthogonal","gain":2} 9-3': 'f9f175f9f981afe3',
  'pa heNormal 6-8-5': '2552afee34c6e38c'
};

const INITS: readonly Init[] = [
  'glorotNormal',
  'glorotUniform',
  'heNormal',
  'heUniform',
  'orthogonal',
  'mothNormal',
  { kind: 'normal', mean: 0.1, sd: 0.5 },
  { kind: 'uniform', limit: 0.3 },
  { kind: 'orthogonal', gain: 2 }
];

function digest(net: { layers: readonly { weights: Float64Array }[] }): string {
  const h = createHash('sha256');
  for (const l of net.layers)
    h.update(new Uint8Array(l.weights.buffer, l.weights.byteOffset, l.weights.byteLength));
  return h.digest('hex').slice(0, 16);
}

describe('core/init: weight drawing without TensorFlow', () => {
  it('draws bit for bit what the kernel drew before (every initialization, two shapes, PA)', () => {
    const now: Record<string, string> = {};
    for (const init of INITS) {
      for (const sizes of [
        [5, 7, 4],
        [9, 3]
      ])
        now[`${JSON.stringify(init)} ${sizes.join('-')}`] = digest(drawNetwork(sizes, init, 3));
    }
    now['pa heNormal 6-8-5'] = digest(drawNetwork([6, 8, 5], paInit('heNormal'), 11));
    expect(now).toEqual(BEFORE_THE_MOVE);
  });

  it('draws one stream, layers in order, float32-rounded, and PA as paRewire of the base draw', () => {
    const rng = createRng(4);
    const first = drawKernel(5, 7, 'heUniform', rng);
    const second = drawKernel(7, 2, 'heUniform', rng);
    const net = drawNetwork([5, 7, 2], 'heUniform', 4);
    expect(Array.from(net.layers[0].weights)).toEqual(Array.from(Float32Array.from(first)));
    expect(Array.from(net.layers[1].weights)).toEqual(Array.from(Float32Array.from(second)));
    expect(drawNetwork([5, 7, 2], paInit('heUniform'), 4)).toEqual(paRewire(net, { seed: 4 }));
  });
});
