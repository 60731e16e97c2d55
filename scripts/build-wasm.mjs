#!/usr/bin/env node
// `npm run build:wasm`: assembles every WebAssembly text file of src/ (`*.wat`) with wabt into a TypeScript
// module beside it (`x.wat` -> `x-wasm.ts`, the binary as base64), so the library, its worker threads and the
// Inspector's Web Worker load the same bytes without a file or a fetch. The generated modules are committed:
// the set-up needs no assembler, and test/core/wasm-kernels.test.ts fails when one is out of date with its
// `.wat` (run this script after editing a `.wat`). `--check` only reports whether they are up to date.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './support/common.mjs';
import { assembleWat, generatedModule, watFiles } from './support/wasm.mjs';

const check = process.argv.includes('--check');

let stale = 0;
for (const wat of watFiles(path.join(ROOT, 'src'))) {
  const target = wat.replace(/\.wat$/, '-wasm.ts');
  const text = await generatedModule(wat, await assembleWat(wat));
  const current = fs.existsSync(target) ? fs.readFileSync(target, 'utf8') : '';
  const name = path.relative(ROOT, target);
  if (current === text) {
    console.log(`${name}: up to date`);
    continue;
  }
  if (check) {
    console.log(`${name}: out of date with ${path.basename(wat)}`);
    stale++;
  } else {
    fs.writeFileSync(target, text);
    console.log(`${name}: written`);
  }
}
process.exitCode = stale === 0 ? 0 : 1;
