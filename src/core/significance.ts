/**
 * Motif significance: how far the real motif counts lie from a null model's.
 *
 * - **Z-score** `Z = (N_real − mean(N_null)) / sd(N_null)` with the sample standard deviation (ddof 1), as
 *   the authors. When the null never varies (`sd = 0`, e.g. `edges`, which every null keeps, or fewer
 *   than 2 samples) Z is undefined and reported as `NaN` (`null` in JSON).
 * - **p-value**: empirical and two-sided with the +1 correction,
 *   `p = (1 + #{i : |N_i − mean| ≥ |N_real − mean|}) / (samples + 1)`, so p is never 0 and a count the null
 *   reproduces exactly has p = 1.
 * - **Significance profile** (Milo et al. 2004): `SP_i = Z_i / sqrt(Σ_j Z_j²)` over the nine motifs with a
 *   finite Z (the others get `NaN`); with a signed census the `motif:pattern` keys get their own profile,
 *   normalised over all pattern keys with a finite Z.
 */

import { type ChainConvention, type CensusOptions, censusKeys, countMotifGraph, MOTIF_NAMES } from './census';
import { motifGraph } from './live';
import { type LayeredNetwork } from './network';
import { type NullModel, NULL_MODELS, prepareNullCensus } from './nulls';

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
  /** Empirical two-sided p-value per key. */
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
 * The null run that `options` ask for, with its defaults filled in and checked: the model, seed and census
 * options every sample uses, and the number of samples. Shared by the single-threaded and the worker paths.
 *
 * @example
 * ```ts
 * nullRunOf({ samples: 100 }).info.model; // 'random-pruning'
 * ```
 */
export function nullRunOf(options: SignificanceOptions): { info: NullRunInfo; samples: number } {
  const model = options.null ?? 'random-pruning';
  if (!NULL_MODELS.includes(model)) throw new RangeError(`unknown null model '${String(model)}'`);
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
  const { info, samples } = nullRunOf(options);
  const model = info.model;
  const run = prepareNullCensus(net, { ...info, model, rounds: options.rounds ?? 20 });
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
  info: NullRunInfo
): MotifSignificance {
  const keys = censusKeys(info.signed);
  const K = keys.length;
  if (samples.length % K !== 0)
    throw new RangeError(`samples length ${samples.length} is not a multiple of ${K}`);
  const S = samples.length / K;
  const real = new Float64Array(K);
  countMotifGraph(motifGraph(net, info), { chain: info.chain, signed: info.signed }, real);
  const mean = new Float64Array(K);
  const sd = new Float64Array(K);
  const z = new Float64Array(K);
  const p = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    let s = 0;
    for (let i = 0; i < S; i++) s += samples[i * K + k];
    const mu = S > 0 ? s / S : NaN;
    let ss = 0;
    for (let i = 0; i < S; i++) ss += (samples[i * K + k] - mu) ** 2;
    const sigma = S > 1 ? Math.sqrt(ss / (S - 1)) : NaN;
    mean[k] = mu;
    sd[k] = sigma;
    z[k] = sigma > 0 ? (real[k] - mu) / sigma : NaN;
    const dev = Math.abs(real[k] - mu);
    // counts are integers and the mean a float: compare deviations with a relative tolerance
    const tol = 1e-9 * Math.max(1, dev);
    let extreme = 0;
    for (let i = 0; i < S; i++) if (Math.abs(samples[i * K + k] - mu) >= dev - tol) extreme++;
    p[k] = (1 + extreme) / (S + 1);
  }
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
    null: { model: info.model, samples: S, seed: info.seed, mean: keyed(mean), sd: keyed(sd) },
    z: keyed(z),
    p: keyed(p),
    significanceProfile: keyed(sp),
    chain: info.chain,
    biasNode: info.biasNode,
    pruneDeadGhost: info.pruneDeadGhost,
    signed: info.signed
  };
}
