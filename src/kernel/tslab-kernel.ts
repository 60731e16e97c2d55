/**
 * The tslab kernel as the set-up registers it: tslab, plus `import * as nm from "nnmotifs"` in a notebook in
 * any folder (docs/notebooks-anywhere.md).
 *
 * A notebook's kernel runs in the notebook's folder, and both Node and tslab's TypeScript resolve a bare
 * import by walking up that folder's `node_modules`. Outside the checkout there is none, so:
 * - at run time, the kernel spec puts the checkout's `node_modules` on `NODE_PATH` (Node's own fallback);
 * - for the type declarations, this launcher answers TypeScript's file-system questions about
 *   `<any folder>/node_modules/nnmotifs/…` with the checkout's files, through TypeScript's public `ts.sys`
 *   host, only when no real `nnmotifs` exists there (a project's own install always wins).
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

const SEGMENT = `${sep}node_modules${sep}nnmotifs`;

/**
 * Maps `<dir>/node_modules/nnmotifs[/rest]` to `<package root>[/rest]` when `<dir>/node_modules/nnmotifs`
 * does not exist; `undefined` for any other path.
 */
export function mapToPackage(path: string, root: string = PACKAGE_ROOT): string | undefined {
  const at = path.indexOf(SEGMENT);
  if (at < 0) return undefined;
  const end = at + SEGMENT.length;
  if (end < path.length && path[end] !== sep && path[end] !== '/') return undefined; // nnmotifs-other
  if (existsSync(path.slice(0, end))) return undefined; // a real install there wins
  return join(root, path.slice(end));
}

/** Wraps the file-system host so the package resolves from any folder (see the file comment). */
export function redirectPackageResolution(sys: TsSys, root: string = PACKAGE_ROOT): void {
  const { fileExists, directoryExists, readFile, realpath } = sys;
  sys.fileExists = p => fileExists.call(sys, mapToPackage(p, root) ?? p);
  sys.directoryExists = p => directoryExists.call(sys, mapToPackage(p, root) ?? p);
  sys.readFile = (p, encoding) => readFile.call(sys, mapToPackage(p, root) ?? p, encoding);
  sys.realpath = p => {
    const mapped = mapToPackage(p, root);
    if (mapped !== undefined) return realpathSync(mapped);
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
