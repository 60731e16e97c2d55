/**
 * The extension in Notebook 7, not JupyterLab: the same server (Notebook 7.6 is installed beside JupyterLab
 * 4.6, so `jupyter lab` also serves Notebook's `/notebooks/…`, `/edit/…` and `/tree/…` pages) loads the
 * same prebuilt labextension into Notebook's own shell. Galata's page helpers drive JupyterLab's UI only,
 * so these tests use plain Playwright, the contents API and Notebook's app (`window.jupyterapp`, exposed by
 * jupyter_server_test_config.py).
 *
 * notebooks/export.ipynb (a Python kernel) displays two figures and a network view: the figures must be
 * drawn by the figure renderer, carry the export toolbar whose buttons write files next to the notebook,
 * write their static PNG into the saved notebook, and the network view must open in the Inspector, which
 * also opens network files from Notebook's `/edit/…` page.
 */
import { expect, test } from '@playwright/test';
import type { APIRequestContext, Page } from '@playwright/test';
import * as fs from 'fs';
import * as path from 'path';
import {
  cellOutput,
  collectConsoleErrors,
  ConsoleError,
  figureIn,
  figureOutputs,
  readNotebook,
  tracesIn
} from './utils';

const NOTEBOOK = 'export.ipynb';
/** Code cells of notebooks/export.ipynb (no markdown cells). */
const CELL = { one: 1, two: 2, network: 3 };
/** The nnmotifs plugins, all of which must activate in Notebook 7's shell too. */
const PLUGINS = [
  'nnmotifs:plugin',
  'nnmotifs:theme',
  'nnmotifs:renderers',
  'nnmotifs:export',
  'nnmotifs:inspector'
];

/** A network file for the Inspector: 2 inputs, 3 hidden, 1 output, every link present. */
const NETWORK_FILE = JSON.stringify({
  format: 'nnmotifs.network',
  version: 1,
  layers: [
    {
      weights: [
        [0.5, -0.25, 1],
        [0.75, 0.5, -1]
      ],
      bias: [0, 0.1, -0.1]
    },
    { weights: [[1], [-0.5], [0.25]], bias: [0] }
  ]
});

/** The app of the page (Notebook's `JupyterFrontEnd`), as far as the tests use it. */
interface NotebookApp {
  isPluginActivated(id: string): boolean;
  hasPlugin(id: string): boolean;
  commands: { execute(id: string, args?: object): Promise<unknown> };
  shell: {
    currentWidget: {
      sessionContext?: { session?: { kernel?: { status: string } | null } | null };
      context?: { model: { dirty: boolean } };
    } | null;
  };
}

/** PUTs a file or folder through the contents API. */
async function put(request: APIRequestContext, serverPath: string, model: object): Promise<void> {
  const response = await request.put(`/api/contents/${encodeURI(serverPath)}`, { data: model });
  if (!response.ok()) throw new Error(`PUT ${serverPath}: ${response.status()} ${await response.text()}`);
}

/** A file from the contents API, or null if it does not exist. */
async function readFile(page: Page, filePath: string, format: 'text' | 'base64'): Promise<string | null> {
  const response = await page.request.get(
    `/api/contents/${encodeURI(filePath)}?content=1&type=file&format=${format}`
  );
  if (response.status() === 404) return null;
  if (!response.ok()) throw new Error(`GET ${filePath}: ${response.status()}`);
  return ((await response.json()) as { content: string }).content;
}

/** Status of the kernel of the notebook on the page ('' while there is none yet). */
function kernelStatus(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      (window as unknown as { jupyterapp?: NotebookApp }).jupyterapp?.shell.currentWidget?.sessionContext
        ?.session?.kernel?.status ?? ''
  );
}

/**
 * Console errors that are not the extension's, thrown by Notebook 7.6.5's own bundle (notebook_core.js):
 * - its keyboard-shortcuts plugin, on every page load (its settings listener reads a plugin that is not
 *   loaded), nnmotifs disabled or not;
 * - on every page load once JupyterLab was opened on the same server (the other specs run first), the file
 *   browser's restore step executing `filebrowser:open-path`, which the /notebooks/ page does not have.
 * Both measured with nnmotifs disabled (`jupyter labextension disable nnmotifs`) too.
 */
const NOTEBOOK_NOISE = [
  "uncaught: Cannot read properties of undefined (reading 'schema')",
  "uncaught: Command 'filebrowser:open-path' not registered."
];

/** The console errors of the page, less Notebook 7's own (above). */
function ownErrors(errors: ConsoleError[]): ConsoleError[] {
  return errors.filter(error => !NOTEBOOK_NOISE.includes(error.text));
}

let folder = '';
let consoleErrors: ConsoleError[] = [];

test.beforeEach(async ({ page, request }, testInfo) => {
  folder = `notebook7-${testInfo.workerIndex}-${Date.now()}`;
  await put(request, folder, { type: 'directory' });
  const notebook = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '..', 'notebooks', NOTEBOOK), 'utf8')
  ) as object;
  await put(request, `${folder}/${NOTEBOOK}`, { type: 'notebook', format: 'json', content: notebook });
  await put(request, `${folder}/tiny.network.json`, {
    type: 'file',
    format: 'text',
    content: NETWORK_FILE
  });
  consoleErrors = collectConsoleErrors(page);
});

test.afterEach(async ({ page }) => {
  // Shut the kernel down and leave no "unsaved changes" dialog behind; the folder lives in the server's
  // throw-away root.
  await page.evaluate(async () => {
    const app = (window as unknown as { jupyterapp?: NotebookApp }).jupyterapp;
    await app?.commands.execute('kernelmenu:shutdown').catch(() => undefined);
  });
});

/** Opens the notebook in Notebook 7 and runs every cell. */
async function openAndRun(page: Page): Promise<void> {
  await page.goto(`notebooks/${folder}/${NOTEBOOK}`);
  // Notebook 7's own page (its shell's #main-panel), not JupyterLab's.
  await expect(page.locator('#main-panel')).toHaveCount(1);
  await expect(page.locator('.jp-LabShell')).toHaveCount(0);
  await expect.poll(() => kernelStatus(page), { timeout: 60_000 }).toBe('idle');
  await page.evaluate(() =>
    (window as unknown as { jupyterapp: NotebookApp }).jupyterapp.commands.execute('notebook:run-all-cells')
  );
  await expect(figureIn(cellOutput(page, CELL.one)).locator('svg.main-svg').first()).toBeVisible();
}

test('the nnmotifs plugins activate in Notebook 7, and the figure renderer draws', async ({
  page
}, testInfo) => {
  await openAndRun(page);
  const activated = await page.evaluate(
    ids =>
      ids.map(id => {
        const app = (window as unknown as { jupyterapp: NotebookApp }).jupyterapp;
        return [id, app.hasPlugin(id) && app.isPluginActivated(id)];
      }),
    PLUGINS
  );
  expect(Object.fromEntries(activated)).toEqual(Object.fromEntries(PLUGINS.map(id => [id, true])));

  const one = figureIn(cellOutput(page, CELL.one));
  await expect(tracesIn(one)).toHaveCount(2);
  await expect(one.locator('.gtitle')).toHaveText('Export one');
  await expect(tracesIn(figureIn(cellOutput(page, CELL.two)))).toHaveCount(3);
  // The chart is as wide as the output area it lives in (Notebook's layout, not Lab's).
  const [plotWidth, outputWidth] = await Promise.all([
    one
      .locator('svg.main-svg')
      .first()
      .evaluate(el => el.getBoundingClientRect().width),
    one.evaluate(el => el.getBoundingClientRect().width)
  ]);
  expect(Math.abs(plotWidth - outputWidth)).toBeLessThan(2);
  // The network view renderer draws too.
  await expect(cellOutput(page, CELL.network).locator('.jp-nnmotifs-Network canvas').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('notebook7.png'), fullPage: true });
  expect(ownErrors(consoleErrors)).toEqual([]);
});

test('the export toolbar exists in Notebook 7 and its buttons write SVG, PNG and PDF files', async ({
  page
}) => {
  await openAndRun(page);
  const figure = figureIn(cellOutput(page, CELL.one));
  await expect(figure).toHaveAttribute('data-nnmotifs-exportable', 'true');
  await figure.hover();
  const toolbar = figure.locator('.jp-nnmotifs-ExportToolbar');
  await expect(toolbar).toHaveAttribute('role', 'toolbar');
  await expect(toolbar.getByRole('button')).toHaveText(['SVG', 'PNG', 'PDF']);

  await toolbar.getByRole('button', { name: 'Export as SVG' }).click();
  await expect.poll(() => readFile(page, `${folder}/figures/export-one.svg`, 'text')).not.toBeNull();
  const svg = (await readFile(page, `${folder}/figures/export-one.svg`, 'text')) ?? '';
  expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  expect(svg).toContain('Export one');

  await figure.hover();
  await toolbar.getByRole('button', { name: 'Export as PNG' }).click();
  await expect.poll(() => readFile(page, `${folder}/figures/export-one.png`, 'base64')).not.toBeNull();
  const png = Buffer.from(
    (await readFile(page, `${folder}/figures/export-one.png`, 'base64')) ?? '',
    'base64'
  );
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // Nature single column (89 mm) at 300 dpi, height 0.618 × width: the same preset as in JupyterLab.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1051, 650]);

  await figure.hover();
  await toolbar.getByRole('button', { name: 'Export as PDF' }).click();
  await expect
    .poll(() => readFile(page, `${folder}/figures/export-one.pdf`, 'base64'), { timeout: 60_000 })
    .not.toBeNull();
  const pdf = Buffer.from(
    (await readFile(page, `${folder}/figures/export-one.pdf`, 'base64')) ?? '',
    'base64'
  );
  expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  // One page of 89 mm (252.3 pt) width.
  expect(pdf.toString('latin1')).toMatch(/\/MediaBox\s*\[\s*0 0 252\.\d+/);
  // The exporter asks whether figures/ and each file exist before writing: those 404s are expected.
  const probe = `/api/contents/${folder}/figures`;
  expect(
    ownErrors(consoleErrors).filter(
      error => !(error.text.includes('status of 404') && error.url.includes(probe))
    )
  ).toEqual([]);
});

test('the static PNG is written into the notebook Notebook 7 saves', async ({ page }) => {
  await openAndRun(page);
  await expect(tracesIn(figureIn(cellOutput(page, CELL.two)))).toHaveCount(3);
  let saved: ReturnType<typeof figureOutputs> = [];
  await expect
    .poll(
      async () => {
        await page.evaluate(() =>
          (window as unknown as { jupyterapp: NotebookApp }).jupyterapp.commands.execute('docmanager:save')
        );
        saved = figureOutputs(await readNotebook(page, `${folder}/${NOTEBOOK}`));
        return saved.length === 2 && saved.every(output => typeof output.data['image/png'] === 'string');
      },
      { timeout: 30_000 }
    )
    .toBe(true);
  for (const output of saved) {
    const png = Buffer.from(output.data['image/png'] as string, 'base64');
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(output.metadata['image/png']).toEqual({ width: 720, height: 420 });
  }
});

test('the Inspector opens a network view from the notebook and a network file from /edit/', async ({
  page
}) => {
  await openAndRun(page);
  const network = cellOutput(page, CELL.network).locator('.jp-nnmotifs-Network');
  await network.getByRole('button', { name: 'Open in Inspector' }).click();
  const fromView = page.locator('.jp-nnmotifs-Inspector:visible');
  await expect(fromView.locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('2 – 1');
  await expect(fromView.getByRole('tab')).toHaveText(['Structure', 'Metrics', 'Sparsity', 'Motifs']);
  // Beside the notebook (Notebook 7's right panel), which stays open.
  await expect(page.locator('.jp-NotebookPanel')).toBeVisible();

  // A network file, double-clicked in Notebook's file browser: Notebook 7 opens it in a new browser tab on
  // its /edit/ page, with the default viewer of the file type, the Inspector.
  await page.goto(`tree/${folder}`);
  const opened = page.context().waitForEvent('page');
  await page.locator('.jp-DirListing-item[title^="Name: tiny.network.json"]').dblclick();
  const editPage = await opened;
  const editErrors = collectConsoleErrors(editPage);
  await expect(editPage).toHaveURL(new RegExp(`/edit/${folder}/tiny\\.network\\.json`));
  const fromFile = editPage.locator('.jp-nnmotifs-Inspector:visible');
  await expect(fromFile.locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('2 – 3 – 1');
  await expect(fromFile.locator('.jp-nnmotifs-Inspector-edges')).toContainText('9 of 9 (density');
  await fromFile.getByRole('tab', { name: 'Metrics' }).click();
  await expect(fromFile.locator('.jp-nnmotifs-Inspector-metrics .jp-nnmotifs-Figure')).toHaveCount(3);
  expect(ownErrors([...consoleErrors, ...editErrors])).toEqual([]);
  await editPage.close();
});
