/**
 * Loads plotly.js on first use, so JupyterLab starts without it (the bundle is several megabytes).
 */
import type * as PlotlyModule from 'plotly.js';

/** The plotly.js API. */
export type Plotly = typeof PlotlyModule;

let loading: Promise<Plotly> | null = null;

/**
 * The plotly.js API, fetched by a dynamic `import()` the first time a figure is drawn.
 *
 * @returns plotly.js; the same module on every call. A failed load is retried on the next call.
 */
export function loadPlotly(): Promise<Plotly> {
  if (loading === null) {
    loading = import('plotly.js-dist-min')
      .then(mod => {
        // The bundle is CommonJS: depending on the bundler its API is the namespace or its default export.
        const api = (mod as { default?: Plotly }).default ?? (mod as Plotly);
        if (typeof api.react !== 'function') throw new Error('plotly.js did not load');
        return api;
      })
      .catch((error: unknown) => {
        loading = null;
        throw error;
      });
  }
  return loading;
}
