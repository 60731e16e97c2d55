// Runs one hostile probe through the kernel's loadNetwork or the Inspector's worker core and reports, as
// one JSON line on stdout, what happened and the process's peak RSS. Exit code: 2 when the reader refused
// the file (NetworkError / open-failed), 0 when it read it, 1 for anything else (a crash is a failure).
//
//   node probe.mjs kernel FILE [MAX_MEMORY]
//   node probe.mjs worker FILE [MAX_MEMORY] WORKER_BUNDLE
//
// For the CLI the real binary runs instead (with rss-hook.mjs preloaded).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/** The Python of the project environment (it has jupyter_server, which the handler module imports). */
const python = process.env.NNMOTIFS_PYTHON || join(root, '.venv', 'bin', 'python');

/** Runs the server extension's checks and read (jupyterlab_nnmotifs/handlers.py) on one file. */
const SERVE_PY = `
import os, sys
sys.path.insert(0, sys.argv[1])
from jupyterlab_nnmotifs.handlers import RefusedFile, open_referenced_file
try:
    opened = open_referenced_file(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
except RefusedFile as refused:
    sys.stderr.write(str(refused))
    sys.exit(3)
left = opened.size
while left > 0:
    chunk = os.read(opened.fd, min(1 << 20, left))
    if not chunk:
        break
    sys.stdout.buffer.write(chunk)
    left -= len(chunk)
`;

/**
 * Serves a file the network file names as the Inspector gets it in the lab: through the nnmotifs server
 * extension (GET nnmotifs/referenced-file), whose checks run here in Python as the server runs them.
 */
function serve(serverRoot, model, path, maxBytes) {
  const result = spawnSync(python, ['-c', SERVE_PY, root, serverRoot, model, path, String(maxBytes)], {
    maxBuffer: maxBytes + 1024
  });
  if (result.error) throw new Error(`cannot run ${python}: ${result.error.message}`);
  if (result.status !== 0) throw new Error(result.stderr.toString().trim().split('\n').pop());
  return new Uint8Array(result.stdout);
}

async function worker() {
  const { InspectorWorkerCore } = require(bundle);
  const serverRoot = dirname(dirname(resolve(file)));
  const name = relative(serverRoot, resolve(file)).split(sep).join('/');
  // What JupyterLab's document context delivers, read before the clock starts (the reader gets the bytes;
  // a copy of them cost 0.6 s and reading the 300 MB probe 1.5-6 s, none of it the reader's).
  const buffer = readFileSync(file);
  const bytes = new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length);
  started = performance.now();
  let core;
  const done = new Promise(resolveDone => {
    core = new InspectorWorkerCore(response => {
      if (response.type === 'need-file') {
        setTimeout(() => {
          try {
            const data = serve(serverRoot, name, response.path, response.maxBytes);
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
