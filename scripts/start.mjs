#!/usr/bin/env node
// `npm start` (after `npm run setup`): JupyterLab of the project environment on examples/, with the
// quickstart notebook open. Extra arguments go to `jupyter lab` (`npm start -- --port 9999 --no-browser`).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, envWithPath, exists } from './support/common.mjs';
import { VENV } from './support/python-env.mjs';

const python = process.env.NNMOTIFS_PYTHON || path.join(VENV, 'bin', 'python');
if (!exists(python)) {
  console.error(`[start] ${python} not found: run \`npm run setup\` first`);
  process.exit(1);
}
const examples = path.join(ROOT, 'examples');
const quickstart = exists(path.join(examples, 'quickstart.ipynb')) ? 'quickstart.ipynb' : undefined;
const args = [
  '-m',
  'jupyter',
  'lab',
  `--ServerApp.root_dir=${examples}`,
  ...(quickstart ? [`--LabApp.default_url=/lab/tree/${quickstart}`] : []),
  // Containers and CI machines often run as root, which Jupyter refuses unless told.
  ...(process.getuid && process.getuid() === 0 && !process.argv.includes('--allow-root')
    ? ['--allow-root']
    : []),
  ...process.argv.slice(2)
];
console.log(
  `[start] JupyterLab on ${path.relative(process.cwd(), examples) || '.'}${quickstart ? `, opening ${quickstart}` : ''}`
);

// The kernels Jupyter starts inherit this PATH: the environment's bin first, then this very Node.
const env = envWithPath(`${path.dirname(python)}${path.delimiter}${path.dirname(process.execPath)}`);
const lab = spawn(python, args, { cwd: examples, env, stdio: ['inherit', 'inherit', 'pipe'] });

// Jupyter logs to stderr; pass it through and repeat the first URL with its token where nobody can miss it.
let announced = false;
let buffered = '';
lab.stderr.on('data', chunk => {
  process.stderr.write(chunk);
  if (announced) return;
  buffered += chunk.toString();
  const url = /(https?:\/\/(?:localhost|127\.0\.0\.1)[^\s]*)/.exec(buffered);
  if (url) {
    announced = true;
    console.log(`\n[start] JupyterLab is running at: ${url[1]}\n[start] Stop it with Ctrl+C.\n`);
  }
});

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => lab.kill(signal));
}
lab.on('close', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
