#!/usr/bin/env node
/**
 * Benchmark: the network view in JupyterLab (issue 5). A throw-away JupyterLab server (the project's .venv,
 * with the labextension built in jupyterlab_nnmotifs/labextension) and headless Chromium (playwright-core,
 * Debian's /usr/bin/chromium): an output holding a network view of ~50 k edges is added to an open
 * notebook and we measure
 *
 * - time to first render: from adding the output to the first frame painted after sigma.js drew it (the
 *   payload's validation, graph building and WebGL upload included), median of `--runs`;
 * - frames per second while panning, next to the frames of an idle 3 s in the same page (the display's own
 *   rate, the reference): during a mouse drag of ~3 s (what a user does; views of ≥ 20 k edges hide their
 *   edges while moving), and during a scripted camera pan of ~3 s that redraws every edge each frame.
 *
 * The reference for the render time is the same measure on a 500-edge view in the same run (the fixed
 * cost of an output). Prints a table and writes bench/results/netview.json.
 *
 * Usage: `node bench/netview.mjs [--edges 50000] [--runs 3] [--port 8897]`. Needs `npm run build`.
 */
/* global window, document, performance, requestAnimationFrame -- the page.evaluate callbacks run in the browser */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureLibBuilt, root } from './build-lib.mjs';

const NETWORK_MIME = 'application/vnd.nnmotifs.network+json';
const PAN_SECONDS = 3;

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

const targetEdges = option('edges', 50_000);
const runs = option('runs', 3);
const port = option('port', 8897);

ensureLibBuilt({ modules: ['figures/network', 'core/random', 'kernel/chromium'] });
const require = createRequire(import.meta.url);
const { networkView } = require(join(root, 'lib/figures/network.js'));
const { createRng } = require(join(root, 'lib/core/random.js'));
const { chromiumLaunchOptions } = require(join(root, 'lib/kernel/chromium.js'));
const { chromium } = require('playwright-core');

/** A random MLP 128-256-128-16 pruned at random to about `edges` edges, signed weights. */
function networkOf(edges, seed) {
  const sizes = [128, 256, 128, 16];
  const all = sizes.slice(1).reduce((n, s, l) => n + s * sizes[l], 0);
  const scale = Math.min(1, Math.sqrt(edges / all));
  const widths = sizes.map(s => Math.max(2, Math.round(s * scale)));
  const possible = widths.slice(1).reduce((n, s, l) => n + s * widths[l], 0);
  const density = Math.min(1, edges / possible);
  const rng = createRng(seed);
  return {
    layers: widths.slice(0, -1).map((nIn, l) => {
      const nOut = widths[l + 1];
      const weights = Float64Array.from({ length: nIn * nOut }, () =>
        rng.next() < density ? rng.normal() : 0
      );
      return { nIn, nOut, weights };
    })
  };
}

async function waitForServer(url, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(`JupyterLab did not answer at ${url} within ${seconds} s`);
}

const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// A server root with one empty notebook, and the freshly built labextension first on the search path.
const work = mkdtempSync(join(tmpdir(), 'nnmotifs-netview-'));
const serverRoot = join(work, 'root');
const extensions = join(work, 'labextensions');
mkdirSync(serverRoot);
mkdirSync(extensions);
symlinkSync(join(root, 'jupyterlab_nnmotifs/labextension'), join(extensions, 'nnmotifs'), 'dir');
writeFileSync(
  join(serverRoot, 'bench.ipynb'),
  JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {},
    cells: [{ cell_type: 'code', execution_count: null, metadata: {}, source: [], outputs: [] }]
  })
);
const server = spawn(
  join(root, '.venv/bin/jupyter'),
  [
    'lab',
    '--no-browser',
    `--port=${port}`,
    '--ServerApp.token=',
    '--ServerApp.password=',
    '--ServerApp.allow_root=True',
    '--ServerApp.log_level=ERROR',
    // window.jupyterapp, to add the output from the page
    '--LabApp.expose_app_in_browser=True',
    `--ServerApp.root_dir=${serverRoot}`,
    `--LabServerApp.extra_labextensions_path=${extensions}`
  ],
  { stdio: 'ignore', detached: true }
);

let browser;
try {
  await waitForServer(`http://localhost:${port}/lab`, 120);
  browser = await chromium.launch(chromiumLaunchOptions('bench'));
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`http://localhost:${port}/lab/tree/bench.ipynb`);
  await page.waitForSelector('.jp-NotebookPanel .jp-Cell', { timeout: 120_000 });
  // Kernel choice dialogs and the like would cover the output: dismiss whatever opened.
  await page.keyboard.press('Escape');

  /** Adds `spec` as the output of the first cell; ms until a frame is painted after sigma drew it. */
  const renderOnce = spec =>
    page.evaluate(
      async ({ spec, mime }) => {
        const panel = window.jupyterapp.shell.currentWidget;
        const cell = panel.content.widgets[0];
        cell.model.outputs.clear();
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        const t0 = performance.now();
        cell.model.outputs.add({
          output_type: 'display_data',
          data: { [mime]: spec, 'text/plain': '' },
          metadata: {}
        });
        for (;;) {
          await new Promise(r => requestAnimationFrame(r));
          const stage = cell.node.querySelector('.jp-nnmotifs-Network-stage');
          if (stage?.dataset.renderer === 'webgl') break;
          const error = cell.node.querySelector('.jp-nnmotifs-Figure-error');
          if (error !== null && !error.hidden) throw new Error(error.textContent);
          if (stage?.dataset.renderer === 'svg')
            throw new Error('no WebGL in this Chromium: SVG fallback drawn');
          if (performance.now() - t0 > 120_000) throw new Error('no render within 120 s');
        }
        // sigma draws in its next animation frame; the frame after that is on screen
        await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
        return performance.now() - t0;
      },
      { spec, mime: NETWORK_MIME }
    );

  const frameCount = pan =>
    page.evaluate(
      ({ seconds, pan }) =>
        new Promise(resolve => {
          const probe = document.querySelector('.jp-nnmotifs-Network').nnmotifsNetworkView;
          let frames = 0;
          const t0 = performance.now();
          const tick = now => {
            frames++;
            const t = (now - t0) / 1000;
            // a slow circle of 0.2 view widths: every frame moves the camera
            if (pan) probe.panBy(0.002 * Math.cos(t * 2), 0.002 * Math.sin(t * 2));
            if (t < seconds) requestAnimationFrame(tick);
            else resolve(frames / t);
          };
          requestAnimationFrame(tick);
        }),
      { seconds: PAN_SECONDS, pan }
    );

  /** Frames per second while the mouse drags the view in circles for PAN_SECONDS (a user panning). */
  const dragFps = async () => {
    const box = await page.locator('.jp-nnmotifs-Network-stage').boundingBox();
    const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
    await page.evaluate(() => {
      window.nnmotifsFrames = 0;
      window.nnmotifsCounting = true;
      const tick = () => {
        window.nnmotifsFrames++;
        if (window.nnmotifsCounting) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    const t0 = Date.now();
    for (let k = 0; Date.now() - t0 < PAN_SECONDS * 1000; k++) {
      await page.mouse.move(cx + 60 * Math.cos(k / 10), cy + 60 * Math.sin(k / 10));
    }
    await page.mouse.up();
    const frames = await page.evaluate(() => {
      window.nnmotifsCounting = false;
      return window.nnmotifsFrames;
    });
    return frames / ((Date.now() - t0) / 1000);
  };

  const big = networkView(networkOf(targetEdges, 1), { title: 'bench' });
  const small = networkView(networkOf(500, 2), { title: 'bench small' });
  const edges = big.edges.source.length;
  const smallMs = [];
  const bigMs = [];
  for (let r = 0; r < runs; r++) {
    smallMs.push(await renderOnce(small));
    bigMs.push(await renderOnce(big));
  }
  const idleFps = await frameCount(false);
  const panFps = await frameCount(true);
  const dragPanFps = await dragFps();

  const result = {
    date: new Date().toISOString(),
    load: loadavg()[0],
    edges,
    nodes: big.nodes.layer.length,
    firstRenderMs: median(bigMs),
    firstRenderRunsMs: bigMs,
    referenceSmallEdges: small.edges.source.length,
    referenceSmallFirstRenderMs: median(smallMs),
    panFps,
    dragPanFps,
    idleFps,
    panSeconds: PAN_SECONDS
  };
  const rows = [
    ['figure', 'ours', 'reference', 'ratio'],
    [
      `first render, ${edges} edges (ms; ref: ${result.referenceSmallEdges} edges)`,
      result.firstRenderMs.toFixed(0),
      result.referenceSmallFirstRenderMs.toFixed(0),
      (result.firstRenderMs / result.referenceSmallFirstRenderMs).toFixed(2)
    ],
    [
      `fps, mouse drag (edges hidden while moving; ref: idle page)`,
      dragPanFps.toFixed(1),
      idleFps.toFixed(1),
      (dragPanFps / idleFps).toFixed(2)
    ],
    [
      `fps, scripted camera pan, edges drawn (ref: idle page)`,
      panFps.toFixed(1),
      idleFps.toFixed(1),
      (panFps / idleFps).toFixed(2)
    ]
  ];
  for (const row of rows) console.log(row.map((c, i) => String(c).padEnd(i === 0 ? 58 : 10)).join(' '));
  console.log(
    `runs ${runs}, render times ${bigMs.map(t => t.toFixed(0)).join(', ')} ms, load ${result.load.toFixed(2)}`
  );
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, 'bench/results/netview.json'), JSON.stringify(result, null, 2) + '\n');
} finally {
  await browser?.close();
  try {
    process.kill(-server.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(work, { recursive: true, force: true });
}
