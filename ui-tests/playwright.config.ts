/**
 * Galata (Playwright) configuration of the nnmotifs browser tests.
 *
 * Environment:
 * - `NNMOTIFS_JUPYTER`: the `jupyter` executable that serves JupyterLab (default: the project's
 *   `../.venv/bin/jupyter`).
 * - `NNMOTIFS_UI_PORT`: port of that server (default 8888).
 * - `NNMOTIFS_LABEXTENSIONS_PATH`: extra labextensions folder, for a Jupyter without nnmotifs installed.
 * - `NNMOTIFS_CHROMIUM`: the Chromium executable (default Debian's `/usr/bin/chromium`; never downloaded).
 * - `NNMOTIFS_UI_REUSE_SERVER=1`: use a server already listening on the port instead of starting one.
 */
import { defineConfig, PlaywrightTestConfig } from '@playwright/test';
import * as galataConfig from '@jupyterlab/galata/lib/playwright-config';
import { CHROMIUM_ARGS } from '../src/kernel/chromium';

// Galata's defaults (viewport, slow-test reporting). Its typings declare nothing and it is CommonJS: the
// object is the namespace or its default, depending on how the config file is transpiled.
const baseConfig = ((galataConfig as { default?: PlaywrightTestConfig }).default ??
  galataConfig) as PlaywrightTestConfig;

const port = Number(process.env.NNMOTIFS_UI_PORT ?? '8888');
const jupyter = process.env.NNMOTIFS_JUPYTER ?? '../.venv/bin/jupyter';

export default defineConfig({
  reportSlowTests: baseConfig.reportSlowTests,
  testDir: './tests',
  outputDir: './test-results',
  // One JupyterLab server and its kernels: tests run one after another.
  workers: 1,
  fullyParallel: false,
  timeout: 120_000,
  expect: { timeout: 30_000 },
  reporter: [
    [process.env.CI ? 'line' : 'list'],
    ['html', { open: 'never', outputFolder: 'playwright-report' }]
  ],
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: process.env.NNMOTIFS_CHROMIUM ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS]
    },
    video: 'off',
    trace: 'retain-on-failure'
  },
  webServer: {
    command: `${jupyter} lab --config jupyter_server_test_config.py`,
    url: `http://localhost:${port}/lab`,
    timeout: 120_000,
    reuseExistingServer: process.env.NNMOTIFS_UI_REUSE_SERVER === '1',
    stdout: 'ignore',
    stderr: 'pipe'
  }
});
