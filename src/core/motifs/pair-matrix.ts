/**
 * The source-pair matrix strategy of the unsigned `paths` census (the one the null models run thousands of
 * times): a dense matrix of the targets shared by every source pair of a layer gives its bi-fans and, read
 * at the column pairs of the previous layer's rows, the bi-parallels of the two layers.
 */
import { BI_FAN, BI_PAR } from './keys';
import { type Aux, csc, sortedRows } from './layer-views';
import { biFanCosts, biParallelCosts, colPairWedges, rowPairWedges } from './shared-partners';
import { COUNTER, CensusWorkspace, PAIR_MATRIX } from './workspace';

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
export const NO_MATRIX = 0;

const MATRIX = 1; // bi-fan of layer l from R_l

export const MATRIX_AND_LOOKUP = 2; // and biParallel(l−1, l) by lookups in R_l

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
 * says is cheaper than the wedge/bitset strategies of `biFan` and `biParallelAndPairs` (`shared-partners.ts`).
 * Unsigned `paths` census only (the matrix holds no signs and gives no `pairs` chain counts).
 */
export function pairMatrixPlan(aux: Aux[]): Uint8Array {
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
 *
 * The three loops (matrix, look-ups, dense rows) are separate functions: in one function V8 optimised the
 * matrix loop on stack replacement before the dense-row branch (the bias node, the last row) had ever run,
 * and deoptimised on reaching it, again and again (140 deoptimisations in 1000 moth nulls on two threads,
 * each followed by a call in the interpreter).
 */
export function pairMatrixCounts(
  aux: Aux[],
  l: number,
  lookup: boolean,
  ws: CensusWorkspace,
  out: Float64Array
): void {
  const a = aux[l];
  const n = a.layer.nRows;
  const R = ws.uint16(PAIR_MATRIX, n * n);
  R.fill(0, 0, n * n);
  const c = csc(a, ws); // rows ascending within every column
  out[BI_FAN] += matrixFans(R, n, a.layer.nCols, c.ptr, c.idx);
  if (!lookup) return;
  const A = aux[l - 1];
  // columns of layer l−1 = real sources of layer l, ascending per row
  out[BI_PAR] += lookupPairs(R, n, A.layer.nRows, A.layer.rowPtr, sortedRows(A, ws).idx, a, ws);
}

/** Builds R (n × n, pairs x < y of rows sharing a column) and returns Σ_{x<y} C(R[x, y], 2). */
function matrixFans(R: Uint16Array, n: number, nCols: number, ptr: Int32Array, idx: Int32Array): number {
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
  return fans;
}

/** Σ over the rows of layer l−1 of R at their column pairs; dense rows through {@link densePathPairs}. */
function lookupPairs(
  R: Uint16Array,
  n: number,
  nRows: number,
  rowPtr: Int32Array,
  cols: Int32Array,
  a: Aux,
  ws: CensusWorkspace
): number {
  const outDeg = a.outDeg;
  let par = 0;
  for (let r = 0; r < nRows; r++) {
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
    } else par += densePathPairs(a, cols, e0, e1, ws);
  }
  return par;
}

/**
 * Bi-parallels through one dense row of layer l−1 (a bias node; its columns `cols[e0 … e1)`): cheaper to
 * count its two-paths r→b→d per target d of layer l, Σ_d C(paths, 2), than to read C(k, 2) matrix entries.
 */
function densePathPairs(a: Aux, cols: Int32Array, e0: number, e1: number, ws: CensusWorkspace): number {
  const { rowPtr: bPtr, colIdx: bIdx, nCols } = a.layer;
  const cnt = ws.int32(COUNTER, nCols);
  cnt.fill(0, 0, nCols);
  let par = 0;
  for (let i = e0; i < e1; i++) {
    const b = cols[i];
    const f1 = bPtr[b + 1];
    for (let f = bPtr[b]; f < f1; f++) par += cnt[bIdx[f]]++;
  }
  return par;
}
