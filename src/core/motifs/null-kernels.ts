/**
 * The WebAssembly placement of the `'random-pruning'` and `'gnm'` null samplers and the sign shuffle of every
 * null model (`null-kernels.wat`,
 * assembled into `null-kernels-wasm.ts` by `npm run build:wasm`): one instance per thread, created on first
 * use (`wasm-module.ts`). Memory: bytes 0–15 hold the random state handed over with `saveRngState` /
 * `loadRngState` (`random.ts`), then the occupancy matrix (all zeros between calls), then the arrays of
 * the layer being sampled, laid out by `null-sampler.ts`.
 */
import { nullKernelsWasm } from './null-kernels-wasm';
import { type WasmMemory, WasmKernels, instantiateWasm } from './wasm-module';

interface NullExports {
  readonly memory: WasmMemory;
  placeLayer(
    authors: number,
    n: number,
    m: number,
    W: number,
    K: number,
    nReal: number,
    bias: number,
    nTargets: number,
    occ: number,
    liveRows: number,
    liveCols: number,
    pool: number,
    rowPtr: number,
    colIdx: number,
    list: number,
    rowOf: number,
    start: number,
    perm: number,
    zeros: number
  ): number;
  shuffleSigns(neg: number, W: number, K: number): void;
  ints(n: number, count: number, out: number): void;
}

/** Int32 index of the random state (bytes 0–15). */
export const STATE = 0;
/** Byte offset of the occupancy matrix. */
export const OCC = 16;

/** The null-sampler kernels: functions, memory, and the size of the occupancy matrix. */
export class NullKernels extends WasmKernels<NullExports> {
  private occBytes = 0;

  /**
   * Makes the occupancy matrix at least `entries` bytes long, clearing what it gains (the arrays of earlier
   * calls lay there), and returns the byte offset after it, 4-byte aligned.
   */
  occupancy(entries: number): number {
    if (entries > this.occBytes) {
      const bytes = 4 * Math.ceil(entries / 4);
      this.reserve(OCC + bytes);
      new Uint8Array(this.fns.memory.buffer, OCC + this.occBytes, bytes - this.occBytes).fill(0);
      this.occBytes = bytes;
    }
    return OCC + this.occBytes;
  }
}

let instance: NullKernels | undefined;

/** This thread's instance of the null-sampler kernels. */
export function nullKernels(): NullKernels {
  instance ??= new NullKernels(instantiateWasm(nullKernelsWasm, 'the null samplers') as NullExports);
  return instance;
}
