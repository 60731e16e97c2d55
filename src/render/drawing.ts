/**
 * What the export pipeline draws and returns (pure types and sizes shared by the kernel, the lab and the
 * page script that runs the pipeline in headless Chromium).
 */
import type { MotifName } from '../core/census';
import type { NetworkViewSpec } from '../figures/network-spec';
import type { FigureSpec } from '../figures/spec';
import type { NodePositions } from './network-layout';
import type { PanelFigureSpec, PanelLabels } from '../figures/panels';
import { exportSize, panelSize, type ExportFormat, type ExportPreset } from './preset';

/** A single view: a figure, or a network view with the on-screen layout and highlighted motif. */
export type ViewDrawing =
  | { kind: 'figure'; spec: FigureSpec }
  | { kind: 'network'; spec: NetworkViewSpec; positions?: NodePositions; highlight?: MotifName };

/** What is drawn: one view, or several as a lettered multi-panel figure. */
export type ExportDrawing =
  | ViewDrawing
  | { kind: 'panels'; panels: ViewDrawing[]; columns: number; labels: PanelLabels; title: string };

/** The drawing of a spec as given to `nm.save` (figure, network view or panel figure). */
export function drawingOf(spec: FigureSpec | NetworkViewSpec | PanelFigureSpec): ExportDrawing {
  if ('panels' in spec) {
    return {
      kind: 'panels',
      panels: spec.panels.map(p => drawingOf(p) as ViewDrawing),
      columns: spec.columns,
      labels: spec.labels,
      title: spec.meta.title
    };
  }
  return 'data' in spec ? { kind: 'figure', spec } : { kind: 'network', spec };
}

/**
 * The page size of a drawing with a preset: the preset's size, or for panels the grid of equal cells
 * ({@link panelSize}).
 */
export function drawingSize(
  drawing: ExportDrawing,
  preset: ExportPreset
): { widthMm: number; heightMm: number; widthPx: number; heightPx: number } {
  if (drawing.kind !== 'panels') return exportSize(preset);
  const { widthMm, heightMm, widthPx, heightPx } = panelSize(preset, drawing.panels.length, drawing.columns);
  return { widthMm, heightMm, widthPx, heightPx };
}

/** A font file's bytes as base64, by file name (`LiberationSans-Regular.ttf`, …). */
export type FontFiles = Readonly<Record<string, string>>;

/** An exported file's content: SVG text, or PNG/PDF bytes as base64. */
export interface RenderedFile {
  format: ExportFormat;
  content: string;
  encoding: 'text' | 'base64';
}

/** A text element's box as four corners, in px from the top-left corner of its `<svg>`. */
export interface TextQuad {
  /** The text as drawn (lines joined by spaces). */
  text: string;
  /** Corners in drawing order. */
  corners: [number, number][];
  /** Font size in px as drawn. */
  fontSize: number;
}

/** A layout problem: a text (partly) outside the page, or two texts overlapping. */
export interface TextProblem {
  kind: 'outside' | 'overlap';
  /** The text(s) concerned. */
  texts: string[];
}

/** A laid-out SVG drawing: its size, its text and the problems of its layout (see `checkSvg`). */
export interface SvgCheck {
  /** Width of the page in px. */
  width: number;
  /** Height of the page in px. */
  height: number;
  /** Every text's box. */
  quads: TextQuad[];
  /** Text outside the page or overlapping other text. */
  problems: TextProblem[];
  /** Size (px) of every plot area (plotly's clip rectangle of a subplot's data); none for network views. */
  plots: { width: number; height: number }[];
}

/** What the page script (`lib/render/browser.js`) defines as `globalThis.nnmotifsRender`. */
export interface PageRenderer {
  /** The export fonts' files, sent once per page. */
  setFonts(files: FontFiles): void;
  /** Draws a view into a file's content. */
  render(drawing: ExportDrawing, format: ExportFormat, preset: ExportPreset): Promise<RenderedFile>;
  /** The one rasterizer (`render/raster.ts`): an SVG drawn at `width × height` pixels, PNG as base64. */
  rasterize(request: { svg: string; width: number; height: number; indexed?: boolean }): Promise<string>;
  /** Decodes a PNG (base64) in the page: its size and RGBA pixels, for checks. */
  decodePng(base64: string): Promise<{ width: number; height: number; rgba: number[] }>;
  /** Lays out an SVG document in the page and returns its text boxes, layout problems and plot areas. */
  checkSvg(svg: string): SvgCheck;
}
