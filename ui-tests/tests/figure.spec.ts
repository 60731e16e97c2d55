/**
 * The figure MIME renderer in a real JupyterLab: a Python kernel displays figure bundles the way the
 * nnmotifs kernel helpers do (notebooks/figures.ipynb), and the tests look at what Chromium shows.
 */
import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import {
  cellOutput,
  collectConsoleErrors,
  ConsoleError,
  FIGURE_MIME,
  figureIn,
  figureOutputs,
  readNotebook,
  tracesIn
} from './utils';

const NOTEBOOK = 'figures.ipynb';
/** Cell indices in notebooks/figures.ipynb (markdown cells included). */
const CELL = { helpers: 1, valid: 3, hostile: 5, invalid: 7, deep: 9, live: 11, liveUpdate: 12 };

// The console is watched from the very first request, so the page is opened by the tests themselves.
test.use({ autoGoto: false });

let consoleErrors: ConsoleError[] = [];

test.beforeEach(async ({ page, tmpPath }) => {
  consoleErrors = collectConsoleErrors(page);
  await page.goto(`tree/${tmpPath}`);
  await page.contents.uploadFile(
    path.resolve(__dirname, '..', 'notebooks', NOTEBOOK),
    `${tmpPath}/${NOTEBOOK}`
  );
  await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
  await page.notebook.activate(NOTEBOOK);
  await page.notebook.runCell(CELL.helpers);
});

test.afterEach(async ({ page }) => {
  await page.notebook.close(true);
});

test('draws a figure bundle as a plotly chart, and the extension loads without console errors', async ({
  page
}, testInfo) => {
  const plugins = await page.evaluate(() => {
    const app = (
      window as unknown as {
        jupyterapp: { isPluginActivated(id: string): boolean; hasPlugin(id: string): boolean };
      }
    ).jupyterapp;
    return {
      settings: app.isPluginActivated('nnmotifs:plugin'),
      theme: app.isPluginActivated('nnmotifs:theme'),
      renderer: app.isPluginActivated('nnmotifs:renderers')
    };
  });
  expect(plugins).toEqual({ settings: true, theme: true, renderer: true });

  await page.notebook.runCell(CELL.valid);
  const figure = figureIn(cellOutput(page, CELL.valid));
  await expect(figure.locator('svg.main-svg').first()).toBeVisible();
  await expect(tracesIn(figure)).toHaveCount(3);
  await expect(figure.locator('.cartesianlayer .trace.bars')).toHaveCount(3);
  await expect(figure.locator('.gtitle')).toHaveText('Three layers');
  await expect(figure).toHaveAttribute('aria-label', 'Three layers');
  // Follows the output width: the chart is as wide as the output area it lives in.
  const [plotWidth, outputWidth] = await Promise.all([
    figure
      .locator('svg.main-svg')
      .first()
      .evaluate(el => el.getBoundingClientRect().width),
    figure.evaluate(el => el.getBoundingClientRect().width)
  ]);
  expect(Math.abs(plotWidth - outputWidth)).toBeLessThan(2);

  await figure.screenshot({ path: testInfo.outputPath('figure-light.png') });
  expect(consoleErrors).toEqual([]);
});

test('follows the width of the cell when the window narrows', async ({ page }) => {
  await page.notebook.runCell(CELL.valid);
  const svg = figureIn(cellOutput(page, CELL.valid)).locator('svg.main-svg').first();
  await expect(svg).toBeVisible();
  const before = await svg.evaluate(el => el.getBoundingClientRect().width);
  await page.setViewportSize({ width: 700, height: 768 });
  await expect.poll(() => svg.evaluate(el => el.getBoundingClientRect().width)).toBeLessThan(before - 100);
});

test('follows the JupyterLab theme on screen', async ({ page }, testInfo) => {
  await page.notebook.runCell(CELL.valid);
  const figure = figureIn(cellOutput(page, CELL.valid));
  const svg = figure.locator('svg.main-svg').first();
  await expect(svg).toBeVisible();
  const paper = (): Promise<string> => svg.evaluate(el => getComputedStyle(el).backgroundColor);
  const themeBackground = (): Promise<string> =>
    page.evaluate(() => {
      const probe = document.createElement('div');
      probe.style.backgroundColor = 'var(--jp-layout-color0)';
      document.body.append(probe);
      const colour = getComputedStyle(probe).backgroundColor;
      probe.remove();
      return colour;
    });
  expect(await paper()).toBe(await themeBackground());
  const light = await paper();

  await page.theme.setDarkTheme();
  await expect.poll(paper).not.toBe(light);
  expect(await paper()).toBe(await themeBackground());
  const titleColour = await figure.locator('.gtitle').evaluate(el => getComputedStyle(el).fill);
  expect(titleColour).not.toBe('rgb(0, 0, 0)');
  await figure.screenshot({ path: testInfo.outputPath('figure-dark.png') });
  await page.theme.setLightTheme();
  await expect.poll(paper).toBe(light);
});

test('a hostile payload runs no script and shows its markup as text', async ({ page }, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', dialog => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.notebook.runCell(CELL.hostile);
  const figure = figureIn(cellOutput(page, CELL.hostile));
  await expect(tracesIn(figure)).toHaveCount(1);
  // The title is the markup, shown as text.
  await expect(figure.locator('.gtitle')).toContainText('<img src=x onerror=');
  await expect(figure.locator('.xtitle')).toContainText('<img src=x onerror=');
  // Hover labels are drawn too.
  // plotly's drag layer sits over the bars and takes the mouse: move the mouse over the bar itself.
  const bar = await figure.locator('.trace.bars .point').first().boundingBox();
  expect(bar).not.toBeNull();
  await page.mouse.move(bar!.x + bar!.width / 2, bar!.y + bar!.height / 2);
  await expect(figure.locator('.hoverlayer .hovertext')).toContainText('<img src=x');
  await figure.screenshot({ path: testInfo.outputPath('figure-hostile.png') });
  await page.waitForTimeout(500);

  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);
  expect(pwned).toBeUndefined();
  expect(dialogs).toEqual([]);
  expect(await figure.locator('img, script, iframe, foreignObject').count()).toBe(0);
  expect(await figure.locator('a[href^="javascript"], a[*|href^="javascript"]').count()).toBe(0);
});

test('an invalid or absurd payload shows an error in the output and JupyterLab keeps working', async ({
  page
}) => {
  await page.notebook.runCell(CELL.invalid);
  const invalid = figureIn(cellOutput(page, CELL.invalid));
  await expect(invalid.locator('.jp-nnmotifs-Figure-error')).toBeVisible();
  await expect(invalid.locator('.jp-nnmotifs-Figure-error')).toHaveText(
    /This nnmotifs figure cannot be shown: data: .*expected array/
  );
  await expect(invalid.locator('.jp-nnmotifs-Figure-error')).toHaveAttribute('role', 'alert');
  await expect(invalid.locator('svg.main-svg')).toHaveCount(0);

  await page.notebook.runCell(CELL.deep);
  await expect(figureIn(cellOutput(page, CELL.deep)).locator('.jp-nnmotifs-Figure-error')).toHaveText(
    /layout\.meta(\[0\])+ is nested more than 32 levels deep/
  );

  // Still responsive: the next figure draws.
  await page.notebook.runCell(CELL.valid);
  await expect(tracesIn(figureIn(cellOutput(page, CELL.valid)))).toHaveCount(3);
});

test('a display update redraws the figure in place', async ({ page }) => {
  await page.notebook.runCell(CELL.live);
  const figure = figureIn(cellOutput(page, CELL.live));
  await expect(tracesIn(figure)).toHaveCount(1);
  await figure
    .locator('.jp-nnmotifs-Figure-plot')
    .evaluate(el => el.setAttribute('data-test-mark', 'first draw'));

  await page.notebook.runCell(CELL.liveUpdate);
  await expect(tracesIn(figure)).toHaveCount(2);
  // The same element was updated (plotly.react), not a new renderer.
  await expect(figure.locator('.jp-nnmotifs-Figure-plot')).toHaveAttribute('data-test-mark', 'first draw');
});

test('writes a static PNG into the output, and the saved notebook keeps it', async ({
  page,
  tmpPath
}, testInfo) => {
  await page.notebook.runCell(CELL.valid);
  await expect(tracesIn(figureIn(cellOutput(page, CELL.valid)))).toHaveCount(3);

  const notebookPath = `${tmpPath}/${NOTEBOOK}`;
  let saved: Awaited<ReturnType<typeof figureOutputs>> = [];
  await expect
    .poll(
      async () => {
        await page.notebook.save();
        saved = figureOutputs(await readNotebook(page, notebookPath));
        return saved.length === 1 && typeof saved[0].data['image/png'] === 'string';
      },
      { timeout: 30_000 }
    )
    .toBe(true);

  const output = saved[0];
  const png = Buffer.from(output.data['image/png'] as string, 'base64');
  expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  // Drawn at twice the default 720 x 420 CSS pixels, shown at 720 x 420.
  expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1440, 840]);
  expect(output.metadata['image/png']).toEqual({ width: 720, height: 420 });
  expect(output.metadata[FIGURE_MIME]).toEqual({ staticImage: expect.stringMatching(/^[0-9a-z]+$/) });
  expect(output.data['text/plain']).toBe('[nnmotifs figure]');
  fs.writeFileSync(testInfo.outputPath('static-image.png'), png);

  // Written once: after saving, the notebook stays clean (no write-back loop) ...
  const dirty = (): Promise<boolean> =>
    page.evaluate(
      () =>
        (
          window as unknown as {
            jupyterapp: { shell: { currentWidget: { context: { model: { dirty: boolean } } } } };
          }
        ).jupyterapp.shell.currentWidget.context.model.dirty
    );
  await page.waitForTimeout(2000);
  expect(await dirty()).toBe(false);

  // ... and reopening it draws the figure again without touching the output.
  await page.notebook.close();
  await page.notebook.openByPath(notebookPath);
  await page.notebook.activate(NOTEBOOK);
  await expect(tracesIn(figureIn(cellOutput(page, CELL.valid)))).toHaveCount(3);
  await page.waitForTimeout(2000);
  expect(await dirty()).toBe(false);
});
