/**
 * Publication presets for exported figures: page size from a journal's column width, font, DPI and a white
 * background. Pure and DOM-free, so JupyterLab's exporter and the kernel's `nm.save` dress a figure the same
 * way and produce the same drawing.
 *
 * Sizes: figures are drawn in CSS pixels (1/96 inch) and exported at the preset's size in millimetres, so a
 * width of 89 mm is 336.4 px of drawing; font sizes are given in points (1/72 inch) like in a paper.
 */
import { exportFontFamily } from './fonts';

/**
 * Journals with known figure widths (mm) for a single, a 1.5 and a double (full-page) column, and the
 * smallest text size (pt) their artwork guides accept. Check your journal's current author guide before
 * submitting. Science has no 1.5 column: its 1.5 entry is the width between its one and two columns.
 */
export const JOURNAL_WIDTHS = Object.freeze({
  nature: { name: 'Nature', singleMm: 89, oneHalfMm: 120, doubleMm: 183, minFontPt: 5 },
  science: { name: 'Science', singleMm: 57, oneHalfMm: 89, doubleMm: 121, minFontPt: 6 },
  cell: { name: 'Cell Press', singleMm: 85, oneHalfMm: 114, doubleMm: 174, minFontPt: 6 },
  elsevier: { name: 'Elsevier', singleMm: 90, oneHalfMm: 140, doubleMm: 190, minFontPt: 6 },
  ieee: { name: 'IEEE', singleMm: 88.9, oneHalfMm: 116, doubleMm: 181.9, minFontPt: 8 },
  pnas: { name: 'PNAS', singleMm: 87, oneHalfMm: 114, doubleMm: 178, minFontPt: 6 }
} as const);

/** Smallest text size (pt) of a custom-size export: what stays legible in print. */
export const CUSTOM_MIN_FONT_PT = 5;

/** The column widths a journal preset offers. */
export type ExportColumn = 'single' | '1.5' | 'double';

/** Every column of {@link ExportColumn}, narrowest first. */
export const EXPORT_COLUMNS: readonly ExportColumn[] = ['single', '1.5', 'double'];

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
  /** Single, 1.5 or double (full-page) column of the journal. */
  column: ExportColumn;
  /** Width in mm when `journal` is `custom`. */
  widthMm: number;
  /** Fixed height in mm, or `null` for `width × aspectRatio`. */
  heightMm: number | null;
  /** Height over width when `heightMm` is `null` (never under {@link MIN_AUTO_HEIGHT_MM}). */
  aspectRatio: number;
  /**
   * CSS font family of all text. Exports draw it with the font the project ships that matches it
   * (Liberation Sans for sans-serif families such as Arial and Helvetica, Liberation Serif for serif ones
   * such as Times), embedded in every PDF; see {@link exportFontOf}.
   */
  fontFamily: string;
  /** Base font size in points (tick labels, legend); titles scale from it. Never below the journal's minimum. */
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
  /** No text is drawn smaller than this, in points (the journal's minimum). Default 5. */
  readonly minFontSize?: number;
  /**
   * The drawing may grow to this height (px) when its text does not fit, or its plot area is lower than
   * {@link MIN_PLOT_HEIGHT_MM}, at the smallest font size: set for a height from the aspect ratio. Default
   * `heightPx` (a fixed height never changes).
   */
  readonly maxHeightPx?: number;
  /** Room (px) left of the title for a panel letter. Default 0. */
  readonly titleIndentPx?: number;
  /** Background colour. */
  readonly background: string;
}

/**
 * The least height (mm) of a figure whose height comes from the aspect ratio: a narrow column (Science's
 * 57 mm, a 45 mm custom width) at the golden ratio would leave the plot a sliver between its texts.
 */
export const MIN_AUTO_HEIGHT_MM = 50;

/**
 * The least height (mm) of a plot area. A figure whose height comes from the aspect ratio grows (up to
 * {@link MAX_AUTO_HEIGHT_GROWTH_MM} more) until its plot is at least this high and its text fits at the
 * journal's smallest size: a narrow column with long category labels, notes and a legend below would
 * otherwise leave the data a sliver.
 */
export const MIN_PLOT_HEIGHT_MM = 15;

/** How much (mm) a height from the aspect ratio may grow so that a figure fits (see {@link MIN_PLOT_HEIGHT_MM}). */
export const MAX_AUTO_HEIGHT_GROWTH_MM = 50;

/** Millimetres per inch. */
const MM_PER_INCH = 25.4;
/** CSS pixels per inch. */
const PX_PER_INCH = 96;
/** Points per inch. */
const PT_PER_INCH = 72;

/** Colours of exported figures: dark text and light grid on the paper. */
export const PAPER_COLOURS = Object.freeze({
  white: '#ffffff',
  text: '#222222',
  grid: '#e0e0e0',
  line: '#444444'
});
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
 * const preset = nm.render.resolveExportPreset({ journal: 'elsevier', column: 'double', dpi: 600 });
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
  if (!(EXPORT_COLUMNS as readonly unknown[]).includes(column)) {
    fail('column', column, '"single", "1.5" or "double"');
  }
  const heightMm = value('heightMm');
  const fontFamily = value('fontFamily');
  if (typeof fontFamily !== 'string' || fontFamily.trim() === '' || /[<>"{};]/.test(fontFamily)) {
    fail('fontFamily', fontFamily, 'a CSS font family such as "Arial, Helvetica, sans-serif"');
  }
  const whiteBackground = value('whiteBackground');
  if (typeof whiteBackground !== 'boolean') fail('whiteBackground', whiteBackground, 'true or false');
  return {
    journal: journal as ExportPreset['journal'],
    column: column as ExportColumn,
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
 * import * as nm from 'nnmotifs';
 * nm.render.exportSize(nm.render.DEFAULT_EXPORT_PRESET); // { widthMm: 89, heightMm: 55.0, widthPx: 336.4, heightPx: 207.9 }
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
    journal === null
      ? preset.widthMm
      : preset.column === 'double'
        ? journal.doubleMm
        : preset.column === '1.5'
          ? journal.oneHalfMm
          : journal.singleMm;
  // Narrow columns get at least MIN_AUTO_HEIGHT_MM: below it the title, axes and legend leave no plot.
  const heightMm = preset.heightMm ?? Math.max(widthMm * preset.aspectRatio, MIN_AUTO_HEIGHT_MM);
  return { widthMm, heightMm, widthPx: mmToPx(widthMm), heightPx: mmToPx(heightMm) };
}

/**
 * The page and cell sizes of a multi-panel figure: the preset's width split into `columns` equal cells;
 * each cell as high as a figure of its width would be (or the preset's fixed height shared by the rows).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const size = panelSize(nm.render.resolveExportPreset({ column: 'double' }), 4, 2);
 * size.rows; // 2
 * ```
 */
export function panelSize(
  preset: ExportPreset,
  count: number,
  columns: number
): {
  widthMm: number;
  heightMm: number;
  widthPx: number;
  heightPx: number;
  rows: number;
  cellWidthPx: number;
  cellHeightPx: number;
} {
  const { widthMm } = exportSize(preset);
  const rows = Math.ceil(count / columns);
  const cellWidthMm = widthMm / columns;
  const cellHeightMm =
    preset.heightMm === null
      ? Math.max(cellWidthMm * preset.aspectRatio, MIN_AUTO_HEIGHT_MM)
      : preset.heightMm / rows;
  const heightMm = cellHeightMm * rows;
  return {
    widthMm,
    heightMm,
    widthPx: mmToPx(widthMm),
    heightPx: mmToPx(heightMm),
    rows,
    cellWidthPx: mmToPx(cellWidthMm),
    cellHeightPx: mmToPx(cellHeightMm)
  };
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
 * The smallest text size (pt) a preset allows: the journal's minimum, {@link CUSTOM_MIN_FONT_PT} for custom
 * sizes.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * minFontPt(nm.render.resolveExportPreset({ journal: 'ieee' })); // 8
 * ```
 */
export function minFontPt(preset: ExportPreset): number {
  return preset.journal === 'custom' ? CUSTOM_MIN_FONT_PT : JOURNAL_WIDTHS[preset.journal].minFontPt;
}

/**
 * The render options of a preset: what an export target draws with.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const options = nm.render.exportRenderOptions(nm.render.resolveExportPreset({ journal: 'cell' }));
 * options.background; // '#ffffff'
 * ```
 */
export function exportRenderOptions(preset: ExportPreset): ExportRenderOptions {
  const { widthPx, heightPx } = exportSize(preset);
  const minFontSize = minFontPt(preset);
  return {
    widthPx,
    heightPx,
    // Only a height from the aspect ratio may grow; a height the user gave is kept.
    maxHeightPx: preset.heightMm === null ? heightPx + mmToPx(MAX_AUTO_HEIGHT_GROWTH_MM) : heightPx,
    fontFamily: exportFontFamily(preset.fontFamily),
    fontSize: Math.max(preset.fontSizePt, minFontSize),
    minFontSize,
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

/**
 * The export format a file name asks for, from its extension.
 *
 * @throws Error naming the file when the extension is not `.svg`, `.png` or `.pdf`.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.render.exportFormatOf('figures/strength.PDF'); // 'pdf'
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
