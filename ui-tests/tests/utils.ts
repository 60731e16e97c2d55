/**
 * Shared helpers of the nnmotifs Galata tests.
 */
import type { ConsoleMessage, Locator, Page } from '@playwright/test';

/** The figure MIME type (the contract is src/figures/spec.ts). */
export const FIGURE_MIME = 'application/vnd.nnmotifs.figure+json';

/** A console error with where it came from. */
export interface ConsoleError {
  text: string;
  url: string;
}

/**
 * Starts collecting the page's console errors, nnmotifs' own warnings and uncaught exceptions (call before `page.goto()` to see the
 * extension loading). Nothing is filtered: JupyterLab 4.6 under Galata logs no errors of its own, so any
 * error is news. Should unrelated JupyterLab noise appear, filter it here by its exact text.
 *
 * @returns the list, filled as errors are logged.
 */
export function collectConsoleErrors(page: Page): ConsoleError[] {
  const errors: ConsoleError[] = [];
  page.on('console', (message: ConsoleMessage) => {
    const text = message.text();
    // Errors from anyone; warnings from nnmotifs itself (e.g. a static image that could not be written).
    if (message.type() !== 'error' && !(message.type() === 'warning' && text.startsWith('nnmotifs'))) return;
    errors.push({ text, url: message.location().url });
  });
  page.on('pageerror', error => errors.push({ text: `uncaught: ${error.message}`, url: '' }));
  return errors;
}

/** The rendered nnmotifs figure inside an output area. */
export function figureIn(output: Locator): Locator {
  return output.locator('.jp-nnmotifs-Figure');
}

/** The plotly traces drawn in a rendered figure (one `g.trace` per trace in cartesian plots). */
export function tracesIn(figure: Locator): Locator {
  return figure.locator('svg.main-svg .cartesianlayer g.trace');
}

/** The output area of the cell at `index` in the active notebook. */
export function cellOutput(page: Page, index: number): Locator {
  return page
    .locator('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')
    .nth(index)
    .locator('.jp-OutputArea');
}

/** A saved notebook as the contents API returns it (only the fields the tests read). */
export interface SavedNotebook {
  cells: {
    cell_type: string;
    source: string | string[];
    outputs?: {
      output_type: string;
      data?: Record<string, unknown>;
      metadata?: Record<string, unknown>;
      text?: string | string[];
    }[];
  }[];
}

/**
 * Reads a notebook file from the server through the contents API.
 *
 * @param path - server path of the notebook.
 */
export async function readNotebook(page: Page, path: string): Promise<SavedNotebook> {
  const response = await page.request.get(`/api/contents/${encodeURI(path)}?content=1&type=notebook`);
  if (!response.ok()) throw new Error(`GET ${path}: ${response.status()}`);
  const model = (await response.json()) as { content: SavedNotebook };
  return model.content;
}

/** Outputs of a saved notebook that carry the figure MIME type, in order. */
export function figureOutputs(
  notebook: SavedNotebook
): { data: Record<string, unknown>; metadata: Record<string, unknown> }[] {
  return notebook.cells.flatMap(cell =>
    (cell.outputs ?? [])
      .filter(output => output.data !== undefined && FIGURE_MIME in output.data)
      .map(output => ({ data: output.data ?? {}, metadata: output.metadata ?? {} }))
  );
}
