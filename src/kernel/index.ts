/**
 * `import * as nm from "nnmotifs"` — the kernel helpers used from a TypeScript notebook (tslab).
 *
 * Everything in `core` (network model, metrics, motif census, null models, rewiring) is re-exported, plus
 * TensorFlow.js models, conversions and `show.*` to display figures inline.
 */
import type { LayeredNetwork } from '../core/network';
import { nodeStrength } from '../core/metrics';
import type { MotifSignificance } from '../core/significance';
import { motifZScoreFigure, type MotifFigureOptions, type NamedSignificance } from '../figures/motifs';
import { NodeStrengthFigureOptions, nodeStrengthFigure } from '../figures/strength';
import { FigureHandle, showFigure } from './display';

export * from '../core/index';
export * as figures from '../figures/index';
export * as datasets from './datasets/index';
export { getTf as tf, tfBackend } from './tf';
export type { Tf, TfBackendInfo } from './tf';
export { mlp } from './models';
export type { Init, InitName, MlpOptions } from './models';
export { fromModel, toModel } from './convert';
export { motifs } from './motifs';
export type { MotifsOptions } from './motifs';
export { motifSignificanceParallel } from './parallel';
export { loadNetwork, saveNetwork } from './files';
export type { LoadNetworkOptions, SaveNetworkOptions } from './files';
export { displayBundle, figureBundle, showFigure } from './display';
export type { DisplayHandle, FigureHandle, MimeBundle } from './display';

/**
 * Figures shown inline in the notebook.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * nm.show.nodeStrength(net);
 * ```
 */
export const show = {
  /** Displays any figure spec. */
  figure: showFigure,
  /**
   * Motif Z-scores with significance stars: one result, or several named results side by side.
   */
  motifs(
    results: MotifSignificance | readonly NamedSignificance[],
    options: MotifFigureOptions = {}
  ): FigureHandle {
    const entries = Array.isArray(results)
      ? (results as readonly NamedSignificance[])
      : [{ name: 'network', result: results as MotifSignificance }];
    return showFigure(motifZScoreFigure(entries, options));
  },
  /** Node-strength distribution per neuron layer, with the layer fluctuation in the legend. */
  nodeStrength(net: LayeredNetwork, options: NodeStrengthFigureOptions = {}): FigureHandle {
    return showFigure(
      nodeStrengthFigure(nodeStrength(net), {
        ...options,
        provenance: { network: String(net.meta?.source ?? 'network'), ...(options.provenance ?? {}) }
      })
    );
  }
};
