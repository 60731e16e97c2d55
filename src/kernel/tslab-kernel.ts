/**
 * The tslab kernel as the set-up registers it: tslab, plus `import * as nm from "nnmotifs"` in a notebook in
 * any folder (docs/notebooks-anywhere.md).
 *
 * A notebook's kernel runs in the notebook's folder, and both Node and tslab's TypeScript resolve a bare
 * import by walking up that folder's `node_modules`, then (Node only) `NODE_PATH`. Outside the checkout
 * there is none, so:
 * - at run time, the kernel spec puts the checkout's `node_modules` on `NODE_PATH` (Node's own fallback);
 * - for the type declarations, this launcher gives tslab's TypeScript the same fallback: through TypeScript's
 *   public `ts.sys` host it answers questions about `/node_modules` (the file-system root's, the last folder
 *   TypeScript looks in) with the checkout's `node_modules`, and about `/node_modules/nnmotifs` with the
 *   checkout itself. A package is looked for there only when no folder from the notebook's up to the root
 *   has it, so a project's own install always wins; a real `/node_modules/<name>` wins too.
 * The packages keep those paths (no `realpath` to the checkout), and the checkout's packages are not seen a
 * second time below `/node_modules/nnmotifs/node_modules` (they are found flat in `/node_modules`, as npm
 * installs them), so the declarations tslab emits for every top-level value of a cell name their types as a
 * project's own install would: `@tensorflow/tfjs`, not the unportable `nnmotifs/node_modules/@tensorflow/tfjs`
 * (TS2742). A project linked with `npm install <checkout>` gets the same flat view of the link.
 * `@types` is not served: tslab then types Node from its own `@types/node` as in any folder, instead of
 * including all of the checkout's `@types` in every cell.
 * Then it registers the tslab display adapter (src/kernel/display.ts) and starts tslab exactly as its
 * `tslab` binary does.
 *
 * Usage (kernel.json): `node lib/kernel/tslab-kernel.js kernel --config-path {connection_file}`.
 */
import { existsSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { registerDisplayAdapter, type DisplayMessage } from './display';

/** The part of TypeScript's `System` host this launcher wraps. */
interface TsSys {
  fileExists(path: string): boolean;
  directoryExists(path: string): boolean;
  readFile(path: string, encoding?: string): string | undefined;
  realpath?(path: string): string;
}

/** The checkout (or installed package) this file belongs to: lib/kernel/ -> ../.. */
export const PACKAGE_ROOT = join(__dirname, '..', '..');

/** `<fs root>node_modules[/<name>[/<rest>]]`, the root being `/` or a drive (`C:\\`); `name` may be `@scope/x`. */
const ROOT_NODE_MODULES =
  /^((?:[A-Za-z]:)?[\\/])node_modules(?:[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)([\\/].*)?)?$/;

/** `<dir>/node_modules/nnmotifs[/<rest>]` (the first such segment of a path). */
const IN_PACKAGE = /^(.*?)[\\/]node_modules[\\/]nnmotifs((?:[\\/].*)?)$/;

/** `/node_modules/<name>[/…]` (a package's own dependency), `name` a whole package name (`@scope/x` or `x`). */
const NESTED = /^[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/@][^\\/]*)(?:[\\/].*)?$/;

/** What {@link mapToPackage} answers as absent on purpose (see {@link mapToPackage}). */
export const HIDDEN = null;

/** `dir` as a folder of its own (`''` before `/node_modules` is the root `/`, `'C:'` is `C:\\`). */
function asFolder(dir: string): string {
  return dir === '' || /^[A-Za-z]:$/.test(dir) ? `${dir}${sep}` : dir;
}

/**
 * The copy of this package a path is in, as the launcher sees it: `<dir>/node_modules/nnmotifs` that links to
 * the checkout from a folder outside it (`npm install <checkout>`), or the virtual `/node_modules/nnmotifs`
 * when the file system has none; `undefined` for any other path (outside the package, in the checkout
 * itself, or in another install of it).
 */
function packageCopy(
  path: string,
  root: string
): { dir: string; rest: string; virtual: boolean } | undefined {
  const match = IN_PACKAGE.exec(path);
  if (match === null) return undefined;
  const dir = asFolder(match[1]);
  const at = join(dir, 'node_modules', 'nnmotifs');
  if (!existsSync(at)) return dirname(dir) === dir ? { dir, rest: match[2], virtual: true } : undefined;
  const checkout = realpathSync(root);
  if (realpathSync(at) !== checkout) return undefined;
  const from = realpathSync(dir);
  if (from === checkout || from.startsWith(checkout + sep)) return undefined; // in the checkout: as it is
  return { dir, rest: match[2], virtual: false };
}

/**
 * Whether a package `name` looked for from `dir` up (as Node does, then `NODE_PATH`) is the checkout's own
 * `node_modules/<name>`: the first real `<folder>/node_modules/<name>` on the way is that very folder, or there
 * is none and the checkout has it (then it is served in `/node_modules`).
 */
function foundFlatIsTheCheckouts(dir: string, name: string, root: string): boolean {
  const own = join(root, 'node_modules', name);
  if (!existsSync(own)) return false;
  for (let at = dir; ; at = dirname(at)) {
    const there = join(at, 'node_modules', name);
    if (existsSync(there)) return realpathSync(there) === realpathSync(own);
    if (dirname(at) === at) return true;
  }
}

/**
 * How the launcher answers a TypeScript host question about `path`, `root` being the checkout:
 * - `/node_modules/nnmotifs[/…]` → `<root>[/…]` and `/node_modules/<name>[/…]` → `<root>/node_modules/<name>[/…]`,
 *   for names the file system's own `/node_modules` lacks and the checkout has (`@types` excepted);
 * - {@link HIDDEN} for `<copy>/node_modules/<name>[/…]` in this package's copy (the virtual one, or a link to
 *   the checkout from outside it) when looking for `<name>` from the copy's folder up finds the checkout's
 *   `<name>` anyway: the resolution then finds it there, flat, where a declaration can name it (in
 *   `/node_modules` if no real folder has it); a project's own other version stays out of nnmotifs' types;
 * - `undefined` (ask the file system as is) for every other path.
 *
 * @example
 * ```ts
 * // the checkout in /src/nnmotifs, with node_modules/@tensorflow/tfjs; no /node_modules on the machine
 * mapToPackage('/node_modules/nnmotifs/package.json', '/src/nnmotifs'); // '/src/nnmotifs/package.json'
 * mapToPackage('/node_modules/@tensorflow/tfjs/package.json', '/src/nnmotifs');
 * // '/src/nnmotifs/node_modules/@tensorflow/tfjs/package.json'
 * mapToPackage('/node_modules/nnmotifs/node_modules/@tensorflow/tfjs/package.json', '/src/nnmotifs'); // null
 * mapToPackage('/home/me/node_modules/left-pad/index.js', '/src/nnmotifs'); // undefined
 * ```
 */
export function mapToPackage(path: string, root: string = PACKAGE_ROOT): string | typeof HIDDEN | undefined {
  const copy = packageCopy(path, root);
  if (copy !== undefined) {
    const nested = NESTED.exec(copy.rest);
    if (nested !== null && foundFlatIsTheCheckouts(copy.dir, nested[1], root)) return HIDDEN;
    return copy.virtual ? join(root, copy.rest) : undefined;
  }
  const match = ROOT_NODE_MODULES.exec(path);
  if (match === null) return undefined;
  const [, fsRoot, name, rest = ''] = match;
  if (name === undefined) return existsSync(path) ? undefined : join(root, 'node_modules');
  if (name === '@types' || name.startsWith(`@types${sep}`) || name.startsWith('@types/')) return undefined;
  if (existsSync(join(fsRoot, 'node_modules', name))) return undefined; // a real install there wins
  const target = join(root, 'node_modules', name);
  return existsSync(target) ? join(target, rest) : undefined;
}

/** Wraps the file-system host so the package resolves from any folder (see the file comment). */
export function redirectPackageResolution(sys: TsSys, root: string = PACKAGE_ROOT): void {
  const { fileExists, directoryExists, readFile, realpath } = sys;
  sys.fileExists = p => {
    const mapped = mapToPackage(p, root);
    return mapped !== HIDDEN && fileExists.call(sys, mapped ?? p);
  };
  sys.directoryExists = p => {
    const mapped = mapToPackage(p, root);
    return mapped !== HIDDEN && directoryExists.call(sys, mapped ?? p);
  };
  sys.readFile = (p, encoding) => {
    const mapped = mapToPackage(p, root);
    return mapped === HIDDEN ? undefined : readFile.call(sys, mapped ?? p, encoding);
  };
  // A served path, and a path in a link to the checkout, is its own real path: its package keeps the name
  // it was found by, so declarations can name its types (see the file comment).
  sys.realpath = p => {
    if (mapToPackage(p, root) !== undefined || packageCopy(p, root) !== undefined) return p;
    return realpath ? realpath.call(sys, p) : p;
  };
}

function main(): void {
  const requireHere = createRequire(__filename);
  const tslabDir = dirname(requireHere.resolve('tslab/package.json'));
  const requireTslab = createRequire(join(tslabDir, 'package.json'));
  // tslab compiles cells with its own TypeScript build; wrap the `sys` of that very instance.
  const ts = requireTslab('@tslab/typescript-for-tslab') as { sys: TsSys };
  redirectPackageResolution(ts.sys);
  // tslab's public `display` sends one MIME type per output without metadata; figures need a bundle (the
  // figure JSON plus text/plain) updated by display id. The writer tslab itself uses for that is set on its
  // jupyter module while a cell runs: this adapter is the one place that knows it.
  const jupyter = requireTslab(join(tslabDir, 'dist', 'jupyter.js')) as {
    lastWriteDisplayData?: (message: DisplayMessage, update: boolean) => void;
  };
  registerDisplayAdapter({
    kernel: 'tslab',
    send: (message, update) => {
      const write = jupyter.lastWriteDisplayData;
      if (typeof write !== 'function') {
        console.log(String(message.data['text/plain'])); // no cell has run yet
        return;
      }
      write(message, update);
    }
  });
  (requireTslab(join(tslabDir, 'dist', 'main.js')) as { main(): void }).main();
}

if (require.main === module) main();
