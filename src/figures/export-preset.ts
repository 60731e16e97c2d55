/**
 * Publication presets for exported figures: page size from a journal's column width, font, DPI and a white
 * background. Pure and DOM-free, so JupyterLab's exporter and the kernel's `nm.save` dress a figure the same
 * way and produce the same drawing.
 *
 * Sizes: figures are drawn in CSS pixels (1/96 inch) and exported at the preset's size in millimetres, so a
 * width of 89 mm is 336.4 px of drawing; font sizes are given in points (1/72 inch) like in a paper.
 */
import { JsonObject, JsonValue, PALETTE } from './spec';

/** Journals with known figure widths (mm). Check your journal's current author guide before submitting. */
export const JOURNAL_WIDTHS = Object.freeze({
  nature: { name: 'Nature', singleMm: 89, doubleMm: 183 },
  science: { name: 'Science', singleMm: 57, doubleMm: 121 },
  cell: { name: 'Cell Press', singleMm: 85, doubleMm: 174 },
  elsevier: { name: 'Elsevier', singleMm: 90, doubleMm: 190 },
  ieee: { name: 'IEEE', singleMm: 88.9, doubleMm: 181.9 },
  pnas: { name: 'PNAS', singleMm: 87, doubleMm: 178 }
} as const);

/** A journal of {@link JOURNAL_WIDTHS}. */
export type JournalId = keyof typeof JOURNAL_WIDTHS;

/** The formats figures export to. */
export type ExportFormat = 'svg' | 'png' | 'pdf';

/** Every export format, in the order the UI lists them. */
export const EXPORT_FORMATS: readonly ExportFormat[] = ['svg', 'png', 'pdf'];

/** How exported figures look: their size, font, resolution and background. */
export interface ExportPreset {
  /** Journal whose column width is used, or `custom` for {@link ExportPreset.widthMm}. */
  journal: JournalId | 'custom';
  /** Single or double (full-page) column of the journal. */
  column: 'single' | 'double';
  /** Width in mm when `journal` is `custom`. */
  widthMm: number;
  /** Fixed height in mm, or `null` for `width × aspectRatio`. */
  heightMm: number | null;
  /** Height over width when `heightMm` is `null`. */
  aspectRatio: number;
  /** CSS font family of all text; PDF maps it to Helvetica, Times or Courier. */
  fontFamily: string;
  /** Base font size in points (tick labels, legend); titles scale from it. */
  fontSizePt: number;
  /** Resolution of PNG files in dots per inch. */
  dpi: number;
  /** White paper whatever the screen theme; off gives a transparent background. */
  whiteBackground: boolean;
}

/** The preset used when the settings say nothing: Nature single column, golden-ratio height, 300 dpi. */
export const DEFAULT_EXPORT_PRESET: Readonly<ExportPreset> = Object.freeze({
  journal: 'nature',
  column: 'single',
  widthMm: 89,
  heightMm: null,
  aspectRatio: 0.618,
  fontFamily: 'Arial, Helvetica, sans-serif',
  fontSizePt: 7,
  dpi: 300,
  whiteBackground: true
});

/**
 * How a view is drawn for export (the same fields as the lab's `IExportRenderOptions`): the drawing's size
 * in CSS pixels, its font and its background.
 */
export interface ExportRenderOptions {
  /** Width of the drawing in CSS pixels (1/96 inch). */
  readonly widthPx: number;
  /** Height of the drawing in CSS pixels. */
  readonly heightPx: number;
  /** CSS font family of all text. */
  readonly fontFamily: string;
  /** Base font size in points. */
  readonly fontSize: number;
  /** Background colour. */
  readonly background: string;
}

/** Millimetres per inch. */
const MM_PER_INCH = 25.4;
/** CSS pixels per inch. */
const PX_PER_INCH = 96;
/** Points per inch. */
const PT_PER_INCH = 72;

/** Colours of exported figures: dark text and light grid on the paper. */
const PAPER_COLOURS = Object.freeze({ white: '#ffffff', text: '#222222', grid: '#e0e0e0', line: '#444444' });
const TRANSPARENT = 'rgba(0,0,0,0)';

/**
 * Converts millimetres to CSS pixels.
 *
 * @example
 * ```ts
 * mmToPx(25.4); // 96
 * ```
 */
export function mmToPx(mm: number): number {
  return (mm / MM_PER_INCH) * PX_PER_INCH;
}

/**
 * Converts CSS pixels to millimetres.
 *
 * @example
 * ```ts
 * pxToMm(96); // 25.4
 * ```
 */
export function pxToMm(px: number): number {
  return (px * MM_PER_INCH) / PX_PER_INCH;
}

function fail(field: string, value: unknown, expected: string): never {
  throw new RangeError(`export preset: ${field} is ${JSON.stringify(value)}; expected ${expected}`);
}

function positiveNumber(field: string, value: unknown, max: number): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
    fail(field, value, `a number in (0, ${max}]`);
  }
  return value;
}

/**
 * Checks a (partial) preset, e.g. from the settings or from `nm.save`'s options, and fills the missing
 * fields from {@link DEFAULT_EXPORT_PRESET}.
 *
 * @param partial - any fields of {@link ExportPreset}; unknown fields are an error (likely a typo).
 * @returns a complete preset.
 * @throws RangeError naming the field that is wrong and what is expected.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const preset = nm.figures.resolveExportPreset({ journal: 'elsevier', column: 'double', dpi: 600 });
 * preset.widthMm; // 190
 * ```
 */
export function resolveExportPreset(partial: unknown = {}): ExportPreset {
  if (partial === null || typeof partial !== 'object' || Array.isArray(partial)) {
    fail('the preset', partial, 'an object');
  }
  const given = partial as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!(key in DEFAULT_EXPORT_PRESET)) {
      fail(key, given[key], `no such field (fields: ${Object.keys(DEFAULT_EXPORT_PRESET).join(', ')})`);
    }
  }
  const value = <K extends keyof ExportPreset>(key: K): unknown =>
    given[key] === undefined ? DEFAULT_EXPORT_PRESET[key] : given[key];
  const journal = value('journal');
  if (journal !== 'custom' && !(typeof journal === 'string' && journal in JOURNAL_WIDTHS)) {
    fail('journal', journal, `one of ${[...Object.keys(JOURNAL_WIDTHS), 'custom'].join(', ')}`);
  }
  const column = value('column');
  if (column !== 'single' && column !== 'double') fail('column', column, '"single" or "double"');
  const heightMm = value('heightMm');
  const fontFamily = value('fontFamily');
  if (typeof fontFamily !== 'string' || fontFamily.trim() === '' || /[<>"{};]/.test(fontFamily)) {
    fail('fontFamily', fontFamily, 'a CSS font family such as "Arial, Helvetica, sans-serif"');
  }
  const whiteBackground = value('whiteBackground');
  if (typeof whiteBackground !== 'boolean') fail('whiteBackground', whiteBackground, 'true or false');
  return {
    journal: journal as ExportPreset['journal'],
    column,
    widthMm: positiveNumber('widthMm', value('widthMm'), 2000),
    heightMm: heightMm === null ? null : positiveNumber('heightMm', heightMm, 2000),
    aspectRatio: positiveNumber('aspectRatio', value('aspectRatio'), 20),
    fontFamily: fontFamily.trim(),
    fontSizePt: positiveNumber('fontSizePt', value('fontSizePt'), 200),
    dpi: positiveNumber('dpi', value('dpi'), 2400),
    whiteBackground
  };
}

/**
 * The size of an exported figure.
 *
 * @example
 * ```ts
 * exportSize(DEFAULT_EXPORT_PRESET); // { widthMm: 89, heightMm: 55.0, widthPx: 336.4, heightPx: 207.9 }
 * ```
 */
export function exportSize(preset: ExportPreset): {
  widthMm: number;
  heightMm: number;
  widthPx: number;
  heightPx: number;
} {
  const journal = preset.journal === 'custom' ? null : JOURNAL_WIDTHS[preset.journal];
  const widthMm =
    journal === null ? preset.widthMm : preset.column === 'double' ? journal.doubleMm : journal.singleMm;
  const heightMm = preset.heightMm ?? widthMm * preset.aspectRatio;
  return { widthMm, heightMm, widthPx: mmToPx(widthMm), heightPx: mmToPx(heightMm) };
}

/**
 * Pixel size of a PNG of a drawing at a resolution: the physical size times the DPI, rounded.
 *
 * @example
 * ```ts
 * pngPixelSize(96, 48, 300); // { width: 300, height: 150 }
 * ```
 */
export function pngPixelSize(
  widthPx: number,
  heightPx: number,
  dpi: number
): { width: number; height: number } {
  const scale = dpi / PX_PER_INCH;
  return { width: Math.round(widthPx * scale), height: Math.round(heightPx * scale) };
}

/**
 * The render options of a preset: what an export target draws with.
 *
 * @example
 * ```ts
 * const options = exportRenderOptions(resolveExportPreset({ journal: 'cell' }));
 * options.background; // '#ffffff'
 * ```
 */
export function exportRenderOptions(preset: ExportPreset): ExportRenderOptions {
  const { widthPx, heightPx } = exportSize(preset);
  return {
    widthPx,
    heightPx,
    fontFamily: preset.fontFamily,
    fontSize: preset.fontSizePt,
    background: preset.whiteBackground ? PAPER_COLOURS.white : TRANSPARENT
  };
}

/**
 * Converts a font size in points to CSS pixels (what plotly and SVG take).
 *
 * @example
 * ```ts
 * ptToPx(9); // 12
 * ```
 */
export function ptToPx(pt: number): number {
  return (pt * PX_PER_INCH) / PT_PER_INCH;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Axis keys of a cartesian layout: `xaxis`, `yaxis`, `xaxis2`, … */
const AXIS_KEY = /^[xy]axis\d*$/;

/**
 * The plotly layout of a figure drawn for a paper: fixed size, the preset's font (text sizes the layout sets
 * scale with the preset's base size, so a note stays smaller than the ticks), dark text on the preset's
 * background, light grid, tight margins, and the Okabe–Ito palette unless the layout chose its colours.
 *
 * @param layout - the figure's layout (not modified).
 * @param options - size, font and background, from {@link exportRenderOptions}.
 * @example
 * ```ts
 * // example: compile-only, renders with plotly.js in a browser
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * const layout = publicationLayout(spec.layout, exportRenderOptions(DEFAULT_EXPORT_PRESET));
 * const Plotly = await import('plotly.js-dist-min');
 * await Plotly.toImage({ data: spec.data, layout }, { format: 'svg', width: 336, height: 208 });
 * ```
 */
export function publicationLayout(layout: JsonObject, options: ExportRenderOptions): JsonObject {
  const base = ptToPx(options.fontSize);
  const font = isObject(layout.font) ? layout.font : {};
  // Sizes in the payload are relative to its own base (plotly's default 12 px when unset).
  const payloadBase = typeof font.size === 'number' && font.size > 0 ? font.size : 12;
  const out: JsonObject = {
    colorway: [...PALETTE],
    ...scaleFontSizes(layout, base / payloadBase),
    width: options.widthPx,
    height: options.heightPx,
    autosize: false,
    paper_bgcolor: options.background,
    plot_bgcolor: options.background,
    font: { ...font, family: options.fontFamily, color: PAPER_COLOURS.text, size: base },
    margin: {
      l: Math.round(4.5 * base),
      r: Math.round(1.5 * base),
      t: Math.round((hasTitle(layout) ? 3.2 : 1.5) * base),
      b: Math.round(3.5 * base),
      pad: 0,
      ...(isObject(layout.margin) ? scaleNumbers(layout.margin, base / payloadBase) : {})
    }
  };
  for (const [key, axis] of Object.entries(out)) {
    if (!AXIS_KEY.test(key) || !isObject(axis)) continue;
    out[key] = {
      ...axis,
      automargin: true,
      gridcolor: PAPER_COLOURS.grid,
      linecolor: PAPER_COLOURS.line,
      zerolinecolor: PAPER_COLOURS.line
    };
  }
  return out;
}

function hasTitle(layout: JsonObject): boolean {
  const title = layout.title;
  return typeof title === 'string' ? title !== '' : isObject(title) && typeof title.text === 'string';
}

function scaleNumbers(obj: JsonObject, factor: number): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(obj))
    out[key] = typeof value === 'number' ? value * factor : value;
  return out;
}

/** A copy of `value` with every `font.size` multiplied by `factor` (the top-level font is set apart). */
function scaleFontSizes(value: JsonObject, factor: number): JsonObject {
  const walk = (item: JsonValue): JsonValue => {
    if (Array.isArray(item)) return item.map(walk);
    if (!isObject(item)) return item;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(item)) {
      out[key] =
        key === 'font' && isObject(child) && typeof child.size === 'number'
          ? { ...child, size: child.size * factor }
          : walk(child);
    }
    return out;
  };
  return walk(value) as JsonObject;
}

/**
 * The export format a file name asks for, from its extension.
 *
 * @throws Error naming the file when the extension is not `.svg`, `.png` or `.pdf`.
 * @example
 * ```ts
 * exportFormatOf('figures/strength.PDF'); // 'pdf'
 * ```
 */
export function exportFormatOf(path: string): ExportFormat {
  const match = /\.([^./\\]+)$/.exec(path);
  const ext = match === null ? '' : match[1].toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(ext)) return ext as ExportFormat;
  throw new Error(
    `cannot export to "${path}": the file name must end in .svg, .png or .pdf (got ${ext === '' ? 'no extension' : `.${ext}`})`
  );
}
