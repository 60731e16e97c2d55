/**
 * The WebAssembly loops of the source-pair matrix census (`pair-kernels.wat`, assembled into
 * `pair-kernels-wasm.ts` by `npm run build:wasm`): one instance per thread, created on first use, whose
 * memory grows to the largest layer counted (`wasm-module.ts`).
 */
import { pairKernelsWasm } from './pair-kernels-wasm';
import { type WasmMemory, WasmKernels, instantiateWasm } from './wasm-module';

interface PairExports {
  readonly memory: WasmMemory;
  transpose(nRows: number, nCols: number, rowPtr: number, colIdx: number, ptr: number, idx: number): void;
  matrixFans(r: number, n: number, nCols: number, ptr: number, idx: number): number;
  lookupPairs(
    r: number,
    n: number,
    nRows: number,
    rowPtr: number,
    cols: number,
    bPtr: number,
    bIdx: number,
    nColsB: number,
    cnt: number
  ): number;
}

/** The pair-matrix kernels: functions and memory. */
export type PairKernels = WasmKernels<PairExports>;

let instance: PairKernels | undefined;

/** This thread's instance of the pair-matrix kernels. */
export function pairKernels(): PairKernels {
  instance ??= new WasmKernels(instantiateWasm(pairKernelsWasm, 'the motif census') as PairExports);
  return instance;
}
