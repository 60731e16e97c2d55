/**
 * Small descriptive statistics shared by the metrics, on any `ArrayLike<number>`.
 *
 * Conventions follow NumPy, because the reference analyses (CNT, motif Z-scores) were written with it:
 * `variance`/`sd` take the delta degrees of freedom explicitly (NumPy's `ddof`), `quantile` interpolates
 * linearly between order statistics (NumPy's default `method='linear'`), and `histogram` uses equal-width
 * bins whose last bin is closed (NumPy's `histogram`).
 */

/**
 * Arithmetic mean; `NaN` for an empty sample.
 *
 * @example
 * ```ts
 * mean([1, 2, 3, 6]); // 3
 * ```
 */
export function mean(x: ArrayLike<number>): number {
  const n = x.length;
  if (n === 0) return NaN;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s / n;
}

/**
 * Variance `Σ (x_i − mean)² / (n − ddof)` (two-pass, so a large mean costs no precision).
 *
 * `ddof = 0` is the population variance (NumPy's default for `np.var`), `ddof = 1` the unbiased sample
 * variance. `NaN` when `n − ddof ≤ 0`, as NumPy.
 *
 * @param ddof - delta degrees of freedom, required so every caller states which variance it means.
 * @example
 * ```ts
 * variance([1, 2, 3, 6], 0); // 3.5
 * variance([1, 2, 3, 6], 1); // 4.666…
 * ```
 */
export function variance(x: ArrayLike<number>, ddof: number): number {
  const n = x.length;
  if (n - ddof <= 0) return NaN;
  const m = mean(x);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i] - m;
    ss += d * d;
  }
  return ss / (n - ddof);
}

/**
 * Standard deviation, the square root of {@link variance} with the same `ddof`.
 *
 * @example
 * ```ts
 * sd([2, 4, 4, 4, 5, 5, 7, 9], 0); // 2
 * ```
 */
export function sd(x: ArrayLike<number>, ddof: number): number {
  return Math.sqrt(variance(x, ddof));
}

/**
 * Quantiles of a sample by linear interpolation between order statistics (NumPy's default): with the
 * sample sorted, `h = (n − 1)·q`, the quantile is `x[⌊h⌋] + (h − ⌊h⌋)·(x[⌊h⌋+1] − x[⌊h⌋])`.
 * Sorts once for all `qs`. `NaN` entries for an empty sample.
 *
 * @param qs - probabilities in [0, 1].
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.quantiles([4, 1, 3, 2], [0, 0.5, 0.9]); // [1, 2.5, 3.7]
 * ```
 */
export function quantiles(x: ArrayLike<number>, qs: readonly number[]): number[] {
  for (const q of qs) {
    if (!(q >= 0 && q <= 1)) throw new RangeError(`quantiles: probabilities must lie in [0, 1], got ${q}`);
  }
  const n = x.length;
  if (n === 0) return qs.map(() => NaN);
  const sorted = Float64Array.from(x).sort();
  return qs.map(q => {
    const h = (n - 1) * q;
    const lo = Math.floor(h);
    const hi = Math.min(lo + 1, n - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  });
}

/**
 * One quantile; see {@link quantiles}.
 *
 * @example
 * ```ts
 * quantile([1, 2, 3, 4], 0.25); // 1.75
 * ```
 */
export function quantile(x: ArrayLike<number>, q: number): number {
  return quantiles(x, [q])[0];
}

/** Counts per bin and the `bins + 1` bin edges. */
export interface Histogram {
  edges: Float64Array;
  counts: Int32Array;
}

/** Options of {@link histogram}. */
export interface HistogramOptions {
  /** Number of equal-width bins (default 10, as NumPy). */
  bins?: number;
  /** `[lo, hi]` of the bins; default the sample's min and max (±0.5 when they are equal, as NumPy). */
  range?: readonly [number, number];
}

/**
 * Histogram with equal-width bins: bin `k` holds `edges[k] ≤ x < edges[k+1]`, the last bin also holds
 * `x = edges[bins]` (NumPy's `np.histogram`). Values outside `range` are not counted.
 *
 * @example
 * ```ts
 * const h = histogram([0, 0.5, 1, 1, 3], { bins: 3 });
 * h.edges;  // [0, 1, 2, 3]
 * h.counts; // [2, 2, 1]
 * ```
 */
export function histogram(x: ArrayLike<number>, options: HistogramOptions = {}): Histogram {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`histogram: bins must be a positive integer, got ${bins}`);
  let lo: number;
  let hi: number;
  if (options.range !== undefined) {
    [lo, hi] = options.range;
    if (!(Number.isFinite(lo) && Number.isFinite(hi) && lo <= hi)) {
      throw new RangeError(`histogram: range must be finite with lo ≤ hi, got [${lo}, ${hi}]`);
    }
  } else if (x.length === 0) {
    [lo, hi] = [0, 1];
  } else {
    lo = Infinity;
    hi = -Infinity;
    for (let i = 0; i < x.length; i++) {
      if (x[i] < lo) lo = x[i];
      if (x[i] > hi) hi = x[i];
    }
  }
  if (lo === hi) {
    lo -= 0.5;
    hi += 0.5;
  }
  const edges = new Float64Array(bins + 1);
  const width = (hi - lo) / bins;
  for (let k = 0; k <= bins; k++) edges[k] = lo + k * width;
  edges[bins] = hi;
  const counts = new Int32Array(bins);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v >= lo && v <= hi)) continue;
    let k = Math.min(Math.floor((v - lo) / width), bins - 1);
    // Rounding in (v − lo)/width can land one bin off; the edges are the truth.
    if (v < edges[k]) k--;
    else if (k < bins - 1 && v >= edges[k + 1]) k++;
    counts[k]++;
  }
  return { edges, counts };
}

/** What {@link meanInterval} returns. */
export interface MeanInterval {
  readonly mean: number;
  /** Sample standard deviation (ddof 1). */
  readonly sd: number;
  /** Number of finite values used. */
  readonly n: number;
  /** `z·sd/√n`. */
  readonly halfWidth: number;
  readonly lo: number;
  readonly hi: number;
}

/**
 * Mean with a normal-approximation confidence interval `mean ± z·sd/√n` (sd with ddof 1) of the finite
 * values of a sample (`NaN` and ±∞ are left out).
 *
 * @param z - default 1.96 (95 %).
 * @throws RangeError for fewer than two finite values.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.meanInterval([1, 2, 3]); // { mean: 2, sd: 1, n: 3, halfWidth: 1.96/√3, lo: …, hi: … }
 * ```
 */
export function meanInterval(values: ArrayLike<number>, z = 1.96): MeanInterval {
  const v = Array.from(values).filter(x => Number.isFinite(x));
  const n = v.length;
  if (n < 2) throw new RangeError(`meanInterval: need at least 2 finite values, got ${n}`);
  const m = mean(v);
  const s = sd(v, 1);
  const halfWidth = (z * s) / Math.sqrt(n);
  return { mean: m, sd: s, n, halfWidth, lo: m - halfWidth, hi: m + halfWidth };
}

/** A count compared with the counts of random networks: see {@link compareWithNull}. */
export interface NullComparison {
  /** Mean of the null counts (`NaN` without any). */
  readonly mean: number;
  /** Sample standard deviation (ddof 1) of the null counts (`NaN` with fewer than two). */
  readonly sd: number;
  /** {@link zScore} of the count. */
  readonly z: number;
  /** {@link empiricalPValue} of the count. */
  readonly p: number;
}

/**
 * The Z-score of a count against a null distribution: `(count − mean) / sd`. When the null never varies
 * (`sd = 0`) or its spread is unknown (`NaN`), Z is undefined and this returns `NaN` (`null` in JSON):
 * neither 0 nor ±∞ would be a number one can compare with other Z-scores. The p-value
 * ({@link empiricalPValue}) still tells a count the null reproduces (p = 1) from one it never reaches.
 *
 * @example
 * ```ts
 * zScore(12, 10, 2); // 1
 * zScore(12, 10, 0); // NaN
 * ```
 */
export function zScore(count: number, mean: number, sd: number): number {
  return sd > 0 ? (count - mean) / sd : NaN;
}

/**
 * Empirical two-sided p-value of a count against null counts, equal-tailed with the +1 correction:
 * `p = min(1, 2 · min(1 + #{null ≥ count}, 1 + #{null ≤ count}) / (samples + 1))`. It makes no symmetry
 * assumption (motif counts are skewed), is never 0, and is 1 for a count the null reproduces exactly.
 * `NaN` without null counts.
 *
 * @example
 * ```ts
 * empiricalPValue(5, [0, 1, 2, 3]); // 2 · 1 / 5 = 0.4
 * ```
 */
export function empiricalPValue(count: number, nullCounts: ArrayLike<number>): number {
  const s = nullCounts.length;
  if (s === 0) return NaN;
  let above = 0;
  let below = 0;
  for (let i = 0; i < s; i++) {
    const c = nullCounts[i];
    if (c >= count) above++;
    if (c <= count) below++;
  }
  return Math.min(1, (2 * Math.min(1 + above, 1 + below)) / (s + 1));
}

/**
 * Mean, sample sd (ddof 1), {@link zScore} and {@link empiricalPValue} of a count against null counts:
 * the one rule every significance test of the project uses (motif census and coloured subgraphs).
 *
 * @example
 * ```ts
 * compareWithNull(6, [1, 2, 3, 6]); // { mean: 3, sd: √(14/3), z: 1.39, p: 0.8 }
 * ```
 */
export function compareWithNull(count: number, nullCounts: ArrayLike<number>): NullComparison {
  const mu = mean(nullCounts);
  const sigma = sd(nullCounts, 1);
  return { mean: mu, sd: sigma, z: zScore(count, mu, sigma), p: empiricalPValue(count, nullCounts) };
}
