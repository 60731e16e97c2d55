// The npm side: dependencies from package-lock.json, the TypeScript and labextension builds, and the
// `nnmotifs` self-link that lets notebooks in examples/ `import * as nm from "nnmotifs"`.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT,
  SetupError,
  envWithPath,
  exists,
  hashInputs,
  info,
  loudWarning,
  run,
  stampMatches,
  writeStamp
} from './common.mjs';

/** npm itself: the one running us under `npm run`, else the one on PATH. */
export function npm(args) {
  return process.env.npm_execpath && process.env.npm_execpath.endsWith('.js')
    ? [process.execPath, [process.env.npm_execpath, ...args]]
    : ['npm', args];
}

/** Every package of package-lock.json is in node_modules at the locked version (optional ones may be absent). */
function nodeModulesMatchLock() {
  const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8'));
  for (const [key, entry] of Object.entries(lock.packages || {})) {
    if (!key.startsWith('node_modules/') || entry.link) continue;
    let version;
    try {
      version = JSON.parse(fs.readFileSync(path.join(ROOT, key, 'package.json'), 'utf8')).version;
    } catch {
      version = undefined;
    }
    if (version === undefined && (entry.optional || entry.devOptional)) continue;
    if (version !== entry.version) return `${key} is ${version ?? 'missing'}, lock says ${entry.version}`;
  }
  return '';
}

export async function ensureNpmDependencies() {
  const mismatch = exists(path.join(ROOT, 'node_modules')) ? nodeModulesMatchLock() : 'node_modules missing';
  if (!mismatch) return 'node_modules matches package-lock.json (skipped)';
  info(mismatch);
  // Install scripts stay off on every npm version: native parts (tfjs-node) are handled by the next step.
  const flags = ['--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'];
  // `npm test --silent` would pass loglevel=silent down and hide the error that tells why npm ci refused.
  const env = { ...process.env, npm_config_loglevel: 'notice' };
  const [command, args] = npm(['ci', ...flags]);
  const ci = await run(command, args, { env, logName: 'npm-ci', check: false });
  if (ci.code === 0) return 'npm ci done';
  if (!/package\.json and package-lock\.json[\s\S]*in sync/.test(ci.output)) {
    throw new SetupError(`npm ci failed; see ${ci.logFile}`);
  }
  loudWarning([
    'npm ci refused: package-lock.json lacks entries package.json needs (optional platform packages',
    'the registry did not have when the lock was made). Falling back to `npm install` with the same lock.'
  ]);
  const [command2, args2] = npm(['install', ...flags]);
  await run(command2, args2, { env, logName: 'npm-install' });
  const still = nodeModulesMatchLock();
  if (still)
    throw new SetupError(`node_modules does not match package-lock.json after npm install: ${still}`);
  return 'npm install done (npm ci refused the lock file, see warning)';
}

async function npmRun(script, env) {
  const [command, args] = npm(['run', '--silent', script]);
  await run(command, args, { env, logName: `npm-run-${script.replace(/:/g, '-')}` });
}

export async function buildTypeScript() {
  const hash = hashInputs([
    'src',
    'tsconfig.base.json',
    'tsconfig.json',
    'tsconfig.lab.json',
    'package.json'
  ]);
  const outputs = ['lib/kernel/index.js', 'lib-lab/lab/index.js', 'lib/package.json'].map(f =>
    path.join(ROOT, f)
  );
  if (outputs.every(exists) && stampMatches('build-lib', hash))
    return 'lib/ and lib-lab/ up to date (skipped)';
  await npmRun('build:lib');
  // lib/ is CommonJS. Node assumes it without a "type"; Deno (its Jupyter kernel) asks the closest
  // package.json, and the root one must stay without "type" (eslint.config.js and others are ES modules).
  fs.writeFileSync(path.join(ROOT, 'lib', 'package.json'), '{ "type": "commonjs" }\n');
  const missing = outputs.filter(f => !exists(f));
  if (missing.length)
    throw new SetupError(
      `the TypeScript build did not produce ${missing.map(f => path.relative(ROOT, f)).join(', ')}`
    );
  writeStamp('build-lib', hash);
  return 'lib/ (CommonJS kernel + CLI) and lib-lab/ (ESM for JupyterLab) built';
}

export async function buildLabextension(pythonBin) {
  const hash = hashInputs(['lib-lab', 'src/lab', 'style', 'schema', 'package.json', 'package-lock.json']);
  const output = path.join(ROOT, 'jupyterlab_nnmotifs', 'labextension', 'package.json');
  if (exists(output) && stampMatches('build-labextension', hash))
    return 'jupyterlab_nnmotifs/labextension up to date (skipped)';
  // `jupyter-builder build .` must be the one of the project environment.
  await npmRun('build:labextension', envWithPath(pythonBin));
  if (!exists(output))
    throw new SetupError('jupyter-builder build produced no jupyterlab_nnmotifs/labextension');
  writeStamp('build-labextension', hash);
  return 'jupyterlab_nnmotifs/labextension built';
}

/** node_modules/nnmotifs -> .. so Node and tslab resolve the package itself from examples/. */
export function linkSelf() {
  const link = path.join(ROOT, 'node_modules', 'nnmotifs');
  let current;
  try {
    current = fs.readlinkSync(link);
  } catch (error) {
    if (error.code !== 'ENOENT') {
      throw new SetupError(`${link} exists and is not a symbolic link; remove it and run the set-up again`);
    }
  }
  if (current === '..') return 'node_modules/nnmotifs -> .. (skipped)';
  if (current !== undefined) fs.rmSync(link);
  fs.symlinkSync('..', link, 'dir');
  return 'node_modules/nnmotifs -> .. created';
}
