// Shared by the bench scripts: build lib/ (TypeScript 5.9 from node_modules, never `npx tsc`, which
// resolves to tslab's TypeScript 5.0) when the compiled modules a script uses are missing or stale.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Newest modification time of the files under `dir` whose names end with `ext` (0 when none). */
function newest(dir, ext) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const f of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, f.name);
    if (f.isDirectory()) t = Math.max(t, newest(p, ext));
    else if (f.name.endsWith(ext)) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

/** The modules of `src/<dir>` (e.g. `'core/datasets'`) as `'core/datasets/<name>'`, without extension. */
export function modulesIn(dir) {
  return readdirSync(join(root, 'src', dir))
    .filter(f => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map(f => `${dir}/${f.slice(0, -3)}`);
}

/**
 * Builds lib/ with `node node_modules/typescript/bin/tsc -p tsconfig.json` when needed, then checks that
 * the modules are there.
 *
 * @param {{ modules?: string[], log?: (msg: string) => void }} [options] - `modules`: source modules the
 *   caller imports, relative to src/ without extension (`'core/census'`); lib/ is rebuilt when one of their
 *   `.js` files is missing or older than its `.ts`. Without `modules`, when any `.ts` under src/ is newer
 *   than the newest `.js` under lib/ (or lib/core/census.js is missing). `log`: where the progress line
 *   goes (default `console.log`).
 */
export function ensureLibBuilt(options = {}) {
  const { modules, log = msg => console.log(msg) } = options;
  const lib = m => join(root, 'lib', `${m}.js`);
  const required = modules ?? ['core/census'];
  const stale =
    modules === undefined
      ? !existsSync(lib('core/census')) || newest(join(root, 'src'), '.ts') > newest(join(root, 'lib'), '.js')
      : modules.some(
          m =>
            !existsSync(lib(m)) || statSync(lib(m)).mtimeMs < statSync(join(root, 'src', `${m}.ts`)).mtimeMs
        );
  if (!stale) return;
  log('building lib/ (TypeScript 5.9: node node_modules/typescript/bin/tsc -p tsconfig.json) ...');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.json'], {
      cwd: root,
      stdio: 'inherit'
    });
  } catch {
    // Type errors elsewhere in the project still emit JavaScript; fail below only if our modules are missing.
    log('(tsc reported errors; lib/ was emitted anyway and is used as is)');
  }
  for (const m of required) if (!existsSync(lib(m))) throw new Error(`lib/${m}.js was not built`);
}
