// Makes the native binding of @tensorflow/tfjs-node work, offline if need be.
//
// Its own install script downloads libtensorflow and a prebuilt binding from Google storage, which fails
// without internet. The fallback builds the binding from source against the TensorFlow C library shipped in
// the `tensorflow-cpu` wheel on PyPI (libtensorflow_cc.so.2 exports the C and eager C API). Paths, in order:
//   1. the binding already loads                       -> nothing to do
//   2. a binding built earlier is in the cache          -> restore it (hard links, seconds)
//   3. the package's own install script                 -> downloads libtensorflow (needs internet)
//   4. build from source against the tensorflow-cpu wheel (PyPI only)
//   5. none worked                                      -> loud warning; the kernel helpers use pure-JS tfjs
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import {
  ROOT,
  SHARED_CACHE_DIR,
  SetupError,
  envWithPath,
  exists,
  info,
  loudWarning,
  run,
  stampMatches,
  writeStamp,
  hashInputs
} from './common.mjs';

export const TENSORFLOW_WHEEL = 'tensorflow-cpu==2.21.0';
const PACKAGE_DIR = path.join(ROOT, 'node_modules', '@tensorflow', 'tfjs-node');
const DOWNLOAD_TIMEOUT_S = Number(process.env.NNMOTIFS_TFJS_DOWNLOAD_TIMEOUT ?? 120);

function packageJson() {
  return JSON.parse(fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'), 'utf8'));
}

/** node-pre-gyp builds for the highest N-API version that both the package and this Node support. */
function bindingPath(pkg) {
  const napi = Math.max(...pkg.binary.napi_versions.filter(v => v <= Number(process.versions.napi)));
  const modulePath = pkg.binary.module_path.replace('{napi_build_version}', String(napi));
  return { napi, file: path.join(PACKAGE_DIR, modulePath, `${pkg.binary.module_name}.node`) };
}

function cacheKey(pkg, napi) {
  return `tfjs-node-${pkg.version}-${process.platform}-${process.arch}-napi${napi}`;
}

/** Loads tfjs-node in a fresh Node and multiplies two matrices on its backend. */
async function bindingWorks() {
  const probe = [
    "const tf = require('@tensorflow/tfjs-node');",
    "if (tf.getBackend() !== 'tensorflow') throw new Error('backend is ' + tf.getBackend());",
    'const a = tf.ones([64, 64]);',
    'const s = tf.matMul(a, a).sum().dataSync()[0];',
    "if (s !== 64 * 64 * 64) throw new Error('matMul gave ' + s);",
    // TopK and a gradient step go through tfjs-node's op-attribute helpers, which called util functions
    // removed in Node 23 (patched by node-compat.mjs): a binding that loads but cannot train fails here.
    "const top = tf.topk(tf.tensor1d([3, 1, 2]), 2).values.dataSync().join(',');",
    "if (top !== '3,2') throw new Error('topk gave ' + top);",
    'const w = tf.variable(tf.scalar(1));',
    'tf.train.sgd(0.5).minimize(() => w.square());',
    "if (w.dataSync()[0] !== 0) throw new Error('sgd step gave ' + w.dataSync()[0]);",
    "console.log('tfjs-node OK: backend ' + tf.getBackend() + ', TensorFlow ' + tf.version.tfjs);"
  ].join('\n');
  const env = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '2' };
  const result = await run(process.execPath, ['-e', probe], {
    env,
    check: false,
    logName: 'tfjs-node-probe',
    quiet: true
  });
  return result.code === 0;
}

/** Hard-links (or copies across file systems) a tree, keeping symbolic links as links. */
function linkTree(from, to) {
  const stat = fs.lstatSync(from);
  if (stat.isSymbolicLink()) {
    fs.rmSync(to, { force: true });
    fs.symlinkSync(fs.readlinkSync(from), to);
  } else if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    for (const name of fs.readdirSync(from)) linkTree(path.join(from, name), path.join(to, name));
  } else {
    fs.rmSync(to, { force: true });
    try {
      fs.linkSync(from, to);
    } catch {
      fs.copyFileSync(from, to);
    }
  }
}

function saveToCache(pkg, napi) {
  const dir = path.join(SHARED_CACHE_DIR, 'tfjs-node', cacheKey(pkg, napi));
  fs.rmSync(dir, { recursive: true, force: true });
  linkTree(path.join(PACKAGE_DIR, 'deps'), path.join(dir, 'deps'));
  linkTree(path.join(PACKAGE_DIR, 'lib'), path.join(dir, 'lib'));
  fs.writeFileSync(path.join(dir, 'complete'), 'ok\n');
}

function restoreFromCache(pkg, napi) {
  const dir = path.join(SHARED_CACHE_DIR, 'tfjs-node', cacheKey(pkg, napi));
  if (!exists(path.join(dir, 'complete'))) return false;
  for (const part of ['deps', 'lib']) {
    fs.rmSync(path.join(PACKAGE_DIR, part), { recursive: true, force: true });
    linkTree(path.join(dir, part), path.join(PACKAGE_DIR, part));
  }
  return true;
}

/** Node's own headers next to the running node (e.g. /usr/include/node), so node-gyp downloads nothing. */
function nodeGypEnv() {
  const prefix = path.resolve(path.dirname(process.execPath), '..');
  const extra = { JOBS: String(os.availableParallelism ? os.availableParallelism() : os.cpus().length) };
  if (
    exists(path.join(prefix, 'include', 'node', 'node_api.h')) &&
    exists(path.join(prefix, 'include', 'node', 'common.gypi'))
  ) {
    extra.npm_config_nodedir = prefix;
  }
  // node-gyp ships with npm; under `npm run`, npm tells where npm lives.
  if (process.env.npm_execpath) {
    const candidate = path.resolve(
      path.dirname(process.env.npm_execpath),
      '..',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js'
    );
    if (exists(candidate)) extra.npm_config_node_gyp = candidate;
  }
  return envWithPath(path.join(ROOT, 'node_modules', '.bin'), extra);
}

function nodePreGyp() {
  const require = createRequire(path.join(PACKAGE_DIR, 'package.json'));
  return require.resolve('@mapbox/node-pre-gyp/bin/node-pre-gyp');
}

async function ownInstallScript(pkg) {
  if (DOWNLOAD_TIMEOUT_S <= 0) {
    info('skipping the package install script (NNMOTIFS_TFJS_DOWNLOAD_TIMEOUT=0)');
    return false;
  }
  const original = fs.readFileSync(path.join(PACKAGE_DIR, 'package.json'));
  info(`trying the package's own install script (downloads libtensorflow; timeout ${DOWNLOAD_TIMEOUT_S} s)`);
  const result = await run(process.execPath, ['scripts/install.js'], {
    cwd: PACKAGE_DIR,
    env: nodeGypEnv(),
    check: false,
    logName: 'tfjs-node-install-script',
    timeoutMs: DOWNLOAD_TIMEOUT_S * 1000
  });
  // The script edits its package.json while it runs and restores it only when it finishes.
  fs.writeFileSync(path.join(PACKAGE_DIR, 'package.json'), original);
  if (result.code === 0 && exists(bindingPath(pkg).file)) return true;
  const reason = result.timedOut
    ? 'timed out'
    : (/(ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|ECONNRESET|Error: [^\n]*)/.exec(result.output) || [
        'failed'
      ])[0];
  info(
    `own install script did not produce a binding (${reason}); see ${path.relative(ROOT, result.logFile)}`
  );
  return false;
}

/** Seeds: the TensorFlow headers the binding includes; the extraction follows their #include "..." closure. */
function headerSeeds() {
  const seeds = new Set(['tensorflow/c/c_api.h', 'tensorflow/c/eager/c_api.h']);
  const bindingDir = path.join(PACKAGE_DIR, 'binding');
  for (const name of fs.readdirSync(bindingDir)) {
    const text = fs.readFileSync(path.join(bindingDir, name), 'utf8');
    for (const match of text.matchAll(/#include\s+"(tensorflow\/[^"]+)"/g)) seeds.add(match[1]);
  }
  return [...seeds];
}

// Extracts from the wheel only the two libraries and the header closure (the wheel is ~274 MB, the
// libraries ~850 MB unpacked; the rest of TensorFlow is not needed).
const EXTRACT_PY = String.raw`
import os, re, shutil, sys, zipfile
wheel, out, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]
z = zipfile.ZipFile(wheel)
names = set(z.namelist())
include = re.compile(rb'^[ \t]*#[ \t]*include[ \t]*"([^"]+)"', re.M)
todo, seen, written = list(seeds), set(), 0
while todo:
    header = todo.pop()
    if header in seen:
        continue
    seen.add(header)
    member = 'tensorflow/include/' + header
    if member not in names:
        continue
    data = z.read(member)
    dest = os.path.join(out, 'include', header)
    os.makedirs(os.path.dirname(dest), exist_ok=True)
    with open(dest, 'wb') as f:
        f.write(data)
    written += 1
    todo.extend(m.decode() for m in include.findall(data))
os.makedirs(os.path.join(out, 'lib'), exist_ok=True)
for lib in ('libtensorflow_cc.so.2', 'libtensorflow_framework.so.2'):
    with z.open('tensorflow/' + lib) as src, open(os.path.join(out, 'lib', lib), 'wb') as dst:
        shutil.copyfileobj(src, dst, 1 << 22)
print(f'extracted {written} headers and 2 libraries')
`;

async function tensorflowWheel(python) {
  const dir = path.join(SHARED_CACHE_DIR, 'wheels');
  const find = () => fs.readdirSync(dir).find(n => /^tensorflow_cpu-2\.21\.0-.*\.whl$/.test(n));
  fs.mkdirSync(dir, { recursive: true });
  let wheel = find();
  if (wheel) {
    info(`using cached ${path.join(dir, wheel)}`);
    return path.join(dir, wheel);
  }
  info(`downloading ${TENSORFLOW_WHEEL} from PyPI (about 274 MB, kept in ${dir})`);
  const args = ['-m', 'pip', 'download', TENSORFLOW_WHEEL, '--no-deps', '--only-binary=:all:', '-d', dir];
  const first = await run(python, args, { check: false, logName: 'tensorflow-wheel-download' });
  if (first.code !== 0) {
    // The libraries do not depend on the Python version: take a wheel built for another CPython.
    info('no wheel for this Python version; trying the CPython 3.12 wheel (only its C libraries are used)');
    await run(python, [...args, '--python-version', '3.12'], { logName: 'tensorflow-wheel-download' });
  }
  wheel = find();
  if (!wheel) throw new SetupError(`pip download ${TENSORFLOW_WHEEL} produced no wheel in ${dir}`);
  return path.join(dir, wheel);
}

async function buildFromWheel(pkg, python) {
  const wheel = await tensorflowWheel(python);
  const seeds = headerSeeds();
  const extracted = path.join(
    SHARED_CACHE_DIR,
    'tensorflow-c',
    `${path.basename(wheel, '.whl')}-${hashInputs(seeds.map(s => `literal:${s}`)).slice(0, 12)}`
  );
  if (!exists(path.join(extracted, 'complete'))) {
    info(
      'extracting libtensorflow_cc.so.2, libtensorflow_framework.so.2 and the C API headers from the wheel'
    );
    fs.rmSync(extracted, { recursive: true, force: true });
    fs.mkdirSync(extracted, { recursive: true });
    const result = await run(python, ['-c', EXTRACT_PY, wheel, extracted, ...seeds], {
      logName: 'tensorflow-extract'
    });
    info(result.output.trim());
    fs.writeFileSync(path.join(extracted, 'complete'), 'ok\n');
  }
  const deps = path.join(PACKAGE_DIR, 'deps');
  for (const stale of [deps, path.join(PACKAGE_DIR, 'build'), path.join(PACKAGE_DIR, 'lib')]) {
    fs.rmSync(stale, { recursive: true, force: true });
  }
  linkTree(path.join(extracted, 'include'), path.join(deps, 'include'));
  const lib = path.join(deps, 'lib');
  linkTree(path.join(extracted, 'lib'), lib);
  // binding.gyp links -ltensorflow -ltensorflow_framework; at run time the loader asks for the sonames.
  fs.symlinkSync('libtensorflow_cc.so.2', path.join(lib, 'libtensorflow.so.2'));
  fs.symlinkSync('libtensorflow.so.2', path.join(lib, 'libtensorflow.so'));
  fs.symlinkSync('libtensorflow_framework.so.2', path.join(lib, 'libtensorflow_framework.so'));

  const env = nodeGypEnv();
  const args = [nodePreGyp(), 'install', '--build-from-source'];
  if (env.npm_config_nodedir) args.push(`--nodedir=${env.npm_config_nodedir}`);
  info(
    `compiling the binding: node-pre-gyp install --build-from-source${env.npm_config_nodedir ? ` (Node headers from ${env.npm_config_nodedir}/include/node)` : ''}`
  );
  await run(process.execPath, args, { cwd: PACKAGE_DIR, env, logName: 'tfjs-node-build-from-source' });
  fs.rmSync(path.join(PACKAGE_DIR, 'build'), { recursive: true, force: true });
  return exists(bindingPath(pkg).file);
}

/**
 * Ensures the native backend of tfjs-node. Returns a one-line description of the path taken; never throws
 * for a missing backend (the kernel helpers fall back to pure-JS tfjs), only for broken set-up logic.
 */
export async function ensureTfjsNode(python) {
  if (!exists(PACKAGE_DIR))
    throw new SetupError('node_modules/@tensorflow/tfjs-node is missing: npm install failed?');
  const pkg = packageJson();
  const { napi, file } = bindingPath(pkg);
  // A stamp keyed by the binding's identity saves the ~1 s probe on repeated runs.
  const identity = () => {
    const stat = fs.statSync(file);
    return hashInputs([
      `literal:${cacheKey(pkg, napi)}`,
      `literal:${stat.size}:${stat.mtimeMs}`,
      `literal:${process.version}`
    ]);
  };
  if (exists(file) && stampMatches('tfjs-node', identity()))
    return 'native binding present and verified before (skipped)';
  if (exists(file) && (await bindingWorks())) {
    writeStamp('tfjs-node', identity());
    return `native binding already works (${path.relative(ROOT, file)})`;
  }

  const attempts = [
    ['restored the binding built earlier from the cache', async () => restoreFromCache(pkg, napi)],
    ["package's own install script (downloaded libtensorflow)", async () => ownInstallScript(pkg)],
    [
      `built from source against ${TENSORFLOW_WHEEL} from PyPI (offline fallback)`,
      async () => buildFromWheel(pkg, python)
    ]
  ];
  const failures = [];
  for (const [description, attempt] of attempts) {
    let produced = false;
    try {
      produced = await attempt();
    } catch (error) {
      failures.push(`${description}: ${error.message}`);
      info(`failed: ${error.message}`);
      continue;
    }
    if (!produced) continue;
    if (await bindingWorks()) {
      if (!description.startsWith('restored')) saveToCache(pkg, napi);
      writeStamp('tfjs-node', identity());
      info(`tfjs-node path taken: ${description}`);
      return `native backend OK — ${description}`;
    }
    failures.push(
      `${description}: the binding was produced but does not load (see .cache/logs/tfjs-node-probe.log)`
    );
  }
  const wasm = await wasmWorks();
  loudWarning([
    'NO NATIVE TENSORFLOW BACKEND: @tensorflow/tfjs-node could not be installed.',
    ...failures.map(f => `  - ${f}`),
    wasm.ok
      ? `The kernel helpers fall back to WebAssembly (@tensorflow/tfjs-backend-wasm, ${wasm.detail}): everything works, training is slower.`
      : `WebAssembly does not work either (${wasm.detail}): the kernel helpers fall back to pure-JavaScript @tensorflow/tfjs, training is much slower.`,
    'To retry: rm -rf .cache/stamps && npm run setup   (needs PyPI access or internet)'
  ]);
  return wasm.ok
    ? `UNAVAILABLE — WebAssembly fallback, ${wasm.detail} (see warning above)`
    : 'UNAVAILABLE — pure-JS @tensorflow/tfjs fallback (see warning above)';
}

/** Whether the second backend, @tensorflow/tfjs-backend-wasm, runs here (tfjs runs it single-threaded in Node). */
export async function wasmWorks() {
  const probe = [
    "const tf = require('@tensorflow/tfjs');",
    "require('@tensorflow/tfjs-backend-wasm');",
    "tf.setBackend('wasm').then(async ok => {",
    "  if (!ok) throw new Error('setBackend(wasm) failed');",
    "  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');",
    '  const s = tf.matMul(tf.ones([8, 8]), tf.ones([8, 8])).sum().dataSync()[0];',
    "  if (s !== 512) throw new Error('matMul gave ' + s);",
    "  console.log('SIMD ' + (simd ? 'on' : 'off') + ', single-threaded in Node');",
    '}).catch(e => { console.log(String(e.message)); process.exit(1); });'
  ].join('\n');
  const result = await run(process.execPath, ['-e', probe], {
    check: false,
    logName: 'tfjs-wasm-probe',
    quiet: true
  });
  const last = result.output.trim().split('\n').pop() || 'no output';
  return { ok: result.code === 0, detail: last };
}
