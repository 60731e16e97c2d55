/**
 * `nm.show.*`: figures shown inline in the notebook, one call per figure.
 */
import type { LayeredNetwork } from '../core/network';
import { layerFluctuation, linkWeights, nodeStrength } from '../core/metrics';
import type { MotifSignificance } from '../core/significance';
import {
  motifCountsFigure,
  motifZScoreFigure,
  significanceProfileFigure,
  type MotifFigureOptions,
  type NamedSignificance
} from '../figures/motifs';
import { layerFluctuationFigure, linkWeightFigure, type MetricFigureOptions } from '../figures/metrics';
import { pruningCurveFigure, sparsityPerLayerFigure, trainingCurvesFigure } from '../figures/training';
import type { TrainHistory } from './train';
import type { PruneResult } from './prune';
import { NodeStrengthFigureOptions, nodeStrengthFigure } from '../figures/strength';
import { displayBundle, showFigure } from './display';
import { networkView, networkViewText, type NetworkViewOptions } from '../figures/network';
import { NETWORK_MIME } from '../figures/spec';
import type { FigureSpec } from '../figures/spec';

/**
 * Figures shown inline in the notebook. They return nothing, so a cell that ends with one prints nothing
 * else; use {@link showFigure} for a handle that updates the figure in place.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * nm.show.nodeStrength(net);
 * ```
 */
export const show = {
  /**
   * The network itself, drawn interactively (WebGL): layered or ForceAtlas2 layout, edges by sign and |w|,
   * nodes by strength, motif instances highlighted on demand. Refuses networks of more than 2 M live edges.
   */
  network(net: LayeredNetwork, options: NetworkViewOptions = {}): void {
    const spec = networkView(net, {
      ...options,
      provenance: { network: String(net.meta?.source ?? 'network'), ...(options.provenance ?? {}) }
    });
    displayBundle({ [NETWORK_MIME]: spec, 'text/plain': networkViewText(spec) });
  },
  /** Displays any figure spec. */
  figure(spec: FigureSpec): void {
    showFigure(spec);
  },
  /** Motif Z-scores with significance stars: one result, or several named results side by side. */
  motifs(results: MotifSignificance | readonly NamedSignificance[], options: MotifFigureOptions = {}): void {
    showFigure(motifZScoreFigure(named(results), options));
  },
  /** Real motif counts next to the null mean ± sd. */
  motifCounts(result: MotifSignificance, options: MotifFigureOptions = {}): void {
    showFigure(motifCountsFigure({ name: 'network', result }, options));
  },
  /** Significance profiles (Z normalised to unit length), one line per network. */
  significanceProfile(
    results: MotifSignificance | readonly NamedSignificance[],
    options: MotifFigureOptions = {}
  ): void {
    showFigure(significanceProfileFigure(named(results), options));
  },
  /** Node-strength distribution per neuron layer, with the layer fluctuation in the legend. */
  nodeStrength(net: LayeredNetwork, options: NodeStrengthFigureOptions = {}): void {
    showFigure(
      nodeStrengthFigure(nodeStrength(net), {
        ...options,
        provenance: { network: String(net.meta?.source ?? 'network'), ...(options.provenance ?? {}) }
      })
    );
  },
  /** Link-weight densities per weight layer. */
  linkWeights(net: LayeredNetwork, options: MetricFigureOptions = {}): void {
    showFigure(linkWeightFigure(linkWeights(net), options));
  },
  /** Layer fluctuation across neuron layers, one line per network. */
  layerFluctuation(
    nets: LayeredNetwork | readonly { name: string; network: LayeredNetwork }[],
    options: MetricFigureOptions = {}
  ): void {
    const runs = Array.isArray(nets)
      ? (nets as readonly { name: string; network: LayeredNetwork }[]).map(r => ({
          name: r.name,
          values: layerFluctuation(r.network)
        }))
      : [{ name: 'network', values: layerFluctuation(nets as LayeredNetwork) }];
    showFigure(layerFluctuationFigure(runs, options));
  },
  /** Loss (and accuracy) curves of a training history. */
  training(history: TrainHistory, options: MetricFigureOptions = {}): void {
    showFigure(trainingCurvesFigure(history, options));
  },
  /** Validation loss against sparsity over the levels of a pruning run, and the sparsity of each layer. */
  pruning(result: PruneResult, options: MetricFigureOptions = {}): void {
    const levels = result.levels;
    showFigure(sparsityPerLayerFigure(levels.map(l => l.layerSparsity)));
    showFigure(
      pruningCurveFigure([{ sparsity: levels.map(l => l.sparsity), loss: levels.map(l => l.loss) }], options)
    );
  }
};

function named(results: MotifSignificance | readonly NamedSignificance[]): readonly NamedSignificance[] {
  return Array.isArray(results)
    ? (results as readonly NamedSignificance[])
    : [{ name: 'network', result: results as MotifSignificance }];
}
