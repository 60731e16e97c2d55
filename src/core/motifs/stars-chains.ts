/**
 * Counts that follow from degrees and reachability: edges, diverging and converging stars (per sign pattern
 * when signed), two- and three-edge chains in the `paths` convention, and three-edge chains in the `pairs`
 * convention (`nnz(A·B·C)` through bitsets of reached targets).
 */
import { EDGES, PATTERN_OFFSET, SO_CHAIN, SO_CONV, SO_DIV, TO_CHAIN, TO_CONV, TO_DIV } from './keys';
import { type Aux, choose2, choose3, popcnt, rowBits, words } from './layer-views';
import { CensusWorkspace, REACH2, REACH3 } from './workspace';

export function singleLayerCounts(a: Aux, S: number, out: Float64Array): void {
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

/** Two-edge paths through the real neurons between layers A and B: Σ_b indeg_A(b)·outdeg_B(b). */
export function soChainPaths(A: Aux, B: Aux, S: number, out: Float64Array, pairs: boolean): void {
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

/** Three-edge paths: Σ over edges b→c of B of indeg_A(b)·outdeg_C(c). */
export function toChainPaths(A: Aux, B: Aux, C: Aux, S: number, out: Float64Array): void {
  const { nReal, rowPtr, colIdx, neg } = B.layer;
  if (S === 1) {
    out[TO_CHAIN] += unsignedToChainPaths(nReal, rowPtr, colIdx, A.inDeg, C.outDeg);
    return;
  }
  const mask = S - 1;
  const off = PATTERN_OFFSET[TO_CHAIN];
  // signed: per pattern only (countMotifGraph sums the patterns into the total)
  for (let b = 0; b < nReal; b++) {
    for (let e = rowPtr[b]; e < rowPtr[b + 1]; e++) {
      const c = colIdx[e];
      const s2 = neg[e] & mask;
      for (let s1 = 0; s1 < 2; s1++) {
        for (let s3 = 0; s3 < 2; s3++)
          out[off + s1 * 4 + s2 * 2 + s3] += A.inDeg[2 * b + s1] * C.outDeg[2 * c + s3];
      }
    }
  }
}

/**
 * Unsigned {@link toChainPaths} (every null sample): Σ_b indeg(b) · Σ_{b→c} outdeg(c), the arrays in
 * locals and rows without an in-edge skipped (0.12 → 0.03 ms per moth null in a CPU profile; the per-edge
 * form was the largest JavaScript part of the census once the matrix loops ran in WebAssembly).
 */
function unsignedToChainPaths(
  nReal: number,
  rowPtr: Int32Array,
  colIdx: Int32Array,
  inDeg: Int32Array,
  outDeg: Int32Array
): number {
  let total = 0;
  for (let b = 0; b < nReal; b++) {
    const w = inDeg[b];
    if (w === 0) continue;
    let s = 0;
    const e1 = rowPtr[b + 1];
    for (let e = rowPtr[b]; e < e1; e++) s += outDeg[colIdx[e]];
    total += w * s;
  }
  return total;
}

/** (source, target) pairs joined by ≥ 1 three-edge path: nnz(A·B·C), per sign pattern when signed. */
export function toChainPairs(
  A: Aux,
  B: Aux,
  C: Aux,
  S: number,
  ws: CensusWorkspace,
  out: Float64Array
): void {
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
