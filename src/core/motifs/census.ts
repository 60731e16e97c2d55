/**
 * Motif census of a layered feed-forward network (Zahn, Daniel & Kutz 2024, see
 * `research/algorithms.md` §3).
 *
 * All motifs live between adjacent neuron layers. With `A_l` the 0/1 adjacency of layer `l` (rows =
 * sources, columns = targets, bias node as an extra row, see `live.ts`):
 *
 * | key            | what is counted |
 * |----------------|-----------------|
 * | `edges`        | edges `i→j` |
 * | `soDiverging`  | pairs of edges out of one node: `Σ C(outdeg, 2)` |
 * | `soConverging` | pairs of edges into one node: `Σ C(indeg, 2)` |
 * | `soChain`      | `paths`: two-edge paths `i→j→k` (`Σ_j indeg·outdeg`, = sum of `A_l A_{l+1}`); `pairs`: (i, k) joined by ≥ 1 such path (`nnz(A_l A_{l+1})`, the authors') |
 * | `toDiverging`  | `Σ C(outdeg, 3)` |
 * | `toConverging` | `Σ C(indeg, 3)` (the authors' code uses `C(n, 2)` here: a defect we do not copy) |
 * | `toChain`      | `paths`: three-edge paths (sum of `A_l A_{l+1} A_{l+2}`); `pairs`: `nnz(A_l A_{l+1} A_{l+2})` |
 * | `biFan`        | two sources both joined to two targets: `Σ_{i<j} C((A Aᵀ)_{ij}, 2)` |
 * | `biParallel`   | `a→{b,c}→d`: `Σ_{a,d} C((A_l A_{l+1})_{ad}, 2)` |
 *
 * **Signed census.** With `signed: true` every motif is also split by the signs of its edges (`+` for a
 * positive weight or bias, `-` for a negative one), keyed `motif:pattern`. A pattern lists the signs of the
 * motif's edges in a fixed order, reduced by the motif's symmetries to the lexicographically smallest
 * string (`+` sorts before `-`):
 *
 * - `edges:+`, `edges:-`;
 * - diverging / converging: the multiset of signs, `soDiverging:+-`, `toConverging:++-`;
 * - chains: signs along the path from the input side, `soChain:+-` is `i→j` positive, `j→k` negative;
 * - `biFan:ab/cd`: `ab` = signs of source 1 to targets 1, 2; `cd` = source 2 to targets 1, 2; smallest over
 *   swapping the sources and/or the targets (7 patterns, e.g. `biFan:++/--` = one source all negative,
 *   `biFan:+-/+-` = one target fed only negatively);
 * - `biParallel:xy/zw`: the two branches `a→b→d` (`xy`) and `a→c→d` (`zw`), smallest order of the two
 *   branches (10 patterns).
 *
 * Totals equal the sum of their patterns, except chains in the `pairs` convention: there a pattern counts
 * the (source, target) pairs joined by ≥ 1 path of that pattern, and a pair may be joined by several.
 *
 * **Speed.** Counts use typed arrays only. Bi-fans and bi-parallels pick per layer the cheaper of a sparse
 * wedge count (cost ≈ the number of two-paths) and a 32-bit bitset count (cost ≈ node pairs × words), so
 * sparse pruned networks and dense million-edge networks are both fast. The unsigned `paths` census (the
 * one the null models run thousands of times) has a third strategy for layers of up to 2048 sources: a
 * dense matrix R_l of the targets shared by every source pair gives the bi-fans of layer l, and the
 * bi-parallels of layers l−1, l as Σ over the rows of layer l−1 of R_l at their column pairs (the identity
 * biParallel = Σ_{b<b'} C_{l−1}[b, b']·R_l[b, b'], C = common-source counts), with plain array accesses
 * instead of stamped wedge counts. A {@link CensusWorkspace} holds
 * every scratch array so repeated counts (null models) allocate nothing large.
 */

import { type LayeredNetwork } from '../network';
import { type LiveOptions, type MotifGraph, motifGraph } from '../live';
import {
  type ChainConvention,
  MOTIF_NAMES,
  type MotifCounts,
  PATTERN_OFFSET,
  SIGN_PATTERNS,
  SO_CHAIN,
  TO_CHAIN,
  censusKeys
} from './keys';
import { type Aux, degrees } from './layer-views';
import { MATRIX_AND_LOOKUP, NO_MATRIX, pairMatrixCounts, pairMatrixPlan } from './pair-matrix';
import { biFan, biParallelAndPairs } from './shared-partners';
import { singleLayerCounts, soChainPaths, toChainPairs, toChainPaths } from './stars-chains';
import { CensusWorkspace } from './workspace';

/** Options of {@link motifCensus}. */
export interface CensusOptions extends LiveOptions {
  /** Chain convention, default `'paths'`. */
  readonly chain?: ChainConvention;
  /** Also count every motif per edge-sign pattern, default `false`. */
  readonly signed?: boolean;
}

/** Result of {@link motifCensus}. */
export interface MotifCensus {
  /** Count per motif. */
  readonly counts: MotifCounts;
  /** Counts per `motif:pattern` key (see the module documentation); only with `signed: true`. */
  readonly signedCounts?: Record<string, number>;
  /** Chain convention the `soChain`/`toChain` counts use. */
  readonly chain: ChainConvention;
  /** Whether bias nodes were counted. */
  readonly biasNode: boolean;
  /** Whether ghost and dead nodes were removed first. */
  readonly pruneDeadGhost: boolean;
  /** Whether sign patterns were counted. */
  readonly signed: boolean;
}

/**
 * Counts the feed-forward motifs of a network.
 *
 * @param net - the network.
 * @param options - `chain` (`'paths'`), `biasNode` (`false`), `pruneDeadGhost` (`true`), `signed` (`false`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const dense = (nIn: number, nOut: number) => ({ nIn, nOut, weights: new Float64Array(nIn * nOut).fill(1) });
 * const { counts } = nm.motifCensus({ layers: [dense(2, 2), dense(2, 1)] });
 * counts.biFan; // 1: both inputs feed both hidden neurons
 * counts.soChain; // 4 two-edge paths
 * ```
 */
export function motifCensus(net: LayeredNetwork, options: CensusOptions = {}): MotifCensus {
  const chain = options.chain ?? 'paths';
  const signed = options.signed ?? false;
  const biasNode = options.biasNode ?? false;
  const pruneDeadGhost = options.pruneDeadGhost ?? true;
  const graph = motifGraph(net, { biasNode, pruneDeadGhost });
  const keys = censusKeys(signed);
  const out = new Float64Array(keys.length);
  countMotifGraph(graph, { chain, signed }, out);
  const counts = {} as MotifCounts;
  MOTIF_NAMES.forEach((name, k) => (counts[name] = out[k]));
  const result: MotifCensus = { counts, chain, biasNode, pruneDeadGhost, signed };
  if (!signed) return result;
  const signedCounts: Record<string, number> = {};
  for (let k = MOTIF_NAMES.length; k < keys.length; k++) signedCounts[keys[k]] = out[k];
  return { ...result, signedCounts };
}

/** Options of {@link countMotifGraph}. */
export interface CountOptions {
  /** Chain convention, default `'paths'`. */
  readonly chain?: ChainConvention;
  /** Count sign patterns too (then `out` has `censusKeys(true).length` entries). Default `false`. */
  readonly signed?: boolean;
}

/**
 * Low-level census of a {@link MotifGraph} into a vector ordered like {@link censusKeys}. Used by the null
 * models to count thousands of samples without allocating.
 *
 * @param graph - the census view (see `motifGraph` in `live.ts`).
 * @param options - `chain` (`'paths'`), `signed` (`false`).
 * @param out - receives the counts; length `censusKeys(signed).length`.
 * @param ws - scratch memory to reuse; a fresh one by default.
 * @example
 * ```ts
 * const g = motifGraph({ layers: [{ nIn: 1, nOut: 2, weights: Float64Array.of(1, 1) }] });
 * const out = new Float64Array(censusKeys(false).length);
 * countMotifGraph(g, {}, out);
 * out[1]; // soDiverging = 1
 * ```
 */
export function countMotifGraph(
  graph: MotifGraph,
  options: CountOptions,
  out: Float64Array,
  ws: CensusWorkspace = new CensusWorkspace()
): void {
  const signed = options.signed ?? false;
  const pairs = (options.chain ?? 'paths') === 'pairs';
  const S = signed ? 2 : 1;
  const nKeys = signed ? censusKeys(true).length : MOTIF_NAMES.length;
  if (out.length < nKeys)
    throw new RangeError(`countMotifGraph: out needs ${nKeys} entries, got ${out.length}`);
  out.fill(0, 0, nKeys);
  const L = graph.layers.length;
  const aux: Aux[] = graph.layers.map((layer, l) => degrees(layer, l, S, ws));
  // Unsigned `paths` census: per layer, maybe count through a source-pair matrix (see pairMatrixPlan).
  const plan = S === 1 && !pairs ? pairMatrixPlan(aux) : undefined;

  for (let l = 0; l < L; l++) {
    singleLayerCounts(aux[l], S, out);
    if (plan === undefined || plan[l] === NO_MATRIX) biFan(aux[l], S, ws, out);
    else pairMatrixCounts(aux, l, plan[l] === MATRIX_AND_LOOKUP, out);
  }
  for (let l = 0; l + 1 < L; l++) {
    soChainPaths(aux[l], aux[l + 1], S, out, pairs);
    if (plan === undefined || plan[l + 1] !== MATRIX_AND_LOOKUP)
      biParallelAndPairs(aux[l], aux[l + 1], S, ws, out, pairs);
  }
  for (let l = 0; l + 2 < L; l++) {
    if (pairs) toChainPairs(aux[l], aux[l + 1], aux[l + 2], S, ws, out);
    else toChainPaths(aux[l], aux[l + 1], aux[l + 2], S, out);
  }
  if (signed) {
    // Totals are the sums of their patterns, except chains counted as pairs (accumulated directly).
    for (let m = 0; m < MOTIF_NAMES.length; m++) {
      if (pairs && (m === SO_CHAIN || m === TO_CHAIN)) continue;
      let t = 0;
      const n = SIGN_PATTERNS[MOTIF_NAMES[m]].length;
      for (let p = 0; p < n; p++) t += out[PATTERN_OFFSET[m] + p];
      out[m] = t;
    }
  }
}
