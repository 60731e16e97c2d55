/**
 * `nm.figures.*`: figure builders, pure functions from analysis results to figure specs (plotly figure
 * JSON plus `meta`) that `nm.show.figure`, `nm.save` and the lab render. The rendering helpers of
 * `src/figures` (colours, sizes, unit conversions, SVG escaping) stay internal.
 */
export { FIGURE_MIME, NETWORK_MIME, PALETTE, figureSpec } from '../figures/spec';
export type { FigureMeta, FigureParts, FigureSpec, JsonObject, JsonValue } from '../figures/spec';
export { nodeStrengthFigure } from '../figures/strength';
export type { NodeStrengthFigureOptions } from '../figures/strength';
export {
  MOTIF_LABELS,
  motifCountsFigure,
  motifZScoreFigure,
  significanceProfileFigure,
  zVsSparsityFigure
} from '../figures/motifs';
export type { MotifFigureOptions, NamedSignificance, SparsityLevel } from '../figures/motifs';
export { layerFluctuationFigure, linkWeightFigure, strengthVarianceFigure } from '../figures/metrics';
export type { MetricFigureOptions, NamedFluctuation, RewiringComparison } from '../figures/metrics';
export { pruningCurveFigure, sparsityPerLayerFigure, trainingCurvesFigure } from '../figures/training';
export type {
  PruningCurve,
  PruningCurveFigureOptions,
  SparsityPerLayerFigureOptions,
  TrainingCurves,
  TrainingCurvesFigureOptions
} from '../figures/training';
export { significantClassesFigure, subgraphClassLabel, subgraphDeltaZFigure } from '../figures/subgraphs';
export type {
  DeltaZGroup,
  SignificantClassesFigureOptions,
  SignificantClassesGroup,
  SubgraphDeltaZFigureOptions
} from '../figures/subgraphs';
export {
  groupedDistributionFigure,
  intervalFigure,
  klHeatmapFigure,
  metricVsAccuracyFigure
} from '../figures/studies';
export type { IntervalSeries, NamedSample, ScatterGroup, StudyFigureOptions } from '../figures/studies';
export { networkView } from '../figures/network';
export type { NetworkViewOptions } from '../figures/network';
export type { NetworkViewSpec } from '../figures/network-spec';
export { panels } from '../figures/panels';
export type { PanelFigureSpec, PanelLabels, PanelsOptions } from '../figures/panels';
export { formatNumber } from '../figures/format';
export { metricByBinFigure, studyProgressFigure, zAcrossSparsityFigure } from '../figures/population';
export type { SparsityZRow, StudyProgressCounts } from '../figures/population';
