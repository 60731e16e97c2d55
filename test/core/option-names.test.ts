import { describe, expect, it } from 'vitest';
import { nullCensusSamples, prepareNullCensus, sampleNull, type NullOptions } from '../../src/core/nulls';
import { exactSignificance, motifSignificance } from '../../src/core/significance';
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

/** Options as an untyped caller (plain JavaScript, a JSON file) may pass them. */
const loose = (o: Record<string, unknown>): NullOptions => o as NullOptions;

describe('null-model option names', () => {
  it('takes the null model as `null`', () => {
    const byNull = nullCensusSamples(net, { null: 'gnm', samples: 20, seed: 3 });
    const fallback = nullCensusSamples(net, { samples: 20, seed: 3 });
    expect(Array.from(byNull.values)).not.toEqual(Array.from(fallback.values));
    expect(sampleNull(net, { null: 'gnm', seed: 1 }).meta?.null).toEqual({ model: 'gnm', seed: 1 });
    expect(motifSignificance(net, { null: 'gnm', samples: 5 }).null.model).toBe('gnm');
  });

  it("refuses the old name `model` with an error that names 'null', wherever a null is chosen", () => {
    const calls: [string, () => unknown][] = [
      ['sampleNull', () => sampleNull(net, loose({ model: 'gnm' }))],
      ['null census', () => nullCensusSamples(net, loose({ model: 'gnm', samples: 2 }))],
      ['null census', () => prepareNullCensus(net, loose({ model: 'degree' }))],
      ['motif significance', () => motifSignificance(net, loose({ model: 'gnm', samples: 2 }))],
      ['exactSignificance', () => exactSignificance(net, loose({ null: 'gnm', model: 'gnm' }))]
    ];
    for (const [where, call] of calls) {
      expect(call).toThrow(TypeError);
      expect(call).toThrow(`${where}: there is no option 'model'; the null model is the option 'null'`);
    }
  });

  it('names the valid null models when the one given is unknown', () => {
    expect(() => sampleNull(net, loose({ null: 'erdos' }))).toThrow(
      "sampleNull: unknown null model 'erdos'; 'null' is one of random-pruning, gnm, degree, weight-shuffle, sign-shuffle"
    );
  });
});
