/**
 * `nm.render.*`: drawing for export, the parts a notebook uses: journal presets and their sizes, the
 * shipped export fonts, the fitted publication layout, and the SVG of network views. The helpers of
 * `src/render` (colour scales, XML escaping, PNG encoding, text measuring) stay internal.
 */
export {
  DEFAULT_EXPORT_PRESET,
  EXPORT_COLUMNS,
  EXPORT_FORMATS,
  JOURNAL_WIDTHS,
  exportFormatOf,
  exportRenderOptions,
  exportSize,
  resolveExportPreset
} from '../render/preset';
export type {
  ExportColumn,
  ExportFormat,
  ExportPreset,
  ExportRenderOptions,
  JournalId
} from '../render/preset';
export { EXPORT_FONTS } from '../render/fonts';
export type { ExportFont, ExportFontFace } from '../render/fonts';
export { publicationLayout } from '../render/layout';
export { layeredLayout } from '../render/network-layout';
export type { NodePositions } from '../render/network-layout';
export { networkSvg } from '../render/network-svg';
export type { NetworkSvgOptions } from '../render/network-svg';
