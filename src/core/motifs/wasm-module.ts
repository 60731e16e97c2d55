/**
 * Loading the project's WebAssembly modules (`*.wat`, assembled into `*-wasm.ts` by `npm run build:wasm`):
 * one instance per module and thread (kernel, worker threads, the Inspector's Web Worker), created on first
 * use, whose memory grows to the largest input seen.
 */

/** The parts of the WebAssembly API used here (core compiles without the DOM or WebAssembly typings). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  readonly Module: new (bytes: Uint8Array) => object;
  readonly Instance: new (module: object, imports: object) => { readonly exports: unknown };
}

const PAGE = 65536;

/**
 * A module's functions and an Int32 view of its memory. Offsets are bytes; {@link WasmKernels.reserve}
 * grows the memory (which replaces the buffer) and must be called before the view is filled.
 */
export class WasmKernels<F extends { readonly memory: WasmMemory }> {
  readonly fns: F;
  i32: Int32Array;

  constructor(fns: F) {
    this.fns = fns;
    this.i32 = new Int32Array(fns.memory.buffer);
  }

  /** Makes the memory at least `bytes` long; the view is renewed when it grows. */
  reserve(bytes: number): void {
    const memory = this.fns.memory;
    if (memory.buffer.byteLength < bytes) memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / PAGE));
    this.view();
  }

  /** The Int32 view, renewed when the memory grew (by {@link WasmKernels.reserve} or inside a kernel). */
  view(): Int32Array {
    const buffer = this.fns.memory.buffer;
    if (this.i32.buffer !== buffer) this.i32 = new Int32Array(buffer);
    return this.i32;
  }
}

/** The exports of a new instance of the module whose bytes are `base64` (it imports nothing). */
export function instantiateWasm(base64: string, what: string): unknown {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;
  if (api === undefined) throw new Error(`${what} needs WebAssembly, which this JavaScript runtime lacks`);
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return new api.Instance(new api.Module(bytes), {}).exports;
}
