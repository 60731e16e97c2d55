/**
 * `nm.save(figure, 'figures/strength.pdf')`: writes a figure as SVG, PNG or PDF from the kernel, with the
 * same publication preset and the same plotly drawing as JupyterLab's export.
 *
 * plotly.js needs a browser to lay out text, so the figure is drawn in headless Chromium (`playwright-core`
 * drives the system's Chromium; no browser is ever downloaded) by the same export pipeline as JupyterLab's
 * toolbar (`src/render/browser/`), with the same shipped fonts: the files are the same drawing. One browser
 * serves every call of the process and is closed when the process ends.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { drawingOf, type ExportDrawing, type PageRenderer } from '../render/drawing';
import { EXPORT_FONT_FACES } from '../render/fonts';
import { ExportFormat, ExportPreset, exportFormatOf, resolveExportPreset } from '../render/preset';
import type { NetworkViewSpec } from '../figures/network-spec';
import type { PanelFigureSpec } from '../figures/panels';
import type { FigureSpec } from '../figures/spec';
import { pathExists, writeFileAtomic } from './files';
import { chromiumLaunchOptions } from './chromium';

/** Options of {@link save}: any fields of the export preset, and whether to replace an existing file. */
export interface SaveOptions extends Partial<ExportPreset> {
  /** Replace the file if it exists. Default false: an existing file is an error. */
  overwrite?: boolean;
}

/** A figure, a network view, or a multi-panel figure (`nm.figures.panels`). */
export type SavableSpec = FigureSpec | NetworkViewSpec | PanelFigureSpec;

/** What {@link save} accepts: a figure or network-view spec, or anything holding one in `spec` (a handle). */
export type Savable = SavableSpec | { readonly spec: SavableSpec };

/**
 * Writes a figure to a file; the format comes from the extension (`.svg`, `.png` or `.pdf`). The folder is
 * created if needed and the file is written atomically (a temporary file renamed into place).
 *
 * @param what - a figure spec (`nm.figures.*`) or an object with one in `spec`.
 * @param path - the file to write, relative to the kernel's working directory (the notebook's folder).
 * @param options - preset fields (`journal`, `column`, `widthMm`, `heightMm`, `aspectRatio`, `fontFamily`,
 *   `fontSizePt`, `dpi`, `whiteBackground`; defaults: Nature single column, 7 pt, 300 dpi, white) and
 *   `overwrite`.
 * @returns the absolute path written.
 * @throws Error for an unknown extension, an existing file without `overwrite: true`, a bad preset field,
 *   something that is not a figure, or when no Chromium is found (set `NNMOTIFS_CHROMIUM`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const fig = nm.figures.nodeStrengthFigure([new Float64Array([0.1, 0.4, 0.2])]);
 * await nm.save(fig, 'figures/strength.pdf', { journal: 'nature', column: 'double' });
 * await nm.save(fig, 'figures/strength.png', { dpi: 600, overwrite: true });
 * ```
 */
export async function save(what: Savable, path: string, options: SaveOptions = {}): Promise<string> {
  const format = exportFormatOf(path);
  const { overwrite = false, ...presetFields } = options;
  const preset = resolveExportPreset(presetFields);
  const spec = specOf(what);
  const target = resolve(path);
  const exists = (): Error =>
    new Error(`nm.save: ${path} already exists; pass { overwrite: true } to replace it`);
  // Refuse before drawing: rendering a large figure only to throw it away would waste seconds.
  if (!overwrite && (await pathExists(target))) throw exists();
  const bytes = await render(spec, format, preset);
  await mkdir(dirname(target), { recursive: true });
  await writeFileAtomic(target, bytes, { overwrite, exists });
  return target;
}

function specOf(what: Savable): SavableSpec {
  const spec: unknown =
    what !== null && typeof what === 'object' && 'spec' in what && !('meta' in what) ? what.spec : what;
  const candidate = spec as {
    data?: unknown;
    nodes?: unknown;
    edges?: unknown;
    panels?: unknown;
    meta?: { title?: unknown };
  };
  if (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.meta?.title === 'string' &&
    (Array.isArray(candidate.data) ||
      Array.isArray(candidate.panels) ||
      (typeof candidate.nodes === 'object' && typeof candidate.edges === 'object'))
  ) {
    return candidate as SavableSpec;
  }
  throw new TypeError(
    'nm.save: the first argument must be a figure (nm.figures.*) or network view (nm.figures.networkView) ' +
      'spec, or hold one in `spec`'
  );
}

/**
 * The file's bytes, drawn by the one export pipeline (`src/render/browser/pipeline.ts`, the code
 * JupyterLab's export runs) in the shared page of headless Chromium.
 */
async function render(spec: SavableSpec, format: ExportFormat, preset: ExportPreset): Promise<Uint8Array> {
  const page = await renderPage();
  const drawing: ExportDrawing = drawingOf(spec);
  const file = await page.evaluate(
    async ({ text, format, preset }) => {
      // Runs in the page: the pipeline's bundle defined `nnmotifsRender`.
      const { nnmotifsRender } = globalThis as unknown as { nnmotifsRender: PageRenderer };
      return nnmotifsRender.render(JSON.parse(text) as ExportDrawing, format, preset);
    },
    // JSON text: the drawing crosses into the page as one string, not as a deep typed object.
    { text: JSON.stringify(drawing), format, preset }
  );
  return Buffer.from(file.content, file.encoding === 'text' ? 'utf8' : 'base64');
}

/**
 * The package's folder: `lib/kernel/` and `src/kernel/` both sit two levels below it. The page script is
 * built into `lib/render/browser.js`, the fonts ship in `fonts/`.
 */
const PACKAGE_ROOT = join(__dirname, '..', '..');

/** The export fonts' files, read once from the package's `fonts/` folder, as base64. */
async function fontFiles(): Promise<Record<string, string>> {
  const folder = join(PACKAGE_ROOT, 'fonts');
  const files: Record<string, string> = {};
  for (const face of EXPORT_FONT_FACES) {
    files[face.file] = (await readFile(join(folder, face.file))).toString('base64');
  }
  return files;
}

let browser: Promise<Browser> | null = null;
/** Counts browser closes, so the shared pages know when theirs went with it. */
let browserGeneration = 0;

async function launchBrowser(): Promise<Browser> {
  const options = chromiumLaunchOptions('nm.save');
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('nm.save needs the npm package playwright-core: npm install playwright-core');
  }
  const launched = await playwright.chromium.launch(options);
  // Close it when the process has nothing left to do; playwright kills it on exit anyway.
  process.once('beforeExit', () => void closeSaveBrowser());
  return launched;
}

function running(): Promise<Browser> {
  if (browser === null) {
    const launching = launchBrowser();
    browser = launching;
    // A failed launch is retried on the next call (e.g. after installing Chromium).
    launching.catch(() => {
      if (browser === launching) browser = null;
    });
  }
  return browser;
}

/**
 * A page of the shared browser, made once by `prepare` and reused; a failed preparation is retried on the
 * next call. Reuse matters: a new page costs about as much as a whole export.
 */
function sharedPage(prepare: (page: Page) => Promise<void>): () => Promise<Page> {
  let loading: Promise<Page> | null = null;
  let generation = -1;
  return () => {
    // A closed browser (closeSaveBrowser) takes its pages with it.
    if (loading === null || generation !== browserGeneration) {
      const current = (async () => {
        const page = await (await running()).newPage();
        await prepare(page);
        return page;
      })();
      loading = current;
      generation = browserGeneration;
      current.catch(() => {
        if (loading === current) loading = null;
      });
    }
    return loading;
  };
}

/**
 * The page every export is drawn in: plotly.js (parsing its 4 MB takes a while), the export pipeline and
 * the export fonts, loaded once.
 */
const renderPage = sharedPage(async page => {
  await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
  await page.addScriptTag({ path: plotlyPath() });
  await page.addScriptTag({ path: join(PACKAGE_ROOT, 'lib', 'render', 'browser.js') });
  const files = await fontFiles();
  await page.evaluate(fonts => {
    const { nnmotifsRender } = globalThis as unknown as { nnmotifsRender: PageRenderer };
    nnmotifsRender.setFonts(fonts);
  }, files);
});

/**
 * The page of the shared headless Chromium that `nm.save` draws in, with the export pipeline loaded (for
 * tests that check exported drawings in the same browser).
 *
 * @example
 * ```ts
 * const page = await exportPage();
 * ```
 */
export function exportPage(): Promise<Page> {
  return renderPage();
}

/** plotly.js is an optional peer dependency: only `nm.save` of a figure needs it, the kernel never does. */
function plotlyPath(): string {
  try {
    return require.resolve('plotly.js-dist-min');
  } catch {
    throw new Error('nm.save draws figures with plotly.js: npm install plotly.js-dist-min');
  }
}

/**
 * Closes the Chromium that {@link save} started, if any (it is also closed when the process ends).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * await nm.closeSaveBrowser();
 * ```
 */
export async function closeSaveBrowser(): Promise<void> {
  const open = browser;
  browser = null;
  browserGeneration++;
  if (open !== null) await (await open.catch(() => null))?.close();
}
