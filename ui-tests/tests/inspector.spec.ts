/**
 * The Network Inspector in a real JupyterLab: network files written by the test are opened from the file
 * browser (context menu, double-click, command), their structure is checked against numbers computed
 * here, motif Z-scores are computed in the Inspector's Web Worker with a progress bar, a long run is
 * cancelled, and broken files show an error that names the problem.
 */
import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'fs';
import { homedir, tmpdir } from 'os';
import { join as joinPath, resolve as resolvePath } from 'path';
import { execFileSync } from 'child_process';
import { pathToFileURL } from 'url';
import { collectConsoleErrors, ConsoleError, tracesIn } from './utils';

test.use({ autoGoto: false });

/** Deterministic pseudo-random numbers in [0, 1) (a small LCG; the test needs no statistics). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** An nnmotifs network file with random weights, a fraction `density` of them non-zero. */
function networkFile(
  sizes: readonly number[],
  density: number,
  seed: number
): { text: string; edges: number } {
  const random = lcg(seed);
  let edges = 0;
  const layers = sizes.slice(1).map((nOut, l) => ({
    weights: Array.from({ length: sizes[l] }, () =>
      Array.from({ length: nOut }, () => {
        if (random() >= density) return 0;
        edges++;
        return Math.round((random() * 2 - 1) * 1000) / 1000 || 0.5;
      })
    ),
    bias: Array.from({ length: nOut }, () => Math.round((random() * 2 - 1) * 1000) / 1000)
  }));
  return { text: JSON.stringify({ format: 'nnmotifs.network', version: 1, layers }), edges };
}

/** A PyTorch-style state_dict of `nn.Linear(3, 4), nn.Linear(4, 2)` as .safetensors bytes (float32). */
function safetensorsFile(): Buffer {
  const tensors: [string, number[]][] = [
    ['0.weight', [4, 3]],
    ['0.bias', [4]],
    ['2.weight', [2, 4]],
    ['2.bias', [2]]
  ];
  const header: Record<string, unknown> = {};
  let offset = 0;
  const values: number[] = [];
  for (const [name, shape] of tensors) {
    const n = shape.reduce((a, b) => a * b, 1);
    header[name] = { dtype: 'F32', shape, data_offsets: [offset, offset + 4 * n] };
    for (let k = 0; k < n; k++) values.push(((k % 5) - 2) / 4);
    offset += 4 * n;
  }
  const json = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));
  const data = Buffer.alloc(offset);
  values.forEach((v, k) => data.writeFloatLE(v, 4 * k));
  return Buffer.concat([length, json, data]);
}

const TINY = networkFile([4, 6, 5, 3], 0.5, 7);
/** Big enough that 1 000 000 nulls take minutes, small enough to open at once. */
const MEDIUM = networkFile([30, 40, 40, 10], 0.3, 11);

const inspector = (page: Page) => page.locator('.jp-nnmotifs-Inspector:visible');

async function openFromContextMenu(page: Page, name: string): Promise<void> {
  await page.locator(`.jp-DirListing-item[title^="Name: ${name}"]`).click({ button: 'right' });
  await page.getByRole('menuitem', { name: 'Open in Network Inspector' }).click();
}

async function computeMotifs(page: Page, nulls: number): Promise<void> {
  await inspector(page).getByRole('tab', { name: 'Motifs' }).click();
  await inspector(page).getByLabel('Nulls').fill(String(nulls));
  await inspector(page).getByRole('button', { name: 'Compute' }).click();
}

let consoleErrors: ConsoleError[] = [];

test.beforeEach(async ({ page, tmpPath }) => {
  consoleErrors = collectConsoleErrors(page);
  await page.contents.uploadContent(TINY.text, 'text', `${tmpPath}/tiny.network.json`);
  await page.contents.uploadContent(MEDIUM.text, 'text', `${tmpPath}/medium.json`);
  await page.goto(`tree/${tmpPath}`);
});

test('opens a network file from the context menu, shows its structure, metrics and sparsity', async ({
  page
}) => {
  expect(
    await page.evaluate(() =>
      (
        window as unknown as { jupyterapp: { isPluginActivated(id: string): boolean } }
      ).jupyterapp.isPluginActivated('nnmotifs:inspector')
    )
  ).toBe(true);
  await openFromContextMenu(page, 'tiny.network.json');
  const view = inspector(page);
  await expect(view.locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('4 – 6 – 5 – 3');
  await expect(view.locator('.jp-nnmotifs-Inspector-edges')).toContainText(`${TINY.edges} of 69 (density`);
  await expect(view.getByRole('tab')).toHaveText(['Structure', 'Metrics', 'Sparsity', 'Motifs']);

  // Keyboard: the tab bar moves focus with the arrow keys and selects with Enter.
  await view.getByRole('tab', { name: 'Structure' }).focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await expect(view.getByRole('tab', { name: 'Metrics' })).toHaveAttribute('aria-selected', 'true');
  const figures = view.locator('.jp-nnmotifs-Inspector-metrics .jp-nnmotifs-Figure');
  await expect(figures).toHaveCount(3);
  await expect(tracesIn(figures.nth(0))).toHaveCount(4); // node strength: one box per neuron layer
  await expect(tracesIn(figures.nth(2))).toHaveCount(3); // link weights: one line per weight layer

  await view.getByRole('tab', { name: 'Sparsity' }).click();
  const rows = view.locator('.jp-nnmotifs-Inspector-sparsityText tbody tr');
  await expect(rows).toHaveCount(3);
  await expect(rows.first().locator('th')).toHaveText('input → hidden 1');
  expect(consoleErrors).toEqual([]);
});

test('computes motif Z-scores in the worker with a progress bar, then shows the figure and table', async ({
  page
}) => {
  await openFromContextMenu(page, 'medium.json');
  const view = inspector(page);
  await expect(view.locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('30 – 40 – 40 – 10');
  await view.getByRole('tab', { name: 'Motifs' }).click();
  const progress = view.getByRole('progressbar', { name: 'Null samples computed' });
  // Record every value the progress bar takes (the attribute reflects the value).
  await view.locator('.jp-nnmotifs-Inspector-progress').evaluate(node => {
    const values: number[] = [];
    (window as unknown as { progressValues: number[] }).progressValues = values;
    new MutationObserver(() => values.push((node as HTMLProgressElement).value)).observe(node, {
      attributes: true,
      attributeFilter: ['value']
    });
  });
  await computeMotifs(page, 3000);
  const motifs = view.locator('.jp-nnmotifs-Inspector-motifs');
  await expect(motifs).toHaveAttribute('data-state', 'done', { timeout: 90_000 });
  await expect(view.locator('.jp-nnmotifs-Inspector-percent')).toHaveText('100 % (3,000 nulls)');
  const values = await page.evaluate(
    () => (window as unknown as { progressValues: number[] }).progressValues
  );
  expect(values.filter(v => v > 0 && v < 3000).length).toBeGreaterThanOrEqual(2);
  await expect(progress).toHaveAttribute('value', '3000');
  const figure = motifs.locator('.jp-nnmotifs-Figure');
  await expect(figure.locator('.cartesianlayer .trace.bars')).toHaveCount(1);
  await expect(figure.locator('.gtitle')).toContainText(
    'Motif Z-scores of medium.json (3000 random-pruning nulls)'
  );
  await expect(motifs.locator('.jp-nnmotifs-Inspector-motifTable tbody tr')).toHaveCount(9);
  expect(consoleErrors).toEqual([]);
});

test('cancels a long run; the UI stays responsive and says "cancelled"', async ({ page }) => {
  await openFromContextMenu(page, 'medium.json');
  const view = inspector(page);
  await expect(view.locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('30 – 40 – 40 – 10');
  await computeMotifs(page, 1_000_000);
  const motifs = view.locator('.jp-nnmotifs-Inspector-motifs');
  await expect(motifs).toHaveAttribute('data-state', 'running');
  await expect(view.locator('.jp-nnmotifs-Inspector-percent')).toHaveText(
    /^\d+ % \([1-9][\d,]* of 1,000,000 nulls\)$/
  );
  // The UI thread is free while the worker counts: switching tabs answers at once.
  const started = Date.now();
  await view.getByRole('tab', { name: 'Structure' }).click();
  await expect(view.getByRole('tab', { name: 'Structure' })).toHaveAttribute('aria-selected', 'true');
  expect(Date.now() - started).toBeLessThan(2000);
  await view.getByRole('tab', { name: 'Motifs' }).click();
  await view.getByRole('button', { name: 'Cancel' }).click();
  await expect(motifs).toHaveAttribute('data-state', 'cancelled');
  await expect(view.locator('.jp-nnmotifs-Inspector-message')).toContainText(
    /Cancelled after \d+ of 1000000 nulls/
  );
  await expect(view.getByRole('button', { name: 'Cancel' })).toBeDisabled();
  // The worker is free again: a small run completes.
  await inspector(page).getByLabel('Nulls').fill('50');
  await inspector(page).getByRole('button', { name: 'Compute' }).click();
  await expect(motifs).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  expect(consoleErrors).toEqual([]);
});

test('opens .safetensors by double-click (default viewer) and a network view output by command', async ({
  page,
  tmpPath
}) => {
  await page.contents.uploadContent(
    safetensorsFile().toString('base64'),
    'base64',
    `${tmpPath}/mlp.safetensors`
  );
  await page.filebrowser.refresh();
  await page.locator('.jp-DirListing-item[title^="Name: mlp.safetensors"]').dblclick();
  await expect(inspector(page).locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('3 – 4 – 2');
  await expect(inspector(page).locator('.jp-nnmotifs-Inspector-summary')).toContainText('(safetensors)');

  // What the network view's "Open in Inspector" button runs: a view payload of a 2-2-1 network.
  await page.evaluate(() => {
    const app = (
      window as unknown as {
        jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
      }
    ).jupyterapp;
    return app.commands.execute('nnmotifs:inspect-network-payload', {
      payload: {
        version: 1,
        layers: [
          { name: 'input', size: 2 },
          { name: 'hidden 1', size: 2 },
          { name: 'output', size: 1 }
        ],
        nodes: {
          layer: [0, 0, 1, 1, 2],
          index: [0, 1, 0, 1, 0],
          strength: [1, 1, 1, 1, 1],
          degree: [1, 1, 1, 1, 1]
        },
        edges: { source: [0, 1, 2, 3], target: [2, 3, 4, 4], weight: [0.5, -1, 2, 1] },
        overlays: [],
        meta: { kind: 'networkView', title: 'view of a 2-2-1 net', exportName: 'net', provenance: {} }
      }
    });
  });
  await expect(page.getByRole('tab', { name: 'Inspector: view of a 2-2-1 net' })).toBeVisible();
  await expect(inspector(page).locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('2 – 2 – 1');
  await expect(inspector(page).locator('.jp-nnmotifs-Inspector-edges')).toContainText('4 of 6');
  expect(consoleErrors).toEqual([]);
});

test('a malformed network file shows an error naming the file, the layer and the problem', async ({
  page,
  tmpPath
}) => {
  const ragged = '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1, 2], [3]]}]}';
  await page.contents.uploadContent(ragged, 'text', `${tmpPath}/broken.network.json`);
  await page.evaluate(
    path =>
      (
        window as unknown as {
          jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
        }
      ).jupyterapp.commands.execute('nnmotifs:open-inspector', { path }),
    `${tmpPath}/broken.network.json`
  );
  const alert = inspector(page).getByRole('alert');
  await expect(alert).toContainText('This network cannot be inspected:');
  await expect(alert).toContainText(`${tmpPath}/broken.network.json, layer 0:`);
  await expect(alert).toContainText('ragged');
  await expect(inspector(page).getByRole('tab')).toHaveCount(0);

  // Not a network at all, opened with "Open With" on an ordinary .json file.
  await page.contents.uploadContent('{"name": "settings"}', 'text', `${tmpPath}/settings.json`);
  await page.filebrowser.refresh();
  await openFromContextMenu(page, 'settings.json');
  await expect(inspector(page).getByRole('alert')).toContainText(`${tmpPath}/settings.json:`);
  expect(consoleErrors).toEqual([]);
});

test('opens PyTorch, Keras and ONNX files written by the real tools by double-click', async ({
  page,
  tmpPath
}) => {
  // Fixtures of test/fixtures/interop/make_model_fixtures.py (torch 2.15, Keras 3.15, torch.onnx.export).
  const dir = joinPath(__dirname, '..', '..', 'test', 'fixtures', 'interop', 'models');
  const cases: [string, string, string][] = [
    ['torch_module.pt', '5 – 7 – 3 – 2', '(pytorch)'],
    ['torch_state_dict.pt', '5 – 7 – 3 – 2', '(pytorch)'],
    ['keras_mlp.keras', '5 – 6 – 4 – 3', '(keras)'],
    ['keras_batchnorm.h5', '5 – 6 – 3', '(hdf5)'],
    ['mlp.onnx', '5 – 7 – 3 – 2', '(onnx)']
  ];
  for (const [file] of cases) {
    await page.contents.uploadContent(
      readFileSync(joinPath(dir, file)).toString('base64'),
      'base64',
      `${tmpPath}/${file}`
    );
  }
  await page.filebrowser.refresh();
  for (const [file, sizes, kind] of cases) {
    await page.locator(`.jp-DirListing-item[title^="Name: ${file}"]`).dblclick();
    await expect(inspector(page).locator('.jp-nnmotifs-Inspector-summary')).toContainText(`${file} ${kind}`);
    await expect(inspector(page).locator('.jp-nnmotifs-Inspector-sizes')).toHaveText(sizes);
  }
  // A hostile checkpoint: an error naming the refused global; nothing runs, the lab stays usable.
  await page.contents.uploadContent(
    readFileSync(joinPath(dir, 'hostile_reduce.pt')).toString('base64'),
    'base64',
    `${tmpPath}/hostile_reduce.pt`
  );
  await page.filebrowser.refresh();
  await page.locator('.jp-DirListing-item[title^="Name: hostile_reduce.pt"]').dblclick();
  await expect(inspector(page).getByRole('alert')).toContainText(
    'posix.system, which is not on the allow-list'
  );
});

test('hostile files show their error in the Inspector, its worker is stopped, JupyterLab keeps working', async ({
  page,
  tmpPath
}) => {
  // The hostile corpus of the unit tests (test/hostile/corpus.mjs), generated here into a scratch folder.
  const corpusModule = pathToFileURL(
    resolvePath(__dirname, '..', '..', 'test', 'hostile', 'corpus.mjs')
  ).href;
  const { buildCorpus } = (await import(corpusModule)) as { buildCorpus(dir: string): unknown[] };
  const scratch = mkdtempSync(joinPath(tmpdir(), 'nnmotifs-galata-hostile-'));
  try {
    buildCorpus(scratch);
    const cases: [string, RegExp][] = [
      ['npz_overlap/overlap.npz', /members "m\d+\.npy" and "m\d+\.npy" share the same bytes/],
      ['npz_bomb_256m/bomb.npz', /not a \.npy array/],
      ['npz_dtype_proto/p.npz', /unsupported element type __proto__/],
      ['st_dtype_constructor/p.safetensors', /has dtype constructor, which nnmotifs does not read/],
      ['tfjs_same_shard_many/model.json', /names weight shard "w\.bin" twice/]
    ];
    for (const [file, message] of cases) {
      const name = file.replace('/', '-');
      const bytes = readFileSync(joinPath(scratch, file));
      await page.contents.uploadContent(bytes.toString('base64'), 'base64', `${tmpPath}/${name}`);
      if (file.startsWith('tfjs_same_shard_many/')) {
        // Its shard exists: the model is refused for naming it thousands of times, not for a missing file.
        await page.contents.uploadContent('AAAAAA==', 'base64', `${tmpPath}/w.bin`);
      }
      await page.evaluate(
        path =>
          (
            window as unknown as {
              jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
            }
          ).jupyterapp.commands.execute('nnmotifs:open-inspector', { path }),
        `${tmpPath}/${name}`
      );
      const alert = inspector(page).getByRole('alert');
      await expect(alert).toContainText('This network cannot be inspected:');
      await expect(alert).toContainText(message);
      // The worker that read it is terminated: no Inspector worker is left running.
      await expect
        .poll(() => page.workers().filter(w => w.url().includes('nnmotifs-inspector')).length)
        .toBe(0);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // JupyterLab still answers, and a genuine network opens in a fresh worker.
  await openFromContextMenu(page, 'tiny.network.json');
  await expect(inspector(page).locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('4 – 6 – 5 – 3');
  expect(consoleErrors).toEqual([]);
});

/** The server's root folder on disk, from JupyterLab's page config (`~` expanded). */
async function serverRoot(page: Page): Promise<string> {
  const root = await page.evaluate(() => {
    const data = document.getElementById('jupyter-config-data')?.textContent ?? '{}';
    return (JSON.parse(data) as { serverRoot?: string }).serverRoot ?? '';
  });
  expect(root).not.toBe('');
  return root.startsWith('~') ? joinPath(homedir(), root.slice(1)) : root;
}

test('TF.js shards come through the server extension: a symlink out of the folder, /dev/zero or a FIFO is refused, a genuine model opens', async ({
  page,
  tmpPath
}) => {
  // The browser cannot see symlinks and the contents API follows them: the Inspector reads shards through
  // the nnmotifs server extension, which resolves real paths. Made on disk (the contents API makes no links).
  const corpusModule = pathToFileURL(
    resolvePath(__dirname, '..', '..', 'test', 'hostile', 'corpus.mjs')
  ).href;
  const { buildCorpus } = (await import(corpusModule)) as { buildCorpus(dir: string): unknown[] };
  const scratch = mkdtempSync(joinPath(tmpdir(), 'nnmotifs-galata-links-'));
  const root = await serverRoot(page);
  try {
    buildCorpus(scratch);
    const secret = joinPath(scratch, 'outside', 'secret.bin');
    const cases: [string, (shard: string) => void, RegExp][] = [
      [
        'tfjs_shard_symlink_out',
        shard => symlinkSync(secret, shard),
        /file "w\.bin" named by .*model\.json resolves to .*secret\.bin, outside the folder of the model/
      ],
      [
        'tfjs_shard_dev_zero',
        shard => symlinkSync('/dev/zero', shard),
        /resolves to \/dev\/zero, outside the folder of the model/
      ],
      [
        'tfjs_shard_fifo',
        shard => execFileSync('mkfifo', [shard]),
        /file "w\.bin" named by .*model\.json is a FIFO \(named pipe\), not a regular file/
      ]
    ];
    for (const [id, makeShard, message] of cases) {
      const folder = joinPath(root, tmpPath, id);
      mkdirSync(folder, { recursive: true });
      copyFileSync(joinPath(scratch, id, 'model.json'), joinPath(folder, 'model.json'));
      makeShard(joinPath(folder, 'w.bin'));
      await page.evaluate(
        path =>
          (
            window as unknown as {
              jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
            }
          ).jupyterapp.commands.execute('nnmotifs:open-inspector', { path }),
        `${tmpPath}/${id}/model.json`
      );
      const alert = inspector(page).getByRole('alert');
      await expect(alert).toContainText('This network cannot be inspected:');
      await expect(alert).toContainText(message);
      await expect(alert).not.toContainText('TOP SECRET');
      await expect
        .poll(() => page.workers().filter(w => w.url().includes('nnmotifs-inspector')).length)
        .toBe(0);
    }
    // A genuine TF.js model reads its shards through the same handler (one shard a symlink inside the folder).
    const keras = joinPath(root, tmpPath, 'keras');
    const fixtures = resolvePath(__dirname, '..', '..', 'test', 'fixtures', 'interop', 'keras_sequential');
    mkdirSync(keras, { recursive: true });
    for (const name of ['model.json', 'group1-shard1of2.bin']) {
      copyFileSync(joinPath(fixtures, name), joinPath(keras, name));
    }
    mkdirSync(joinPath(keras, 'store'));
    copyFileSync(joinPath(fixtures, 'group1-shard2of2.bin'), joinPath(keras, 'store', 'second.bin'));
    symlinkSync(joinPath(keras, 'store', 'second.bin'), joinPath(keras, 'group1-shard2of2.bin'));
    await page.evaluate(
      path =>
        (
          window as unknown as {
            jupyterapp: { commands: { execute(id: string, args: unknown): Promise<unknown> } };
          }
        ).jupyterapp.commands.execute('nnmotifs:open-inspector', { path }),
      `${tmpPath}/keras/model.json`
    );
    await expect(inspector(page).locator('.jp-nnmotifs-Inspector-sizes')).toHaveText('5 – 6 – 4 – 3');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  // Chromium logs each refused request (HTTP 403, 415); nothing else may go wrong.
  expect(consoleErrors.filter(e => !e.url.includes('/nnmotifs/referenced-file'))).toEqual([]);
});
