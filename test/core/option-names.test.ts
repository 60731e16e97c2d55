import { describe, expect, it } from 'vitest';
import { nullCensusSamples, sampleNull } from '../../src/core/nulls';
import { createNetwork } from '../../src/core/validate';

const net = createNetwork([
  {
    weights: [
      [1, 0, -1],
      [0, 2, 0],
      [1, 1, 0]
    ]
  },
  {
    weights: [
      [1, 0],
      [0, -1],
      [1, 1]
    ]
  }
]);

describe('null-model option names', () => {
  it('takes the null model as `null`, and still as the deprecated `model`', () => {
    const byNull = nullCensusSamples(net, { null: 'gnm', samples: 20, seed: 3 });
    const byModel = nullCensusSamples(net, { model: 'gnm', samples: 20, seed: 3 });
    const fallback = nullCensusSamples(net, { samples: 20, seed: 3 });
    expect(Array.from(byNull.values)).toEqual(Array.from(byModel.values));
    expect(Array.from(byNull.values)).not.toEqual(Array.from(fallback.values));
    expect(sampleNull(net, { null: 'gnm', seed: 1 }).meta?.null).toEqual({ model: 'gnm', seed: 1 });
    // `null` wins over the old name
    expect(sampleNull(net, { null: 'gnm', model: 'degree', seed: 1 }).meta?.null).toEqual({
      model: 'gnm',
      seed: 1
    });
  });
});
