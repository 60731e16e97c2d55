/**
 * Derived views of one census layer, built lazily per count: degrees, the column-major copy, rows with sorted
 * columns, and row/column bitsets; plus the popcount and binomial helpers the counters share.
 */
import { type MotifLayer } from '../live';
import {
  COL_BITS,
  CSC_IDX,
  CSC_NEG,
  CSC_PTR,
  CensusWorkspace,
  IN_DEG,
  OUT_DEG,
  PER_LAYER,
  ROW_BITS,
  SORTED_IDX,
  SORTED_NEG,
  TOUCHED
} from './workspace';

/** Per-call view of one layer's derived arrays. */
export interface Aux {
  readonly layer: MotifLayer;
  readonly index: number;
  readonly outDeg: Int32Array; // nRows * S
  readonly inDeg: Int32Array; // nCols * S
  /** Signed census (S = 2): the views copy the edge signs; unsigned, their `neg` arrays are left unspecified. */
  readonly signed: boolean;
  // derived lazily; always present (undefined until built) so every Aux has the same hidden class
  csc: { ptr: Int32Array; idx: Int32Array; neg: Uint8Array } | undefined;
  sorted: { idx: Int32Array; neg: Uint8Array } | undefined;
  rowBits: Int32Array | undefined; // (r*S + s) * words(nCols)
  colBits: Int32Array | undefined; // (c*S + s) * words(nRows)
}

export function degrees(layer: MotifLayer, l: number, S: number, ws: CensusWorkspace): Aux {
  const { nRows, nCols, rowPtr, colIdx, neg } = layer;
  const outDeg = ws.int32(l * PER_LAYER + OUT_DEG, nRows * S);
  const inDeg = ws.int32(l * PER_LAYER + IN_DEG, nCols * S);
  if (S !== 1) outDeg.fill(0, 0, nRows * S);
  inDeg.fill(0, 0, nCols * S);
  if (S === 1) {
    // unsigned (every null sample): out-degrees are the row lengths, one pass over the columns
    for (let r = 0; r < nRows; r++) outDeg[r] = rowPtr[r + 1] - rowPtr[r];
    const E = rowPtr[nRows];
    for (let e = 0; e < E; e++) inDeg[colIdx[e]]++;
  } else {
    for (let r = 0; r < nRows; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        const s = neg[e] & 1;
        outDeg[r * S + s]++;
        inDeg[colIdx[e] * S + s]++;
      }
    }
  }
  return {
    layer,
    index: l,
    outDeg,
    inDeg,
    signed: S > 1,
    csc: undefined,
    sorted: undefined,
    rowBits: undefined,
    colBits: undefined
  };
}

export const choose2 = (n: number): number => (n * (n - 1)) / 2;

export const choose3 = (n: number): number => (n * (n - 1) * (n - 2)) / 6;

export function words(bits: number): number {
  return (bits + 31) >>> 5;
}

/** Bits set in every 16-bit value (a table lookup beats the SWAR popcount in the hot loops). */
const POP16 = Uint8Array.from({ length: 65536 }, (_, v) => {
  let k = 0;
  for (let x = v; x !== 0; x &= x - 1) k++;
  return k;
});

/** Bits set in a 32-bit value: the one popcount of the census (two table lookups). */
export function popcnt(x: number): number {
  return POP16[x & 0xffff] + POP16[x >>> 16];
}

/** Column-major copy (sorted by row within each column; with the edge signs only for a signed census). */
export function csc(a: Aux, ws: CensusWorkspace): { ptr: Int32Array; idx: Int32Array; neg: Uint8Array } {
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
    }
  }
  if (a.signed) {
    fillPos.set(ptr.subarray(0, nCols));
    for (let e = 0; e < E; e++) cneg[fillPos[colIdx[e]]++] = neg[e];
  }
  a.csc = { ptr, idx, neg: cneg };
  return a.csc;
}

/** Row-major copy with the columns of every row sorted (the transpose of the CSC; signs as {@link csc}). */
export function sortedRows(a: Aux, ws: CensusWorkspace): { idx: Int32Array; neg: Uint8Array } {
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
      idx[fillPos[c.idx[p]]++] = col;
    }
  }
  if (a.signed) {
    fillPos.set(rowPtr.subarray(0, nRows));
    for (let p = 0; p < E; p++) sneg[fillPos[c.idx[p]]++] = c.neg[p];
  }
  a.sorted = { idx, neg: sneg };
  return a.sorted;
}

export function rowBits(a: Aux, S: number, ws: CensusWorkspace): Int32Array {
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

export function colBits(a: Aux, S: number, ws: CensusWorkspace): Int32Array {
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
