#!/usr/bin/env node
// `npm test` (after `npm run setup`): every check, in order, each timed. All phases run even after a failure;
// the exit code is non-zero if any failed. The last line is exactly `N passed, M failed` (read by CI).
//
//   node scripts/test-all.mjs                 all phases
//   node scripts/test-all.mjs unit python     only the named phases
//   NNMOTIFS_SKIP_UI=1                        skip the browser tests (said loudly)
//   phases node24 node22 node26               kernel-level tests again on those Nodes (fetched by the set-up)
//   NNMOTIFS_CHROMIUM=/path/to/chromium       the browser the Galata tests use (default /usr/bin/chromium)
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ROOT, envWithPath, exists, loudWarning, seconds } from './support/common.mjs';
import { VENV } from './support/python-env.mjs';
import { TEST_NODE_VERSIONS, majorOf, preparedTestNode, testNodeJupyterPath } from './support/test-node.mjs';

const python = process.env.NNMOTIFS_PYTHON || path.join(VENV, 'bin', 'python');
const bin = name => path.join(ROOT, 'node_modules', '.bin', name);
const chromium = process.env.NNMOTIFS_CHROMIUM || '/usr/bin/chromium';
const env = envWithPath(`${path.dirname(python)}${path.delimiter}${path.join(ROOT, 'node_modules', '.bin')}`);

/**
 * The kernel-level tests again on another Node (24 LTS, 22, 26; when the machine's Node is another): a plain
 * script, the kernel, CLI and runtime suites, and two notebooks in a tslab kernel started with that Node.
 * The slow suites (core properties, lab, browser) run once, on the machine's Node.
 */
function kernelPhase(version) {
  const node = preparedTestNode(version);
  const major = String(majorOf(version));
  return {
    name: `node${major}`,
    title: `Kernel-level tests on Node ${version} (script, vitest kernel+CLI, 2 notebooks)`,
    commands: [
      [node, [path.join(ROOT, 'scripts', 'node-smoke.cjs')]],
      [
        node,
        [
          path.join(ROOT, 'node_modules', 'vitest', 'vitest.mjs'),
          'run',
          'test/kernel',
          'test/cli',
          'test/runtime'
        ]
      ],
      [
        python,
        ['-m', 'pytest', '-q', 'tests_py/test_notebooks.py', 'tests_py/test_examples.py'],
        { JUPYTER_PATH: testNodeJupyterPath(version), NNMOTIFS_EXPECT_NODE: major }
      ]
    ],
    prerequisite() {
      if (node === process.execPath)
        return { skip: `this Node is ${process.version}: every phase above ran on it` };
      if (!exists(node))
        return { fail: `${node} not found: run \`npm run setup\` (it fetches Node ${version})` };
      return {};
    }
  };
}

/** A phase is a command, or a reason it cannot run: `skip` (opted out) or `fail` (missing prerequisite). */
const phases = [
  { name: 'lint', title: 'Lint (eslint + prettier)', command: ['npm', ['run', '--silent', 'lint']] },
  {
    name: 'typecheck',
    title: 'Typecheck (tsc, all projects)',
    command: ['npm', ['run', '--silent', 'typecheck']]
  },
  { name: 'unit', title: 'Unit tests (vitest)', command: [bin('vitest'), ['run']] },
  {
    name: 'python',
    title: 'Notebook and Python tests (pytest tests_py)',
    command: [python, ['-m', 'pytest', '-q', 'tests_py']]
  },
  ...TEST_NODE_VERSIONS.map(kernelPhase),
  {
    name: 'ui',
    title: 'Browser tests (Galata/Playwright in Chromium)',
    command: [bin('playwright'), ['test']],
    cwd: path.join(ROOT, 'ui-tests'),
    prerequisite() {
      if (process.env.NNMOTIFS_SKIP_UI === '1') return { skip: 'NNMOTIFS_SKIP_UI=1' };
      if (!exists(chromium)) {
        return {
          fail: `${chromium} not found. Install Debian's Chromium: sudo apt-get install chromium (or set NNMOTIFS_SKIP_UI=1 to skip the browser tests)`
        };
      }
      return {};
    }
  }
];

/** npm itself: the one running us under `npm test`, else the one on PATH. */
function resolve([command, args]) {
  if (command === 'npm' && process.env.npm_execpath?.endsWith('.js')) {
    return [process.execPath, [process.env.npm_execpath, ...args]];
  }
  return [command, args];
}

async function runPhase(phase) {
  if (!phase.commands) return runCommand(phase.command, phase.cwd);
  // Every command runs, even after a failure, so one run shows all that is wrong.
  let ok = true;
  for (const [command, args, extraEnv] of phase.commands) {
    console.log(
      `$ ${[command, ...args].map(a => (a.startsWith(`${ROOT}${path.sep}`) ? path.relative(ROOT, a) : a)).join(' ')}`
    );
    ok = (await runCommand([command, args], phase.cwd, extraEnv)) && ok;
  }
  return ok;
}

function runCommand(spec, cwd, extraEnv = {}) {
  const [command, args] = resolve(spec);
  return new Promise(done => {
    const child = spawn(command, args, {
      cwd: cwd || ROOT,
      env: { ...env, ...extraEnv },
      stdio: ['ignore', 'inherit', 'inherit']
    });
    child.on('error', error => {
      console.log(`cannot start ${command}: ${error.message}`);
      done(false);
    });
    child.on('close', code => done(code === 0));
  });
}

const selected = process.argv.slice(2);
const unknown = selected.filter(name => !phases.some(p => p.name === name));
if (unknown.length) {
  console.error(`unknown phase(s) ${unknown.join(', ')}; phases: ${phases.map(p => p.name).join(', ')}`);
  process.exit(2);
}
const toRun = selected.length ? phases.filter(p => selected.includes(p.name)) : phases;

const results = [];
const started = Date.now();
for (const [index, phase] of toRun.entries()) {
  const label = `[test ${index + 1}/${toRun.length}] ${phase.title}`;
  console.log(`\n${label} …`);
  const t0 = Date.now();
  const pre = phase.prerequisite ? phase.prerequisite() : {};
  let result;
  if (pre.skip) {
    loudWarning([`${phase.title}: SKIPPED (${pre.skip}). These tests did NOT run.`]);
    result = 'skipped';
  } else if (pre.fail) {
    console.log(pre.fail);
    result = 'FAILED';
  } else {
    result = (await runPhase(phase)) ? 'passed' : 'FAILED';
  }
  const time = Date.now() - t0;
  console.log(`${label}: ${result} (${seconds(time)})`);
  results.push({ phase, result, time });
}

const passed = results.filter(r => r.result === 'passed').length;
const failed = results.filter(r => r.result === 'FAILED').length;
const width = Math.max(...results.map(r => r.phase.title.length));
console.log(`\nSummary (${seconds(Date.now() - started)} in all)`);
console.log(`  ${'phase'.padEnd(width)}  result   time`);
for (const { phase, result, time } of results) {
  console.log(
    `  ${phase.title.padEnd(width)}  ${result.padEnd(7)}  ${result === 'skipped' ? '-' : seconds(time)}`
  );
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
