/**
 * `import * as nm from "nnmotifs"` — the kernel helpers used from a TypeScript notebook (tslab).
 *
 * Everything in `core` (network model, metrics, motif census, null models, rewiring) is re-exported, plus
 * TensorFlow.js models, conversions and `show.*` to display figures inline.
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

export * from '../core/index';
export * as figures from '../figures/index';
export * as render from '../render/index';
export * as datasets from './datasets/index';
export { getTf as tf, tfBackend, tfReady } from './tf';
export type { Tf, TfBackendInfo } from './tf';
export { mlp } from './models';
export type { Init, InitName, MlpOptions } from './models';
export { fromModel, toModel } from './convert';
export { denseLayers } from './dense-layers';
export type { DenseLayer } from './dense-layers';
export { motifs } from './motifs';
export { initialize, paInit, stabilizeStrengthModel, drawNetwork, drawKernel, assignNetwork } from './init';
export type {
  ModelInit,
  PaInit,
  InitializeOptions,
  StabilizeStrengthModelOptions,
  StabilizeStrengthModelResult
} from './init';
export { train, lastHistory } from './train';
export type {
  TrainData,
  TrainOptions,
  TrainHistory,
  OptimizerName,
  LossName,
  EarlyStopping,
  EpochLogs
} from './train';
export { prune, optimallySparse, magnitudeMasks, AUTHORS_SCHEDULE, AUTHORS_CONVERGENCE } from './prune';
export type { PruneOptions, PruneResult, PruneLevel, ConvergenceRule } from './prune';
export { trainEnsemble } from './ensemble';
export type { EnsembleOptions, EnsembleResult, EnsembleHistory } from './ensemble';
export type { MotifsOptions } from './motifs';
export { motifSignificanceParallel } from './parallel';
export { folderSource, listNetworkLayers, loadNetwork, saveNetwork } from './files';
export type { LoadNetworkOptions, SaveNetworkOptions } from './files';
export {
  displayBundle,
  displayKernel,
  figureBundle,
  inNotebook,
  registerDisplayAdapter,
  showFigure
} from './display';
export { networkView } from '../figures/network';
export type { NetworkViewOptions } from '../figures/network';
export type { DisplayAdapter, DisplayHandle, DisplayMessage, FigureHandle, MimeBundle } from './display';
export { save, closeSaveBrowser } from './save';
export { study, studyResults, tidyStudyResults } from './study/notebook';
export type {
  NotebookStudyOptions,
  StudyHandle,
  StudyResults,
  MotifRow,
  LevelRow,
  MetricRow,
  FlatParams
} from './study/notebook';
export { runStudy, readStudySpec, studyDirStatus, studyProgressText, STUDY_ATTEMPTS } from './study/run';
export type { StudyRunOptions, StudyRunResult, StudyProgress, StudyDirStatus, LoadedSpec } from './study/run';
export { runStudyJob, metricsJson, JobError } from './study/jobs';
export type { JobPayload, JobContext, JobOutput, JobFile } from './study/jobs';
export { createJobPool } from './study/pool';
export type { JobPool, JobPoolOptions, PoolResult, PoolRunOptions } from './study/pool';
export type { SaveOptions, Savable, SavableSpec } from './save';

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
