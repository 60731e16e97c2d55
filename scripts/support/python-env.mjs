// The Python side: the project environment (.venv, or an existing one such as Binder's), the installed
// labextension and the tslab kernel registered into that environment (never the user's home).
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

export const VENV = path.join(ROOT, '.venv');
const REQUIREMENTS = 'requirements-dev.txt';
const LABEXTENSION_NAME = 'nnmotifs';
// Jupyter colours its listings when npm says colours are fine; built with fromCharCode to keep ESC out of a regex literal.
const ANSI_COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/** The Python the set-up works with: `--python X` / NNMOTIFS_PYTHON (existing env) or the project's .venv. */
export function choosePython(argv) {
  const index = argv.indexOf('--python');
  const given = index >= 0 ? argv[index + 1] : argv.find(a => a.startsWith('--python='))?.slice(9);
  const external = given || process.env.NNMOTIFS_PYTHON;
  if (external) return { python: external, external: true };
  return { python: path.join(VENV, 'bin', 'python'), external: false };
}

async function pythonOutput(python, code) {
  const result = await run(python, ['-c', code], { check: false, logName: 'python-probe', quiet: true });
  return result.code === 0 ? result.output.trim() : undefined;
}

export async function sysPrefix(python) {
  const prefix = await pythonOutput(python, 'import sys; print(sys.prefix)');
  if (!prefix) throw new SetupError(`cannot run ${python}`);
  return prefix.split('\n').pop();
}

/** Directory holding the environment's executables (jupyter, pip), put first on PATH for child processes. */
export function binDir(python) {
  return path.dirname(python);
}

export async function ensurePythonEnv({ python, external }) {
  if (external) {
    const missing = await pythonOutput(
      python,
      'import importlib.util as u; print(" ".join(m for m in ("jupyterlab", "jupyter_builder", "hatchling", "hatch_jupyter_builder", "hatch_nodejs_version") if u.find_spec(m) is None))'
    );
    if (missing === undefined) throw new SetupError(`cannot run ${python}`);
    if (missing)
      throw new SetupError(
        `${python} lacks ${missing}: install binder/requirements.txt or ${REQUIREMENTS} first`
      );
    return `using the existing environment ${await sysPrefix(python)}`;
  }
  const base = process.env.NNMOTIFS_BASE_PYTHON || 'python3';
  const baseVersion = await pythonOutput(base, 'import sys; print(sys.version)');
  if (baseVersion === undefined)
    throw new SetupError(`${base} not found: install Python 3.10+ (with venv and pip)`);
  const hash = hashInputs([REQUIREMENTS, `literal:${baseVersion}`]);
  const works = exists(python) && (await pythonOutput(python, 'import sys; print(sys.prefix)')) !== undefined;
  if (works && stampMatches('python-env', hash))
    return `.venv up to date (Python ${baseVersion.split(' ')[0]})`;
  if (!works) {
    info(`creating .venv with ${base} (Python ${baseVersion.split(' ')[0]})`);
    fs.rmSync(VENV, { recursive: true, force: true });
    const venv = await run(base, ['-m', 'venv', VENV], { logName: 'venv', check: false });
    if (venv.code !== 0) {
      throw new SetupError(
        `${base} -m venv failed (on Debian/Ubuntu: apt-get install python3-venv); log: ${venv.logFile}`
      );
    }
  }
  info(`installing ${REQUIREMENTS} into .venv`);
  await run(python, ['-m', 'pip', 'install', '--disable-pip-version-check', '-r', REQUIREMENTS], {
    logName: 'pip-install-requirements'
  });
  writeStamp('python-env', hash);
  return `.venv ready (Python ${baseVersion.split(' ')[0]})`;
}

/**
 * pip-installs the Python distribution (prebuilt labextension + install.json, the server extension and the
 * jupyter-config file that enables it) and checks Jupyter sees both enabled and OK.
 */
/**
 * JupyterLab defaults of the environment (`<prefix>/share/jupyter/lab/settings/overrides.json`, which a
 * user's own settings still override): no "news" prompt on first start, no update check. Keys already in
 * the file are kept. Written into the project's .venv, and into an existing environment only when asked
 * (NNMOTIFS_LAB_DEFAULTS=1: Binder's throw-away one), never into the user's home.
 */
export function writeLabDefaults(prefix, external) {
  if (external && process.env.NNMOTIFS_LAB_DEFAULTS !== '1') return;
  const file = path.join(prefix, 'share', 'jupyter', 'lab', 'settings', 'overrides.json');
  let overrides = {};
  if (exists(file)) {
    try {
      overrides = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (error) {
      loudWarning([`${file} is not JSON (${error.message}): JupyterLab defaults not written.`]);
      return;
    }
  }
  const plugin = '@jupyterlab/apputils-extension:notification';
  const current = overrides[plugin] ?? {};
  const merged = { fetchNews: 'false', checkForUpdates: false, ...current };
  if (JSON.stringify(merged) === JSON.stringify(current)) return;
  overrides[plugin] = merged;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(overrides, null, 2) + '\n');
  info(`JupyterLab defaults: no news prompt, no update check (${file})`);
}

export async function installExtension(python, external = false) {
  const prefix = await sysPrefix(python);
  writeLabDefaults(prefix, external);
  const installed = path.join(prefix, 'share', 'jupyter', 'labextensions', LABEXTENSION_NAME, 'package.json');
  const hash = hashInputs([
    'pyproject.toml',
    'install.json',
    'jupyterlab_nnmotifs/__init__.py',
    'jupyterlab_nnmotifs/handlers.py',
    'jupyter-config',
    'jupyterlab_nnmotifs/labextension',
    `literal:${prefix}`
  ]);
  if (exists(installed) && stampMatches('python-package', hash))
    return 'extension installed and up to date (skipped)';
  const env = envWithPath(binDir(python));
  // A development link (`jupyter labextension develop`) would make pip write install.json through it into
  // jupyterlab_nnmotifs/labextension, which then breaks every later wheel build: replace it by the copy.
  const installedDir = path.dirname(installed);
  if (fs.lstatSync(installedDir, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(installedDir);
  await run(
    python,
    [
      '-m',
      'pip',
      'install',
      '--disable-pip-version-check',
      '--no-build-isolation',
      '--no-deps',
      '--force-reinstall',
      '.'
    ],
    { env, logName: 'pip-install-extension' }
  );
  const listing = await run(python, ['-m', 'jupyter', 'labextension', 'list'], {
    env,
    logName: 'labextension-list'
  });
  const line = listing.output.split('\n').find(l => l.trim().startsWith(`${LABEXTENSION_NAME} `));
  if (!line || !/enabled/.test(line) || !/OK/.test(line)) {
    throw new SetupError(
      `jupyter labextension list does not show ${LABEXTENSION_NAME} enabled and OK:\n${listing.output}`
    );
  }
  info(`jupyter labextension list: ${line.trim().replace(ANSI_COLOUR, '')}`);
  // The server extension (the Inspector reads weight shards through it): enabled by the jupyter-config file
  // the wheel installs, and importable (`jupyter server extension list` validates it).
  const servers = await run(python, ['-m', 'jupyter', 'server', 'extension', 'list'], {
    env,
    logName: 'server-extension-list'
  });
  const serverText = servers.output.replace(ANSI_COLOUR, '');
  const enabled = serverText.split('\n').some(l => /^\s*jupyterlab_nnmotifs\s+enabled\b/.test(l));
  const validated = serverText.split('\n').some(l => /^\s*jupyterlab_nnmotifs\s+\S+\s+OK\b/.test(l));
  if (!enabled || !validated) {
    throw new SetupError(
      `jupyter server extension list does not show jupyterlab_nnmotifs enabled and OK:\n${servers.output}`
    );
  }
  info('jupyter server extension list: jupyterlab_nnmotifs enabled, OK');
  writeStamp('python-package', hash);
  return `installed into ${prefix}`;
}

/**
 * tslab's kernel.json, started with this Node through lib/kernel/tslab-kernel.js, which starts this checkout's
 * tslab so that `import * as nm from "nnmotifs"` resolves from a notebook in any folder (absolute paths,
 * made at set-up; docs/notebooks-anywhere.md). NODE_PATH is the run-time half of that.
 */
function expectedArgv(isJs) {
  const launcher = path.join(ROOT, 'lib', 'kernel', 'tslab-kernel.js');
  return [
    process.execPath,
    launcher,
    'kernel',
    '--config-path',
    '{connection_file}',
    ...(isJs ? ['--js'] : [])
  ];
}
const expectedEnv = () => ({ NODE_PATH: path.join(ROOT, 'node_modules') });

export async function registerKernel(python) {
  const prefix = await sysPrefix(python);
  const specs = { tslab: false, jslab: true };
  const specFile = name => path.join(prefix, 'share', 'jupyter', 'kernels', name, 'kernel.json');
  const upToDate = Object.entries(specs).every(([name, isJs]) => {
    try {
      const spec = JSON.parse(fs.readFileSync(specFile(name), 'utf8'));
      return (
        JSON.stringify(spec.argv) === JSON.stringify(expectedArgv(isJs)) &&
        JSON.stringify(spec.env) === JSON.stringify(expectedEnv()) &&
        exists(spec.argv[1])
      );
    } catch {
      return false;
    }
  });
  if (upToDate) return `tslab and jslab registered in ${prefix} (skipped)`;
  const tslab = path.join(ROOT, 'node_modules', '.bin', 'tslab');
  if (!exists(tslab)) throw new SetupError('node_modules/.bin/tslab missing: npm install failed?');
  const env = envWithPath(binDir(python));
  await run(process.execPath, [tslab, 'install', `--python=${python}`, '--sys-prefix', `--binary=${tslab}`], {
    env,
    logName: 'tslab-install'
  });
  // tslab writes argv[0] = the script; start it with this very Node so the kernel does not depend on the PATH
  // Jupyter happens to be started with.
  for (const [name, isJs] of Object.entries(specs)) {
    const spec = JSON.parse(fs.readFileSync(specFile(name), 'utf8'));
    spec.argv = expectedArgv(isJs);
    spec.env = expectedEnv();
    fs.writeFileSync(specFile(name), `${JSON.stringify(spec, null, 1)}\n`);
  }
  const listing = await run(python, ['-m', 'jupyter', 'kernelspec', 'list', '--json'], {
    env,
    logName: 'kernelspec-list'
  });
  const found = JSON.parse(
    listing.output.slice(listing.output.indexOf('{'), listing.output.lastIndexOf('}') + 1)
  ).kernelspecs;
  for (const name of Object.keys(specs)) {
    if (!found[name]) throw new SetupError(`jupyter kernelspec list does not show ${name}`);
    info(`kernel ${name}: ${found[name].resource_dir}`);
  }
  return `tslab (TypeScript) and jslab registered in ${prefix}`;
}

/** Deno's own binary from the npm registry package `deno` (its platform package, e.g. @deno/linux-x64-glibc). */
export function denoBinary() {
  const dir = path.join(ROOT, 'node_modules', '@deno');
  if (!exists(dir)) return undefined;
  for (const name of fs.readdirSync(dir)) {
    const candidate = path.join(dir, name, process.platform === 'win32' ? 'deno.exe' : 'deno');
    if (exists(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Registers Deno's Jupyter kernel (`deno jupyter --kernel`) in the environment, beside tslab: the kernel spec
 * `deno jupyter --install` would write into the user's Jupyter directory, written here into `.venv` instead.
 */
export async function registerDenoKernel(python) {
  const deno = denoBinary();
  if (deno === undefined) {
    loudWarning(['Deno (npm package `deno`) is not installed: no Deno kernel. `npm ci` installs it.']);
    return 'SKIPPED — no Deno binary in node_modules/@deno';
  }
  const version = await run(deno, ['--version'], { check: false, quiet: true, logName: 'deno-version' });
  if (version.code !== 0) {
    loudWarning([`${deno} does not run (see .cache/logs/deno-version.log): no Deno kernel.`]);
    return 'SKIPPED — the Deno binary does not run here';
  }
  const prefix = await sysPrefix(python);
  const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'deno');
  const spec = {
    argv: [deno, 'jupyter', '--kernel', '--conn', '{connection_file}'],
    display_name: 'Deno',
    language: 'typescript',
    // Error messages without ANSI colours in notebooks.
    env: { NO_COLOR: '1' }
  };
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), `${JSON.stringify(spec, null, 1)}\n`);
  return `deno registered in ${prefix} (${version.output.split('\n')[0].trim()})`;
}
