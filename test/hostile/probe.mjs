// Runs one hostile probe through the kernel's loadNetwork or the Inspector's worker core and reports, as
// one JSON line on stdout, what happened and the process's peak RSS. Exit code: 2 when the reader refused
// the file (NetworkError / open-failed), 0 when it read it, 1 for anything else (a crash is a failure).
//
//   node probe.mjs kernel FILE [MAX_MEMORY]
//   node probe.mjs worker FILE [MAX_MEMORY] WORKER_BUNDLE
//
// For the CLI the real binary runs instead (with rss-hook.mjs preloaded).
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));

const [mode, file, maxArg, bundle] = process.argv.slice(2);
const maxMemory = maxArg === undefined || maxArg === '' ? undefined : Number(maxArg);
const root = resolve(here, '..', '..');

/** Started just before the reader is called: readMs leaves out Node's start-up and module loading. */
let started = 0;

function report(code, message) {
  const readMs = started === 0 ? NaN : performance.now() - started;
  process.stdout.write(
    JSON.stringify({ code, message, readMs, maxRssKiB: process.resourceUsage().maxRSS }) + '\n'
  );
  process.exit(code);
}

async function kernel() {
  const { loadNetwork } = require(join(root, 'lib', 'kernel', 'files.js'));
  const { NetworkError } = require(join(root, 'lib', 'core', 'validate.js'));
  try {
    started = performance.now();
    await loadNetwork(file, maxMemory === undefined ? {} : { maxMemory });
    report(0, 'read');
  } catch (err) {
    report(err instanceof NetworkError ? 2 : 1, err instanceof Error ? err.message : String(err));
  }
}

/**
 * Serves a file as the Jupyter contents API does: paths under the server root, symlinks followed, only
 * regular files (a FIFO or device is "not a file"), the size known before the content is sent.
 */
function serve(serverRoot, path, maxBytes) {
  const full = resolve(serverRoot, path);
  if (relative(serverRoot, full).startsWith('..' + sep))
    throw new Error(`${path}: 404 outside the server root`);
  const st = statSync(full); // follows symlinks, as the server does
  if (!st.isFile()) throw new Error(`${path}: 400 not a file`);
  if (st.size > maxBytes)
    throw new Error(`${path} is ${formatBytes(st.size)}, more than the ${formatBytes(maxBytes)} allowed`);
  return new Uint8Array(readFileSync(full));
}

let formatBytes;

async function worker() {
  const { InspectorWorkerCore } = require(bundle);
  formatBytes = require(join(root, 'lib', 'core', 'formats', 'budget.js')).formatBytes;
  const serverRoot = dirname(dirname(resolve(file)));
  const name = relative(serverRoot, resolve(file)).split(sep).join('/');
  started = performance.now();
  const bytes = new Uint8Array(readFileSync(file)); // what JupyterLab's document context delivers
  let core;
  const done = new Promise(resolveDone => {
    core = new InspectorWorkerCore(response => {
      if (response.type === 'need-file') {
        const folder = name.includes('/') ? name.slice(0, name.lastIndexOf('/') + 1) : '';
        setTimeout(() => {
          try {
            const data = serve(serverRoot, folder + response.path, response.maxBytes);
            void core.handle({ type: 'file', request: response.request, bytes: data });
          } catch (err) {
            void core.handle({ type: 'file-failed', request: response.request, message: err.message });
          }
        }, 0);
      } else if (response.type === 'opened') resolveDone([0, 'read']);
      else if (response.type === 'open-failed') resolveDone([2, response.message]);
    });
  });
  await core.handle({ type: 'open-file', name, bytes, ...(maxMemory === undefined ? {} : { maxMemory }) });
  const [code, message] = await done;
  report(code, message);
}

(mode === 'kernel' ? kernel() : worker()).catch(err => report(1, err && err.stack ? err.stack : String(err)));
