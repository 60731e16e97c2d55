/**
 * Magnitude pruning maths (Zahn et al. 2022), independent of any ML framework: the authors' schedule and
 * convergence rule, and the masks of layer-wise or global magnitude pruning. `kernel/prune` runs the
 * training around them on TensorFlow.js.
 */
import type { LayeredNetwork } from './network';

/** The authors' schedule: `[.15, .25, …, .85, .90, .91, …, .99]` (fractions of weights pruned per layer). */
export const AUTHORS_SCHEDULE: readonly number[] = Object.freeze([
  0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.9, 0.91, 0.92, 0.93, 0.94, 0.95, 0.96, 0.97, 0.98, 0.99
]);

/**
 * "Trained to convergence" (the authors' rule): the validation loss is recorded after every batch; after
 * `minBatches`, every `checkEvery` batches, stop when `mean(val[-2w:-w]) / mean(val[-w:]) < ratio` with
 * `w = window`, i.e. the last `window` batches improved the loss by less than `ratio − 1`.
 */
export interface ConvergenceRule {
  /** Default 1000. */
  minBatches: number;
  /** Default 100. */
  checkEvery: number;
  /** Default 500 (so the rule compares batches −1000…−500 with −500…end). */
  window: number;
  /** Default 1.01. */
  ratio: number;
  /** Hard cap per level. Default 100 000. */
  maxBatches: number;
}

/** The defaults of {@link ConvergenceRule}. */
export const AUTHORS_CONVERGENCE: Readonly<ConvergenceRule> = Object.freeze({
  minBatches: 1000,
  checkEvery: 100,
  window: 500,
  ratio: 1.01,
  maxBatches: 100_000
});

/** Number of entries pruned for a fraction `c` of `numel`; the epsilon absorbs `0.29 * 100 = 28.999…`. */
function pruneCount(c: number, numel: number): number {
  return Math.min(numel, Math.floor(c * numel + 1e-9));
}

/**
 * The N-th smallest of `values` (1-based N), or −Infinity for N = 0 (nothing to prune).
 *
 * @example
 * ```ts
 * nthSmallest(Float64Array.of(3, 1, 2), 2); // 2
 * ```
 */
export function nthSmallest(values: Float64Array, n: number): number {
  if (n <= 0) return -Infinity;
  return Float64Array.from(values).sort()[n - 1];
}

function magnitudes(w: ArrayLike<number>, mask: Uint8Array | undefined): Float64Array {
  const out = new Float64Array(w.length);
  for (let k = 0; k < w.length; k++) out[k] = mask !== undefined && mask[k] === 0 ? 0 : Math.abs(w[k]);
  return out;
}

function maskAbove(a: Float64Array, cutoff: number, old: Uint8Array | undefined): Uint8Array {
  const m = new Uint8Array(a.length);
  for (let k = 0; k < a.length; k++) m[k] = a[k] > cutoff && (old === undefined || old[k] === 1) ? 1 : 0;
  return m;
}

/** Options of {@link magnitudeMasks}. */
export interface MagnitudeMaskOptions {
  /** `layer` (default) or `global`. */
  scope?: 'layer' | 'global';
  /** Also return bias masks. Default `false`. */
  biases?: boolean;
}

/**
 * The masks of magnitude pruning at fraction `c` (the authors' rule): per layer, `a = |W ⊙ M|`,
 * `cutoff` = the N-th smallest of `a` with `N = ⌊c · numel⌋`, new mask `a > cutoff` (with `global` scope:
 * one cutoff over all layers pooled). Already pruned weights have `a = 0` and stay pruned, so masks only
 * shrink.
 *
 * Ties: every weight whose magnitude equals the cutoff is pruned, so a layer with ties at the cutoff ends
 * slightly sparser than `c` (never less sparse). Weights drawn from a continuous distribution tie with
 * negligible probability, except for exact zeros, which are pruned anyway.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(0.1, -3, 2, -0.5) }] };
 * nm.magnitudeMasks(net, 0.5).weights[0]; // Uint8Array [0, 1, 1, 0]
 * ```
 */
export function magnitudeMasks(
  net: LayeredNetwork,
  c: number,
  options: MagnitudeMaskOptions = {}
): { weights: Uint8Array[]; biases?: Uint8Array[] } {
  if (!(c >= 0 && c <= 1)) throw new RangeError(`prune: fraction must be in [0, 1], got ${c}`);
  const layerMags = net.layers.map(l => magnitudes(l.weights, l.mask));
  const biasMags = net.layers.map(l =>
    l.bias !== undefined ? Float64Array.from(l.bias, Math.abs) : new Float64Array(0)
  );
  const cutoffs = (mags: Float64Array[]): number[] => {
    if (options.scope === 'global') {
      const total = mags.reduce((s, a) => s + a.length, 0);
      const pooled = new Float64Array(total);
      let o = 0;
      for (const a of mags) {
        pooled.set(a, o);
        o += a.length;
      }
      const cut = nthSmallest(pooled, pruneCount(c, total));
      return mags.map(() => cut);
    }
    return mags.map(a => nthSmallest(a, pruneCount(c, a.length)));
  };
  const wCut = cutoffs(layerMags);
  const weights = layerMags.map((a, l) => maskAbove(a, wCut[l], net.layers[l].mask));
  if (options.biases !== true) return { weights };
  const bCut = cutoffs(biasMags);
  return { weights, biases: biasMags.map((a, l) => maskAbove(a, bCut[l], undefined)) };
}

/**
 * The authors' convergence test on the validation losses recorded so far (one per batch).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.hasConverged(new Array(1000).fill(0.1), 1000, nm.AUTHORS_CONVERGENCE); // true: ratio 1 < 1.01
 * ```
 */
export function hasConverged(val: readonly number[], batches: number, rule: ConvergenceRule): boolean {
  if (batches < rule.minBatches || batches % rule.checkEvery !== 0) return false;
  const w = rule.window;
  let older = 0;
  let recent = 0;
  for (let k = val.length - 2 * w; k < val.length - w; k++) older += val[k];
  for (let k = val.length - w; k < val.length; k++) recent += val[k];
  return older / recent < rule.ratio;
}
