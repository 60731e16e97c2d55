/**
 * `nm.save(figure, 'figures/strength.pdf')`: writes a figure as SVG, PNG or PDF from the kernel, with the
 * same publication preset and the same plotly drawing as JupyterLab's export.
 *
 * plotly.js needs a browser to lay out text, so the figure is drawn in headless Chromium (`playwright-core`
 * drives the system's Chromium; no browser is ever downloaded). One browser serves every call of the
 * process and is closed when the process ends. PDF is vector: Chromium prints a page holding the SVG, so
 * text stays text and lines stay paths.
 */
import { access, mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  ExportFormat,
  ExportPreset,
  exportFormatOf,
  exportRenderOptions,
  exportSize,
  pngPixelSize,
  publicationLayout,
  resolveExportPreset
} from '../figures/export-preset';
import type { NetworkViewSpec } from '../figures/network-spec';
import { networkSvg } from '../figures/network-svg';
import type { FigureSpec, JsonObject } from '../figures/spec';
import { rasterizeSvg } from '../figures/svg-raster';
import { writeFileAtomic } from './files';
import { chromiumLaunchOptions } from './chromium';

/** Options of {@link save}: any fields of the export preset, and whether to replace an existing file. */
export interface SaveOptions extends Partial<ExportPreset> {
  /** Replace the file if it exists. Default false: an existing file is an error. */
  overwrite?: boolean;
}

/** A figure or a network view. */
export type SavableSpec = FigureSpec | NetworkViewSpec;

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
  const candidate = spec as { data?: unknown; nodes?: unknown; edges?: unknown; meta?: { title?: unknown } };
  if (
    candidate !== null &&
    typeof candidate === 'object' &&
    typeof candidate.meta?.title === 'string' &&
    (Array.isArray(candidate.data) ||
      (typeof candidate.nodes === 'object' && typeof candidate.edges === 'object'))
  ) {
    return candidate as SavableSpec;
  }
  throw new TypeError(
    'nm.save: the first argument must be a figure (nm.figures.*) or network view (nm.figures.networkView) ' +
      'spec, or hold one in `spec`'
  );
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * The file's bytes. Every format is made from one SVG (as in JupyterLab): plotly draws figures, networks
 * are drawn by {@link networkSvg}; PNG is the SVG rasterized at the DPI, PDF a print of it.
 */
async function render(spec: SavableSpec, format: ExportFormat, preset: ExportPreset): Promise<Uint8Array> {
  const options = exportRenderOptions(preset);
  const svg =
    'data' in spec
      ? await plotlySvg(spec.data, publicationLayout(spec.layout ?? {}, options))
      : networkSvg(spec, options);
  if (format === 'svg') return Buffer.from(svg, 'utf8');
  if (format === 'png') {
    const size = pngPixelSize(options.widthPx, options.heightPx, preset.dpi);
    const png = await (await plotlyPage()).evaluate(rasterizeSvg, { svg, ...size });
    return Buffer.from(png, 'base64');
  }
  const { widthMm, heightMm } = exportSize(preset);
  // One print page for every PDF: calls take turns (each replaces the page's SVG before printing).
  const print = printQueue.then(async () => {
    const page = await printPage();
    await showSvg(page, svg);
    return page.pdf({
      width: `${widthMm}mm`,
      height: `${heightMm}mm`,
      printBackground: true,
      pageRanges: '1',
      margin: { top: '0', right: '0', bottom: '0', left: '0' }
    });
  });
  printQueue = print.catch(() => undefined);
  return print;
}

/** The SVG of a plotly figure, drawn by plotly's `toImage` in the shared plotly page. */
async function plotlySvg(data: JsonObject[], layout: JsonObject): Promise<string> {
  const page = await plotlyPage();
  const url = await page.evaluate(
    async figure => {
      // Runs in the page (no DOM types in the kernel's compilation): plotly.js is the page's global.
      const { Plotly } = globalThis as unknown as {
        Plotly: { toImage(figure: unknown, options: object): Promise<string> };
      };
      const { data, layout } = JSON.parse(figure) as {
        data: unknown;
        layout: { width: number; height: number };
      };
      return Plotly.toImage(
        { data, layout, config: { typesetMath: false } },
        { format: 'svg', width: layout.width, height: layout.height }
      );
    },
    // JSON text: the figure crosses into the page as one string, not as a deep typed object.
    JSON.stringify({ data, layout })
  );
  // plotly returns the SVG as a URL-encoded `data:image/svg+xml,…`.
  return decodeURIComponent(url.slice(url.indexOf(',') + 1));
}

/** Makes the page show the SVG alone, at its size, from the top-left corner. */
async function showSvg(page: Page, svg: string): Promise<void> {
  await page.setContent(
    '<!doctype html><html><head><style>@page{margin:0}html,body{margin:0;padding:0;overflow:hidden;' +
      'background:transparent}svg{display:block}</style></head><body></body></html>'
  );
  // Inserted as a parsed document node, not as HTML text: the SVG is data, never markup for the page.
  await page.evaluate(text => {
    // Runs in the page (no DOM types in the kernel's compilation).
    const { DOMParser, document } = globalThis as unknown as {
      DOMParser: new () => { parseFromString(text: string, type: string): { documentElement: unknown } };
      document: { importNode(node: unknown, deep: boolean): unknown; body: { append(node: unknown): void } };
    };
    const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
    document.body.append(document.importNode(doc.documentElement, true));
  }, svg);
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

/** The page with plotly.js loaded (parsing its 4 MB takes a while): every figure's SVG is drawn there. */
const plotlyPage = sharedPage(async page => {
  await page.addScriptTag({ path: plotlyPath() });
});

/** plotly.js is an optional peer dependency: only `nm.save` of a figure needs it, the kernel never does. */
function plotlyPath(): string {
  try {
    return require.resolve('plotly.js-dist-min');
  } catch {
    throw new Error('nm.save draws figures with plotly.js: npm install plotly.js-dist-min');
  }
}

/** The page PDFs are printed from. */
const printPage = sharedPage(() => Promise.resolve());

let printQueue: Promise<unknown> = Promise.resolve();

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
