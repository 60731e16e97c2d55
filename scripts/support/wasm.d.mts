// Types of wasm.mjs for the tests (test/core/wasm-kernels.test.ts).
export function assembleWat(file: string): Promise<Buffer>;
export function generatedModule(watFile: string, bytes: Buffer): Promise<string>;
export function watFiles(dir: string): string[];
