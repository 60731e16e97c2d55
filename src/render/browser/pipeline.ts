/**
 * The one export pipeline: a figure or network view drawn with a preset into the bytes of an SVG, PNG or
 * PDF file. JupyterLab's export runs it in the user's browser; the kernel's `nm.save` runs the same code in
 * headless Chromium (bundled as `lib/render/browser.js`). Both lay out with the same measured fonts, so a
 * figure exported from the toolbar and one saved with `nm.save` are the same drawing.
 *
 * - SVG: plotly's drawing of the fitted layout ({@link publicationLayout} then {@link refineLayout} from
 *   what plotly placed), or {@link networkSvg} for network views.
 * - PNG: that SVG rasterized at the preset's DPI, with the shipped font embedded so the pixels match.
 * - PDF: that SVG as vectors (svg2pdf.js into a jsPDF page of the preset's size), with the shipped font
 *   embedded (subset), so every character (− × ± σ μ ≤ ≥, Greek, non-ASCII names) is text in the file.
 */
import type { jsPDF as JsPdfClass } from 'jspdf';
import type { FigureSpec, JsonObject } from '../../figures/spec';
import { drawingSize, type ExportDrawing, type FontFiles, type RenderedFile } from '../drawing';
import { type ExportFontFace, EXPORT_FONT_FACES, exportFontOf } from '../fonts';
import {
  DrawnLayout,
  plainText,
  publicationLayout,
  refineLayout,
  wrapText,
  type MeasureText
} from '../layout';
import { escapeXml, networkSvg } from '../network-svg';
import { panelLetter } from '../../figures/panels';
import {
  type ExportFormat,
  type ExportPreset,
  exportRenderOptions,
  MIN_PLOT_HEIGHT_MM,
  mmToPx,
  PAPER_COLOURS,
  pngPixelSize,
  ptToPx,
  pxToMm,
  type ExportRenderOptions
} from '../preset';
import { rasterizeSvg } from '../raster';
import { checkSvg, textQuads, quadsOverlap } from './geometry';

/** The plotly.js functions the pipeline uses. */
export interface PlotlyApi {
  react(root: HTMLElement, data: unknown[], layout: unknown, config?: unknown): Promise<unknown>;
  toImage(root: HTMLElement | object, options: object): Promise<string>;
  purge(root: HTMLElement): void;
}

/** The libraries and fonts the pipeline runs with: the lab loads them lazily, the kernel's page bundles them. */
export interface RenderEnvironment {
  /** plotly.js (only needed for figures). */
  plotly: () => Promise<PlotlyApi>;
  /** jsPDF and svg2pdf.js (only needed for PDF). */
  pdf: () => Promise<{ jsPDF: typeof JsPdfClass; svg2pdf: Svg2Pdf }>;
  /** The export fonts' files as base64 (see {@link EXPORT_FONT_FACES}). */
  fonts: () => Promise<FontFiles>;
}

/** svg2pdf.js's entry point. */
export type Svg2Pdf = (
  element: Element,
  pdf: JsPdfClass,
  options: { x: number; y: number; width: number; height: number }
) => Promise<JsPdfClass>;

const installed = new Set<string>();

/** Makes the export fonts available to the page (layout measures with them), once per page. */
export async function installFonts(files: FontFiles): Promise<void> {
  const pending: Promise<unknown>[] = [];
  for (const face of EXPORT_FONT_FACES) {
    const key = `${face.family}/${face.weight}`;
    if (installed.has(key) || files[face.file] === undefined) continue;
    const font = new FontFace(face.family, base64ToBytes(files[face.file]), { weight: face.weight });
    document.fonts.add(font);
    installed.add(key);
    pending.push(font.load());
  }
  await Promise.all(pending);
}

function base64ToBytes(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

let canvas: HTMLCanvasElement | null = null;

/** Text width with the export font of a CSS family, measured on a canvas. */
export function canvasMeasure(fontFamily: string): MeasureText {
  canvas ??= document.createElement('canvas');
  const context = canvas.getContext('2d');
  const family = exportFontOf(fontFamily).family;
  return (text, sizePx) => {
    if (context === null) return 0.55 * sizePx * text.length;
    context.font = `${sizePx}px "${family}"`;
    return context.measureText(text).width;
  };
}

/**
 * Draws a view with a preset as the content of a file.
 *
 * @example
 * ```ts
 * // example: compile-only, draws with plotly.js and jsPDF in a browser page
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * const environment = (globalThis as unknown as { environment: RenderEnvironment }).environment;
 * const file = await renderExport({ kind: 'figure', spec }, 'pdf', nm.render.DEFAULT_EXPORT_PRESET, environment);
 * ```
 */
export async function renderExport(
  drawing: ExportDrawing,
  format: ExportFormat,
  preset: ExportPreset,
  environment: RenderEnvironment
): Promise<RenderedFile> {
  const fonts = await environment.fonts();
  await installFonts(fonts);
  const page = drawingSize(drawing, preset);
  const options = {
    ...exportRenderOptions(preset),
    widthPx: page.widthPx,
    heightPx: page.heightPx,
    // A panel figure keeps its grid of cells: only a single view's automatic height may grow.
    ...(drawing.kind === 'panels' ? { maxHeightPx: page.heightPx } : {})
  };
  // The drawing's own size: its height may have grown to fit (see drawSvg); PNG and PDF take it from there.
  const drawn = await drawSvg(drawing, options, environment);
  const { svg } = drawn;
  if (format === 'svg') return { format, content: svg, encoding: 'text' };
  if (format === 'png') {
    const size = pngPixelSize(drawn.widthPx, drawn.heightPx, preset.dpi);
    const content = await rasterizeSvg({ svg: withEmbeddedFonts(svg, options.fontFamily, fonts), ...size });
    return { format, content, encoding: 'base64' };
  }
  const size = { widthMm: page.widthMm, heightMm: pxToMm(drawn.heightPx) };
  const content = await svgToPdf(svg, size, options.fontFamily, fonts, environment);
  return { format, content, encoding: 'base64' };
}

/** An SVG document and its page size in px. */
export interface DrawnSvg {
  svg: string;
  widthPx: number;
  heightPx: number;
}

/**
 * The SVG document of a drawing, laid out to fit the page. Text that does not fit steps down to the
 * journal's minimum size; when it still does not fit there, or the plot area is lower than
 * {@link MIN_PLOT_HEIGHT_MM}, the page grows (up to `options.maxHeightPx`): the returned size is the
 * drawing's.
 */
export async function drawSvg(
  drawing: ExportDrawing,
  options: ExportRenderOptions,
  environment: Pick<RenderEnvironment, 'plotly'>
): Promise<DrawnSvg> {
  const measure = canvasMeasure(options.fontFamily);
  const fixed = { svg: '', widthPx: options.widthPx, heightPx: options.heightPx };
  if (drawing.kind === 'panels') return { ...fixed, svg: await drawPanels(drawing, options, environment) };
  if (drawing.kind === 'network') {
    const svg = networkSvg(drawing.spec, {
      ...options,
      positions: drawing.positions,
      highlight: drawing.highlight,
      measure
    });
    return { ...fixed, svg };
  }
  const plotly = await environment.plotly();
  // Checked on the file's own SVG as the export tests check it: text that does not fit steps down towards
  // the journal's minimum (0.5 pt at a time); a plot area lower than MIN_PLOT_HEIGHT_MM, or text that does
  // not fit at the minimum, makes a height that may grow grow (by the plot's shortfall, at least 4 mm a
  // step). The last drawing is kept when none fits.
  const min = options.minFontSize ?? options.fontSize;
  const maxHeight = Math.max(options.heightPx, options.maxHeightPx ?? options.heightPx);
  // A fixed height is the user's choice: its plot is as high as the texts leave it.
  const minPlot = maxHeight > options.heightPx ? mmToPx(MIN_PLOT_HEIGHT_MM) : 0;
  let height = options.heightPx;
  let size = options.fontSize;
  for (;;) {
    let svg: string | null = null;
    let textFits = false;
    let shortfall = 0;
    try {
      svg = await drawFigure(drawing.spec, { ...options, heightPx: height, fontSize: size }, plotly, measure);
      const check = checkSvg(svg);
      textFits = check.problems.length === 0;
      shortfall = Math.max(0, minPlot - Math.min(Infinity, ...check.plots.map(p => p.height)));
    } catch (error) {
      // plotly could not draw the text at this size at all: a smaller size or a higher page may fit.
      if (size <= min && height >= maxHeight) throw error;
    }
    const drawn = { svg: svg ?? '', widthPx: options.widthPx, heightPx: height };
    if (svg !== null && textFits && shortfall === 0) return drawn;
    if (!textFits && size > min) {
      size = Math.max(min, size - 0.5);
    } else if (height < maxHeight) {
      height = Math.min(maxHeight, height + Math.max(mmToPx(4), Math.ceil(shortfall + 2)));
    } else if (size > min) {
      size = Math.max(min, size - 0.5);
    } else if (svg !== null) {
      return drawn;
    }
  }
}

/** One drawing of a figure with plotly at the options' font size: fitted, drawn, measured, corrected. */
async function drawFigure(
  spec: FigureSpec,
  options: ExportRenderOptions,
  plotly: PlotlyApi,
  measure: MeasureText
): Promise<string> {
  const host = document.createElement('div');
  host.style.cssText = `position:fixed;left:-100000px;top:0;width:${options.widthPx}px;height:${options.heightPx}px;pointer-events:none`;
  host.style.setProperty('--nnmotifs-min-font', `${ptToPx(options.minFontSize ?? 0)}`);
  document.body.append(host);
  try {
    let layout = publicationLayout(spec.layout, spec.data, options, measure);
    // Trace text (bar labels, heatmap cells, colour bars) follows the same sizes as the layout's.
    const data = fitTraces(spec.data, options, measure);
    const config = { staticPlot: true, displayModeBar: false, typesetMath: false, responsive: false };
    // Draw, measure what plotly placed, correct; a few rounds settle every figure we make.
    let drawn: JsonObject | null = null;
    for (let round = 0; round < 8; round++) {
      try {
        await plotly.react(host, structuredClone(data), structuredClone(layout), config);
      } catch (error) {
        // plotly gives up when the texts leave the plot no room: keep the last layout it could draw.
        if (drawn === null)
          throw new Error(
            `the figure does not fit a ${Math.round(options.widthPx)} × ${Math.round(options.heightPx)} px page: ${String(error)}`
          );
        layout = drawn;
        break;
      }
      drawn = layout;
      const next = refineLayout(layout, measureDrawn(host), measure);
      if (next === null) break;
      layout = next;
    }
    const url = await plotly.toImage(
      { data: structuredClone(data), layout: structuredClone(layout), config },
      { format: 'svg', width: options.widthPx, height: options.heightPx }
    );
    // plotly returns the SVG as a URL-encoded `data:image/svg+xml,…`.
    return decodeURIComponent(url.slice(url.indexOf(',') + 1));
  } finally {
    plotly.purge(host);
    host.remove();
  }
}

/**
 * A multi-panel figure: every panel drawn by {@link drawSvg} at its cell's size (the title moved right to
 * leave room for the letter), nested in one SVG page, the bold letters at the cells' top-left corners.
 */
async function drawPanels(
  drawing: Extract<ExportDrawing, { kind: 'panels' }>,
  options: ExportRenderOptions,
  environment: Pick<RenderEnvironment, 'plotly'>
): Promise<string> {
  const rows = Math.ceil(drawing.panels.length / drawing.columns);
  const cellW = options.widthPx / drawing.columns;
  const cellH = options.heightPx / rows;
  const letterPx = ptToPx(options.fontSize) * 1.3;
  const pad = Math.max(3, Math.round(0.4 * ptToPx(options.fontSize)));
  const measure = canvasMeasure(options.fontFamily);
  const parts: string[] = [];
  for (const [k, panel] of drawing.panels.entries()) {
    const letter = panelLetter(k, drawing.labels);
    const indent = letter === '' ? 0 : measure(letter, letterPx) + 0.4 * letterPx;
    const { svg } = await drawSvg(
      panel,
      { ...options, widthPx: cellW, heightPx: cellH, maxHeightPx: cellH, titleIndentPx: indent },
      environment
    );
    const x = (k % drawing.columns) * cellW;
    const y = Math.floor(k / drawing.columns) * cellH;
    // The panel's own document becomes a nested <svg> placed at its cell.
    const body = svg.replace(/^<\?xml[^>]*>\s*/, '').replace(/<svg\b/, `<svg x="${x}" y="${y}"`);
    parts.push(body);
    if (letter !== '') {
      parts.push(
        `<text x="${x + pad}" y="${y + pad + letterPx * 0.8}" font-family="${escapeXml(options.fontFamily)}" ` +
          `font-size="${letterPx}" font-weight="bold" fill="${PAPER_COLOURS.text}">${escapeXml(letter)}</text>`
      );
    }
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" ` +
    `xmlns:xlink="http://www.w3.org/1999/xlink" width="${options.widthPx}" height="${options.heightPx}" ` +
    `viewBox="0 0 ${options.widthPx} ${options.heightPx}"><title>${escapeXml(drawing.title)}</title>` +
    `<rect width="100%" height="100%" fill="${escapeXml(options.background)}"/>${parts.join('')}</svg>`
  );
}

/**
 * Traces with their text at the export's sizes (never under the minimum), legend names wrapped to the
 * page's width and colour bars with few ticks.
 */
function fitTraces(
  data: readonly JsonObject[],
  options: ExportRenderOptions,
  measure: MeasureText
): JsonObject[] {
  const base = ptToPx(options.fontSize);
  const min = ptToPx(options.minFontSize ?? 0);
  // A legend entry's text starts 40 px right of the legend's edge (plotly's symbol and gap).
  const nameWidth = options.widthPx - 2 * Math.max(3, Math.round(0.4 * base)) - 44;
  return data.map(trace => {
    const out: JsonObject = { ...trace };
    if (typeof out.name === 'string' && measure(plainText(out.name), base) > nameWidth) {
      out.name = wrapText(out.name, nameWidth, base, measure).join('<br>');
    }
    for (const key of ['textfont', 'insidetextfont', 'outsidetextfont']) {
      const font = out[key];
      if (font !== null && typeof font === 'object' && !Array.isArray(font)) {
        out[key] = { ...font, size: Math.max(min, base) };
      }
    }
    const colorbar = out.colorbar;
    if (colorbar !== null && typeof colorbar === 'object' && !Array.isArray(colorbar)) {
      const title = (colorbar as JsonObject).title;
      out.colorbar = {
        ...colorbar,
        nticks: 4,
        thickness: Math.round(base),
        tickfont: { size: base },
        ...(title !== null && typeof title === 'object' && !Array.isArray(title)
          ? {
              title: {
                ...title,
                side: 'right',
                font: { size: base },
                // Beside the plot, turned: no longer than about half the page's height.
                ...(typeof (title as JsonObject).text === 'string'
                  ? {
                      text: wrapText(
                        String((title as JsonObject).text),
                        0.5 * options.heightPx,
                        base,
                        measure
                      ).join('<br>')
                    }
                  : {})
              }
            }
          : {})
      };
    }
    return out;
  });
}

/** What plotly placed in a drawing (see {@link DrawnLayout}). */
function measureDrawn(host: HTMLElement): DrawnLayout {
  const origin = host.getBoundingClientRect();
  const box = (element: Element | null): DOMRect | null => {
    if (element === null) return null;
    const rect = element.getBoundingClientRect();
    return rect.width === 0 && rect.height === 0 ? null : rect;
  };
  const title = box(host.querySelector('.g-gtitle text'));
  const legend = box(host.querySelector('.legend'));
  type Size = { l: number; r: number; t: number; b: number; w: number; h: number };
  const size = (host as unknown as { _fullLayout?: { _size?: Size } })._fullLayout?._size ?? {
    l: 0,
    r: 0,
    t: 0,
    b: 0,
    w: 0,
    h: 0
  };
  let notesTop: number | null = null;
  for (const note of Array.from(host.querySelectorAll('.annotation'))) {
    const rect = box(note);
    if (rect !== null && rect.bottom - origin.top <= size.t + 1) {
      notesTop = Math.min(notesTop ?? Infinity, rect.top - origin.top);
    }
  }
  const crowdedTicks: string[] = [];
  const smallTicks: string[] = [];
  const overflowingTicks: string[] = [];
  const titleClashes: string[] = [];
  const width = host.clientWidth;
  const height = host.clientHeight;
  const categories: Record<string, string[]> = {};
  const logRanges: Record<string, [number, number]> = {};
  const thinnedCategories: string[] = [];
  const fullLayout =
    (
      host as unknown as {
        _fullLayout?: Record<string, { type?: string; _categories?: unknown[]; range?: unknown[] }>;
      }
    )._fullLayout ?? {};
  const minSize = parseFloat(getComputedStyle(host).getPropertyValue('--nnmotifs-min-font')) || 0;
  const svg = host.querySelector('svg') ?? undefined;
  for (const letter of ['x', 'y']) {
    for (const group of Array.from(host.querySelectorAll(`.${letter}axislayer-above`))) {
      const byAxis = new Map<string, Element[]>();
      for (const tick of Array.from(group.querySelectorAll(`g[class$="tick"] text`))) {
        const name = (tick.parentElement?.getAttribute('class') ?? `${letter}tick`).replace(/tick$/, '');
        byAxis.set(name, [...(byAxis.get(name) ?? []), tick]);
      }
      for (const [name, ticks] of byAxis) {
        const quads = ticks.flatMap(tick => textQuads(tick.parentElement ?? tick, svg));
        // Vertical neighbours need a little air as well: pdftotext's boxes are a full line high.
        const grown =
          letter === 'y'
            ? quads.map(q => {
                const [cy, half] = [(q.corners[0][1] + q.corners[2][1]) / 2, q.fontSize * 0.7];
                return {
                  ...q,
                  corners: q.corners.map(([x, y]) => [x, y < cy ? cy - half : cy + half] as [number, number])
                };
              })
            : quads;
        const crowded = grown.some((q, i) => grown.slice(i + 1).some(other => quadsOverlap(q, other, 0)));
        const key = `${letter}axis${name.slice(1)}`;
        if (crowded) crowdedTicks.push(key);
        if (quads.some(q => q.fontSize < minSize - 0.01)) smallTicks.push(key);
        if (
          quads.some(q =>
            q.corners.some(([x, y]) => x < -0.5 || y < -0.5 || x > width + 0.5 || y > height + 0.5)
          )
        ) {
          overflowingTicks.push(key);
        }
        const title = host.querySelector(`.g-${letter}${name.slice(1)}title`);
        if (title !== null) {
          const titleQuads = textQuads(title, svg);
          if (titleQuads.some(t => quads.some(q => quadsOverlap(t, q, 0.5)))) titleClashes.push(key);
        }
        const axis = fullLayout[key];
        if (axis?.type === 'category' && Array.isArray(axis._categories))
          categories[key] = axis._categories.map(String);
        if (
          axis?.type === 'category' &&
          Array.isArray(axis._categories) &&
          ticks.length < axis._categories.length
        )
          thinnedCategories.push(key);
        if (axis?.type === 'log' && Array.isArray(axis.range) && axis.range.length === 2) {
          const [lo, hi] = axis.range.map(Number);
          if (Number.isFinite(lo) && Number.isFinite(hi)) logRanges[key] = [lo, hi];
        }
      }
    }
  }
  return {
    titleBottom: title === null ? 0 : title.bottom - origin.top,
    legendHeight: legend === null ? 0 : legend.height,
    plot: size,
    notesTop,
    crowdedTicks,
    categories,
    logRanges,
    thinnedCategories,
    smallTicks,
    overflowingTicks,
    titleClashes
  };
}

/** The export fonts of a family as an SVG `<style>` of `@font-face` rules with data URLs. */
function fontFaceStyle(fontFamily: string, fonts: FontFiles): string {
  const faces: ExportFontFace[] = [...exportFontOf(fontFamily).faces];
  return faces
    .filter(face => fonts[face.file] !== undefined)
    .map(
      face =>
        `@font-face{font-family:"${face.family}";font-weight:${face.weight};` +
        `src:url(data:font/ttf;base64,${fonts[face.file]}) format("truetype")}`
    )
    .join('');
}

/**
 * The SVG with its font embedded: an SVG drawn as an image sees no fonts of the page, only those it
 * carries, so the PNG is rasterized with the same glyphs the layout was measured with.
 */
export function withEmbeddedFonts(svg: string, fontFamily: string, fonts: FontFiles): string {
  const style = `<style>${fontFaceStyle(fontFamily, fonts)}</style>`;
  return svg.replace(/<svg\b[^>]*>/, open => `${open}<defs>${style}</defs>`);
}

/** The SVG drawn as vectors into a one-page PDF with the export font embedded; base64. */
async function svgToPdf(
  svg: string,
  size: { widthMm: number; heightMm: number },
  fontFamily: string,
  fonts: FontFiles,
  environment: Pick<RenderEnvironment, 'pdf'>
): Promise<string> {
  const { jsPDF, svg2pdf } = await environment.pdf();
  const element = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  if (element.nodeName !== 'svg') throw new Error('the drawing of the figure is not a valid SVG document');
  // svg2pdf measures text and resolves styles through the DOM: the SVG must be in the document while it draws.
  const host = document.createElement('div');
  host.style.cssText = 'position:fixed;left:-100000px;top:0;visibility:hidden;pointer-events:none';
  host.append(document.importNode(element, true));
  document.body.append(host);
  try {
    // plotly shifts text lines by `dy` in em; svg2pdf reads em against a different size than the text's
    // (titles landed a line too low in the PDF): write every such shift in px, as the browser resolves it.
    for (const text of Array.from(host.querySelectorAll<SVGElement>('text[dy], tspan[dy]'))) {
      const dy = text.getAttribute('dy') ?? '';
      if (!dy.endsWith('em')) continue;
      const size = parseFloat(getComputedStyle(text).fontSize);
      if (Number.isFinite(size)) text.setAttribute('dy', `${parseFloat(dy) * size}`);
    }
    const pdf = new jsPDF({
      unit: 'mm',
      format: [size.widthMm, size.heightMm],
      orientation: size.widthMm > size.heightMm ? 'landscape' : 'portrait',
      compress: true,
      putOnlyUsedFonts: true
    });
    for (const face of exportFontOf(fontFamily).faces) {
      const data = fonts[face.file];
      if (data === undefined) throw new Error(`the export font ${face.file} is missing`);
      pdf.addFileToVFS(face.file, data);
      // Style 'normal' with a weight: jsPDF files the face under 'bold' or 'normal', the keys svg2pdf asks for.
      pdf.addFont(face.file, face.family, 'normal', face.weight === 'bold' ? 700 : 400, 'Identity-H');
    }
    pdf.setFont(exportFontOf(fontFamily).family, 'normal');
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
