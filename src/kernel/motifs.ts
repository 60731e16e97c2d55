/**
 * Motif census with Z-scores from a notebook: null samples drawn on worker threads, a progress bar that
 * updates in place, and the figures to show the result.
 */
import type { LayeredNetwork } from '../core/network';
import { nullModelOption } from '../core/nulls';
import { type MotifSignificance, motifSignificance } from '../core/significance';
import { displayBundle, type DisplayHandle } from './display';
import { motifSignificanceParallel, type ParallelSignificanceOptions } from './parallel';

/** Options of {@link motifs}. */
export interface MotifsOptions extends ParallelSignificanceOptions {
  /** Show a progress bar in the notebook (or a line on stderr outside it). Default `true`. */
  readonly progress?: boolean;
}

/** Minimum time between two progress updates, so a fast census does not flood the notebook. */
const PROGRESS_INTERVAL_MS = 250;

function progressText(label: string, done: number, total: number, elapsed: number): string {
  const fraction = total > 0 ? done / total : 1;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} (${(elapsed / 1000).toFixed(1)} s)`;
}

/**
 * Counts the motifs of a network and tests them against a null model with Z-scores, p-values and the
 * significance profile (`core/significance`), drawing the null samples on all cores. Identical results for
 * the same seed whatever the number of workers.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([10, 40, 40, 7], { seed: 1 }));
 * const r = await nm.motifs(net, { samples: 1000, null: 'random-pruning', seed: 1 });
 * nm.show.motifs(r);
 * // no sampling: Z from the exact mean and variance under G(n, m)
 * const exact = await nm.motifs(net, { null: 'gnm', exact: true });
 * ```
 */
export async function motifs(net: LayeredNetwork, options: MotifsOptions = {}): Promise<MotifSignificance> {
  if ((options as { readonly nulls?: unknown }).nulls !== undefined) {
    throw new TypeError(
      "motifs: there is no option 'nulls'; the number of null samples is the option 'samples' (e.g. { samples: 1000 })"
    );
  }
  // exact G(n, m) moments: nothing to sample, nothing to show progress for
  if (options.exact === true) return motifSignificance(net, options);
  const samples = options.samples ?? 1000;
  const label = `motif nulls (${nullModelOption(options, 'motifs')})`;
  const start = Date.now();
  let handle: DisplayHandle | undefined;
  let last = 0;
  const report = (done: number, total: number): void => {
    options.onProgress?.(done, total);
    if (options.progress === false) return;
    const now = Date.now();
    if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
    last = now;
    const bundle = { 'text/plain': progressText(label, done, total, now - start) };
    if (handle === undefined) handle = displayBundle(bundle);
    else handle.update(bundle);
  };
  return motifSignificanceParallel(net, { ...options, samples, onProgress: report });
}
