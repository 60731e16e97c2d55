import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  applyPatches,
  findRemovedApis,
  PATCHES,
  sweepRemovedApis
} from '../../scripts/support/node-compat.mjs';

describe('findRemovedApis', () => {
  it('follows every way compiled and hand-written code binds a built-in module', () => {
    const cases: [string, string][] = [
      ['var util_1 = require("util");\nif ((0, util_1.isNullOrUndefined)(x)) {}', 'util.isNullOrUndefined'],
      ["const u = require('node:util'); u.log('x');", 'util.log'],
      ["import * as u from 'util'; u.isString(s);", 'util.isString'],
      ["import { isDate as d } from 'node:util';", 'util.isDate'],
      ["const { isFunction, promisify } = require('util');", 'util.isFunction'],
      ["require('util').isBuffer(b)", 'util.isBuffer'],
      ["var fs = require('fs'); fs.access(p, fs.R_OK, cb);", 'fs.R_OK'],
      ["const { SlowBuffer } = require('buffer');", 'buffer.SlowBuffer'],
      ["const c = require('crypto'); c.createCipher('aes', k);", 'crypto.createCipher'],
      ['process.assert(ok);', 'process.assert'],
      ['fs.rmdirSync(dir, { recursive: true });', 'fs.rmdir({ recursive })']
    ];
    for (const [code, api] of cases)
      expect(
        findRemovedApis(code).map(f => f.api),
        code
      ).toEqual([api]);
  });

  it('ignores what is still there, same-named members of other objects and prototype names', () => {
    const code = [
      "var util_1 = require('util'); util_1.promisify(f); util_1.types.isDate(d); util_1.inspect(x);",
      "var fs = require('fs'); fs.constructor; fs.toString(); fs.constants.F_OK;",
      'var util = require("./util"); util.isString(s); tf.util.isNullOrUndefined(x);',
      'fs.rmSync(dir, { recursive: true });'
    ].join('\n');
    expect(findRemovedApis(code)).toEqual([]);
  });

  it('reports the line of each use', () => {
    expect(
      findRemovedApis("var u = require('util');\n\nu.isNull(a);\nu.isNull(b);").map(f => f.line)
    ).toEqual([3, 4]);
  });
});

describe('what the kernel side loads, after the set-up', () => {
  it('uses no Node API removed in Node 22-26 (tfjs, tfjs-node patched, tslab, our lib/ and scripts)', () => {
    const sweep = sweepRemovedApis();
    // The closure holds tfjs, tfjs-node and tslab with their dependencies: well over a hundred packages.
    expect(sweep.packages).toBeGreaterThan(100);
    expect(sweep.files).toBeGreaterThan(1000);
    expect(sweep.findings).toEqual([]);
  }, 60_000);
});

describe('applyPatches', () => {
  const spec = PATCHES[0];
  // The lines of tfjs-node 4.22.0 the patch rewrites, as published (dist/ is compiled TypeScript).
  const backend = [
    'var util_1 = require("util");',
    'function createTensorsTypeOpAttr(attrName, tensorsOrDtype) {',
    '    if ((0, util_1.isNullOrUndefined)(tensorsOrDtype)) { throw new Error("Invalid input tensors value."); }',
    '}',
    'function createOpAttr(attrName, tensorsOrDtype, value) {',
    '    if ((0, util_1.isNullOrUndefined)(tensorsOrDtype)) { throw new Error("Invalid input tensors value."); }',
    '}',
    'function getTFDTypeForInputs(tensors) {',
    '    if ((0, util_1.isNullOrUndefined)(tensors)) { return "null"; }',
    '    if ((0, util_1.isArray)(tensors)) { return "array"; }',
    '    return "single";',
    '}',
    'exports.getTFDTypeForInputs = getTFDTypeForInputs;'
  ].join('\n');
  const topk = [
    'var util_1 = require("util");',
    'exports.counts = function (k, sorted) {',
    '    var kCount = (0, util_1.isNullOrUndefined)(k) ? 1 : k;',
    '    var isSorted = (0, util_1.isNullOrUndefined)(sorted) ? true : sorted;',
    '    return [kCount, isSorted];',
    '};'
  ].join('\n');

  function fakeInstall(version: string): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-patch-'));
    const dir = path.join(root, 'node_modules', spec.package);
    fs.mkdirSync(path.join(dir, 'dist', 'kernels'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: spec.package, version }));
    fs.writeFileSync(path.join(dir, 'dist', 'nodejs_kernel_backend.js'), backend);
    fs.writeFileSync(path.join(dir, 'dist', 'kernels', 'TopK.js'), topk);
    return dir;
  }

  it('replaces the removed util calls by their meaning, once, and keeps the behaviour', () => {
    const dir = fakeInstall(spec.version);
    expect(applyPatches(path.resolve(dir, '..', '..', '..'))).toMatch(/patched \(2 files\)/);
    const patched = fs.readFileSync(path.join(dir, 'dist', 'nodejs_kernel_backend.js'), 'utf8');
    expect(findRemovedApis(patched)).toEqual([]);
    expect(patched).toContain('if ((tensors == null))');
    expect(patched).toContain('if (Array.isArray(tensors))');
    // Behaviour, on whatever Node runs the tests (the originals throw on Node >= 23).
    const mod = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
    new Function('module', 'exports', 'require', patched)(mod, mod.exports, require);
    const f = mod.exports.getTFDTypeForInputs;
    expect([f(undefined), f(null), f([1]), f({ dtype: 'float32' })]).toEqual([
      'null',
      'null',
      'array',
      'single'
    ]);
    const top = { exports: {} as Record<string, (...a: unknown[]) => unknown> };
    const topText = fs.readFileSync(path.join(dir, 'dist', 'kernels', 'TopK.js'), 'utf8');
    new Function('module', 'exports', 'require', topText)(top, top.exports, require);
    expect([top.exports.counts(undefined, null), top.exports.counts(3, false)]).toEqual([
      [1, true],
      [3, false]
    ]);
    // A second run changes nothing.
    expect(applyPatches(path.resolve(dir, '..', '..', '..'))).toMatch(/already patched/);
  });

  it('refuses another tfjs-node version instead of half-patching it', () => {
    const dir = fakeInstall('4.23.0');
    expect(() => applyPatches(path.resolve(dir, '..', '..', '..'))).toThrow(/4\.23\.0.*for 4\.22\.0/);
  });

  it('refuses a file whose calls do not match the expected count', () => {
    const dir = fakeInstall(spec.version);
    fs.appendFileSync(path.join(dir, 'dist', 'kernels', 'TopK.js'), '\n(0, util_1.isNullOrUndefined)(z);');
    expect(() => applyPatches(path.resolve(dir, '..', '..', '..'))).toThrow(
      /expected 2 calls of util.isNullOrUndefined, found 3/
    );
  });
});
