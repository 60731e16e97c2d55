/**
 * The WebAssembly loops of the source-pair matrix census (`pair-kernels.wat`, assembled into
 * `pair-kernels-wasm.ts` by `npm run build:wasm`): one instance per thread (kernel, worker threads, the
 * Inspector's Web Worker), created on first use, whose memory grows to the largest layer counted.
 */
import { pairKernelsWasm } from './pair-kernels-wasm';

/** The parts of the WebAssembly API used here (core compiles without the DOM or WebAssembly typings). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}
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

const PAGE = 65536;

/**
 * The module's functions and typed views of its memory. Offsets are bytes; {@link PairKernels.reserve}
 * grows the memory (which replaces the buffer) and must be called before the views are filled.
 */
export class PairKernels {
  readonly fns: PairExports;
  i32: Int32Array;

  constructor(fns: PairExports) {
    this.fns = fns;
    this.i32 = new Int32Array(fns.memory.buffer);
  }

  /** Makes the memory at least `bytes` long; the views are renewed when it grows. */
  reserve(bytes: number): void {
    const memory = this.fns.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
      this.i32 = new Int32Array(memory.buffer);
    }
  }
}

let instance: PairKernels | undefined;

/** This thread's instance of the pair-matrix kernels. */
export function pairKernels(): PairKernels {
  if (instance !== undefined) return instance;
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined)
    throw new Error('the motif census needs WebAssembly, which this JavaScript runtime lacks');
  const text = atob(pairKernelsWasm);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  const { exports } = new api.Instance(new api.Module(bytes), {});
  instance = new PairKernels(exports as PairExports);
  return instance;
}
