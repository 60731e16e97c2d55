/**
 * Seeded pseudo-random numbers for every stochastic algorithm in `core`.
 *
 * The generator is xoshiro128** (Blackman & Vigna) seeded through splitmix32, so a seed gives the same
 * stream in the kernel, in the browser and in worker threads. 32-bit integer arithmetic only.
 */

/** A seeded random stream. All methods advance the same state. */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform integer in [0, n). `n` must be a positive integer ≤ 2^32. */
  int(n: number): number;
  /** Standard normal deviate (Marsaglia polar method). */
  normal(): number;
  /** The raw 32-bit unsigned output. */
  uint32(): number;
}

/**
 * The murmur3 finaliser: a bijection on 32-bit integers that mixes every input bit into every output bit.
 * The one hash mixer of the project (seeding, per-sample and per-trajectory seeds).
 *
 * @example
 * ```ts
 * mix32(1) !== mix32(2); // true, and the same values everywhere
 * ```
 */
export function mix32(x: number): number {
  let z = x >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    return mix32(s);
  };
}

/**
 * Creates a seeded random stream.
 *
 * @param seed - any finite number; non-integers and negative values are folded to 32 bits.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const rng = nm.createRng(42);
 * const u = rng.next(); // same value for seed 42 everywhere
 * ```
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) {
    throw new RangeError(`createRng: seed must be a finite number, got ${seed}`);
  }
  return new Xoshiro128(seed);
}

/**
 * xoshiro128** as a class: every stream shares the prototype's methods. (A stream of closures made new
 * `int`/`uint32` functions per stream, and code optimised for one sample's stream deoptimised on the next
 * sample's with "wrong call target": each null sample paid for re-optimisation.)
 */
class Xoshiro128 implements Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    const init = splitmix32(Math.floor(seed) ^ Math.floor(seed / 2 ** 32));
    // every state word held as an int32 (one field representation; the bit operations do not care)
    this.a = init() | 0;
    this.b = init() | 0;
    this.c = init() | 0;
    this.d = init() | 0;
    if ((this.a | this.b | this.c | this.d) === 0) this.a = 1;
  }

  /** The four state words to `to[at … at + 4)`: see {@link saveRngState}. */
  saveState(to: Int32Array, at: number): void {
    to[at] = this.a;
    to[at + 1] = this.b;
    to[at + 2] = this.c;
    to[at + 3] = this.d;
  }

  /** The four state words from `from[at … at + 4)`: see {@link loadRngState}. */
  loadState(from: Int32Array, at: number): void {
    this.a = from[at];
    this.b = from[at + 1];
    this.c = from[at + 2];
    this.d = from[at + 3];
  }

  uint32(): number {
    const b = this.b;
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    const c = this.c ^ this.a;
    const d = this.d ^ b;
    const b2 = b ^ c;
    this.a ^= d;
    this.c = c ^ t;
    this.b = b2;
    this.d = rotl(d, 11) | 0;
    return result;
  }

  next(): number {
    return this.uint32() / 4294967296;
  }

  int(n: number): number {
    if (!(n >= 1 && n <= 4294967296 && Math.floor(n) === n)) {
      throw new RangeError(`Rng.int: n must be an integer in [1, 2^32], got ${n}`);
    }
    // Rejection above the largest multiple of n below 2^32, so every value is equally likely. No `%` on
    // doubles (a slow library call): for integers x < 2^32 and n ≥ 1, Math.floor(x / n) is exact (the
    // rounding error of x / n is below 2^-21 / n, less than the 1 / n from a non-integer quotient to the
    // next integer), so floor(2^32 / n) · n = 2^32 − 2^32 mod n and x − floor(x / n) · n = x mod n.
    const limit = Math.floor(4294967296 / n) * n;
    let x = this.uint32();
    while (x >= limit) x = this.uint32();
    return x - Math.floor(x / n) * n;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const m = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * m;
    this.hasSpare = true;
    return u * m;
  }
}

function xoshiro(rng: Rng, where: string): Xoshiro128 {
  if (!(rng instanceof Xoshiro128)) throw new TypeError(`${where}: the stream must come from createRng`);
  return rng;
}

/**
 * Internal, for WebAssembly kernels that continue a stream (`null-kernels.wat`, which ports xoshiro128** and
 * `int` exactly): writes the four 32-bit state words of `rng` to `to[at … at + 4)`. The kernel draws from
 * them and writes them back; {@link loadRngState} then continues the stream in JavaScript where the kernel
 * left it. (The Gaussian spare of `normal` stays in the stream object.)
 *
 * @throws TypeError when `rng` was not made by {@link createRng}.
 */
export function saveRngState(rng: Rng, to: Int32Array, at: number): void {
  xoshiro(rng, 'saveRngState').saveState(to, at);
}

/**
 * Internal: sets the state of `rng` to the four words at `from[at … at + 4)` (see {@link saveRngState}).
 *
 * @throws TypeError when `rng` was not made by {@link createRng}.
 */
export function loadRngState(rng: Rng, from: Int32Array, at: number): void {
  xoshiro(rng, 'loadRngState').loadState(from, at);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** A writable array of numbers: a plain array or any typed array. */
export interface MutableNumbers {
  readonly length: number;
  [index: number]: number;
}

/**
 * Shuffles `a[from … to)` in place, uniformly (Fisher–Yates from the end: position k swaps with a uniform
 * j ≤ k). The one shuffle of the project: null models, permutations of data sets.
 *
 * @param a - the array (any typed array or number array).
 * @param rng - the random stream.
 * @param from - first position shuffled, default 0.
 * @param to - one past the last position shuffled, default `a.length`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const a = Int32Array.of(0, 1, 2, 3, 4);
 * shuffle(a, nm.createRng(1)); // a permutation of 0 … 4, the same for seed 1 everywhere
 * ```
 */
export function shuffle(a: MutableNumbers, rng: Rng, from = 0, to = a.length): void {
  for (let k = to - 1; k > from; k--) {
    const j = from + rng.int(k - from + 1);
    const v = a[k];
    a[k] = a[j];
    a[j] = v;
  }
}
