/**
 * Live training progress in a real JupyterLab: `nm.train` in the tslab kernel shows one loss/accuracy
 * figure that the extension redraws in place (display updates) while training runs, then a final figure.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import { cellOutput, collectConsoleErrors, figureIn, figureOutputs, readNotebook } from './utils';

/** Next to the examples (the server root links `examples/`), so `import "nnmotifs"` resolves as for a user. */
const NOTEBOOK = 'examples/live-training.galata-test.ipynb';
const NOTEBOOK_NAME = 'live-training.galata-test.ipynb';
const EPOCHS = 20;

const SOURCE = [
  'import * as nm from "nnmotifs";',
  'const data = nm.datasets.binaryTree(3000, { seed: 1, validationSplit: 0.1 });',
  'const model = nm.mlp([data.xTrain.shape[1], 64, 64, data.yTrain.shape[1]], { seed: 1 });',
  // Training takes well under a second per epoch; a pause after each epoch lets the test watch every update.
  'const pause = () => new Promise<void>(resolve => setTimeout(resolve, 400));',
  `const history = await nm.train(model, data, { epochs: ${EPOCHS}, batchSize: 16, seed: 1, title: "Live", onEpochEnd: pause });`,
  'console.log(`finished ${history.epochs} epochs`);'
].join('\n');

test.use({
  autoGoto: false,
  mockSettings: { ...galata.DEFAULT_SETTINGS, '@jupyterlab/docmanager-extension:plugin': { autosave: false } }
});

test('training shows one figure that updates in place epoch by epoch, then a final figure', async ({
  page,
  request
}) => {
  test.setTimeout(300_000);
  const specs = (await (await request.get('/api/kernelspecs')).json()) as {
    kernelspecs: Record<string, unknown>;
  };
  test.skip(
    !Object.keys(specs.kernelspecs).includes('tslab'),
    'the tslab kernel is not registered in the Jupyter serving the tests; run `npm run setup`'
  );
  const consoleErrors = collectConsoleErrors(page);
  const notebook = {
    cells: [
      {
        id: 'live-training',
        cell_type: 'code',
        source: SOURCE,
        metadata: {},
        outputs: [],
        execution_count: null
      }
    ],
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript' }
    },
    nbformat: 4,
    nbformat_minor: 5
  };
  await page.goto('tree/examples');
  const put = await request.put(`/api/contents/${NOTEBOOK}`, {
    data: { type: 'notebook', format: 'json', content: notebook }
  });
  expect(put.ok(), `PUT ${NOTEBOOK}: ${put.status()}`).toBe(true);
  try {
    await page.notebook.openByPath(NOTEBOOK);
    await page.notebook.activate(NOTEBOOK_NAME);
    // Not awaited: the test watches the figure while the cell runs.
    const run = page.notebook.runCell(0);

    const figure = figureIn(cellOutput(page, 0));
    const plot = figure.locator('.jp-nnmotifs-Figure-plot');
    await expect(plot).toBeVisible({ timeout: 180_000 });
    await plot.evaluate(el => el.setAttribute('data-test-mark', 'first draw'));

    // Collect the titles the figure shows while training runs: each epoch (and throttled batch updates)
    // redraws the same element with a new title.
    const titles = new Set<string>();
    const final = `Live: ${EPOCHS} epochs`;
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      const title = (await figure.locator('.gtitle').first().textContent({ timeout: 5_000 })) ?? '';
      titles.add(title);
      if (title === final) break;
      await page.waitForTimeout(50);
    }
    await run;
    const epochTitles = [...titles].filter(t => /^Live: epoch \d+\/\d+/.test(t));
    expect(epochTitles.length, `titles seen: ${[...titles].join(' | ')}`).toBeGreaterThanOrEqual(3);
    expect(titles.has(final), `titles seen: ${[...titles].join(' | ')}`).toBe(true);

    // Updated in place: the element marked at the first draw is still the plot, and the cell has one figure.
    await expect(plot).toHaveAttribute('data-test-mark', 'first draw');
    await expect(cellOutput(page, 0).locator('.jp-nnmotifs-Figure')).toHaveCount(1);
    await expect(cellOutput(page, 0)).toContainText(`finished ${EPOCHS} epochs`);

    // The final figure has one loss point per epoch.
    const lossPoints = await plot.evaluate(el => {
      const data = (el as HTMLElement & { data?: { name?: string; x?: unknown[] }[] }).data ?? [];
      return data.filter(trace => /loss/i.test(trace.name ?? '')).map(trace => trace.x?.length ?? 0);
    });
    expect(lossPoints.length).toBeGreaterThan(0);
    expect(Math.max(...lossPoints)).toBe(EPOCHS);

    await page.notebook.save();
    const saved = await readNotebook(page, NOTEBOOK);
    expect(figureOutputs(saved)).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.notebook.close(true);
    await page.contents.deleteFile(NOTEBOOK);
  }
});
