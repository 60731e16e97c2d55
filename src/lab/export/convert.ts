/**
 * PNG and PDF from the one SVG drawing of a view. PNG: the SVG rasterized at the preset's DPI. PDF: the SVG
 * drawn as vectors by svg2pdf.js into a jsPDF page of the figure's size in millimetres (text stays text,
 * lines stay paths). Both libraries load on the first PDF export, not with JupyterLab.
 */
import { pngPixelSize } from '../../figures/export-preset';
import { rasterizeSvg } from '../../figures/svg-raster';

/** Size and resolution of a PNG export. */
export interface PngSize {
  /** Width of the drawing in CSS pixels (1/96 inch). */
  widthPx: number;
  /** Height of the drawing in CSS pixels. */
  heightPx: number;
  /** Dots per inch: the PNG is `widthPx × dpi / 96` pixels wide. */
  dpi: number;
}

/**
 * Rasterizes an SVG document into a PNG at a resolution.
 *
 * @returns the base64 PNG.
 * @example
 * ```ts
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="336" height="208"/>';
 * const png = await svgToPng(svg, { widthPx: 336.4, heightPx: 207.9, dpi: 300 }); // 1051 x 650 pixels
 * ```
 */
export function svgToPng(svg: string, size: PngSize): Promise<string> {
  return rasterizeSvg({ svg, ...pngPixelSize(size.widthPx, size.heightPx, size.dpi) });
}

/** Page size of a PDF export. */
export interface PdfSize {
  widthMm: number;
  heightMm: number;
}

/**
 * Draws an SVG document as vectors into a one-page PDF of the given size.
 *
 * @returns the base64 PDF.
 * @example
 * ```ts
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="336" height="208"/>';
 * const pdf = await svgToPdf(svg, { widthMm: 89, heightMm: 55 });
 * ```
 */
export async function svgToPdf(svg: string, size: PdfSize): Promise<string> {
  const [{ jsPDF }, { svg2pdf }] = await Promise.all([import('jspdf'), import('svg2pdf.js')]);
  const element = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  if (element.nodeName !== 'svg') throw new Error('the drawing of the figure is not a valid SVG document');
  // svg2pdf measures text and resolves styles through the DOM: the SVG must be in the document while it draws.
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-100000px;top:0;visibility:hidden;pointer-events:none';
  host.append(document.importNode(element, true));
  document.body.append(host);
  try {
    const landscape = size.widthMm > size.heightMm;
    const pdf = new jsPDF({
      unit: 'mm',
      format: [size.widthMm, size.heightMm],
      orientation: landscape ? 'landscape' : 'portrait',
      compress: true,
      putOnlyUsedFonts: true
    });
    await svg2pdf(host.firstElementChild as Element, pdf, {
      x: 0,
      y: 0,
      width: size.widthMm,
      height: size.heightMm
    });
    const uri = pdf.output('datauristring');
    return uri.slice(uri.indexOf('base64,') + 'base64,'.length);
  } finally {
    host.remove();
  }
}
