/**
 * Bi-fans and bi-parallels: node pairs with ≥ 2 shared partners, counted per layer with the cheaper of a
 * sparse wedge count (cost ≈ the number of two-paths) and a 32-bit bitset count (cost ≈ node pairs × words),
 * and the `pairs`-convention `soChain` (`nnz(A·B)`) that comes with the two-path enumeration.
 */
import {
  BI_FAN,
  BI_FAN_BY_SOURCE_TYPES,
  BI_FAN_BY_TARGET_TYPES,
  BI_PAR,
  BI_PAR_BY_PATH_TYPES,
  PATTERN_OFFSET,
  SO_CHAIN
} from './keys';
import { type Aux, choose2, colBits, csc, popcnt, rowBits, sortedRows, words } from './layer-views';
import { COUNTER, CensusWorkspace, STAMP } from './workspace';

// Relative costs per elementary step, for choosing a strategy (measured roughly; only speed depends on them).
const WEDGE_COST = 3;

export const WORD_COST = 1.5;

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
export function rowPairWedges(a: Aux, S: number): number {
  let w = 0;
  for (let c = 0; c < a.layer.nCols; c++)
    w += choose2(S === 1 ? a.inDeg[c] : a.inDeg[2 * c] + a.inDeg[2 * c + 1]);
  return w;
}

/** Σ_rows C(outdeg, 2): the column pairs met through a shared row (wedges centred on a row). */
export function colPairWedges(a: Aux, S: number): number {
  let w = 0;
  for (let r = 0; r < a.layer.nRows; r++)
    w += choose2(S === 1 ? a.outDeg[r] : a.outDeg[2 * r] + a.outDeg[2 * r + 1]);
  return w;
}

/** The estimated costs of the four {@link biFan} strategies: wedges by rows, by columns, bitsets of rows, of columns. */
export function biFanCosts(a: Aux, S: number): number[] {
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
export function biFan(a: Aux, S: number, ws: CensusWorkspace, out: Float64Array): void {
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
        k += popcnt(bits[bx + q] & bits[by + q]);
      }
      total += (k * (k - 1)) / 2;
    }
  }
  return total;
}

/** Two-paths a→b→d between layers A and B, and the estimated costs of the wedge and bitset strategies. */
export function biParallelCosts(
  A: Aux,
  B: Aux,
  S: number
): { paths: number; wedgeCost: number; bitCost: number } {
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
export function biParallelAndPairs(
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
            k += popcnt(rb[ba + q] & cb[bd + q]);
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
