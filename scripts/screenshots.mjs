#!/usr/bin/env node
// `npm run screenshots`: the README's pictures of the main views, taken in a real JupyterLab with Debian's
// Chromium (playwright-core, no browser download). Writes docs/images/{figure,network-view,inspector,export}.png.
//
// The server runs on a throw-away root (port 8895) holding `demo/`: a copy of
// examples/motifs-and-sparsity.ipynb (its saved outputs are shown, nothing is executed; a copy, because
// JupyterLab writes checkpoints next to what it opens) and a notebook run in the tslab kernel, which resolves
// `import "nnmotifs"` to this checkout through a `node_modules` link. Settings and workspaces live in a
// throw-away folder too, so the pictures do not depend on the user's JupyterLab settings.
//
// Environment: NNMOTIFS_CHROMIUM (default /usr/bin/chromium), NNMOTIFS_SHOTS_PORT (default 8895).
/* global window, getComputedStyle -- the page.evaluate callbacks run in the browser */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { ROOT, envWithPath, exists, relative } from './support/common.mjs';
import { VENV } from './support/python-env.mjs';

// The system Chromium and its headless flags, as nm.save uses them (lib/ is built by `npm run setup`).
const { chromiumLaunchOptions } = createRequire(import.meta.url)('../lib/kernel/chromium.js');

const PORT = Number(process.env.NNMOTIFS_SHOTS_PORT ?? '8895');
const BASE_URL = `http://127.0.0.1:${PORT}`;
const OUT_DIR = path.join(ROOT, 'docs', 'images');
const JUPYTER = path.join(VENV, 'bin', 'jupyter');
/** Generous: a cold tslab kernel compiles and loads tfjs-node on a busy 2-core machine. */
const KERNEL_TIMEOUT = 240_000;
const UI_TIMEOUT = 60_000;
const FAILURE_SHOT = path.join(os.tmpdir(), 'nnmotifs-screenshots-failure.png');

/** The example whose saved figures are photographed. */
const FIGURES_NOTEBOOK = 'motifs-and-sparsity.ipynb';
/** The notebook that draws the network view and saves the network file the Inspector opens. */
const NETWORK_CELL = `import * as nm from "nnmotifs";

// A small MLP, 80 % magnitude-pruned so the drawing stays readable.
const full = nm.fromModel(nm.mlp([8, 16, 16, 4], { seed: 1 }));
const masks = nm.magnitudeMasks(full, 0.8);
const net = {
  ...full,
  layers: full.layers.map((layer, l) => ({
    ...layer,
    weights: layer.weights.map((w, k) => (masks.weights[l][k] === 1 ? w : 0)),
    mask: masks.weights[l]
  }))
};
await nm.saveNetwork(net, "mlp-pruned.network.json", { overwrite: true });
nm.show.network(net, { title: "MLP 8-16-16-4, 80 % pruned", motifs: ["biFan", "biParallel", "soChain"] });
`;

function notebookJson(source) {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'tslab', display_name: 'TypeScript', language: 'typescript' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' }
    },
    cells: [{ cell_type: 'code', execution_count: null, metadata: {}, source, outputs: [] }]
  });
}

/** Writes a JupyterLab user setting into the throw-away settings folder. */
function writeSetting(settingsDir, plugin, values) {
  const [pkg, name] = plugin.split(':');
  const file = path.join(settingsDir, pkg, `${name}.jupyterlab-settings`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(values));
}

/** The throw-away server root with `demo/`, plus its settings and workspaces folders. */
function prepareRoot() {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'nnmotifs-shots-'));
  const root = path.join(base, 'root');
  const demo = path.join(root, 'demo');
  fs.mkdirSync(demo, { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(demo, 'node_modules'), 'dir');
  fs.writeFileSync(path.join(demo, 'network.ipynb'), notebookJson(NETWORK_CELL));
  fs.copyFileSync(path.join(ROOT, 'examples', FIGURES_NOTEBOOK), path.join(demo, FIGURES_NOTEBOOK));
  const settings = path.join(base, 'settings');
  writeSetting(settings, '@jupyterlab/apputils-extension:themes', { theme: 'JupyterLab Light' });
  // No news/update toasts over the pictures.
  writeSetting(settings, '@jupyterlab/apputils-extension:notification', {
    fetchNews: 'false',
    checkForUpdates: false
  });
  // Every cell in the DOM, so outputs far down a notebook can be scrolled to.
  writeSetting(settings, '@jupyterlab/notebook-extension:tracker', { windowingMode: 'none' });
  return { base, root, settings, workspaces: path.join(base, 'workspaces') };
}

/** Starts JupyterLab and resolves once /lab answers; rejects if the server exits first or takes too long. */
async function startLab({ root, settings, workspaces }) {
  if (!exists(JUPYTER)) throw new Error(`${JUPYTER} not found: run \`npm run setup\` first`);
  const args = [
    'lab',
    '--no-browser',
    `--port=${PORT}`,
    '--ServerApp.port_retries=0',
    '--ServerApp.token=',
    '--ServerApp.password=',
    '--ServerApp.allow_root=True',
    `--ServerApp.root_dir=${root}`,
    '--LabApp.expose_app_in_browser=True'
  ];
  // Kernels inherit PATH: the environment's bin, then this Node (tslab runs on it).
  const env = envWithPath(`${path.dirname(JUPYTER)}${path.delimiter}${path.dirname(process.execPath)}`, {
    JUPYTERLAB_SETTINGS_DIR: settings,
    JUPYTERLAB_WORKSPACES_DIR: workspaces
  });
  // Own process group, so the server and its kernels are stopped together.
  const lab = spawn(JUPYTER, args, { cwd: root, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  lab.stderr.on('data', chunk => (log = (log + chunk).slice(-4000)));
  let exited = null;
  lab.on('exit', code => (exited = code));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (exited !== null) throw new Error(`jupyter lab exited with code ${exited}:\n${log}`);
    try {
      if ((await fetch(`${BASE_URL}/lab`)).ok) return { lab, log: () => log };
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  stopLab(lab);
  throw new Error(`jupyter lab did not answer on ${BASE_URL}/lab within 90 s:\n${log}`);
}

/** Stops the server's process group (SIGTERM, SIGKILL after 10 s). */
async function stopLab(lab) {
  if (lab.exitCode !== null || lab.signalCode !== null) return;
  const gone = new Promise(resolve => lab.once('exit', resolve));
  process.kill(-lab.pid, 'SIGTERM');
  const timer = setTimeout(() => {
    try {
      process.kill(-lab.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }, 10_000);
  await gone;
  clearTimeout(timer);
}

/** Runs a JupyterLab command through the app the page exposes (`expose_app_in_browser`). */
function labCommand(page, id, args = {}) {
  return page.evaluate(
    ([command, commandArgs]) => window.jupyterapp.commands.execute(command, commandArgs),
    [id, args]
  );
}

/** Screenshots `locator` with a `margin` of px around it into docs/images/`name`; returns the file written. */
async function shoot(page, locator, name, margin = 0) {
  const file = path.join(OUT_DIR, name);
  // Centred in the window, so the margin shows the page around the element rather than the window's edge.
  await locator.evaluate(el => el.scrollIntoView({ block: 'center' }));
  const box = await locator.boundingBox();
  if (box === null) throw new Error(`${name}: the element to photograph is not visible`);
  const clip = {
    x: Math.max(0, box.x - margin),
    y: Math.max(0, box.y - margin),
    width: box.width + 2 * margin,
    height: box.height + 2 * margin
  };
  await page.screenshot({ path: file, clip, animations: 'disabled' });
  return file;
}

/** The visible notebook panel (the active tab). */
const activeNotebook = page => page.locator('.jp-NotebookPanel:not(.lm-mod-hidden)');

/** A rendered figure of the active notebook whose title contains `title`. */
function figureTitled(page, title) {
  return activeNotebook(page)
    .locator('.jp-nnmotifs-Figure')
    .filter({ has: page.locator('.gtitle', { hasText: title }) });
}

/** figure.png and export.png from the saved outputs of examples/motifs-and-sparsity.ipynb (a copy). */
async function shootFigures(page) {
  await labCommand(page, 'docmanager:open', {
    path: `demo/${FIGURES_NOTEBOOK}`,
    kernel: { name: 'none' }
  });
  const zScores = figureTitled(page, 'Motif Z-scores at');
  await zScores.locator('svg.main-svg').first().waitFor({ timeout: UI_TIMEOUT });
  await zScores.scrollIntoViewIfNeeded();
  const written = [await shoot(page, zScores, 'figure.png')];

  const sparsity = figureTitled(page, 'Motif Z-scores across sparsity (chains: pairs');
  await sparsity.locator('svg.main-svg').first().waitFor({ timeout: UI_TIMEOUT });
  await sparsity.hover();
  const toolbar = sparsity.locator('.jp-nnmotifs-ExportToolbar');
  await toolbar.waitFor({ timeout: UI_TIMEOUT });
  // Hover on the PNG button too: the picture shows the toolbar in use.
  await toolbar.getByRole('button', { name: 'PNG' }).hover();
  await page.waitForFunction(el => getComputedStyle(el).opacity === '1', await toolbar.elementHandle());
  written.push(await shoot(page, sparsity, 'export.png'));
  return written;
}

/** Waits for `ready`, but fails with the cell's error text if the active notebook shows an error first. */
async function untilOutput(page, ready, what) {
  const error = activeNotebook(page).locator(
    '.jp-OutputArea-output[data-mime-type*="stderr"], .jp-RenderedText[data-mime-type*="error"]'
  );
  const outcome = await Promise.race([
    ready.waitFor({ timeout: KERNEL_TIMEOUT }).then(() => 'ready'),
    error
      .first()
      .waitFor({ timeout: KERNEL_TIMEOUT })
      .then(() => 'error')
  ]);
  if (outcome === 'error') throw new Error(`${what}: the cell failed:\n${await error.first().innerText()}`);
}

/** network-view.png from demo/network.ipynb, run in the tslab kernel (which also saves the network file). */
async function shootNetworkView(page) {
  await labCommand(page, 'docmanager:open', { path: 'demo/network.ipynb' });
  await page.evaluate(async () => {
    const panel = window.jupyterapp.shell.currentWidget;
    await panel.context.ready;
    await panel.sessionContext.ready;
  });
  await labCommand(page, 'notebook:run-all-cells');
  const view = activeNotebook(page).locator('.jp-nnmotifs-Network');
  await untilOutput(page, view.locator('.jp-nnmotifs-Network-stage[data-renderer="webgl"]'), 'network view');
  await view.getByLabel('Highlight motif').selectOption('biFan');
  // Mouse off the view (its export toolbar shows on hover); sigma draws on the next animation frames.
  await page.mouse.move(0, 0);
  await page.waitForTimeout(1000);
  // The renderer widget is the output element itself.
  return shoot(page, view, 'network-view.png', 4);
}

/** inspector.png: the Network Inspector on the saved network file, Motifs tab after a 200-null run. */
async function shootInspector(page) {
  // Taller window: the whole Motifs tab (form, figure, table) fits without scrolling.
  await page.setViewportSize({ width: 1400, height: 940 });
  await labCommand(page, 'docmanager:open', { path: 'demo/mlp-pruned.network.json' });
  const inspector = page.locator('.jp-nnmotifs-Inspector:visible');
  await inspector.getByRole('tab', { name: 'Motifs' }).click({ timeout: UI_TIMEOUT });
  await inspector.getByLabel('Nulls').fill('200');
  await inspector.getByRole('button', { name: 'Compute' }).click();
  const motifs = inspector.locator('.jp-nnmotifs-Inspector-motifs');
  await motifs.and(page.locator('[data-state="done"]')).waitFor({ timeout: KERNEL_TIMEOUT });
  await motifs.locator('.jp-nnmotifs-Figure svg.main-svg').first().waitFor({ timeout: UI_TIMEOUT });
  const widget = page.locator('.jp-MainAreaWidget:visible').filter({ has: inspector });
  return shoot(page, widget, 'inspector.png');
}

async function main() {
  const root = prepareRoot();
  let lab = null;
  let browser = null;
  try {
    lab = await startLab(root);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    browser = await chromium.launch(chromiumLaunchOptions('npm run screenshots'));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: 'light' });
    await page.goto(`${BASE_URL}/lab`);
    await page.waitForFunction(() => window.jupyterapp?.started !== undefined, null, { timeout: UI_TIMEOUT });
    await page.evaluate(() => window.jupyterapp.started);
    await labCommand(page, 'application:toggle-left-area');
    try {
      for (const step of [shootFigures, shootNetworkView, shootInspector]) {
        for (const file of [await step(page)].flat()) console.log(`[screenshots] wrote ${relative(file)}`);
      }
    } catch (error) {
      // What the page looked like when it went wrong, for the error message.
      await page.screenshot({ path: FAILURE_SHOT }).catch(() => undefined);
      error.message += `\n(page at the failure: ${FAILURE_SHOT})`;
      throw error;
    }
  } finally {
    if (browser) await browser.close();
    if (lab) await stopLab(lab.lab);
    fs.rmSync(root.base, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(`[screenshots] failed: ${error.message}`);
  process.exit(1);
});
