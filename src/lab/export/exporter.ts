/**
 * One export: a view (export target) drawn with a preset into the bytes of an SVG, PNG or PDF file, by the
 * one export pipeline (`src/render/browser/pipeline.ts`) that the kernel's `nm.save` runs too.
 */
import type { RenderEnvironment } from '../../render/browser/pipeline';
import type { ExportFormat, ExportPreset } from '../../render/preset';
import { loadPlotly } from '../plotly';
import { IExportTarget } from '../tokens';
import { loadExportFonts } from './fonts';

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

/** The lab's libraries for the pipeline, each loaded on first use (not with JupyterLab). */
export const LAB_RENDER_ENVIRONMENT: RenderEnvironment = {
  plotly: loadPlotly as RenderEnvironment['plotly'],
  pdf: async () => {
    const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
    return { jsPDF, svg2pdf: svg2pdf as unknown as Awaited<ReturnType<RenderEnvironment['pdf']>>['svg2pdf'] };
  },
  fonts: loadExportFonts
};

/**
 * Draws a view with a preset as the content of a file.
 *
 * @param target - the view (a figure or network renderer, or a payload drawn off-screen).
 * @param format - `svg`, `png` or `pdf`.
 * @param preset - size, font, DPI and background.
 * @param environment - the libraries and fonts (default: the lab's, loaded on first use).
 * @example
 * ```ts
 * // example: compile-only, draws with plotly.js and jsPDF in a browser
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * const target: IExportTarget = { exportName: 'demo', drawing: () => ({ kind: 'figure', spec }) };
 * const file = await exportView(target, 'pdf', nm.render.resolveExportPreset({ journal: 'cell' }));
 * ```
 */
export async function exportView(
  target: IExportTarget,
  format: ExportFormat,
  preset: ExportPreset,
  environment: RenderEnvironment = LAB_RENDER_ENVIRONMENT
): Promise<ExportedFile> {
  const { renderExport } = await import('../../render/browser/pipeline');
  const rendered = await renderExport(target.drawing(), format, preset, environment);
  const name = `${safeFileName(target.exportName)}.${format}`;
  return {
    name,
    format,
    mimetype: MIMETYPES[format],
    content: rendered.content,
    contentFormat: rendered.encoding
  };
}
