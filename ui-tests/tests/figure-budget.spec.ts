/**
 * The main-thread budget of figure outputs in a real JupyterLab: the heaviest payloads the renderer accepts
 * (10 k SVG bars, grouped on screen; 1 M scatter points, thinned on screen) must not freeze the tab. Long
 * tasks of the page are watched with a PerformanceObserver.
 *
 * Its own file so it can turn Playwright's trace recorder off: the recorder snapshots the DOM inside the
 * page on every action (10 k bars are 10 k nodes to walk), which would count as long tasks of JupyterLab.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import * as path from 'path';
import { cellOutput, figureIn, tracesIn } from './utils';

const NOTEBOOK = 'figures.ipynb';
/** Cell index of the helpers (figure, show) in notebooks/figures.ipynb. */
const HELPERS = 1;

test.use({ autoGoto: false, trace: 'off' });

test.beforeEach(async ({ page, tmpPath }) => {
  await page.goto(`tree/${tmpPath}`);
  await page.contents.uploadFile(
    path.resolve(__dirname, '..', 'notebooks', NOTEBOOK),
    `${tmpPath}/${NOTEBOOK}`
  );
  await page.notebook.openByPath(`${tmpPath}/${NOTEBOOK}`);
  await page.notebook.activate(NOTEBOOK);
  await page.notebook.runCell(HELPERS);
});

test.afterEach(async ({ page }) => {
  await page.notebook.close(true);
});

/** Starts watching long tasks of the page; the returned function gives the longest since then, in ms. */
async function watchLongTasks(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { __longest: number };
    w.__longest = 0;
    new PerformanceObserver(list => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  return () => page.evaluate(() => (window as unknown as { __longest: number }).__longest);
}

/** The few seconds past which a tab is frozen rather than busy (a loaded 2-core CI machine included). */
const FREEZE_MS = 5000;

test('10 k SVG bars (the most SVG points the budget allows) draw without freezing the tab', async ({
  page
}) => {
  test.setTimeout(300_000); // a loaded CI machine; the long-task bound below is what is checked
  const longest = await watchLongTasks(page);
  const cells = await page.notebook.getCellCount();
  await page.notebook.addCell(
    'code',
    'show(figure([{"type": "bar", "y": [1] * 10_000}], title="Ten thousand bars"))'
  );
  await page.notebook.runCell(cells);
  const bars = figureIn(cellOutput(page, cells));
  await expect(tracesIn(bars)).toHaveCount(1, { timeout: 120_000 });
  // Drawn on screen as the tallest bar of every 5 (an SVG path per bar is what costs), with a note; exports
  // draw all 10 k. (A payload over the budget, e.g. 200 k bars, is refused before drawing:
  // test/lab/payload.test.ts.)
  await expect(bars.locator('.jp-nnmotifs-Figure-note')).toHaveText(
    'On screen: the tallest bar of every 5 (2,000 of 10,000 bars); exports draw all of them.'
  );
  expect(await bars.locator('.barlayer .point').count()).toBe(2000);
  await page.waitForTimeout(3000); // anything drawn after a quiet time counts too
  const svgLongest = await longest();
  console.log(`longest main-thread task with 10 k SVG bars: ${Math.round(svgLongest)} ms`);
  expect(svgLongest).toBeLessThan(FREEZE_MS);
});

test('1 M scatter points are drawn with WebGL, thinned on screen, without freezing the tab', async ({
  page
}) => {
  test.setTimeout(300_000);
  const longest = await watchLongTasks(page);
  const cells = await page.notebook.getCellCount();
  // Drawn as scattergl (a WebGL canvas, not a million SVG nodes) and thinned on screen to 1 point in 10,
  // with a note (exports draw every point).
  await page.notebook.addCell(
    'code',
    'show(figure([{"type": "scatter", "mode": "markers", "y": list(range(1_000_000))}], title="A million points"))'
  );
  await page.notebook.runCell(cells);
  const big = figureIn(cellOutput(page, cells));
  await expect(big.locator('.gl-container canvas').first()).toBeAttached({ timeout: 120_000 });
  await expect(big.locator('.jp-nnmotifs-Figure-note')).toHaveText(
    'On screen: 1 point in 10 (100,000 of 1,000,000 points); exports draw all of them.'
  );
  expect(await big.locator('.scatterlayer .point').count()).toBe(0);
  await page.waitForTimeout(3000); // anything drawn after a quiet time (a static PNG) counts too
  const glLongest = await longest();
  console.log(`longest main-thread task with 1 M scatter points: ${Math.round(glLongest)} ms`);
  expect(glLongest).toBeLessThan(FREEZE_MS);
});
