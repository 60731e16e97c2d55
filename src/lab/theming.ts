/**
 * How a figure's plotly layout is dressed for the screen (JupyterLab theme, width of the cell) and for the
 * static image written back into the output (white paper, fixed size). DOM-free: the colours come in as a
 * {@link PlotTheme} that the lab model reads from JupyterLab's CSS variables.
 */
import { JsonObject, JsonValue, PALETTE } from '../figures/spec';

/** Colours and font a figure is drawn with. */
export interface PlotTheme {
  /** Paper and plot background. */
  background: string;
  /** Text, ticks and axis titles. */
  foreground: string;
  /** Grid lines. */
  grid: string;
  /** Axis and zero lines. */
  line: string;
  /** CSS font family. */
  fontFamily: string;
  /** Base font size in px. */
  fontSize: number;
}

/**
 * The theme of the static image: white paper and black text whatever the screen theme, so the image saved
 * in the notebook reads the same on GitHub, nbviewer and in any JupyterLab theme.
 */
export const PRINT_THEME: Readonly<PlotTheme> = Object.freeze({
  background: '#ffffff',
  foreground: '#222222',
  grid: '#e0e0e0',
  line: '#444444',
  fontFamily: 'Arial, Helvetica, sans-serif',
  fontSize: 12
});

/** Size of a figure when its layout does not say: plotly's usual aspect, narrow enough for a cell. */
export const DEFAULT_FIGURE_SIZE = Object.freeze({ width: 720, height: 420 });

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function positive(value: JsonValue | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

/** Axis keys of a cartesian layout: `xaxis`, `yaxis`, `xaxis2`, … */
const AXIS_KEY = /^[xy]axis\d*$/;

/**
 * The layout plotly draws: the payload's layout with the theme's colours and font applied (the payload
 * keeps its font sizes and everything else). Axes the layout names get the theme's grid and line colours;
 * axes it leaves out get plotly's defaults, which plotly mixes from the font and background colours. On screen (`mode: 'screen'`) the width follows the output
 * area (`autosize`, no fixed width); for the static image (`mode: 'image'`) the size is fixed.
 *
 * @param layout - a sanitized payload layout (not modified).
 * @param theme - colours and font.
 * @param mode - `screen` for the live chart, `image` for the static PNG.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * const layout = themedLayout(spec.layout, PRINT_THEME, 'image');
 * ```
 */
export function themedLayout(layout: JsonObject, theme: PlotTheme, mode: 'screen' | 'image'): JsonObject {
  const font = isObject(layout.font) ? layout.font : {};
  const out: JsonObject = {
    colorway: [...PALETTE],
    ...layout,
    paper_bgcolor: theme.background,
    plot_bgcolor: theme.background,
    font: {
      ...font,
      family: theme.fontFamily,
      color: theme.foreground,
      size: positive(font.size, theme.fontSize)
    }
  };
  for (const [key, axis] of Object.entries(layout)) {
    if (!AXIS_KEY.test(key) || !isObject(axis)) continue;
    out[key] = { ...axis, gridcolor: theme.grid, linecolor: theme.line, zerolinecolor: theme.line };
  }
  if (mode === 'screen') {
    delete out.width;
    out.autosize = true;
    out.height = positive(layout.height, DEFAULT_FIGURE_SIZE.height);
  } else {
    out.width = positive(layout.width, DEFAULT_FIGURE_SIZE.width);
    out.height = positive(layout.height, DEFAULT_FIGURE_SIZE.height);
  }
  return out;
}

/**
 * Size of the static image in CSS pixels (the PNG itself is drawn at twice this for sharp screens).
 *
 * @param layout - the payload layout.
 * @returns width and height from the layout, or {@link DEFAULT_FIGURE_SIZE}.
 */
export function staticImageSize(layout: JsonObject): { width: number; height: number } {
  return {
    width: positive(layout.width, DEFAULT_FIGURE_SIZE.width),
    height: positive(layout.height, DEFAULT_FIGURE_SIZE.height)
  };
}
