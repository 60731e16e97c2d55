import { describe, expect, it } from 'vitest';
import { permutation } from '../../src/core/datasets/matrix';
import { trajectorySeed } from '../../src/core/datasets/moth';
import { sampleNull, sampleSeed } from '../../src/core/nulls';
import { createRng } from '../../src/core/random';
import { switchEdgeColours } from '../../src/core/switching';
import { type StreamApi, streamDigests } from './helpers/stream-digest';

// Digests taken from the code before the random helpers were merged into core/random.ts (commit e680a73):
// every seeded stream must stay bit-identical.
const BEFORE: Record<string, string> = {
  rng: '71f10db3',
  sampleSeed: '57c46c3d',
  trajectorySeed: '4a663c79',
  permutation: 'de0017aa',
  'null:random-pruning': '43007b49',
  'null:gnm': '06ea3ae1',
  'null:degree': 'aef6da81',
  'null:weight-shuffle': '6a0ace75',
  'null:sign-shuffle': 'a1a0964d',
  switching: '27978619'
};

describe('seeded random streams', () => {
  it('are bit-identical to the streams before the random helpers were merged', () => {
    const api = {
      createRng,
      sampleSeed,
      trajectorySeed,
      permutation,
      sampleNull,
      switchEdgeColours
    } as StreamApi;
    expect(streamDigests(api)).toEqual(BEFORE);
  });
});
