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

/** The parts of a figure that differ between builders; {@link figureSpec} assembles the rest. */
export interface FigureParts {
  /** Which figure builder made it (`meta.kind`). */
  kind: string;
  /** Human title: `meta.title` and plotly's `layout.title.text`. */
  title: string;
  /** File name without extension for export (`meta.exportName`). */
  exportName: string;
  /** plotly.js traces. */
  data: JsonObject[];
  /** The builder's own layout (axes, shapes, …); its `title` or `margin`, when given, win over the defaults. */
  layout?: JsonObject;
  /** Where the numbers came from; copied into `meta.provenance`. Default `{}`. */
  provenance?: JsonObject;
}

/**
 * A figure spec from the parts a builder decides: adds the schema version, the layout title from `title`,
 * the margin shared by the figures (t 60, r 20, b 60, l 70 px) unless the layout sets its own, and `meta`.
 * Keeping this in one place keeps every figure's payload shape the same.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.figureSpec({
 *   kind: 'demo',
 *   title: 'Demo',
 *   exportName: 'demo',
 *   data: [{ type: 'scatter', x: [1, 2], y: [3, 4] }],
 *   layout: { xaxis: { title: { text: 'x (a.u.)' } } }
 * });
 * spec.layout.title; // { text: 'Demo' }
 * spec.meta.provenance; // {}
 * ```
 */
export function figureSpec(parts: FigureParts): FigureSpec {
  const { kind, title, exportName, data, layout = {}, provenance = {} } = parts;
  return {
    version: FIGURE_SPEC_VERSION,
    data,
    // margin after the spread: the default fills in only when the layout has none
    layout: { title: { text: title }, ...layout, margin: layout.margin ?? { t: 60, r: 20, b: 60, l: 70 } },
    meta: { kind, title, exportName, provenance: { ...provenance } }
  };
}
