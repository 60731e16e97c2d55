/**
 * Export for papers in a real JupyterLab: the output toolbar writes SVG, PNG and PDF files next to the
 * notebook, a second export asks before overwriting, and "export all" writes one file per figure and network
 * view (notebooks/export.ipynb displays two figures and a network view from a Python kernel).
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as zlib from 'zlib';
import { cellOutput, figureIn } from './utils';

const NOTEBOOK = 'export.ipynb';
/** Code cells of notebooks/export.ipynb. */
const CELL = { helpers: 0, one: 1, two: 2, network: 3 };
/** Default preset: Nature single column (89 mm), height 0.618 × width, 300 dpi. */
const DEFAULT_PNG_SIZE = [1051, 650];

test.use({ autoGoto: false });

test.beforeEach(async ({ page, tmpPath }) => {
  await page.goto(`tree/${tmpPath}`);
  await page.contents.uploadFile(
    path.resolve(__dirname, '..', 'notebooks', NOTEBOOK),
    `${tmpPath}/${NOTEBOOK}`
  );
  await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
  await page.notebook.activate(NOTEBOOK);
  for (const cell of [CELL.helpers, CELL.one, CELL.two, CELL.network]) await page.notebook.runCell(cell);
  await expect(figureIn(cellOutput(page, CELL.one)).locator('svg.main-svg').first()).toBeVisible();
});

test.afterEach(async ({ page }) => {
  await page.notebook.close(true);
});

/** A file from the contents API, or null if it does not exist. */
async function readFile(page: Page, filePath: string, format: 'text' | 'base64'): Promise<string | null> {
  const response = await page.request.get(
    `/api/contents/${encodeURI(filePath)}?content=1&type=file&format=${format}`
  );
  if (response.status() === 404) return null;
  if (!response.ok()) throw new Error(`GET ${filePath}: ${response.status()}`);
  return ((await response.json()) as { content: string }).content;
}

/** The text of a PDF's content streams, inflated. */
function pdfContent(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (let start = text.indexOf('stream\n'); start >= 0; start = text.indexOf('stream\n', start + 1)) {
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start + 'stream\n'.length, end);
    try {
      out.push(zlib.inflateSync(raw).toString('latin1'));
    } catch {
      out.push(raw.toString('latin1'));
    }
  }
  return out.join('\n');
}

/** Names of the files in a folder (empty if the folder does not exist). */
async function listFolder(page: Page, folder: string): Promise<string[]> {
  const response = await page.request.get(`/api/contents/${encodeURI(folder)}?content=1`);
  if (response.status() === 404) return [];
  const model = (await response.json()) as { content: { name: string }[] };
  return model.content.map(item => item.name).sort();
}

test('the toolbar writes SVG, PNG and PDF of the figure into figures/ next to the notebook', async ({
  page,
  tmpPath
}) => {
  const figure = figureIn(cellOutput(page, CELL.one));
  await expect(figure).toHaveAttribute('data-nnmotifs-exportable', 'true');
  await figure.hover();
  const toolbar = figure.locator('.jp-nnmotifs-ExportToolbar');
  await expect(toolbar).toHaveAttribute('role', 'toolbar');
  await expect(toolbar.getByRole('button')).toHaveText(['SVG', 'PNG', 'PDF']);
  const folder = `${tmpPath}/figures`;

  await toolbar.getByRole('button', { name: 'Export as SVG' }).click();
  await expect.poll(() => readFile(page, `${folder}/export-one.svg`, 'text')).not.toBeNull();
  const svg = (await readFile(page, `${folder}/export-one.svg`, 'text')) ?? '';
  expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('Export one');
  // White paper whatever the theme, at the preset's width (89 mm = 336.4 CSS px).
  expect(svg).toMatch(/<svg[^>]*width="336\.\d+"/);
  expect(svg).toMatch(/fill: ?rgb\(255, 255, 255\)/);

  // Keyboard: the buttons are focusable and the toolbar shows while one has focus.
  const pngButton = toolbar.getByRole('button', { name: 'Export as PNG' });
  await pngButton.focus();
  await expect(toolbar).toHaveCSS('opacity', '1');
  await page.keyboard.press('Enter');
  await expect.poll(() => readFile(page, `${folder}/export-one.png`, 'base64')).not.toBeNull();
  const png = Buffer.from((await readFile(page, `${folder}/export-one.png`, 'base64')) ?? '', 'base64');
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual(DEFAULT_PNG_SIZE);

  await figure.hover();
  await toolbar.getByRole('button', { name: 'Export as PDF' }).click();
  await expect
    .poll(() => readFile(page, `${folder}/export-one.pdf`, 'base64'), { timeout: 60_000 })
    .not.toBeNull();
  const pdf = Buffer.from((await readFile(page, `${folder}/export-one.pdf`, 'base64')) ?? '', 'base64');
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // One page of 89 mm (252.3 pt) width, drawn as vectors (no image XObject).
  const text = pdf.toString('latin1');
  expect(text).toMatch(/\/MediaBox\s*\[\s*0 0 252\.\d+/);
  expect(text).not.toMatch(/\/Subtype\s*\/Image/);
  expect(pdfContent(pdf)).toMatch(/Tj|TJ/);
  // The shipped font, embedded; the title and ticks come back as text.
  const file = path.join(os.tmpdir(), `nnmotifs-galata-${process.pid}.pdf`);
  fs.writeFileSync(file, pdf);
  const fonts = execFileSync('pdffonts', [file], { encoding: 'utf8' }).trim().split('\n').slice(2);
  expect(fonts.length).toBeGreaterThan(0);
  for (const line of fonts) {
    expect(line).toMatch(/^Liberation Sans/);
    expect(line.trim().split(/\s+/).slice(-5)[0]).toBe('yes');
  }
  expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain('Export one');

  // The same drawing as the kernel's nm.save of the same payload: the same words at the same places.
  const payload = await page.evaluate(() => {
    const cells = (
      window as unknown as {
        jupyterapp: { shell: { currentWidget: { content: { model: { toJSON(): unknown } } } } };
      }
    ).jupyterapp.shell.currentWidget.content.model.toJSON() as {
      cells: { outputs?: { data?: Record<string, unknown> }[] }[];
    };
    for (const cell of cells.cells)
      for (const output of cell.outputs ?? [])
        if (
          (
            output.data?.['application/vnd.nnmotifs.figure+json'] as
              { meta?: { exportName?: string } } | undefined
          )?.meta?.exportName === 'export-one'
        )
          return output.data?.['application/vnd.nnmotifs.figure+json'];
    return null;
  });
  expect(payload).not.toBeNull();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the kernel package, CommonJS
  const kernel = require(path.resolve(__dirname, '..', '..', 'lib', 'kernel', 'save.js')) as {
    save(spec: unknown, path: string, options: object): Promise<string>;
    closeSaveBrowser(): Promise<void>;
  };
  const kernelFile = path.join(os.tmpdir(), `nnmotifs-galata-kernel-${process.pid}.pdf`);
  try {
    await kernel.save(payload, kernelFile, { overwrite: true });
  } finally {
    await kernel.closeSaveBrowser();
  }
  const words = (f: string): string[] =>
    [
      ...execFileSync('pdftotext', ['-bbox', f, '-'], { encoding: 'utf8' }).matchAll(
        /<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</g
      )
    ].map(m => `${m[3]}@${Math.round(Number(m[1]))},${Math.round(Number(m[2]))}`);
  expect(words(file)).toEqual(words(kernelFile));
  fs.rmSync(file, { force: true });
  fs.rmSync(kernelFile, { force: true });
});

test("the export buttons never cover plotly's modebar", async ({ page }) => {
  const figure = figureIn(cellOutput(page, CELL.one));
  await figure.hover();
  const toolbar = await figure.locator('.jp-nnmotifs-ExportToolbar').boundingBox();
  const modebar = await figure.locator('.modebar').boundingBox();
  expect(toolbar).not.toBeNull();
  expect(modebar).not.toBeNull();
  const [a, b] = [toolbar!, modebar!];
  const apart =
    a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  expect(apart).toBe(true);
});

test('a second export asks before overwriting: keep both, overwrite, cancel; Enter keeps both', async ({
  page,
  tmpPath
}) => {
  const figure = figureIn(cellOutput(page, CELL.one));
  const folder = `${tmpPath}/figures`;
  const exportSvg = async (): Promise<void> => {
    await figure.hover();
    await figure.getByRole('button', { name: 'Export as SVG' }).click();
  };
  await exportSvg();
  await expect.poll(() => listFolder(page, folder)).toEqual(['export-one.svg']);

  const dialog = page.locator('.jp-Dialog');
  await exportSvg();
  await expect(dialog).toContainText('already exists');
  await dialog.getByRole('button', { name: 'Keep both' }).click();
  await expect.poll(() => listFolder(page, folder)).toEqual(['export-one-1.svg', 'export-one.svg']);

  await exportSvg();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await exportSvg();
  await dialog.getByRole('button', { name: 'Overwrite' }).click();
  await expect(dialog).toHaveCount(0);
  await page.waitForTimeout(1000);
  expect(await listFolder(page, folder)).toEqual(['export-one-1.svg', 'export-one.svg']);

  // Enter takes the safe default (keep both), never Overwrite.
  await exportSvg();
  await expect(dialog).toContainText('already exists');
  await expect(dialog.getByRole('button', { name: 'Keep both' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect
    .poll(() => listFolder(page, folder))
    .toEqual(['export-one-1.svg', 'export-one-2.svg', 'export-one.svg']);
});

test('"export all" writes one file per figure and network view, and the context menu exports one', async ({
  page,
  tmpPath
}) => {
  const palette = await page.evaluate(() => {
    const app = (window as unknown as { jupyterapp: { commands: { label(id: string): string } } }).jupyterapp;
    return app.commands.label('nnmotifs:export-all');
  });
  expect(palette).toBe('nnmotifs: Export all figures of this notebook');
  await page.evaluate(() =>
    (
      window as unknown as { jupyterapp: { commands: { execute(id: string): Promise<unknown> } } }
    ).jupyterapp.commands.execute('nnmotifs:export-all')
  );
  const folder = `${tmpPath}/figures`;
  await expect
    .poll(() => listFolder(page, folder), { timeout: 60_000 })
    .toEqual([
      'export-network.pdf',
      'export-network.svg',
      'export-one.pdf',
      'export-one.svg',
      'export-two.pdf',
      'export-two.svg'
    ]);
  expect(await readFile(page, `${folder}/export-two.svg`, 'text')).toContain('Export two');
  expect(await readFile(page, `${folder}/export-network.svg`, 'text')).toContain('Export network');
  await expect(page.locator('.Toastify__toast').filter({ hasText: 'Exported 6 files' })).toBeVisible();

  // Context menu on the second figure: PNG.
  await figureIn(cellOutput(page, CELL.two)).click({ button: 'right' });
  await page.locator('.lm-Menu-itemLabel', { hasText: 'Export figure as PNG' }).click();
  await expect.poll(() => listFolder(page, folder)).toContain('export-two.png');
});

/**
 * Sets (value) or removes (undefined) the `export` settings of nnmotifs through JupyterLab's setting
 * registry, which Galata exposes; returns the title the Settings Editor shows for them.
 */
async function setExportSettings(page: Page, value: Record<string, unknown> | undefined): Promise<string> {
  return page.evaluate(async value => {
    interface Registry {
      load(plugin: string): Promise<{ schema: { properties: Record<string, { title: string }> } }>;
      set(plugin: string, key: string, value: unknown): Promise<void>;
      remove(plugin: string, key: string): Promise<void>;
    }
    const galata = (window as unknown as { galata: { getPlugin(id: string): Promise<unknown> } }).galata;
    const registry = (await galata.getPlugin('@jupyterlab/apputils-extension:settings')) as Registry;
    if (value === undefined) await registry.remove('nnmotifs:plugin', 'export');
    else await registry.set('nnmotifs:plugin', 'export', value);
    return (await registry.load('nnmotifs:plugin')).schema.properties.export.title;
  }, value);
}

test('the presets in the settings set the size, the DPI and the folder', async ({ page, tmpPath }) => {
  const title = await setExportSettings(page, {
    journal: 'elsevier',
    column: 'double',
    dpi: 150,
    folder: 'paper/figs'
  });
  expect(title).toBe('Export for papers');
  try {
    const figure = figureIn(cellOutput(page, CELL.two));
    await figure.hover();
    await figure.getByRole('button', { name: 'Export as PNG' }).click();
    const file = `${tmpPath}/paper/figs/export-two.png`;
    await expect.poll(() => readFile(page, file, 'base64')).not.toBeNull();
    const png = Buffer.from((await readFile(page, file, 'base64')) ?? '', 'base64');
    // Elsevier double column: 190 mm wide, 0.618 × 190 mm high, at 150 dpi.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1122, 693]);
  } finally {
    await setExportSettings(page, undefined);
  }
});
