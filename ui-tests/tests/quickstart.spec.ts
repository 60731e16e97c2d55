/**
 * The end-to-end slice: examples/quickstart.ipynb runs in JupyterLab with the tslab kernel, builds an MLP
 * with TensorFlow.js and shows its node strength per layer as an nnmotifs figure drawn by the extension.
 */
import { expect, galata, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import {
  collectConsoleErrors,
  figureIn,
  figureOutputs,
  readNotebook,
  SavedNotebook,
  tracesIn
} from './utils';

const QUICKSTART = path.resolve(__dirname, '..', '..', 'examples', 'quickstart.ipynb');
/**
 * The copy that runs: next to the original (the server root links `examples/`), so the kernel's working
 * directory and module resolution are the ones a user has; deleted afterwards.
 */
const COPY = 'examples/quickstart.galata-test.ipynb';
const COPY_NAME = path.basename(COPY);

test.use({
  autoGoto: false,
  // Never autosave into examples/ while a test runs; the copy is saved explicitly and deleted.
  mockSettings: { ...galata.DEFAULT_SETTINGS, '@jupyterlab/docmanager-extension:plugin': { autosave: false } }
});

function sourceText(cell: SavedNotebook['cells'][number]): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** Everything a cell printed or returned as text (tslab prints values to stdout). */
function outputText(cell: SavedNotebook['cells'][number]): string {
  const joined = (text: unknown): string =>
    Array.isArray(text) ? text.join('') : typeof text === 'string' ? text : '';
  return (cell.outputs ?? [])
    .map(output => joined(output.text) + joined(output.data?.['text/plain']))
    .join('\n');
}

test('the quickstart notebook shows node strength with one trace per neuron layer', async ({
  page,
  request
}, testInfo) => {
  test.setTimeout(420_000);
  const specs = (await (await request.get('/api/kernelspecs')).json()) as {
    kernelspecs: Record<string, unknown>;
  };
  const kernels = Object.keys(specs.kernelspecs);
  test.skip(
    !kernels.includes('tslab'),
    `the tslab kernel is not registered in the Jupyter serving the tests (kernels: ${kernels.join(', ')}); ` +
      'run `npm run setup` or point NNMOTIFS_JUPYTER at a Jupyter with tslab'
  );
  expect(fs.existsSync(QUICKSTART), `${QUICKSTART} is missing`).toBe(true);

  const consoleErrors = collectConsoleErrors(page);
  await page.goto('tree/examples');
  await page.contents.uploadFile(QUICKSTART, COPY);
  try {
    await page.notebook.openByPath(COPY);
    await page.notebook.activate(COPY_NAME);
    await page.notebook.run();

    const figure = figureIn(page.locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea'));
    await expect(figure.locator('svg.main-svg').first()).toBeVisible({ timeout: 180_000 });
    await expect(figure.locator('.jp-nnmotifs-Figure-error')).toBeHidden();

    await page.notebook.save();
    const notebook = await readNotebook(page, COPY);
    const figures = figureOutputs(notebook);
    expect(figures).toHaveLength(1);
    const spec = figures[0].data['application/vnd.nnmotifs.figure+json'] as {
      data: { type: string }[];
      meta: { kind: string };
    };
    expect(spec.meta.kind).toBe('nodeStrength');

    // One trace per neuron layer: the notebook prints its weight layers as "n_in -> n_out (activation)".
    const layerCell = notebook.cells.find(cell => sourceText(cell).includes('net.layers.map'));
    expect(layerCell, 'the quickstart lists its layers with net.layers.map').toBeDefined();
    const weightLayers = (outputText(layerCell!).match(/\d+ -> \d+/g) ?? []).length;
    expect(weightLayers, `layers cell outputs: ${JSON.stringify(layerCell!.outputs)}`).toBeGreaterThan(0);
    const neuronLayers = weightLayers + 1;
    expect(spec.data).toHaveLength(neuronLayers);
    await expect(tracesIn(figure)).toHaveCount(neuronLayers);
    await expect(figure.locator('.cartesianlayer .trace.boxes')).toHaveCount(neuronLayers);

    await figure.screenshot({ path: testInfo.outputPath('quickstart-node-strength.png') });
    expect(consoleErrors).toEqual([]);
  } finally {
    await page.notebook.close(true);
    await page.contents.deleteFile(COPY);
  }
});
