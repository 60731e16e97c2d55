/**
 * The source-pair matrix strategy of the unsigned `paths` census (the one the null models run thousands of
 * times): a dense matrix of the targets shared by every source pair of a layer gives its bi-fans and, read
 * at the column pairs of the previous layer's rows, the bi-parallels of the two layers.
 */
import { BI_FAN, BI_PAR } from './keys';
import { type Aux } from './layer-views';
import { biFanCosts, biParallelCosts, colPairWedges, rowPairWedges } from './shared-partners';
import { pairKernels } from './pair-kernels';

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
// The increments and reads run in WebAssembly, ~3x cheaper than they were in JavaScript (1.2 and 0.6): with
// these the 30 % moth network counts its two 400 x 400 layers through R, 30 % less time per null sample.
const PAIR_COST = 0.4;

const LOOKUP_COST = 0.2;

const CLEAR_COST = 0.02;

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
 * Everything runs in WebAssembly (`pair-kernels.wat`): the rows of layer l (and of layer l−1 for the
 * look-ups) are copied into the module's memory beside R, where the column-major view and the sorted rows
 * are built too (a few times the edge count in bytes, against C(in-degree, 2) matrix updates per column).
 */
export function pairMatrixCounts(aux: Aux[], l: number, lookup: boolean, out: Float64Array): void {
  const { nRows: n, nCols, rowPtr, colIdx } = aux[l].layer;
  const E = rowPtr[n];
  const wasm = pairKernels();
  // byte offsets: R (n × n Uint16), then Int32 arrays: layer l's rows and its column-major view
  const R = 0;
  const bPtr = R + 4 * Math.ceil((n * n) / 2);
  const bIdx = bPtr + 4 * (n + 1);
  const ptr = bIdx + 4 * E;
  const idx = ptr + 4 * (nCols + 1);
  let end = idx + 4 * E;
  // look-ups: layer l−1's rows, its column-major view, its rows again with sorted columns, a counter
  const A = lookup ? aux[l - 1].layer : undefined;
  const nPrev = A === undefined ? 0 : A.nRows;
  const EPrev = A === undefined ? 0 : A.rowPtr[nPrev];
  const aPtr = end;
  const aIdx = aPtr + 4 * (nPrev + 1);
  const tPtr = aIdx + 4 * EPrev;
  const tIdx = tPtr + 4 * (n + 1);
  const sPtr = tIdx + 4 * EPrev;
  const sIdx = sPtr + 4 * (nPrev + 1);
  const cnt = sIdx + 4 * EPrev;
  if (A !== undefined) end = cnt + 4 * nCols;
  wasm.reserve(end);
  const m = wasm.i32;
  const f = wasm.fns;
  m.set(rowPtr.subarray(0, n + 1), bPtr >> 2);
  m.set(colIdx.subarray(0, E), bIdx >> 2);
  f.transpose(n, nCols, bPtr, bIdx, ptr, idx); // rows ascending within every column
  out[BI_FAN] += f.matrixFans(R, n, nCols, ptr, idx);
  if (A === undefined) return;
  // columns of layer l−1 = real sources of layer l, ascending per row after two transpositions
  m.set(A.rowPtr.subarray(0, nPrev + 1), aPtr >> 2);
  m.set(A.colIdx.subarray(0, EPrev), aIdx >> 2);
  f.transpose(nPrev, A.nCols, aPtr, aIdx, tPtr, tIdx);
  f.transpose(A.nCols, nPrev, tPtr, tIdx, sPtr, sIdx);
  out[BI_PAR] += f.lookupPairs(R, n, nPrev, sPtr, sIdx, bPtr, bIdx, nCols, cnt);
}
