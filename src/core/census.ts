/**
 * Motif census of a layered feed-forward network: the public entry points. The census lives in
 * `motifs/` one idea a module (`keys.ts` names and sign patterns, `census.ts` the count, `stars-chains.ts`,
 * `shared-partners.ts`, `pair-matrix.ts` the counters, `layer-views.ts` and `workspace.ts` their memory).
 */
export {
  type ChainConvention,
  MOTIF_NAMES,
  type MotifCounts,
  type MotifName,
  SIGN_PATTERNS,
  censusKeys
} from './motifs/keys';
export {
  type CensusOptions,
  type CountOptions,
  type MotifCensus,
  countMotifGraph,
  motifCensus
} from './motifs/census';
export { CensusWorkspace } from './motifs/workspace';
