/**
 * Null models of the motif census: the public entry points. The samplers live in `motifs/null-sampler.ts`,
 * the census of many samples in `motifs/null-census.ts`, the exact G(n, m) moments in
 * `motifs/gnm-moments.ts`.
 */
export {
  NULL_MODELS,
  type NullModel,
  type NullOptions,
  NullSampler,
  nullModelOption,
  sampleSeed
} from './motifs/null-sampler';
export {
  type NullCensusOptions,
  type NullCensusSamples,
  type PreparedNullCensus,
  nullCensusSamples,
  prepareNullCensus,
  prepareNullCensusOfGraph,
  sampleNull
} from './motifs/null-census';
export { type GnmMoments, gnmMoments, gnmMomentsOfGraph } from './motifs/gnm-moments';
