/**
 * Motif significance: how far the real motif counts lie from a null model's.
 *
 * - **Z-score** `Z = (N_real − mean(N_null)) / sd(N_null)` with the sample standard deviation (ddof 1), as
 *   the authors. When the null never varies (`sd = 0`, e.g. `edges`, which every null keeps, or fewer
 *   than 2 samples) Z is undefined and reported as `NaN` (`null` in JSON).
 * - **p-value**: empirical, two-sided and equal-tailed with the +1 correction,
 *   `p = min(1, 2 · min(1 + #{N_i ≥ N_real}, 1 + #{N_i ≤ N_real}) / (samples + 1))`, so p is never 0 and
 *   a count the null reproduces exactly has p = 1. Both rules are `compareWithNull` in `stats.ts`, shared
 *   with the coloured-subgraph significance.
 * - **Exact G(n, m)**: with `null: 'gnm', exact: true` no network is sampled: the null mean and sd are the
 *   exact moments of `gnm-moments.ts` and Z uses them; there is no empirical p-value (`NaN`).
 * - **Significance profile** (Milo et al. 2004): `SP_i = Z_i / sqrt(Σ_j Z_j²)` over the nine motifs with a
 *   finite Z (the others get `NaN`); with a signed census the `motif:pattern` keys get their own profile,
 *   normalised over all pattern keys with a finite Z.
 */

import { type ChainConvention, type CensusOptions, censusKeys, countMotifGraph, MOTIF_NAMES } from './census';
import { motifGraph } from './live';
import { type LayeredNetwork } from './network';
import { gnmMomentsOfGraph } from './motifs/gnm-moments';
import { type NullCensusOptions, type NullModel, nullModelOption, prepareNullCensus } from './nulls';
import { compareWithNull, zScore } from './stats';

/** Options of {@link motifSignificance}. */
export interface SignificanceOptions extends CensusOptions {
  /** Null model, default `'random-pruning'`. */
  readonly null?: NullModel;
  /** Number of null samples, default 1000. */
  readonly samples?: number;
  /** Seed of the null samples, default 0. */
  readonly seed?: number;
  /** Curveball rounds for the `'degree'` null, default 20. */
  readonly rounds?: number;
  /**
   * With `null: 'gnm'`: take the null mean and sd from the exact G(n, m) moments instead of sampling
   * (`samples` is then ignored and reported as 0; p-values are `NaN`). Default `false`.
   */
  readonly exact?: boolean;
  /** Called after every chunk of samples with the number done and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A number per census key (`censusKeys(signed)`). */
export type KeyedCounts = Record<string, number>;

/** Result of {@link motifSignificance}. */
export interface MotifSignificance {
  /** Real counts. */
  readonly counts: KeyedCounts;
  /** The null model, its sample count and seed, and the mean and sd of every count over the samples. */
  readonly null: {
    readonly model: NullModel;
    readonly samples: number;
    readonly seed: number;
    readonly mean: KeyedCounts;
    readonly sd: KeyedCounts;
  };
  /** Z-score per key (`NaN` where sd = 0). */
  readonly z: KeyedCounts;
  /** Empirical two-sided p-value per key (`NaN` with exact moments). */
  readonly p: KeyedCounts;
  /** Significance profile per key. */
  readonly significanceProfile: KeyedCounts;
  readonly chain: ChainConvention;
  readonly biasNode: boolean;
  readonly pruneDeadGhost: boolean;
  readonly signed: boolean;
}

/** The run a set of null samples came from, for {@link significanceFromSamples}. */
export interface NullRunInfo {
  readonly model: NullModel;
  readonly seed: number;
  readonly chain: ChainConvention;
  readonly biasNode: boolean;
  readonly pruneDeadGhost: boolean;
  readonly signed: boolean;
}

/**
 * Below this many sampled edges (samples × live edges) a null run stays on one thread: starting a worker
 * (a Node worker thread in the kernel, a Web Worker in the Inspector) costs more than such a run takes.
 */
export const MIN_PARALLEL_WORK = 2_000_000;

/**
 * The null run that `options` ask for, with its defaults filled in and checked: the model, seed and census
 * options every sample uses, and the number of samples. Shared by the single-threaded and the worker paths.
 *
 * @example
 * ```ts
 * nullRunOf({ samples: 100 }).info.model; // 'random-pruning'
 * ```
 */
export function nullRunOf(options: SignificanceOptions): { info: NullRunInfo; samples: number } {
  const model = nullModelOption(options, 'motif significance');
  const samples = options.samples ?? 1000;
  if (!Number.isInteger(samples) || samples < 0) {
    throw new RangeError(`samples must be a non-negative integer, got ${samples}`);
  }
  const info: NullRunInfo = {
    model,
    seed: options.seed ?? 0,
    chain: options.chain ?? 'paths',
    biasNode: options.biasNode ?? false,
    pruneDeadGhost: options.pruneDeadGhost ?? true,
    signed: options.signed ?? false
  };
  return { info, samples };
}

/**
 * The options of a null census (`prepareNullCensus`, `prepareNullCensusOfGraph`) that draw the samples of
 * the run `info` describes: `info.model` becomes the option `null`.
 *
 * @example
 * ```ts
 * nullCensusOptionsOf(nullRunOf({ null: 'gnm' }).info, 20).null; // 'gnm'
 * ```
 */
export function nullCensusOptionsOf(
  info: NullRunInfo,
  rounds: number
): Omit<NullCensusOptions, 'samples' | 'start'> & { readonly null: NullModel } {
  const { model, seed, chain, biasNode, pruneDeadGhost, signed } = info;
  return { null: model, seed, chain, biasNode, pruneDeadGhost, signed, rounds };
}

/**
 * Tests the motif counts of a network against a null model.
 *
 * @param net - the network.
 * @param options - `null` (`'random-pruning'`), `samples` (1000), `seed` (0), `chain` (`'paths'`),
 *   `biasNode` (`false`), `pruneDeadGhost` (`true`), `signed` (`false`), `rounds` (20), `onProgress`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const weights = Float64Array.from({ length: 36 }, (_, k) => (k % 5 === 0 ? 1 : 0));
 * const r = nm.motifSignificance({ layers: [{ nIn: 6, nOut: 6, weights }] }, { samples: 200, seed: 1 });
 * r.z.biFan; // Z of the bi-fan count against the authors' random-pruning null
 * ```
 */
export function motifSignificance(net: LayeredNetwork, options: SignificanceOptions = {}): MotifSignificance {
  if (options.exact === true) return exactSignificance(net, options);
  const { info, samples } = nullRunOf(options);
  const run = prepareNullCensus(net, nullCensusOptionsOf(info, options.rounds ?? 20));
  const K = run.keys.length;
  const values = new Float64Array(samples * K);
  const chunk = Math.max(1, Math.min(50, samples));
  for (let start = 0; start < samples; start += chunk) {
    const n = Math.min(chunk, samples - start);
    values.set(run.count(start, n).values, start * K);
    options.onProgress?.(start + n, samples);
  }
  return significanceFromSamples(net, values, info);
}

/**
 * Significance from null counts drawn elsewhere (e.g. worker threads): `samples` holds one row of
 * `censusKeys(info.signed).length` counts per null sample.
 *
 * @param net - the real network (its census is taken here with the options of `info`).
 * @param samples - null counts, row-major.
 * @param info - the null run the samples came from.
 * @param realCounts - the real network's census with the options of `info` ({@link realCensus}), when
 *   already counted (e.g. while worker threads drew the samples).
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 3, nOut: 3, weights: Float64Array.of(1, 1, 0, 1, 1, 0, 0, 0, 1) }] };
 * const { values } = prepareNullCensus(net, { seed: 2 }).count(0, 100);
 * const info = { model: 'random-pruning', seed: 2, chain: 'paths', biasNode: false, pruneDeadGhost: true, signed: false } as const;
 * significanceFromSamples(net, values, info).z.biFan;
 * ```
 */
export function significanceFromSamples(
  net: LayeredNetwork,
  samples: Float64Array,
  info: NullRunInfo,
  realCounts?: Float64Array
): MotifSignificance {
  const keys = censusKeys(info.signed);
  const K = keys.length;
  if (samples.length % K !== 0)
    throw new RangeError(`samples length ${samples.length} is not a multiple of ${K}`);
  const S = samples.length / K;
  const real = realCounts ?? realCensus(net, info);
  const mean = new Float64Array(K);
  const sd = new Float64Array(K);
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  const column = new Float64Array(S);
  for (let k = 0; k < K; k++) {
    for (let i = 0; i < S; i++) column[i] = samples[i * K + k];
    const c = compareWithNull(real[k], column);
    mean[k] = c.mean;
    sd[k] = c.sd;
    z[k] = c.z;
    p[k] = c.p;
  }
  return assemble(keys, real, mean, sd, z, p, { ...info, samples: S });
}

function assemble(
  keys: string[],
  real: Float64Array,
  mean: Float64Array,
  sd: Float64Array,
  z: Float64Array,
  p: Float64Array,
  info: NullRunInfo & { samples: number }
): MotifSignificance {
  const K = keys.length;
  const sp = new Float64Array(K).fill(NaN);
  const profile = (from: number, to: number): void => {
    let norm = 0;
    for (let k = from; k < to; k++) if (Number.isFinite(z[k])) norm += z[k] * z[k];
    norm = Math.sqrt(norm);
    for (let k = from; k < to; k++) if (Number.isFinite(z[k]) && norm > 0) sp[k] = z[k] / norm;
  };
  profile(0, MOTIF_NAMES.length);
  if (info.signed) profile(MOTIF_NAMES.length, K);
  const keyed = (a: Float64Array): KeyedCounts => Object.fromEntries(keys.map((key, k) => [key, a[k]]));
  return {
    counts: keyed(real),
    null: { model: info.model, samples: info.samples, seed: info.seed, mean: keyed(mean), sd: keyed(sd) },
    z: keyed(z),
    p: keyed(p),
    significanceProfile: keyed(sp),
    chain: info.chain,
    biasNode: info.biasNode,
    pruneDeadGhost: info.pruneDeadGhost,
    signed: info.signed
  };
}

/**
 * {@link motifSignificance} against the exact moments of the `'gnm'` null (no sampling): Z from the exact
 * mean and sd, `NaN` where the count never varies (or, for the `pairs`-convention `toChain`, where its
 * pruned variance sum would exceed 2·10⁸ terms: see `gnm-moments.ts`); p-values `NaN`. Unsigned census only.
 *
 * @param net - the network.
 * @param options - `null` (must be `'gnm'`), `chain` (`'paths'`), `biasNode` (`false`), `pruneDeadGhost` (`true`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const weights = Float64Array.from({ length: 36 }, (_, k) => (k % 5 === 0 ? 1 : 0));
 * const r = nm.exactSignificance({ layers: [{ nIn: 6, nOut: 6, weights }] }, { null: 'gnm' });
 * r.z.biFan; // Z of the bi-fan count from the exact G(n, m) mean and variance
 * ```
 */
export function exactSignificance(net: LayeredNetwork, options: SignificanceOptions = {}): MotifSignificance {
  const model = nullModelOption(options, 'exactSignificance');
  if (model !== 'gnm') {
    throw new RangeError(
      `exact: true needs null: 'gnm' (exact moments exist only for G(n, m)), got null: '${model}'`
    );
  }
  if (options.signed === true)
    throw new RangeError('exact: true counts the unsigned census only; drop signed: true');
  const { info } = nullRunOf({ ...options, samples: 0 });
  const g = motifGraph(net, info);
  const keys = censusKeys(false);
  const K = keys.length;
  const real = new Float64Array(K);
  countMotifGraph(g, { chain: info.chain, signed: false }, real);
  const moments = gnmMomentsOfGraph(g, info.chain);
  const mean = Float64Array.from(MOTIF_NAMES, name => moments.mean[name]);
  const sd = Float64Array.from(MOTIF_NAMES, name => Math.sqrt(moments.variance[name]));
  const z = Float64Array.from(real, (x, k) => zScore(x, mean[k], sd[k]));
  const p = new Float64Array(K).fill(NaN);
  return assemble(keys, real, mean, sd, z, p, { ...info, samples: 0 });
}

/**
 * The census vector of the real network with the options of a null run (keys `censusKeys(info.signed)`).
 *
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 0, 1) }] };
 * const info = nullRunOf({}).info;
 * realCensus(net, info)[0]; // 3 edges
 * ```
 */
export function realCensus(net: LayeredNetwork, info: NullRunInfo): Float64Array {
  const real = new Float64Array(censusKeys(info.signed).length);
  countMotifGraph(motifGraph(net, info), { chain: info.chain, signed: info.signed }, real);
  return real;
}
