/**
 * One export: a view (export target) drawn with a preset into the bytes of an SVG, PNG or PDF file.
 */
import { ExportFormat, ExportPreset, exportRenderOptions, exportSize } from '../../figures/export-preset';
import { IExportTarget } from '../tokens';
import { svgToPdf, svgToPng } from './convert';

/** An exported file, ready for the Jupyter contents API. */
export interface ExportedFile {
  /** File name with extension, e.g. `node-strength.pdf`. */
  name: string;
  format: ExportFormat;
  /** File content: SVG text, or base64 for PNG and PDF. */
  content: string;
  /** How the contents API must store `content`. */
  contentFormat: 'text' | 'base64';
  mimetype: string;
}

const MIMETYPES: Record<ExportFormat, string> = {
  svg: 'image/svg+xml',
  png: 'image/png',
  pdf: 'application/pdf'
};

/** A file name from an export name: path separators and control characters become `-`. */
export function safeFileName(exportName: string): string {
  // eslint-disable-next-line no-control-regex
  const cleaned = exportName.replace(/[\u0000-\u001f/\\:*?"<>|]+/g, '-').replace(/^[.\s-]+|[.\s]+$/g, '');
  return cleaned === '' ? 'figure' : cleaned.slice(0, 120);
}

/**
 * Draws a view with a preset as the content of a file.
 *
 * @param target - the view (a figure or network renderer, or a payload drawn off-screen).
 * @param format - `svg`, `png` or `pdf`.
 * @param preset - size, font, DPI and background.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const target: IExportTarget = { exportName: 'demo', toSvg: async () => '<svg xmlns="http://www.w3.org/2000/svg"/>' };
 * const file = await exportView(target, 'pdf', nm.figures.resolveExportPreset({ journal: 'cell' }));
 * ```
 */
export async function exportView(
  target: IExportTarget,
  format: ExportFormat,
  preset: ExportPreset
): Promise<ExportedFile> {
  const options = exportRenderOptions(preset);
  const svg = await target.toSvg(options);
  const name = `${safeFileName(target.exportName)}.${format}`;
  const file = { name, format, mimetype: MIMETYPES[format] };
  if (format === 'svg') return { ...file, content: svg, contentFormat: 'text' };
  const content =
    format === 'png'
      ? await svgToPng(svg, { widthPx: options.widthPx, heightPx: options.heightPx, dpi: preset.dpi })
      : await svgToPdf(svg, exportSize(preset));
  return { ...file, content, contentFormat: 'base64' };
}
