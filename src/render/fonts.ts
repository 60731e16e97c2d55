/**
 * The fonts every export is drawn and embedded with. The project ships Liberation Sans and Liberation Serif
 * 2.1 (SIL Open Font License 1.1, which allows embedding; `fonts/OFL.txt`): metric-compatible with Arial
 * and Times New Roman, and covering Latin, Greek and Cyrillic and the signs figures use (− × ± σ μ ≤ ≥).
 * Layout measures text with the same font the PDF embeds and the PNG is rasterized with, so what fits on
 * screen fits on paper. Pure data: the lab fetches the files with its bundle, the kernel reads them.
 */

/** A font face: the family name in CSS and in the PDF, its weight and its file in `fonts/`. */
export interface ExportFontFace {
  /** CSS family name, also the font's name inside jsPDF. */
  readonly family: string;
  readonly weight: 'normal' | 'bold';
  /** File name in the package's `fonts/` folder. */
  readonly file: string;
}

/** A family with its regular and bold face. */
export interface ExportFont {
  /** CSS family name of the shipped font, e.g. `Liberation Sans`. */
  readonly family: string;
  readonly faces: readonly ExportFontFace[];
}

function font(family: string, stem: string): ExportFont {
  return Object.freeze({
    family,
    faces: Object.freeze([
      Object.freeze({ family, weight: 'normal' as const, file: `${stem}-Regular.ttf` }),
      Object.freeze({ family, weight: 'bold' as const, file: `${stem}-Bold.ttf` })
    ])
  });
}

/** The shipped export fonts: a sans-serif and a serif family. */
export const EXPORT_FONTS = Object.freeze({
  sans: font('Liberation Sans', 'LiberationSans'),
  serif: font('Liberation Serif', 'LiberationSerif')
});

/** Every face of every export font (what a renderer loads). */
export const EXPORT_FONT_FACES: readonly ExportFontFace[] = Object.freeze([
  ...EXPORT_FONTS.sans.faces,
  ...EXPORT_FONTS.serif.faces
]);

/** Families that read as serif: everything else is drawn sans-serif. */
const SERIF =
  /(^|[\s,'"])(serif|times|georgia|garamond|palatino|cambria|book antiqua|liberation serif|tinos)/i;
const SANS = /sans-serif|sans/i;

/**
 * The shipped font that draws a CSS font family: Liberation Serif for serif families (Times, Georgia,
 * `serif`), Liberation Sans for everything else (Arial, Helvetica, `sans-serif`, and families the
 * project does not ship).
 *
 * @example
 * ```ts
 * exportFontOf('Times New Roman, serif').family; // 'Liberation Serif'
 * exportFontOf('Arial, Helvetica, sans-serif').family; // 'Liberation Sans'
 * ```
 */
export function exportFontOf(fontFamily: string): ExportFont {
  const first = fontFamily.split(',')[0] ?? '';
  // The first family decides ("Helvetica, serif" is sans); a bare generic name decides by itself.
  if (SANS.test(first)) return EXPORT_FONTS.sans;
  return SERIF.test(first) ? EXPORT_FONTS.serif : EXPORT_FONTS.sans;
}

/**
 * The CSS `font-family` of an export: the shipped font first, then the user's families as fallbacks for
 * whoever opens the SVG without it installed (Liberation is metric-compatible with Arial and Times).
 *
 * @example
 * ```ts
 * exportFontFamily('Arial, Helvetica, sans-serif'); // "Liberation Sans, Arial, Helvetica, sans-serif"
 * ```
 */
export function exportFontFamily(fontFamily: string): string {
  const shipped = exportFontOf(fontFamily).family;
  const rest = fontFamily
    .split(',')
    .map(f => f.trim())
    .filter(f => f !== '' && f.replace(/['"]/g, '').toLowerCase() !== shipped.toLowerCase());
  return [shipped, ...rest].join(', ');
}
