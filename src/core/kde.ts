/**
 * Gaussian kernel density estimates and the symmetric Kullback–Leibler divergence between two samples,
 * which the CNT analyses (La Malfa et al.) use to compare metric distributions across groups of networks
 * (e.g. high- versus low-accuracy runs).
 *
 * The estimator follows `scipy.stats.gaussian_kde` in one dimension: kernel standard deviation =
 * `factor · sd(sample, ddof 1)` with Scott's factor `n^(−1/5)` by default.
 */
import { sd } from './stats';

/** Options of {@link gaussianKde}. */
export interface GaussianKdeOptions {
  /**
   * `'scott'` (default, factor `n^(−1/5)`), `'silverman'` (factor `(3n/4)^(−1/5)`) or a positive number used
   * as the factor itself, like scipy's scalar `bw_method`. The kernel sd is the factor times the sample sd.
   */
  bandwidth?: 'scott' | 'silverman' | number;
}

/** A fitted Gaussian KDE. */
export interface GaussianKde {
  /** A copy of the sample. */
  readonly sample: Float64Array;
  /** The bandwidth factor (scipy's `kde.factor`). */
  readonly factor: number;
  /** Standard deviation of every Gaussian kernel: `factor · sd(sample, ddof 1)`. */
  readonly bandwidth: number;
  /** Density at `x`: `(1/n) Σ_i φ((x − x_i)/h) / h`. */
  density(x: number): number;
  /** Density at every point (O(n·m) for n sample values and m points). */
  evaluate(points: ArrayLike<number>): Float64Array;
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Fits a Gaussian kernel density estimate to a sample (as `scipy.stats.gaussian_kde`, 1-D).
 *
 * @param sample - at least two finite values, not all equal.
 * @param options - `bandwidth` (default `'scott'`).
 * @throws RangeError for fewer than two values, non-finite values, zero spread or a bad bandwidth.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const kde = nm.gaussianKde([0, 1, 1.5, 3]);
 * kde.bandwidth;   // 4^(-1/5) · sd([0, 1, 1.5, 3], ddof 1)
 * kde.density(1);  // ≈ 0.2685
 * ```
 */
export function gaussianKde(sample: ArrayLike<number>, options: GaussianKdeOptions = {}): GaussianKde {
  const x = Float64Array.from(sample);
  const n = x.length;
  if (n < 2) throw new RangeError(`gaussianKde: need at least 2 sample values, got ${n}`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) throw new RangeError(`gaussianKde: sample value ${i} is ${x[i]}`);
  }
  const spread = sd(x, 1);
  if (!(spread > 0))
    throw new RangeError(
      'gaussianKde: the sample has standard deviation 0 (all values equal, or differences too small to square ' +
        'in doubles); the bandwidth would be 0'
    );
  const method = options.bandwidth ?? 'scott';
  let factor: number;
  if (method === 'scott') factor = n ** -0.2;
  else if (method === 'silverman') factor = ((n * 3) / 4) ** -0.2;
  else if (typeof method === 'number' && method > 0 && Number.isFinite(method)) factor = method;
  else
    throw new RangeError(
      `gaussianKde: bandwidth must be 'scott', 'silverman' or a positive number, got ${method}`
    );
  const h = factor * spread;
  const norm = INV_SQRT_2PI / (n * h);
  const density = (at: number): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      const z = (at - x[i]) / h;
      s += Math.exp(-0.5 * z * z);
    }
    return s * norm;
  };
  return {
    sample: x,
    factor,
    bandwidth: h,
    density,
    evaluate(points: ArrayLike<number>): Float64Array {
      const out = new Float64Array(points.length);
      for (let k = 0; k < points.length; k++) out[k] = density(points[k]);
      return out;
    }
  };
}

/** Options of {@link symmetricKL}. */
export interface SymmetricKLOptions {
  /** Number of grid points (default 1000, as the CNT code). */
  gridSize?: number;
  /** Bandwidth rule of both KDEs (default `'scott'`). */
  bandwidth?: GaussianKdeOptions['bandwidth'];
  /** Added to every grid probability before renormalising, so no log 0 (default 1e-10). */
  epsilon?: number;
}

/**
 * Symmetric Kullback–Leibler divergence `KL(p‖q) + KL(q‖p)` (natural log, nats) between the Gaussian KDEs
 * of two samples, on a common grid.
 *
 * The grid has `gridSize` equally spaced points from `min − 3h` to `max + 3h`, where min and max are taken
 * over both samples and `h` is the larger of the two kernel bandwidths. Each density is evaluated on the
 * grid and normalised to a probability vector; then `epsilon` is added to every entry and the vector is
 * renormalised, so a density that underflows to 0 where the other does not gives a large but finite
 * divergence instead of `Infinity` (for overlapping densities the effect is of order `gridSize·epsilon`).
 * A kernel much narrower than the grid spacing can vanish on every grid point: that is an error (raise
 * `gridSize`), not a silent `NaN`.
 *
 * @param options - `gridSize` (default 1000), `bandwidth` (default `'scott'`), `epsilon` (default 1e-10).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.symmetricKL([0, 1, 2, 3], [0, 1, 2, 3]);       // 0
 * nm.symmetricKL([0, 1, 2, 3], [1, 2, 3, 4]) > 0;   // true
 * ```
 */
export function symmetricKL(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  options: SymmetricKLOptions = {}
): number {
  const gridSize = options.gridSize ?? 1000;
  const epsilon = options.epsilon ?? 1e-10;
  if (!Number.isInteger(gridSize) || gridSize < 2) {
    throw new RangeError(`symmetricKL: gridSize must be an integer ≥ 2, got ${gridSize}`);
  }
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) {
    throw new RangeError(`symmetricKL: epsilon must be a finite number ≥ 0, got ${epsilon}`);
  }
  const ka = gaussianKde(a, { bandwidth: options.bandwidth });
  const kb = gaussianKde(b, { bandwidth: options.bandwidth });
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of [ka.sample, kb.sample]) {
    for (const v of s) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const pad = 3 * Math.max(ka.bandwidth, kb.bandwidth);
  lo -= pad;
  hi += pad;
  const grid = new Float64Array(gridSize);
  const step = (hi - lo) / (gridSize - 1);
  for (let k = 0; k < gridSize; k++) grid[k] = lo + k * step;
  grid[gridSize - 1] = hi;
  const p = toProbabilities(ka.evaluate(grid), epsilon, 'a', ka.bandwidth, step);
  const q = toProbabilities(kb.evaluate(grid), epsilon, 'b', kb.bandwidth, step);
  return klDivergence(p, q) + klDivergence(q, p);
}

/**
 * {@link symmetricKL} between every pair of samples (e.g. the node strengths of the networks of each
 * accuracy bin): a symmetric matrix with zeros on the diagonal. A pair where either sample has fewer than
 * two values or no spread (where `symmetricKL` throws a `RangeError`) gets `NaN`.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.pairwiseSymmetricKL([[0, 1, 2], [0, 1, 2], [5, 6, 8]]); // [[0, 0, big], [0, 0, big], [big, big, 0]]
 * ```
 */
export function pairwiseSymmetricKL(
  samples: readonly ArrayLike<number>[],
  options: SymmetricKLOptions = {}
): number[][] {
  const k = samples.length;
  const m = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let a = 0; a < k; a++) {
    for (let b = a + 1; b < k; b++) {
      let d = NaN;
      try {
        d = symmetricKL(samples[a], samples[b], options);
      } catch (e) {
        if (!(e instanceof RangeError)) throw e;
      }
      m[a][b] = d;
      m[b][a] = d;
    }
  }
  return m;
}

function toProbabilities(
  density: Float64Array,
  epsilon: number,
  which: string,
  h: number,
  step: number
): Float64Array {
  let total = 0;
  for (const d of density) total += d;
  if (!(total > 0)) {
    throw new RangeError(
      `symmetricKL: the KDE of sample ${which} (bandwidth ${h}) vanishes on every grid point (spacing ${step}); ` +
        'raise gridSize'
    );
  }
  const out = new Float64Array(density.length);
  const renorm = 1 + density.length * epsilon;
  for (let k = 0; k < density.length; k++) out[k] = (density[k] / total + epsilon) / renorm;
  return out;
}

function klDivergence(p: Float64Array, q: Float64Array): number {
  let s = 0;
  for (let k = 0; k < p.length; k++) if (p[k] > 0) s += p[k] * Math.log(p[k] / q[k]);
  return s;
}
