/**
 * A digest of every seeded random stream of `core` (the generator, the per-sample and per-trajectory seed
 * mixers, permutations, every null model's samples, colour switching), so a refactor of the random helpers
 * can be checked to leave every seeded result bit-identical.
 */
import type { LayeredNetwork } from '../../../src/core/network';
import type { Rng } from '../../../src/core/random';

/**
 * The functions digested, passed in so the same digest can be taken of another build. `sampleNull` takes
 * the null model as `null`; for a build before the rename (e680a73, where the option was `model`) pass
 * `(net, o) => sampleNull(net, { ...o, model: o.null })`.
 */
export interface StreamApi {
  createRng(seed: number): Rng;
  sampleSeed(seed: number, index: number): number;
  trajectorySeed(seed: number, i: number): number;
  permutation(n: number, seed: number): Int32Array;
  sampleNull(
    net: LayeredNetwork,
    options: { null: string; seed: number; biasNode?: boolean }
  ): LayeredNetwork;
  switchEdgeColours(
    shapes: readonly { nIn: number; nOut: number }[],
    colours: readonly Int8Array[],
    options: { swapsPerEdge?: number; seed?: number }
  ): { colours: Int8Array[] };
}

/** FNV-1a over 32-bit words; doubles are hashed through their bits. */
class Digest {
  private h = 0x811c9dc5;
  private readonly f = new Float64Array(1);
  private readonly u = new Uint32Array(this.f.buffer);
  word(x: number): void {
    for (let k = 0; k < 4; k++) {
      this.h ^= (x >>> (8 * k)) & 0xff;
      this.h = Math.imul(this.h, 0x01000193) >>> 0;
    }
  }
  num(x: number): void {
    this.f[0] = x;
    this.word(this.u[0]);
    this.word(this.u[1]);
  }
  all(xs: ArrayLike<number>): void {
    this.word(xs.length);
    for (let i = 0; i < xs.length; i++) this.num(xs[i]);
  }
  get value(): string {
    return this.h.toString(16).padStart(8, '0');
  }
}

function network(api: StreamApi, sizes: number[], density: number, seed: number): LayeredNetwork {
  const rng = api.createRng(seed);
  return {
    layers: sizes.slice(0, -1).map((nIn, l) => {
      const nOut = sizes[l + 1];
      const weights = Float64Array.from({ length: nIn * nOut }, () =>
        rng.next() < density ? rng.normal() : 0
      );
      const bias = Float64Array.from({ length: nOut }, () => (rng.next() < 0.7 ? rng.normal() : 0));
      return { nIn, nOut, weights, bias };
    })
  };
}

/** Digest per stream family. */
export function streamDigests(api: StreamApi): Record<string, string> {
  const out: Record<string, string> = {};
  let d = new Digest();
  for (const seed of [0, 1, 42, -7, 2 ** 40 + 3, 0.5]) {
    const rng = api.createRng(seed);
    for (let i = 0; i < 50; i++) d.num(rng.uint32());
    for (let i = 0; i < 50; i++) d.num(rng.next());
    for (const n of [1, 2, 3, 7, 1000, 2 ** 31 + 5, 2 ** 32]) for (let i = 0; i < 10; i++) d.num(rng.int(n));
    for (let i = 0; i < 51; i++) d.num(rng.normal());
  }
  out.rng = d.value;
  d = new Digest();
  for (const seed of [0, 1, 99, 2 ** 33 + 1])
    for (const i of [0, 1, 5, 999, 2 ** 32 + 2]) d.num(api.sampleSeed(seed, i));
  out.sampleSeed = d.value;
  d = new Digest();
  for (const seed of [0, 3, 2 ** 35]) for (const i of [0, 1, 77]) d.num(api.trajectorySeed(seed, i));
  out.trajectorySeed = d.value;
  d = new Digest();
  for (const [n, seed] of [
    [1, 0],
    [10, 1],
    [257, 9]
  ])
    d.all(api.permutation(n, seed));
  out.permutation = d.value;
  const nets = [
    network(api, [6, 9, 8, 4], 0.3, 1),
    network(api, [5, 7, 3], 0.85, 2),
    network(api, [12, 10, 6], 0.08, 3),
    network(api, [4, 5, 3], 1, 4)
  ];
  for (const model of ['random-pruning', 'gnm', 'degree', 'weight-shuffle', 'sign-shuffle']) {
    d = new Digest();
    for (const net of nets) {
      for (const biasNode of [false, true]) {
        for (const seed of [0, 5]) {
          const s = api.sampleNull(net, { null: model, seed, biasNode });
          for (const layer of s.layers) {
            d.all(layer.weights);
            d.all(layer.mask ?? []);
            d.all(layer.bias ?? []);
          }
        }
      }
    }
    out[`null:${model}`] = d.value;
  }
  d = new Digest();
  for (const net of nets) {
    const colours = net.layers.map(l => Int8Array.from(l.weights, w => (w > 0 ? 1 : w < 0 ? -1 : 0)));
    for (const seed of [0, 3])
      for (const c of api.switchEdgeColours(net.layers, colours, { seed }).colours) d.all(c);
  }
  out.switching = d.value;
  return out;
}
