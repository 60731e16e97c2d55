/**
 * `import * as nm from "nnmotifs"` — the public API, one flat namespace like TensorFlow.js' `tf.`:
 * `nm.mlp`, `nm.train`, `nm.nodeStrength`, `nm.motifs`, `nm.loadNetwork`, and three sub-namespaces,
 * `nm.datasets.*`, `nm.figures.*`, `nm.render.*` and `nm.show.*`.
 *
 * This file is the list of what is public; everything else in `src/` is internal and may change. Each
 * name appears once (`nm.datasets.binaryTree`, not also `nm.binaryTree`). docs/api.md describes the list
 * and test/api/public-api.test.ts pins it: adding or removing a name is a deliberate change to both.
 */

// Networks: the model every analysis takes, its validation, and files
export { createNetwork, validateNetwork, NetworkError } from '../core/validate';
export type { CreateNetworkOptions, LayerInput, FlatMatrix, NetworkErrorLocation } from '../core/validate';
export { layerSizes } from '../core/network';
export type { Layer, LayeredNetwork } from '../core/network';
export { parseNetworkJson, networkToJson, serializeNetwork } from '../core/io';
export type { NetworkFileJson, NetworkFileLayerJson } from '../core/io';
export { folderSource, listNetworkLayers, loadNetwork, saveNetwork } from './files';
export type { LoadNetworkOptions, SaveNetworkOptions } from './files';
export { readNetwork, readNetworkLayers, memorySource } from '../core/formats/read';
export type { FileSource, SourceFile, ReadNetworkOptions } from '../core/formats/read';

// TensorFlow.js models: building, converting, initializing
export { getTf as tf, tfBackend, tfReady } from './tf';
export type { Tf, TfBackendInfo } from './tf';
export { mlp } from './models';
export type { MlpOptions } from './models';
export { paInit, drawNetwork } from '../core/init';
export type { Init, InitName, ModelInit, PaInit } from '../core/init';
export { fromModel, toModel } from './convert';
export type { ToModelOptions } from './convert';
export { denseLayers } from './dense-layers';
export type { DenseLayer } from './dense-layers';
export { initialize, assignNetwork, stabilizeStrengthModel } from './init';
export type { InitializeOptions, StabilizeStrengthModelOptions, StabilizeStrengthModelResult } from './init';

// Training and pruning
export { train, lastHistory } from './train';
export type {
  TrainData,
  TrainMatrix,
  TrainOptions,
  TrainHistory,
  OptimizerName,
  OptimizerOptions,
  LossName,
  EarlyStopping,
  EpochLogs
} from './train';
export {
  prune,
  optimallySparse,
  magnitudeMasks,
  hasConverged,
  AUTHORS_SCHEDULE,
  AUTHORS_CONVERGENCE
} from './prune';
export type { PruneOptions, PruneResult, PruneLevel, ConvergenceRule, MagnitudeMaskOptions } from './prune';
export { trainEnsemble } from './ensemble';
export type { EnsembleOptions, EnsembleResult, EnsembleHistory } from './ensemble';

// Complex-network metrics
export { nodeStrength, layerFluctuation, linkWeights, degrees, strengthVarianceScore } from '../core/metrics';
export type {
  LinkWeightsOptions,
  LinkWeightSummary,
  NodeStrengthOptions,
  LayerDegrees
} from '../core/metrics';
export { meanInterval, quantiles } from '../core/stats';
export type { Histogram, MeanInterval } from '../core/stats';
export { gaussianKde, pairwiseSymmetricKL, symmetricKL } from '../core/kde';
export type { GaussianKde, GaussianKdeOptions, SymmetricKLOptions } from '../core/kde';

// Motifs: census, null models, significance
export { motifs } from './motifs';
export type { MotifsOptions } from './motifs';
export { MOTIF_NAMES, SIGN_PATTERNS, motifCensus } from '../core/census';
export type { MotifName, MotifCounts, MotifCensus, CensusOptions, ChainConvention } from '../core/census';
export { motifSignificance, exactSignificance } from '../core/significance';
export type { MotifSignificance, SignificanceOptions, KeyedCounts } from '../core/significance';
export { NULL_MODELS, sampleNull, gnmMoments } from '../core/nulls';
export type { NullModel, NullOptions, GnmMoments } from '../core/nulls';
export { motifInstances } from '../core/instances';
export type { MotifInstances, MotifInstancesOptions, InstanceEdge } from '../core/instances';

// Coloured subgraphs (Zambra et al.): edge colouring, 3-/4-node census, switching null, ΔZ
export { colourEdges } from '../core/colouring';
export type { ColouredEdges, ColourEdgesOptions, ColourThresholds, EdgeColour } from '../core/colouring';
export { subgraphCensus, subgraphSignificance, deltaZ, describeSubgraphClass } from '../core/subgraphs';
export type {
  SubgraphCensus,
  SubgraphCensusOptions,
  SubgraphClassInfo,
  SubgraphClassSignificance,
  SubgraphSignificance,
  SubgraphSignificanceOptions,
  SubgraphSize
} from '../core/subgraphs';

// Rewiring
export { paRewire, stabilizeStrength } from '../core/rewiring';
export type { PaRewireOptions, StabilizeStrengthOptions, StabilizeStrengthResult } from '../core/rewiring';

// Seeded random numbers (the stream every seeded function draws from)
export { createRng } from '../core/random';
export type { Rng } from '../core/random';

// Showing and saving figures
export { show } from './show';
export {
  showFigure,
  displayBundle,
  displayKernel,
  denoDisplaysWatched,
  inNotebook,
  registerDisplayAdapter
} from './display';
export type { DisplayAdapter, DisplayHandle, DisplayMessage, FigureHandle, MimeBundle } from './display';
export { save, closeSaveBrowser } from './save';
export type { SaveOptions, Savable, SavableSpec } from './save';

// Studies: many networks trained, pruned and measured, resumable (docs/studies.md)
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
export { runStudy, readStudySpec, studyDirStatus, studyProgressText } from './study/run';
export type { StudyRunOptions, StudyRunResult, StudyProgress, StudyDirStatus, LoadedSpec } from './study/run';
export { parseStudySpec } from '../core/study';
export type { StudySpec } from '../core/study';

// Sub-namespaces
export * as datasets from './datasets/index';
export * as figures from './figures';
export * as render from './render';
