/**
 * Motif census of a layered feed-forward network (Zahn, Daniel & Kutz 2024, see
 * `docs/algorithms.md` §3).
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

import { type LayeredNetwork } from './network';
import { type LiveOptions, type MotifGraph, type MotifLayer, motifGraph } from './live';

/** The motif names used by every API, CLI output and figure, in this order. */
export const MOTIF_NAMES = [
  'edges',
  'soDiverging',
  'soConverging',
  'soChain',
  'toDiverging',
  'toConverging',
  'toChain',
  'biFan',
  'biParallel'
] as const;

/** One of {@link MOTIF_NAMES}. */
export type MotifName = (typeof MOTIF_NAMES)[number];

/** A count per motif. */
export type MotifCounts = Record<MotifName, number>;

/** How chains are counted: distinct paths (default) or (source, target) pairs joined by ≥ 1 path. */
export type ChainConvention = 'paths' | 'pairs';

const EDGES = 0;
const SO_DIV = 1;
const SO_CONV = 2;
const SO_CHAIN = 3;
const TO_DIV = 4;
const TO_CONV = 5;
const TO_CHAIN = 6;
const BI_FAN = 7;
const BI_PAR = 8;

const sign = (negative: number): string => (negative !== 0 ? '-' : '+');
const signs = (bits: number, n: number): string => {
  let s = '';
  for (let k = n - 1; k >= 0; k--) s += sign((bits >>> k) & 1);
  return s;
};
const minString = (xs: string[]): string => xs.reduce((a, b) => (b < a ? b : a));

// Bi-fan sign matrix: a = s(i→k), b = s(i→m), c = s(j→k), d = s(j→m).
const biFanPattern = (a: number, b: number, c: number, d: number): string => {
  const m = (w: number, x: number, y: number, z: number): string =>
    `${sign(w)}${sign(x)}/${sign(y)}${sign(z)}`;
  return minString([m(a, b, c, d), m(c, d, a, b), m(b, a, d, c), m(d, c, b, a)]);
};
const biParallelPattern = (t: number, u: number): string => {
  const x = signs(t, 2);
  const y = signs(u, 2);
  return x <= y ? `${x}/${y}` : `${y}/${x}`;
};

const ORDERED2 = [0, 1, 2, 3].map(t => signs(t, 2));
const ORDERED3 = [0, 1, 2, 3, 4, 5, 6, 7].map(t => signs(t, 3));
const uniqueSorted = (xs: string[]): string[] => [...new Set(xs)].sort();
const BI_FAN_PATTERNS = uniqueSorted(
  Array.from({ length: 16 }, (_, x) => biFanPattern((x >> 3) & 1, (x >> 2) & 1, (x >> 1) & 1, x & 1))
);
const BI_PAR_PATTERNS = uniqueSorted(Array.from({ length: 16 }, (_, x) => biParallelPattern(x >> 2, x & 3)));

/** The sign patterns of every motif in the signed census, in key order. */
export const SIGN_PATTERNS: Readonly<Record<MotifName, readonly string[]>> = {
  edges: ['+', '-'],
  soDiverging: ['++', '+-', '--'],
  soConverging: ['++', '+-', '--'],
  soChain: ORDERED2,
  toDiverging: ['+++', '++-', '+--', '---'],
  toConverging: ['+++', '++-', '+--', '---'],
  toChain: ORDERED3,
  biFan: BI_FAN_PATTERNS,
  biParallel: BI_PAR_PATTERNS
};

const PATTERN_OFFSET: number[] = [];
{
  let off = MOTIF_NAMES.length;
  for (const name of MOTIF_NAMES) {
    PATTERN_OFFSET.push(off);
    off += SIGN_PATTERNS[name].length;
  }
}
// Pair-of-types tables (index t*4+u, t/u = 2-bit sign types) → pattern index.
// Row-pair view: for sources i<j a shared target has type s(i→k)·2 + s(j→k).
const BI_FAN_BY_TARGET_TYPES = Int32Array.from({ length: 16 }, (_, x) => {
  const t = x >> 2;
  const u = x & 3;
  return BI_FAN_PATTERNS.indexOf(biFanPattern(t >> 1, u >> 1, t & 1, u & 1));
});
// Column-pair view: for targets k<m a shared source has type s(i→k)·2 + s(i→m).
const BI_FAN_BY_SOURCE_TYPES = Int32Array.from({ length: 16 }, (_, x) => {
  const t = x >> 2;
  const u = x & 3;
  return BI_FAN_PATTERNS.indexOf(biFanPattern(t >> 1, t & 1, u >> 1, u & 1));
});
const BI_PAR_BY_PATH_TYPES = Int32Array.from({ length: 16 }, (_, x) =>
  BI_PAR_PATTERNS.indexOf(biParallelPattern(x >> 2, x & 3))
);

/**
 * The keys of a census vector: the nine motif names, then (when `signed`) `motif:pattern` for every
 * pattern of {@link SIGN_PATTERNS}.
 *
 * @example
 * ```ts
 * censusKeys(false).length; // 9
 * censusKeys(true).includes('soChain:+-'); // true
 * ```
 */
export function censusKeys(signed: boolean): string[] {
  const keys: string[] = [...MOTIF_NAMES];
  if (signed) for (const name of MOTIF_NAMES) for (const p of SIGN_PATTERNS[name]) keys.push(`${name}:${p}`);
  return keys;
}

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

/**
 * Reusable scratch memory for {@link countMotifGraph}: arrays grow to the largest size asked for and are
 * then reused, so counting many graphs of the same shape allocates nothing large.
 *
 * @example
 * ```ts
 * const ws = new CensusWorkspace(); // pass to countMotifGraph for every null sample
 * ```
 */
export class CensusWorkspace {
  private readonly i32: Int32Array[] = [];
  private readonly u8: Uint8Array[] = [];
  private readonly u16: Uint16Array[] = [];
  /** Last stamp handed out by {@link CensusWorkspace.nextStamp}. */
  private epoch = 0;

  /** An Int32Array of at least `n` entries for `slot` (contents unspecified). */
  int32(slot: number, n: number): Int32Array {
    let a = this.i32[slot];
    if (a === undefined || a.length < n) {
      a = new Int32Array(Math.max(n, 1));
      this.i32[slot] = a;
      if (slot === STAMP) this.epoch = 0;
    }
    return a;
  }

  /** A Uint16Array of at least `n` entries for `slot` (contents unspecified). */
  uint16(slot: number, n: number): Uint16Array {
    let a = this.u16[slot];
    if (a === undefined || a.length < n) {
      a = new Uint16Array(Math.max(n, 1));
      this.u16[slot] = a;
    }
    return a;
  }

  /** A Uint8Array of at least `n` entries for `slot` (contents unspecified). */
  uint8(slot: number, n: number): Uint8Array {
    let a = this.u8[slot];
    if (a === undefined || a.length < n) {
      a = new Uint8Array(Math.max(n, 1));
      this.u8[slot] = a;
    }
    return a;
  }

  /** A fresh stamp value for the shared stamp array (never equal to a value already stored in it). */
  nextStamp(stamp: Int32Array): number {
    if (this.epoch >= 0x3fffffff) {
      stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

// Workspace slots: per layer l, slot l * PER_LAYER + kind; shared slots from SHARED upwards.
const PER_LAYER = 8;
const OUT_DEG = 0;
const IN_DEG = 1;
const CSC_PTR = 2;
const CSC_IDX = 3;
const ROW_BITS = 4;
const COL_BITS = 5;
const SORTED_IDX = 6;
const CSC_NEG = 0; // uint8 slots: per layer l * PER_LAYER + kind
const SORTED_NEG = 1;
const STAMP = 1 << 20;
const COUNTER = STAMP + 1;
const REACH2 = STAMP + 2;
const REACH3 = STAMP + 3;
const TOUCHED = STAMP + 4;
const PAIR_MATRIX = 0; // uint16 slot

/** Per-call view of one layer's derived arrays. */
interface Aux {
  readonly layer: MotifLayer;
  readonly index: number;
  readonly outDeg: Int32Array; // nRows * S
  readonly inDeg: Int32Array; // nCols * S
  // derived lazily; always present (undefined until built) so every Aux has the same hidden class
  csc: { ptr: Int32Array; idx: Int32Array; neg: Uint8Array } | undefined;
  sorted: { idx: Int32Array; neg: Uint8Array } | undefined;
  rowBits: Int32Array | undefined; // (r*S + s) * words(nCols)
  colBits: Int32Array | undefined; // (c*S + s) * words(nRows)
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
    else pairMatrixCounts(aux, l, plan[l] === MATRIX_AND_LOOKUP, ws, out);
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

function degrees(layer: MotifLayer, l: number, S: number, ws: CensusWorkspace): Aux {
  const { nRows, nCols, rowPtr, colIdx, neg } = layer;
  const outDeg = ws.int32(l * PER_LAYER + OUT_DEG, nRows * S);
  const inDeg = ws.int32(l * PER_LAYER + IN_DEG, nCols * S);
  outDeg.fill(0, 0, nRows * S);
  inDeg.fill(0, 0, nCols * S);
  const mask = S - 1;
  for (let r = 0; r < nRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const s = neg[e] & mask;
      outDeg[r * S + s]++;
      inDeg[colIdx[e] * S + s]++;
    }
  }
  return {
    layer,
    index: l,
    outDeg,
    inDeg,
    csc: undefined,
    sorted: undefined,
    rowBits: undefined,
    colBits: undefined
  };
}

const choose2 = (n: number): number => (n * (n - 1)) / 2;
const choose3 = (n: number): number => (n * (n - 1) * (n - 2)) / 6;

function singleLayerCounts(a: Aux, S: number, out: Float64Array): void {
  const { nRows, nCols } = a.layer;
  if (S === 1) {
    let edges = 0;
    let so = 0;
    let to = 0;
    for (let r = 0; r < nRows; r++) {
      const d = a.outDeg[r];
      edges += d;
      so += choose2(d);
      to += choose3(d);
    }
    let soc = 0;
    let toc = 0;
    for (let c = 0; c < nCols; c++) {
      const d = a.inDeg[c];
      soc += choose2(d);
      toc += choose3(d);
    }
    out[EDGES] += edges;
    out[SO_DIV] += so;
    out[TO_DIV] += to;
    out[SO_CONV] += soc;
    out[TO_CONV] += toc;
    return;
  }
  const star = (deg: Int32Array, n: number, so: number, to: number): void => {
    for (let x = 0; x < n; x++) {
      const p = deg[2 * x];
      const q = deg[2 * x + 1];
      out[so] += choose2(p);
      out[so + 1] += p * q;
      out[so + 2] += choose2(q);
      out[to] += choose3(p);
      out[to + 1] += choose2(p) * q;
      out[to + 2] += p * choose2(q);
      out[to + 3] += choose3(q);
    }
  };
  for (let r = 0; r < nRows; r++) {
    out[PATTERN_OFFSET[EDGES]] += a.outDeg[2 * r];
    out[PATTERN_OFFSET[EDGES] + 1] += a.outDeg[2 * r + 1];
  }
  star(a.outDeg, nRows, PATTERN_OFFSET[SO_DIV], PATTERN_OFFSET[TO_DIV]);
  star(a.inDeg, nCols, PATTERN_OFFSET[SO_CONV], PATTERN_OFFSET[TO_CONV]);
}

function words(bits: number): number {
  return (bits + 31) >>> 5;
}

/** Bits set in every 16-bit value (a table lookup beats the SWAR popcount in the hot loops). */
const POP16 = Uint8Array.from({ length: 65536 }, (_, v) => {
  let k = 0;
  for (let x = v; x !== 0; x &= x - 1) k++;
  return k;
});

function popcnt(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/** Column-major copy (sorted by row within each column). */
function csc(a: Aux, ws: CensusWorkspace): { ptr: Int32Array; idx: Int32Array; neg: Uint8Array } {
  if (a.csc !== undefined) return a.csc;
  const { nRows, nCols, rowPtr, colIdx, neg } = a.layer;
  const E = rowPtr[nRows];
  const ptr = ws.int32(a.index * PER_LAYER + CSC_PTR, nCols + 1);
  const idx = ws.int32(a.index * PER_LAYER + CSC_IDX, E);
  const cneg = ws.uint8(a.index * PER_LAYER + CSC_NEG, E);
  ptr.fill(0, 0, nCols + 1);
  for (let e = 0; e < E; e++) ptr[colIdx[e] + 1]++;
  for (let c = 0; c < nCols; c++) ptr[c + 1] += ptr[c];
  const fillPos = ws.int32(TOUCHED, nCols);
  fillPos.set(ptr.subarray(0, nCols));
  for (let r = 0; r < nRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const p = fillPos[colIdx[e]]++;
      idx[p] = r;
      cneg[p] = neg[e];
    }
  }
  a.csc = { ptr, idx, neg: cneg };
  return a.csc;
}

/** Row-major copy with the columns of every row sorted (the transpose of the CSC). */
function sortedRows(a: Aux, ws: CensusWorkspace): { idx: Int32Array; neg: Uint8Array } {
  if (a.sorted !== undefined) return a.sorted;
  const c = csc(a, ws);
  const { nRows, nCols, rowPtr } = a.layer;
  const E = rowPtr[nRows];
  const idx = ws.int32(a.index * PER_LAYER + SORTED_IDX, E);
  const sneg = ws.uint8(a.index * PER_LAYER + SORTED_NEG, E);
  const fillPos = ws.int32(TOUCHED, nRows);
  fillPos.set(rowPtr.subarray(0, nRows));
  for (let col = 0; col < nCols; col++) {
    for (let p = c.ptr[col]; p < c.ptr[col + 1]; p++) {
      const q = fillPos[c.idx[p]]++;
      idx[q] = col;
      sneg[q] = c.neg[p];
    }
  }
  a.sorted = { idx, neg: sneg };
  return a.sorted;
}

function rowBits(a: Aux, S: number, ws: CensusWorkspace): Int32Array {
  if (a.rowBits !== undefined) return a.rowBits;
  const { nRows, nCols, rowPtr, colIdx, neg } = a.layer;
  const w = words(nCols);
  const bits = ws.int32(a.index * PER_LAYER + ROW_BITS, nRows * S * w);
  bits.fill(0, 0, nRows * S * w);
  const mask = S - 1;
  for (let r = 0; r < nRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      const c = colIdx[e];
      bits[(r * S + (neg[e] & mask)) * w + (c >>> 5)] |= 1 << (c & 31);
    }
  }
  a.rowBits = bits;
  return bits;
}

function colBits(a: Aux, S: number, ws: CensusWorkspace): Int32Array {
  if (a.colBits !== undefined) return a.colBits;
  const { nRows, nCols, rowPtr, colIdx, neg } = a.layer;
  const w = words(nRows);
  const bits = ws.int32(a.index * PER_LAYER + COL_BITS, nCols * S * w);
  bits.fill(0, 0, nCols * S * w);
  const mask = S - 1;
  for (let r = 0; r < nRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      bits[(colIdx[e] * S + (neg[e] & mask)) * w + (r >>> 5)] |= 1 << (r & 31);
    }
  }
  a.colBits = bits;
  return bits;
}

// Relative costs per elementary step, for choosing a strategy (measured roughly; only speed depends on them).
const WEDGE_COST = 3;
const WORD_COST = 1.5;

/** Adds the pair-type accumulator `acc` (T×T, t≤u and u≤t both possible) to the totals via `table`. */
function flushPairs(
  acc: Float64Array,
  T: number,
  table: Int32Array,
  total: number,
  offset: number,
  out: Float64Array
): void {
  if (T === 1) {
    out[total] += acc[0];
    return;
  }
  for (let x = 0; x < 16; x++) out[offset + table[x]] += acc[x];
}

/** Σ_cols C(indeg, 2): the row pairs met through a shared column (wedges centred on a column). */
function rowPairWedges(a: Aux, S: number): number {
  let w = 0;
  for (let c = 0; c < a.layer.nCols; c++)
    w += choose2(S === 1 ? a.inDeg[c] : a.inDeg[2 * c] + a.inDeg[2 * c + 1]);
  return w;
}

/** Σ_rows C(outdeg, 2): the column pairs met through a shared row (wedges centred on a row). */
function colPairWedges(a: Aux, S: number): number {
  let w = 0;
  for (let r = 0; r < a.layer.nRows; r++)
    w += choose2(S === 1 ? a.outDeg[r] : a.outDeg[2 * r] + a.outDeg[2 * r + 1]);
  return w;
}

/** The estimated costs of the four {@link biFan} strategies: wedges by rows, by columns, bitsets of rows, of columns. */
function biFanCosts(a: Aux, S: number): number[] {
  const { nRows, nCols, rowPtr } = a.layer;
  const E = rowPtr[nRows];
  const T = S * S;
  const wedgeByRows = E + rowPairWedges(a, S);
  const wedgeByCols = 2 * E + colPairWedges(a, S);
  return [
    wedgeByRows * (WEDGE_COST + T),
    wedgeByCols * (WEDGE_COST + T),
    choose2(nRows) * words(nCols) * T * WORD_COST + nRows * nCols * 0.05,
    choose2(nCols) * words(nRows) * T * WORD_COST + nRows * nCols * 0.05
  ];
}

/** Bi-fans of one layer: node pairs on one side sharing ≥ 2 neighbours on the other. */
function biFan(a: Aux, S: number, ws: CensusWorkspace, out: Float64Array): void {
  const { nRows, nCols, rowPtr } = a.layer;
  const E = rowPtr[nRows];
  if (E < 4) return;
  const T = S * S;
  const costs = biFanCosts(a, S);
  const best = costs.indexOf(Math.min(...costs));
  const acc = new Float64Array(16);
  if (best === 0) {
    const c = csc(a, ws);
    wedgePairs(nRows, rowPtr, a.layer.colIdx, a.layer.neg, c.ptr, c.idx, c.neg, S, ws, acc);
    flushPairs(acc, T, BI_FAN_BY_TARGET_TYPES, BI_FAN, PATTERN_OFFSET[BI_FAN], out);
  } else if (best === 1) {
    const c = csc(a, ws);
    const s = sortedRows(a, ws);
    wedgePairs(nCols, c.ptr, c.idx, c.neg, rowPtr, s.idx, s.neg, S, ws, acc);
    flushPairs(acc, T, BI_FAN_BY_SOURCE_TYPES, BI_FAN, PATTERN_OFFSET[BI_FAN], out);
  } else if (best === 2) {
    bitsetPairs(rowBits(a, S, ws), nRows, words(nCols), S, acc);
    flushPairs(acc, T, BI_FAN_BY_TARGET_TYPES, BI_FAN, PATTERN_OFFSET[BI_FAN], out);
  } else {
    bitsetPairs(colBits(a, S, ws), nCols, words(nRows), S, acc);
    flushPairs(acc, T, BI_FAN_BY_SOURCE_TYPES, BI_FAN, PATTERN_OFFSET[BI_FAN], out);
  }
}

/**
 * For every pair x < y of "near" nodes, counts pairs of shared "far" neighbours by type, via the wedges
 * y → f → x. `near*` is the adjacency near → far, `far*` the adjacency far → near sorted ascending.
 * Type of a shared far node f: sign(x–f)·S + sign(y–f).
 */
function wedgePairs(
  nNear: number,
  nearPtr: Int32Array,
  nearIdx: Int32Array,
  nearNeg: Uint8Array,
  farPtr: Int32Array,
  farIdx: Int32Array,
  farNeg: Uint8Array,
  S: number,
  ws: CensusWorkspace,
  acc: Float64Array
): void {
  const T = S * S;
  const mask = S - 1;
  const stamp = ws.int32(STAMP, nNear);
  const cnt = ws.int32(COUNTER, nNear * T);
  if (T === 1) {
    acc[0] += wedgePairsUnsigned(nNear, nearPtr, nearIdx, farPtr, farIdx, stamp, cnt, ws);
    return;
  }
  for (let y = 0; y < nNear; y++) {
    const st = ws.nextStamp(stamp);
    for (let e = nearPtr[y]; e < nearPtr[y + 1]; e++) {
      const f = nearIdx[e];
      const sy = nearNeg[e] & mask;
      for (let p = farPtr[f]; p < farPtr[f + 1]; p++) {
        const x = farIdx[p];
        if (x >= y) break;
        const t = (farNeg[p] & mask) * S + sy;
        const base = x * T;
        if (stamp[x] !== st) {
          stamp[x] = st;
          cnt.fill(0, base, base + T);
        }
        for (let u = 0; u < T; u++) acc[t * T + u] += cnt[base + u];
        cnt[base + t]++;
      }
    }
  }
}

/** Unsigned {@link wedgePairs}: Σ over near pairs x < y of C(shared far neighbours, 2). */
function wedgePairsUnsigned(
  nNear: number,
  nearPtr: Int32Array,
  nearIdx: Int32Array,
  farPtr: Int32Array,
  farIdx: Int32Array,
  stamp: Int32Array,
  cnt: Int32Array,
  ws: CensusWorkspace
): number {
  let total = 0;
  for (let y = 0; y < nNear; y++) {
    const st = ws.nextStamp(stamp);
    const e1 = nearPtr[y + 1];
    for (let e = nearPtr[y]; e < e1; e++) {
      const f = nearIdx[e];
      const p1 = farPtr[f + 1];
      for (let p = farPtr[f]; p < p1; p++) {
        const x = farIdx[p];
        if (x >= y) break;
        if (stamp[x] !== st) {
          stamp[x] = st;
          cnt[x] = 1;
        } else {
          total += cnt[x]++;
        }
      }
    }
  }
  return total;
}

/** Same as {@link wedgePairs} from bitsets: `bits[(x*S + s) * w + word]`. */
function bitsetPairs(bits: Int32Array, n: number, w: number, S: number, acc: Float64Array): void {
  if (S === 1) {
    acc[0] += bitsetPairsUnsigned(bits, n, w);
    return;
  }
  const T = S * S;
  const c = new Float64Array(T);
  const stride = S * w;
  for (let x = 0; x < n; x++) {
    for (let y = x + 1; y < n; y++) {
      for (let sx = 0; sx < S; sx++) {
        const bx = x * stride + sx * w;
        for (let sy = 0; sy < S; sy++) {
          const by = y * stride + sy * w;
          let k = 0;
          for (let q = 0; q < w; q++) k += popcnt(bits[bx + q] & bits[by + q]);
          c[sx * S + sy] = k;
        }
      }
      for (let t = 0; t < T; t++) {
        const ct = c[t];
        if (ct === 0) continue;
        acc[t * T + t] += choose2(ct);
        for (let u = t + 1; u < T; u++) acc[t * T + u] += ct * c[u];
      }
    }
  }
}

/** Unsigned {@link bitsetPairs}: Σ_{x<y} C(popcount(bits_x & bits_y), 2). */
function bitsetPairsUnsigned(bits: Int32Array, n: number, w: number): number {
  let total = 0;
  for (let x = 0; x < n; x++) {
    const bx = x * w;
    for (let y = x + 1; y < n; y++) {
      const by = y * w;
      let k = 0;
      for (let q = 0; q < w; q++) {
        const v = bits[bx + q] & bits[by + q];
        k += POP16[v & 0xffff] + POP16[v >>> 16];
      }
      total += (k * (k - 1)) / 2;
    }
  }
  return total;
}

// Source-pair matrix strategy (unsigned `paths` census only). For layer l with sources x < y, let
// R_l[x, y] = number of targets they share. Then biFan_l = Σ_{x<y} C(R_l[x, y], 2), and since a bi-parallel
// a→{b, b'}→d of layers l−1, l is a pair of sources b < b' of layer l with a common source a in layer l−1
// and a common target d in layer l,
//   biParallel(l−1, l) = Σ_{b<b'} C_{l−1}[b, b'] · R_l[b, b'] = Σ_{rows a of layer l−1} Σ_{b<b' in row a} R_l[b, b'],
// C_{l−1} being the common-source counts of the targets of layer l−1. Building R_l as a dense n × n
// matrix costs Σ_cols C(indeg, 2) increments (the bi-fan comes with it), the bi-parallel then costs
// Σ_rows C(outdeg, 2) reads of layer l−1: on sparse layers of a few hundred neurons both are plain array
// accesses, several times cheaper per step than the stamped wedge counts, and the two-path enumeration
// (Σ_b indeg·outdeg steps) is not needed at all.
const NO_MATRIX = 0;
const MATRIX = 1; // bi-fan of layer l from R_l
const MATRIX_AND_LOOKUP = 2; // and biParallel(l−1, l) by lookups in R_l
// Relative cost of one matrix increment, one matrix read, clearing one matrix entry (units of WORD_COST).
const PAIR_COST = 1.2;
const LOOKUP_COST = 0.6;
const CLEAR_COST = 0.02;
/** A two-path step of a dense row (count, then clear) costs this many matrix reads. */
const PATH_STEP_COST = 2;
/** Largest matrix (sources per layer) considered: 2048² Uint16 entries = 8 MiB. */
const MAX_MATRIX_ROWS = 2048;

/**
 * Per layer: {@link NO_MATRIX}, {@link MATRIX} or {@link MATRIX_AND_LOOKUP}, whichever the cost model
 * says is cheaper than the wedge/bitset strategies of {@link biFan} and {@link biParallelAndPairs}.
 * Unsigned `paths` census only (the matrix holds no signs and gives no `pairs` chain counts).
 */
function pairMatrixPlan(aux: Aux[]): Uint8Array {
  const plan = new Uint8Array(aux.length);
  for (let l = 0; l < aux.length; l++) {
    const a = aux[l];
    const { nRows, nCols, rowPtr } = a.layer;
    // counts go up to nCols and must fit a Uint16
    if (nRows > MAX_MATRIX_ROWS || nCols > 0xffff) continue;
    const E = rowPtr[nRows];
    let withMatrix = rowPairWedges(a, 1) * PAIR_COST + nRows * nRows * CLEAR_COST + 2 * E;
    let without = E < 4 ? 0 : Math.min(...biFanCosts(a, 1));
    let lookup = false;
    if (l > 0) {
      const A = aux[l - 1];
      const { paths, wedgeCost, bitCost } = biParallelCosts(A, a, 1);
      const parCost = paths === 0 ? 0 : Math.min(wedgeCost, bitCost);
      const lookupCost = colPairWedges(A, 1) * LOOKUP_COST + 2 * A.layer.rowPtr[A.layer.nRows];
      lookup = lookupCost < parCost;
      withMatrix += Math.min(lookupCost, parCost);
      without += parCost;
    }
    if (withMatrix < without) plan[l] = lookup ? MATRIX_AND_LOOKUP : MATRIX;
  }
  return plan;
}

/**
 * Bi-fans of layer `l` through its source-pair matrix R_l, and with `lookup` the bi-parallels of layers
 * l−1, l by reading R_l at the column pairs of every row of layer l−1 (see {@link pairMatrixPlan}).
 */
function pairMatrixCounts(
  aux: Aux[],
  l: number,
  lookup: boolean,
  ws: CensusWorkspace,
  out: Float64Array
): void {
  const a = aux[l];
  const { nRows: n, nCols } = a.layer;
  const R = ws.uint16(PAIR_MATRIX, n * n);
  R.fill(0, 0, n * n);
  const c = csc(a, ws); // rows ascending within every column
  const ptr = c.ptr;
  const idx = c.idx;
  let fans = 0;
  for (let col = 0; col < nCols; col++) {
    const p1 = ptr[col + 1];
    for (let i = ptr[col]; i < p1; i++) {
      const base = idx[i] * n;
      for (let j = i + 1; j < p1; j++) {
        const k = base + idx[j];
        const v = R[k];
        fans += v;
        R[k] = v + 1;
      }
    }
  }
  out[BI_FAN] += fans;
  if (!lookup) return;
  const A = aux[l - 1];
  const rowPtr = A.layer.rowPtr;
  const cols = sortedRows(A, ws).idx; // columns of layer l−1 = real sources of layer l, ascending per row
  const { rowPtr: bPtr, colIdx: bIdx } = a.layer;
  const outDeg = a.outDeg;
  const cnt = ws.int32(COUNTER, nCols);
  cnt.fill(0, 0, nCols);
  let par = 0;
  for (let r = 0; r < A.layer.nRows; r++) {
    const e0 = rowPtr[r];
    const e1 = rowPtr[r + 1];
    const k = e1 - e0;
    if (k < 2) continue;
    let steps = 0;
    if (k > 8) for (let i = e0; i < e1; i++) steps += outDeg[cols[i]];
    if ((k * (k - 1)) / 2 <= PATH_STEP_COST * steps || k <= 8) {
      for (let i = e0; i < e1; i++) {
        const base = cols[i] * n;
        for (let j = i + 1; j < e1; j++) par += R[base + cols[j]];
      }
      continue;
    }
    // A dense row (a bias node): cheaper to count its two-paths r→b→d per target d, Σ_d C(paths, 2).
    for (let i = e0; i < e1; i++) {
      const b = cols[i];
      const f1 = bPtr[b + 1];
      for (let f = bPtr[b]; f < f1; f++) par += cnt[bIdx[f]]++;
    }
    for (let i = e0; i < e1; i++) {
      const b = cols[i];
      const f1 = bPtr[b + 1];
      for (let f = bPtr[b]; f < f1; f++) cnt[bIdx[f]] = 0;
    }
  }
  out[BI_PAR] += par;
}

/** Two-edge paths through the real neurons between layers A and B: Σ_b indeg_A(b)·outdeg_B(b). */
function soChainPaths(A: Aux, B: Aux, S: number, out: Float64Array, pairs: boolean): void {
  if (pairs) return;
  const n = B.layer.nReal;
  if (S === 1) {
    let t = 0;
    for (let b = 0; b < n; b++) t += A.inDeg[b] * B.outDeg[b];
    out[SO_CHAIN] += t;
    return;
  }
  const off = PATTERN_OFFSET[SO_CHAIN];
  for (let b = 0; b < n; b++) {
    for (let s1 = 0; s1 < 2; s1++)
      for (let s2 = 0; s2 < 2; s2++) out[off + s1 * 2 + s2] += A.inDeg[2 * b + s1] * B.outDeg[2 * b + s2];
  }
}

/** Two-paths a→b→d between layers A and B, and the estimated costs of the wedge and bitset strategies. */
function biParallelCosts(A: Aux, B: Aux, S: number): { paths: number; wedgeCost: number; bitCost: number } {
  const T = S * S;
  const nA = A.layer.nRows;
  const mid = A.layer.nCols;
  let paths = 0;
  for (let b = 0; b < mid; b++) {
    const inb = S === 1 ? A.inDeg[b] : A.inDeg[2 * b] + A.inDeg[2 * b + 1];
    const outb = S === 1 ? B.outDeg[b] : B.outDeg[2 * b] + B.outDeg[2 * b + 1];
    paths += inb * outb;
  }
  const wedgeCost = paths * (WEDGE_COST + T) + nA;
  const bitCost =
    nA * B.layer.nCols * words(mid) * T * WORD_COST +
    (A.layer.rowPtr[nA] + B.layer.rowPtr[B.layer.nRows]) * 0.5;
  return { paths, wedgeCost, bitCost };
}

/** Bi-parallels between layers A and B, and the soChain `pairs` count (nnz of A·B) when asked. */
function biParallelAndPairs(
  A: Aux,
  B: Aux,
  S: number,
  ws: CensusWorkspace,
  out: Float64Array,
  pairs: boolean
): void {
  const T = S * S;
  const mask = S - 1;
  const nA = A.layer.nRows;
  const nD = B.layer.nCols;
  const mid = A.layer.nCols;
  const { paths, wedgeCost, bitCost } = biParallelCosts(A, B, S);
  if (paths === 0) return;
  const acc = new Float64Array(16);
  const pairOff = PATTERN_OFFSET[SO_CHAIN];
  if (wedgeCost <= bitCost) {
    const stamp = ws.int32(STAMP, nD);
    const cnt = ws.int32(COUNTER, nD * T);
    const { rowPtr: aPtr, colIdx: aIdx, neg: aNeg } = A.layer;
    const { rowPtr: bPtr, colIdx: bIdx, neg: bNeg } = B.layer;
    let distinct = 0;
    if (T === 1) {
      const [paths2, pairs2] = twoPathsUnsigned(nA, aPtr, aIdx, bPtr, bIdx, stamp, cnt, ws);
      acc[0] += paths2;
      distinct = pairs2;
    }
    for (let a = 0; T > 1 && a < nA; a++) {
      const st = ws.nextStamp(stamp);
      for (let e = aPtr[a]; e < aPtr[a + 1]; e++) {
        const b = aIdx[e];
        const s1 = aNeg[e] & mask;
        for (let f = bPtr[b]; f < bPtr[b + 1]; f++) {
          const d = bIdx[f];
          const t = s1 * S + (bNeg[f] & mask);
          const base = d * T;
          if (stamp[d] !== st) {
            stamp[d] = st;
            cnt.fill(0, base, base + T);
            distinct++;
          }
          if (pairs && cnt[base + t] === 0) out[pairOff + t]++;
          for (let u = 0; u < T; u++) acc[t * T + u] += cnt[base + u];
          cnt[base + t]++;
        }
      }
    }
    if (pairs) out[SO_CHAIN] += distinct;
  } else {
    const rb = rowBits(A, S, ws);
    const cb = colBits(B, S, ws);
    const w = words(mid);
    const wB = words(B.layer.nRows);
    if (T === 1) {
      let total = 0;
      let distinct = 0;
      for (let a = 0; a < nA; a++) {
        const ba = a * w;
        for (let d = 0; d < nD; d++) {
          const bd = d * wB;
          let k = 0;
          for (let q = 0; q < w; q++) {
            const v = rb[ba + q] & cb[bd + q];
            k += POP16[v & 0xffff] + POP16[v >>> 16];
          }
          total += (k * (k - 1)) / 2;
          if (k > 0) distinct++;
        }
      }
      acc[0] += total;
      if (pairs) out[SO_CHAIN] += distinct;
      flushPairs(acc, T, BI_PAR_BY_PATH_TYPES, BI_PAR, PATTERN_OFFSET[BI_PAR], out);
      return;
    }
    const c = new Float64Array(T);
    for (let a = 0; a < nA; a++) {
      for (let d = 0; d < nD; d++) {
        let any = 0;
        for (let s1 = 0; s1 < S; s1++) {
          const ba = (a * S + s1) * w;
          for (let s2 = 0; s2 < S; s2++) {
            const bd = (d * S + s2) * wB;
            let k = 0;
            for (let q = 0; q < w; q++) k += popcnt(rb[ba + q] & cb[bd + q]);
            c[s1 * S + s2] = k;
            any += k;
          }
        }
        if (any === 0) continue;
        if (pairs) {
          out[SO_CHAIN]++;
          if (T > 1) for (let t = 0; t < T; t++) if (c[t] > 0) out[pairOff + t]++;
        }
        for (let t = 0; t < T; t++) {
          const ct = c[t];
          if (ct === 0) continue;
          acc[t * T + t] += choose2(ct);
          for (let u = t + 1; u < T; u++) acc[t * T + u] += ct * c[u];
        }
      }
    }
  }
  flushPairs(acc, T, BI_PAR_BY_PATH_TYPES, BI_PAR, PATTERN_OFFSET[BI_PAR], out);
}

/** Unsigned two-path counts a→b→d: [Σ_{a,d} C(paths, 2), number of (a, d) joined by ≥ 1 path]. */
function twoPathsUnsigned(
  nA: number,
  aPtr: Int32Array,
  aIdx: Int32Array,
  bPtr: Int32Array,
  bIdx: Int32Array,
  stamp: Int32Array,
  cnt: Int32Array,
  ws: CensusWorkspace
): [number, number] {
  let total = 0;
  let distinct = 0;
  for (let a = 0; a < nA; a++) {
    const st = ws.nextStamp(stamp);
    const e1 = aPtr[a + 1];
    for (let e = aPtr[a]; e < e1; e++) {
      const b = aIdx[e];
      const f1 = bPtr[b + 1];
      for (let f = bPtr[b]; f < f1; f++) {
        const d = bIdx[f];
        if (stamp[d] !== st) {
          stamp[d] = st;
          cnt[d] = 1;
          distinct++;
        } else {
          total += cnt[d]++;
        }
      }
    }
  }
  return [total, distinct];
}

/** Three-edge paths: Σ over edges b→c of B of indeg_A(b)·outdeg_C(c). */
function toChainPaths(A: Aux, B: Aux, C: Aux, S: number, out: Float64Array): void {
  const { nReal, rowPtr, colIdx, neg } = B.layer;
  const mask = S - 1;
  const off = PATTERN_OFFSET[TO_CHAIN];
  let total = 0;
  for (let b = 0; b < nReal; b++) {
    for (let e = rowPtr[b]; e < rowPtr[b + 1]; e++) {
      const c = colIdx[e];
      if (S === 1) {
        total += A.inDeg[b] * C.outDeg[c];
        continue;
      }
      const s2 = neg[e] & mask;
      for (let s1 = 0; s1 < 2; s1++) {
        for (let s3 = 0; s3 < 2; s3++)
          out[off + s1 * 4 + s2 * 2 + s3] += A.inDeg[2 * b + s1] * C.outDeg[2 * c + s3];
      }
    }
  }
  out[TO_CHAIN] += total;
}

/** (source, target) pairs joined by ≥ 1 three-edge path: nnz(A·B·C), per sign pattern when signed. */
function toChainPairs(A: Aux, B: Aux, C: Aux, S: number, ws: CensusWorkspace, out: Float64Array): void {
  const T2 = S * S;
  const mask = S - 1;
  const nA = A.layer.nRows;
  const n2 = B.layer.nCols; // neuron layer l+2 (real rows of C)
  const w2 = words(n2);
  const w3 = words(C.layer.nCols);
  const rbB = rowBits(B, S, ws);
  const rbC = rowBits(C, S, ws);
  const reach2 = ws.int32(REACH2, T2 * w2);
  const reach3 = ws.int32(REACH3, T2 * S * w3 + w3);
  const union = T2 * S * w3;
  const off = PATTERN_OFFSET[TO_CHAIN];
  const { rowPtr, colIdx, neg } = A.layer;
  for (let a = 0; a < nA; a++) {
    if (rowPtr[a] === rowPtr[a + 1]) continue;
    reach2.fill(0, 0, T2 * w2);
    reach3.fill(0, 0, union + w3);
    for (let e = rowPtr[a]; e < rowPtr[a + 1]; e++) {
      const b = colIdx[e];
      const s1 = neg[e] & mask;
      for (let s2 = 0; s2 < S; s2++) {
        const src = (b * S + s2) * w2;
        const dst = (s1 * S + s2) * w2;
        for (let q = 0; q < w2; q++) reach2[dst + q] |= rbB[src + q];
      }
    }
    for (let t = 0; t < T2; t++) {
      for (let q = 0; q < w2; q++) {
        let x = reach2[t * w2 + q];
        while (x !== 0) {
          const low = x & -x;
          const c = (q << 5) + (31 - Math.clz32(low));
          x ^= low;
          for (let s3 = 0; s3 < S; s3++) {
            const src = (c * S + s3) * w3;
            const dst = (t * S + s3) * w3;
            for (let k = 0; k < w3; k++) reach3[dst + k] |= rbC[src + k];
          }
        }
      }
    }
    for (let p = 0; p < T2 * S; p++) {
      let k = 0;
      for (let q = 0; q < w3; q++) {
        const v = reach3[p * w3 + q];
        reach3[union + q] |= v;
        k += popcnt(v);
      }
      if (S > 1) out[off + p] += k;
    }
    let k = 0;
    for (let q = 0; q < w3; q++) k += popcnt(reach3[union + q]);
    out[TO_CHAIN] += k;
  }
}
