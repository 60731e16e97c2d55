/**
 * A network view as a standalone SVG document: the vector drawing every export format (SVG, PNG, PDF) of
 * the network renderer is made from, and what the renderer shows where WebGL is missing.
 *
 * The encodings here (sign colours, widths, the strength colour scale) are the ones the interactive view
 * uses too, so a figure exported from the notebook looks like the view on screen.
 */
import type { MotifName } from '../core/census';
import { approximateTextWidth, LINE_HEIGHT, type MeasureText, wrapText } from './layout';
import { layeredLayout, type NodePositions } from './network-layout';
import type { NetworkViewSpec } from '../figures/network-spec';
import { PALETTE } from '../figures/spec';

/** Edge colours by sign (Okabe & Ito): blue for positive (excitatory), vermillion for negative. */
export const EDGE_COLOURS = Object.freeze({ positive: PALETTE[0], negative: PALETTE[1] });

/** Stops of the node colour scale (viridis: perceptually uniform, colour-blind safe), low to high. */
const STRENGTH_STOPS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

/**
 * Colour of a node whose strength is the fraction `t` (0 … 1) of the largest strength, on the viridis scale.
 *
 * @example
 * ```ts
 * strengthColour(0); // '#440154'
 * strengthColour(1); // '#fde725'
 * ```
 */
export function strengthColour(t: number): string {
  const u = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (STRENGTH_STOPS.length - 1);
  const k = Math.min(Math.floor(u), STRENGTH_STOPS.length - 2);
  const f = u - k;
  const channel = (hex: string, c: number): number => parseInt(hex.slice(1 + 2 * c, 3 + 2 * c), 16);
  let out = '#';
  for (let c = 0; c < 3; c++) {
    const v = Math.round(channel(STRENGTH_STOPS[k], c) * (1 - f) + channel(STRENGTH_STOPS[k + 1], c) * f);
    out += v.toString(16).padStart(2, '0');
  }
  return out;
}

/**
 * Size of a node (radius, in units of `base`) for the fraction `t` of the largest strength: area grows
 * with strength, and the weakest node stays visible.
 *
 * @example
 * ```ts
 * nodeSize(1, 4); // 4 * 2.5 = 10
 * ```
 */
export function nodeSize(t: number, base: number): number {
  return base * (1 + 1.5 * Math.sqrt(Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0))));
}

/**
 * Width of an edge (in units of `base`) for the fraction `t` of the largest |weight|.
 *
 * @example
 * ```ts
 * edgeSize(0, 1); // 0.25
 * ```
 */
export function edgeSize(t: number, base: number): number {
  return base * (0.25 + 1.75 * Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)));
}

/**
 * Escapes text for an XML text node or attribute value.
 *
 * @example
 * ```ts
 * escapeXml('<script>&"'); // '&lt;script&gt;&amp;&quot;'
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, c =>
    c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;'
  );
}

/**
 * The edges of a view's overlay for `motif`, as a set of edge indices (empty when the view has none).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * highlightedEdges(spec, 'biFan').size; // edges in the listed bi-fan instances
 * ```
 */
export function highlightedEdges(spec: Pick<NetworkViewSpec, 'overlays'>, motif: MotifName): Set<number> {
  const out = new Set<number>();
  const overlay = spec.overlays.find(o => o.motif === motif);
  for (const instance of overlay?.instances ?? []) for (const e of instance) out.add(e);
  return out;
}

/** Options of {@link networkSvg}: the export render options plus what the view on screen shows. */
export interface NetworkSvgOptions {
  /** Width of the drawing in CSS pixels. */
  widthPx: number;
  /** Height of the drawing in CSS pixels. */
  heightPx: number;
  /** CSS font family of all text. */
  fontFamily: string;
  /** Base font size in points. */
  fontSize: number;
  /** Background colour. */
  background: string;
  /** Node positions in any units (they are fitted to the drawing); default {@link layeredLayout}. */
  positions?: NodePositions;
  /** Motif class whose instances are highlighted (the rest dimmed). */
  highlight?: MotifName;
  /** Text colour. Default `#222222`. */
  foreground?: string;
  /** Text width in px (the renderer measures with the export font); default a rough estimate. */
  measure?: MeasureText;
  /** Room (px) left of the title for a panel letter. Default 0. */
  titleIndentPx?: number;
}

const round = (v: number): string => (Math.round(v * 100) / 100).toString();

/**
 * Draws a network view as a standalone SVG document: edges coloured by sign and as wide as |w|, nodes sized
 * and coloured by strength, layer names under their columns (in the layered layout), title on top. Every
 * payload string is escaped, so hostile layer names or titles stay text.
 *
 * @param spec - a validated network view.
 * @param options - size, font, background, positions and highlight.
 * @returns the SVG document text.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * const svg = nm.render.networkSvg(spec, { widthPx: 600, heightPx: 400, fontFamily: 'Arial', fontSize: 9, background: '#fff' });
 * ```
 */
export function networkSvg(spec: NetworkViewSpec, options: NetworkSvgOptions): string {
  const { widthPx: width, heightPx: height, fontFamily, background } = options;
  const fontPx = (options.fontSize * 96) / 72;
  const foreground = options.foreground ?? '#222222';
  const measure = options.measure ?? approximateTextWidth;
  const positions = options.positions ?? layeredLayout(spec);
  const layered = options.positions === undefined;
  const n = spec.nodes.layer.length;
  const pad = Math.max(3, fontPx * 0.4);

  // The title wrapped to the page; layer names under their columns (measured, kept on the page, and on a
  // second row when two neighbours would touch).
  const titlePx = fontPx * 1.2;
  const indent = options.titleIndentPx ?? 0;
  const titleLines = wrapText(spec.meta.title, width - 2 * pad - indent, titlePx, measure);
  const titleHeight = titleLines.length * titlePx * LINE_HEIGHT;
  const layerNames = layered ? spec.layers.map(layer => layer.name) : [];
  const nameWidths = layerNames.map(name => measure(name, fontPx));
  const columns = new Set(spec.nodes.layer).size;
  const columnGap = columns > 1 ? (width - 4 * fontPx) / (columns - 1) : width;
  const staggered = layerNames.some(
    (_, k) => k > 0 && (nameWidths[k] + nameWidths[k - 1]) / 2 + fontPx * 0.5 > columnGap
  );
  const nameRows = layered ? (staggered ? 2 : 1) : 0;

  // Fit the positions into the drawing, leaving room for the title and the layer names.
  const margin = {
    left: fontPx * 2,
    right: fontPx * 2,
    top: pad + titleHeight + fontPx,
    bottom: layered ? pad + nameRows * fontPx * LINE_HEIGHT + fontPx : fontPx * 1.5
  };
  let [minX, maxX, minY, maxY] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let k = 0; k < n; k++) {
    minX = Math.min(minX, positions.x[k]);
    maxX = Math.max(maxX, positions.x[k]);
    minY = Math.min(minY, positions.y[k]);
    maxY = Math.max(maxY, positions.y[k]);
  }
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const innerW = Math.max(1, width - margin.left - margin.right);
  const innerH = Math.max(1, height - margin.top - margin.bottom);
  const px = (k: number): number =>
    margin.left + (n > 0 && maxX > minX ? ((positions.x[k] - minX) / spanX) * innerW : innerW / 2);
  const py = (k: number): number =>
    margin.top + (n > 0 && maxY > minY ? ((positions.y[k] - minY) / spanY) * innerH : innerH / 2);

  const { source, target, weight } = spec.edges;
  let maxW = 0;
  for (const w of weight) maxW = Math.max(maxW, Math.abs(w));
  let maxS = 0;
  for (const s of spec.nodes.strength) maxS = Math.max(maxS, s);
  const lit = options.highlight === undefined ? undefined : highlightedEdges(spec, options.highlight);
  const unit = Math.max(0.5, Math.min(innerW, innerH) / 400);

  const edgeLine = (e: number): string => {
    const [a, b] = [source[e], target[e]];
    const colour = weight[e] < 0 ? EDGE_COLOURS.negative : EDGE_COLOURS.positive;
    const opacity = lit === undefined ? 0.6 : lit.has(e) ? 0.95 : 0.08;
    return (
      `<line x1="${round(px(a))}" y1="${round(py(a))}" x2="${round(px(b))}" y2="${round(py(b))}" ` +
      `stroke="${colour}" stroke-opacity="${opacity}" stroke-width="${round(edgeSize(maxW > 0 ? Math.abs(weight[e]) / maxW : 0, unit))}"/>`
    );
  };
  const parts: string[] = [
    `<?xml version="1.0" encoding="UTF-8"?>`,
    // The page's exact size, as plotly writes it: a PNG is rasterized at this size × DPI.
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="${escapeXml(fontFamily)}" font-size="${round(fontPx)}">`,
    `<title>${escapeXml(spec.meta.title)}</title>`,
    `<rect width="100%" height="100%" fill="${escapeXml(background)}"/>`,
    `<g class="edges" stroke-linecap="round">`
  ];
  // Highlighted edges last, so they are drawn over the dimmed rest.
  for (let e = 0; e < source.length; e++) if (lit === undefined || !lit.has(e)) parts.push(edgeLine(e));
  if (lit !== undefined)
    for (const e of [...lit].sort((x, y) => x - y)) if (e < source.length) parts.push(edgeLine(e));
  parts.push(
    `</g>`,
    `<g class="nodes" stroke="${escapeXml(background)}" stroke-width="${round(unit * 0.5)}">`
  );
  for (let k = 0; k < n; k++) {
    const t = maxS > 0 ? spec.nodes.strength[k] / maxS : 0;
    parts.push(
      `<circle cx="${round(px(k))}" cy="${round(py(k))}" r="${round(nodeSize(t, unit * 1.5))}" fill="${strengthColour(t)}"/>`
    );
  }
  parts.push(`</g>`);
  titleLines.forEach((line, k) => {
    const y = pad + titlePx * (0.9 + k * LINE_HEIGHT);
    parts.push(
      `<text x="${round(pad + indent)}" y="${round(y)}" fill="${escapeXml(foreground)}" font-size="${round(titlePx)}">${escapeXml(line)}</text>`
    );
  });
  if (layered) {
    // Under its column: the x of the layer's first node (a layer without live neurons has no column).
    const columnX = new Map<number, number>();
    for (let k = 0; k < n; k++)
      if (!columnX.has(spec.nodes.layer[k])) columnX.set(spec.nodes.layer[k], px(k));
    spec.layers.forEach((layer, k) => {
      const column = columnX.get(k);
      if (column === undefined) return;
      // Centred under the column, but never past the page's edges.
      const half = nameWidths[k] / 2;
      const x = Math.min(Math.max(column, pad + half), width - pad - half);
      const row = staggered ? nameRows - 1 - (k % 2) : 0;
      const y = height - pad - fontPx * 0.25 - row * fontPx * LINE_HEIGHT;
      parts.push(
        `<text x="${round(x)}" y="${round(y)}" text-anchor="middle" fill="${escapeXml(foreground)}">${escapeXml(layer.name)}</text>`
      );
    });
  }
  parts.push(`</svg>`);
  return parts.join('\n');
}
