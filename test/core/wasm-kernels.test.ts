import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assembleWat, generatedModule, watFiles } from '../../scripts/support/wasm.mjs';
import { pairKernels } from '../../src/core/motifs/pair-kernels';
import { createRng } from '../../src/core/random';

const SRC = path.resolve(__dirname, '../../src');

/** A random 0/1 matrix as CSC (rows ascending per column) and CSR (columns ascending per row). */
function randomLayer(nRows: number, nCols: number, p: number, seed: number) {
  const rng = createRng(seed);
  const A = Array.from({ length: nRows }, () => Array.from({ length: nCols }, () => rng.next() < p));
  const cscPtr = [0];
  const cscIdx: number[] = [];
  for (let c = 0; c < nCols; c++) {
    for (let r = 0; r < nRows; r++) if (A[r][c]) cscIdx.push(r);
    cscPtr.push(cscIdx.length);
  }
  const rowPtr = [0];
  const colIdx: number[] = [];
  for (let r = 0; r < nRows; r++) {
    for (let c = 0; c < nCols; c++) if (A[r][c]) colIdx.push(c);
    rowPtr.push(colIdx.length);
  }
  return { A, cscPtr, cscIdx, rowPtr, colIdx };
}

/** Copies Int32 arrays into the kernels' memory after `start` bytes; returns their byte offsets. */
function place(start: number, arrays: number[][]): number[] {
  const wasm = pairKernels();
  const offsets: number[] = [];
  let at = start;
  for (const a of arrays) {
    offsets.push(at);
    at += 4 * Math.max(a.length, 1);
  }
  wasm.reserve(at);
  arrays.forEach((a, k) => wasm.i32.set(a, offsets[k] >> 2));
  return offsets;
}

describe('generated WebAssembly modules', () => {
  const wats = watFiles(SRC);

  it('src holds the .wat files of the census and the null samplers', () => {
    expect(wats.map(f => path.basename(f)).sort()).toEqual(
      expect.arrayContaining(['null-kernels.wat', 'pair-kernels.wat'])
    );
  });

  for (const wat of wats) {
    const name = path.basename(wat);
    it(`${name.replace(/\.wat$/, '-wasm.ts')} is the assembly of ${name} (run \`npm run build:wasm\` after editing it)`, async () => {
      const expected = await generatedModule(wat, await assembleWat(wat));
      expect(fs.readFileSync(wat.replace(/\.wat$/, '-wasm.ts'), 'utf8')).toBe(expected);
    });
  }
});

describe('pair-matrix WebAssembly kernels', () => {
  it('transpose gives the column-major view, and applied twice the rows with sorted columns (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (nRows, nCols, p, seed) => {
          const { cscPtr, cscIdx, rowPtr, colIdx } = randomLayer(nRows, nCols, p, seed);
          // the rows' columns in random order: the kernel must not rely on sorted input
          const rng = createRng(seed ^ 0x5bd1e995);
          const shuffled = colIdx.slice();
          for (let r = 0; r < nRows; r++) {
            for (let e = rowPtr[r + 1] - 1; e > rowPtr[r]; e--) {
              const k = rowPtr[r] + rng.int(e - rowPtr[r] + 1);
              [shuffled[e], shuffled[k]] = [shuffled[k], shuffled[e]];
            }
          }
          const E = colIdx.length;
          const junk = (k: number) => new Array<number>(k).fill(-3);
          const [rp, ci, tp, ti, sp, si] = place(0, [
            rowPtr,
            shuffled,
            junk(nCols + 1),
            junk(E),
            junk(nRows + 1),
            junk(E)
          ]);
          const wasm = pairKernels();
          wasm.fns.transpose(nRows, nCols, rp, ci, tp, ti);
          wasm.fns.transpose(nCols, nRows, tp, ti, sp, si);
          const read = (at: number, k: number) => Array.from(wasm.i32.subarray(at >> 2, (at >> 2) + k));
          expect(read(tp, nCols + 1)).toEqual(cscPtr);
          expect(read(ti, E)).toEqual(cscIdx);
          expect(read(sp, nRows + 1)).toEqual(rowPtr);
          expect(read(si, E)).toEqual(colIdx);
        }
      ),
      { numRuns: 60 }
    );
  });

  it('matrixFans builds R and counts Σ C(R, 2) like the definition (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        (n, nCols, p, seed) => {
          const { A, cscPtr, cscIdx } = randomLayer(n, nCols, p, seed);
          const R = 0;
          const [ptr, idx] = place(4 * Math.ceil((n * n) / 2), [cscPtr, cscIdx]);
          const wasm = pairKernels();
          // garbage in R's place first: the kernel must clear it
          new Uint16Array(wasm.fns.memory.buffer, R, n * n).fill(7);
          const fans = wasm.fns.matrixFans(R, n, nCols, ptr, idx);
          const M = new Uint16Array(wasm.fns.memory.buffer, R, n * n);
          let expected = 0;
          for (let x = 0; x < n; x++) {
            for (let y = 0; y < n; y++) {
              let shared = 0;
              for (let c = 0; c < nCols; c++) if (A[x][c] && A[y][c]) shared++;
              expect(M[x * n + y]).toBe(x < y ? shared : 0);
              if (x < y) expected += (shared * (shared - 1)) / 2;
            }
          }
          expect(fans).toBe(expected);
        }
      ),
      { numRuns: 60 }
    );
  });

  /** Bi-parallels of layers nA → n → nD by the kernels against the definition Σ_{a, d} C(two-paths a → d, 2). */
  function checkLookups(nA: number, n: number, nD: number, p: number, q: number, seed: number): void {
    const prev = randomLayer(nA, n, p, seed); // layer l−1: nA → n
    const next = randomLayer(n, nD, q, seed + 1); // layer l: n → nD
    const R = 0;
    const [ptr, idx, prevPtr, prevCols, bPtr, bIdx, cnt] = place(4 * Math.ceil((n * n) / 2), [
      next.cscPtr,
      next.cscIdx,
      prev.rowPtr,
      prev.colIdx,
      next.rowPtr,
      next.colIdx,
      new Array<number>(nD).fill(99) // the kernel clears the counter
    ]);
    const wasm = pairKernels();
    wasm.fns.matrixFans(R, n, nD, ptr, idx);
    const par = wasm.fns.lookupPairs(R, n, nA, prevPtr, prevCols, bPtr, bIdx, nD, cnt);
    let expected = 0;
    for (let a = 0; a < nA; a++) {
      for (let d = 0; d < nD; d++) {
        let paths = 0;
        for (let b = 0; b < n; b++) if (prev.A[a][b] && next.A[b][d]) paths++;
        expected += (paths * (paths - 1)) / 2;
      }
    }
    expect(par).toBe(expected);
  }

  it('lookupPairs counts bi-parallels a→{b, b′}→d like the definition (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.integer(),
        checkLookups
      ),
      { numRuns: 80 }
    );
  });

  it('lookupPairs counts dense rows of layer l−1 through their two-paths, and mixed with look-up rows', () => {
    // rows of ~36 columns into targets of out-degree ~1: C(36, 2) = 630 look-ups > 2 · 36 two-path steps
    for (let seed = 0; seed < 10; seed++) checkLookups(6, 40, 30, 0.9, 0.04, seed);
    // a few dense rows among sparse ones
    for (let seed = 0; seed < 10; seed++) checkLookups(12, 40, 30, 0.35, 0.05, seed);
  });
});
