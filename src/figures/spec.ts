/**
 * Figure specifications: plain data that travels from the kernel to JupyterLab as a MIME bundle.
 *
 * A figure is a plotly.js figure (`data` traces and `layout`) plus `meta` that says what it shows. Nothing
 * here renders: the lab renderer (or plotly in headless Chromium for batch export) draws the spec.
 */

/** MIME type of a figure bundle. */
export const FIGURE_MIME = 'application/vnd.nnmotifs.figure+json';
/** MIME type of a network-view bundle. */
export const NETWORK_MIME = 'application/vnd.nnmotifs.network+json';
/** Version of the figure payload schema; renderers reject payloads with a newer major version. */
export const FIGURE_SPEC_VERSION = 1;

/** A JSON value (what may appear in a plotly trace or layout). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
/** A JSON object. */
export type JsonObject = { [key: string]: JsonValue };

/** What a figure shows and where it came from. */
export interface FigureMeta {
  /** Which figure builder made it, e.g. `nodeStrength`, `motifZScores`. */
  kind: string;
  /** Human title (also plotly's layout title). */
  title: string;
  /** File name without extension used when the figure is exported, e.g. `node-strength`. */
  exportName: string;
  /** Where the numbers came from: package version, network name, seed, parameters. */
  provenance: JsonObject;
}

/** The payload of `application/vnd.nnmotifs.figure+json`. */
export interface FigureSpec {
  version: typeof FIGURE_SPEC_VERSION;
  /** plotly.js traces. */
  data: JsonObject[];
  /** plotly.js layout. */
  layout: JsonObject;
  meta: FigureMeta;
}

/**
 * Colour-blind-safe qualitative palette (Okabe & Ito 2008), used by every figure builder.
 * Order: blue, vermillion, bluish green, orange, reddish purple, sky blue, yellow, black.
 */
export const PALETTE: readonly string[] = [
  '#0072B2',
  '#D55E00',
  '#009E73',
  '#E69F00',
  '#CC79A7',
  '#56B4E9',
  '#F0E442',
  '#000000'
];

/**
 * A number for a figure payload: JSON has no NaN or ±Infinity, so they travel as `null`, which plotly
 * draws as a gap.
 *
 * @example
 * ```ts
 * finiteOrNull(NaN); // null
 * ```
 */
export function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * A small note in the top-right corner above the plot (null model, colour legend, …).
 *
 * @example
 * ```ts
 * const layout = { annotations: [cornerNote('null: random-pruning, 1000 samples')] };
 * ```
 */
export function cornerNote(text: string): JsonObject {
  return {
    xref: 'paper',
    yref: 'paper',
    x: 1,
    y: 1.02,
    xanchor: 'right',
    yanchor: 'bottom',
    showarrow: false,
    text,
    font: { size: 11 }
  };
}

/**
 * Asymmetric plotly error bars from a centre and a lower and upper end per point (e.g. median and
 * quartiles, or mean and min–max); non-finite lengths become gaps.
 *
 * @example
 * ```ts
 * const error_y = errorBars([2], [1], [5]); // down 1, up 3
 * ```
 */
export function errorBars(
  centre: readonly number[],
  lower: readonly number[],
  upper: readonly number[]
): JsonObject {
  return {
    type: 'data',
    symmetric: false,
    array: centre.map((c, i) => finiteOrNull(upper[i] - c)),
    arrayminus: centre.map((c, i) => finiteOrNull(c - lower[i])),
    visible: true
  };
}
