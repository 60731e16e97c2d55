/**
 * Writes exported files next to the notebook through the Jupyter contents API, never overwriting a file
 * without asking.
 */
import type { Contents } from '@jupyterlab/services';
import type { ExportedFile } from './exporter';

/** What to do when the file exists: replace it, write `name-1.ext` (next free), or skip it. */
export type ConflictChoice = 'overwrite' | 'keepBoth' | 'cancel';

/** Asks the user what to do about an existing file (a dialog in JupyterLab). */
export type AskOnConflict = (path: string) => Promise<ConflictChoice>;

/** The contents-manager calls the exporter makes (a subset of `Contents.IManager`). */
export type ExportContents = Pick<Contents.IManager, 'get' | 'save'>;

/** Joins server path parts, dropping empty parts and duplicate slashes. */
export function joinPath(...parts: string[]): string {
  return parts
    .flatMap(part => part.split('/'))
    .filter(part => part !== '' && part !== '.')
    .join('/');
}

/**
 * The first name `base-1.ext`, `base-2.ext`, … (or `base.ext` itself) that `exists` says is free.
 *
 * @param name - the wanted file name, e.g. `strength.pdf`.
 * @param exists - whether a name is taken.
 * @example
 * ```ts
 * await freeName('a.pdf', async n => n === 'a.pdf' || n === 'a-1.pdf'); // 'a-2.pdf'
 * ```
 */
export async function freeName(name: string, exists: (name: string) => Promise<boolean>): Promise<string> {
  if (!(await exists(name))) return name;
  const dot = name.lastIndexOf('.');
  const [base, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let k = 1; k < 10_000; k++) {
    const candidate = `${base}-${k}${ext}`;
    if (!(await exists(candidate))) return candidate;
  }
  throw new Error(`no free file name like ${name}`);
}

async function pathExists(contents: ExportContents, path: string): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch (error) {
    // The contents API answers 404 for a missing path; anything else is a real failure.
    const status = (error as { response?: { status?: number } }).response?.status;
    if (status === 404) return false;
    throw error;
  }
}

/** Creates `folder` and its missing parents. */
async function ensureFolder(contents: ExportContents, folder: string): Promise<void> {
  let path = '';
  for (const part of folder.split('/').filter(p => p !== '')) {
    path = joinPath(path, part);
    if (!(await pathExists(contents, path))) await contents.save(path, { type: 'directory' });
  }
}

/**
 * Saves an exported file into `folder` (created if needed). If the file exists, `ask` decides: overwrite,
 * keep both (the new one gets the next free `-1`, `-2` … name) or cancel.
 *
 * @returns the server path written, or `null` if the user cancelled.
 * @example
 * ```ts
 * // example: compile-only, saves through the contents service of a running JupyterLab
 * const file: ExportedFile = { name: 'strength.svg', format: 'svg', content: '<svg/>', contentFormat: 'text', mimetype: 'image/svg+xml' };
 * const path = await saveExportedFile(app.serviceManager.contents, 'analysis/figures', file, async () => 'keepBoth');
 * ```
 */
export async function saveExportedFile(
  contents: ExportContents,
  folder: string,
  file: ExportedFile,
  ask: AskOnConflict
): Promise<string | null> {
  await ensureFolder(contents, folder);
  let path = joinPath(folder, file.name);
  if (await pathExists(contents, path)) {
    const choice = await ask(path);
    if (choice === 'cancel') return null;
    if (choice === 'keepBoth') {
      path = joinPath(
        folder,
        await freeName(file.name, name => pathExists(contents, joinPath(folder, name)))
      );
    }
  }
  await contents.save(path, {
    type: 'file',
    format: file.contentFormat,
    content: file.content,
    mimetype: file.mimetype
  });
  return path;
}
