/**
 * The plotly layout of a figure drawn for a paper, fitted to the page: the preset's size and font, text
 * never smaller than the journal's minimum, margins from the measured text, long titles, notes and axis
 * titles wrapped onto lines that fit, and the legend at the right only when it fits there (below the plot
 * otherwise). Pure: text is measured by a function the renderer passes in (a canvas in the browser), so the
 * same code lays out the lab's and the kernel's exports. The renderer then draws the layout, measures what
 * plotly placed and applies {@link refineLayout}.
 */
import type { JsonObject, JsonValue } from '../figures/spec';
import { PALETTE } from '../figures/spec';
import { ExportRenderOptions, PAPER_COLOURS, ptToPx } from './preset';

/** Width in CSS pixels of one line of text at a font size in pixels. */
export type MeasureText = (text: string, sizePx: number) => number;

/** A rough width (0.55 em per character), for layouts made without a browser. */
export const approximateTextWidth: MeasureText = (text, sizePx) => 0.55 * sizePx * plainText(text).length;

/** Line height of wrapped text, in ems (plotly's own spacing of `<br>` lines). */
export const LINE_HEIGHT = 1.3;

/** Text without plotly's inline HTML tags and entities (for measuring). */
export function plainText(text: string): string {
  return text
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&nbsp;/g, ' ');
}

/**
 * Breaks text into lines no wider than `width` (at word boundaries; a word longer than a line stays whole
 * on its own line, and is then the widest line). Existing `<br>` breaks are kept.
 *
 * @returns the lines, without `<br>`.
 * @example
 * ```ts
 * wrapText('null: random pruning, 200 samples', 60, 10, approximateTextWidth);
 * ```
 */
export function wrapText(text: string, width: number, sizePx: number, measure: MeasureText): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/<br\s*\/?>/i)) {
    const words = paragraph.split(/ +/).filter(w => w !== '');
    let line = '';
    for (const word of words) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (line !== '' && measure(plainText(candidate), sizePx) > width) {
        lines.push(line);
        line = word;
      } else {
        line = candidate;
      }
    }
    lines.push(line);
  }
  return lines;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Axis keys of a cartesian layout: `xaxis`, `yaxis`, `xaxis2`, … */
const AXIS_KEY = /^[xy]axis\d*$/;

function titleText(title: JsonValue | undefined): string {
  if (typeof title === 'string') return title;
  return isObject(title) && typeof title.text === 'string' ? title.text : '';
}

/** Keys of plotly font objects, in layouts and traces (bar labels, heatmap cell text, ticks, legends). */
const FONT_KEYS = new Set(['font', 'textfont', 'tickfont', 'insidetextfont', 'outsidetextfont', 'hoverfont']);

/** A copy of `value` with every font size multiplied by `factor` and raised to `min`. */
function scaleFontSizes(value: JsonObject, factor: number, min: number): JsonObject {
  const walk = (item: JsonValue): JsonValue => {
    if (Array.isArray(item)) return item.map(walk);
    if (!isObject(item)) return item;
    const out: JsonObject = {};
    for (const [key, child] of Object.entries(item)) {
      out[key] =
        FONT_KEYS.has(key) && isObject(child) && typeof child.size === 'number'
          ? { ...child, size: Math.max(min, child.size * factor) }
          : walk(child);
    }
    return out;
  };
  return walk(value) as JsonObject;
}

/** Whether an annotation sits above the plot (a note such as {@link cornerNote}). */
function isTopNote(a: JsonValue): a is JsonObject {
  return isObject(a) && a.xref === 'paper' && a.yref === 'paper' && typeof a.y === 'number' && a.y >= 1;
}

/** A legend in rows below the plot, from the page's bottom-left corner (its title above the rows). */
function belowPlot(
  legend: JsonObject,
  page: { pad: number; W: number; H: number; base: number }
): JsonObject {
  const legendTitle = titleText(legend.title);
  return {
    ...legend,
    orientation: 'h',
    xref: 'container',
    yref: 'container',
    x: page.pad / page.W,
    xanchor: 'left',
    y: page.pad / page.H,
    yanchor: 'bottom',
    font: { size: page.base },
    ...(legendTitle === '' ? {} : { title: { text: legendTitle, side: 'top center' } })
  };
}

/** Sizes the layout was fitted with, kept in `layout.meta.nnmotifsFit` for {@link refineLayout}. */
export interface FitState {
  /** Base font size in px. */
  base: number;
  /** Smallest font size in px. */
  min: number;
  /** Padding at the page edges in px. */
  pad: number;
  /** Height of the title block in px (0 without a title). */
  titleHeight: number;
  /** Height of the notes above the plot in px. */
  noteHeight: number;
  /** Whether the legend was moved below the plot. */
  legendBelow: boolean;
  /** The axis titles before wrapping, by axis key (wrapped again to the drawn plot's size). */
  axisTitles: Record<string, string>;
  /** The notes above the plot before wrapping, by annotation index (wrapped again to the drawn plot). */
  notes?: Record<string, string>;
  /** Category axes whose one-word-per-line labels were crowded and went back to one line each. */
  unwrapped?: string[];
}

/**
 * The publication layout of a figure, fitted to the page (see the module comment).
 *
 * @param layout - the figure's layout (not modified).
 * @param data - the figure's traces (for the legend's width).
 * @param options - size, font and background, from {@link exportRenderOptions}.
 * @param measure - text width in px; the browser renderer measures with the embedded font.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const fig = nm.figures.nodeStrengthFigure([new Float64Array([0.1, 0.4, 0.2])]);
 * const options = nm.render.exportRenderOptions(nm.render.DEFAULT_EXPORT_PRESET);
 * const layout = nm.render.publicationLayout(fig.layout, fig.data, options);
 * ```
 */
export function publicationLayout(
  layout: JsonObject,
  data: readonly JsonObject[],
  options: ExportRenderOptions,
  measure: MeasureText = approximateTextWidth
): JsonObject {
  const base = ptToPx(options.fontSize);
  const min = ptToPx(options.minFontSize ?? Math.min(options.fontSize, 5));
  const W = options.widthPx;
  const H = options.heightPx;
  const pad = Math.max(3, Math.round(0.4 * base));
  const font = isObject(layout.font) ? layout.font : {};
  // Sizes in the payload are relative to its own base (plotly's default 12 px when unset).
  const payloadBase = typeof font.size === 'number' && font.size > 0 ? font.size : 12;
  const { margin: _screenMargin, title: rawTitle, ...rest } = scaleFontSizes(layout, base / payloadBase, min);
  const out: JsonObject = {
    colorway: [...PALETTE],
    ...rest,
    width: W,
    height: H,
    autosize: false,
    paper_bgcolor: options.background,
    plot_bgcolor: options.background,
    font: { ...font, family: options.fontFamily, color: PAPER_COLOURS.text, size: base }
  };

  // Title: top left, wrapped to the page width.
  const titleSize = Math.max(min, Math.round(base * 1.15 * 10) / 10);
  const title = titleText(rawTitle);
  let titleHeight = 0;
  const indent = options.titleIndentPx ?? 0;
  if (title !== '') {
    const lines = wrapText(title, W - 2 * pad - indent, titleSize, measure);
    titleHeight = lines.length * titleSize * LINE_HEIGHT;
    out.title = {
      text: lines.join('<br>'),
      font: { size: titleSize },
      xref: 'container',
      yref: 'container',
      x: (pad + indent) / W,
      xanchor: 'left',
      // plotly anchors a one-line title's top at y, but places the first of several lines with its
      // baseline there: move that baseline down by the ascent.
      y: 1 - (pad + (lines.length > 1 ? 0.8 * titleSize : 0)) / H,
      yanchor: 'top',
      pad: { t: 0, b: 0, l: 0, r: 0 },
      automargin: false
    };
  }

  // Legend: at the right when its widest entry takes at most a quarter of the page, else below the plot.
  const legendEntries = data.filter(t => t.showlegend !== false && typeof t.name === 'string');
  const showLegend = out.showlegend === true || (out.showlegend !== false && legendEntries.length > 1);
  const legend = isObject(out.legend) ? out.legend : {};
  const legendTitle = titleText(legend.title);
  const widest = Math.max(
    0,
    // plotly draws an entry's symbol in 40 px and pads it: about 50 px besides the text at any font size
    ...legendEntries.map(t => measure(plainText(String(t.name)), base) + 50),
    measure(plainText(legendTitle), base)
  );
  const legendBelow = showLegend && widest > 0.25 * W;
  if (showLegend) {
    out.legend = legendBelow ? belowPlot(legend, { pad, W, H, base }) : { ...legend, font: { size: base } };
  }

  // Notes above the plot: wrapped to the page width, stacked upwards from the plot's top edge.
  const r = Math.round(1.5 * base);
  let noteHeight = 0;
  const noteTexts: Record<string, string> = {};
  if (Array.isArray(out.annotations)) {
    const notes = out.annotations.filter(isTopNote);
    out.annotations = out.annotations.map((a, i) => {
      if (!isTopNote(a)) return a;
      noteTexts[String(i)] = String(a.text ?? '');
      const size = isObject(a.font) && typeof a.font.size === 'number' ? Math.max(min, a.font.size) : base;
      const lines = wrapText(String(a.text ?? ''), W - pad - r, size, measure);
      // Above the top y tick label, which reaches half a line over the plot.
      const shift = Math.round(0.75 * base) + noteHeight;
      noteHeight += lines.length * size * LINE_HEIGHT;
      return {
        ...a,
        text: lines.join('<br>'),
        font: { ...(isObject(a.font) ? a.font : {}), size },
        y: 1,
        yanchor: 'bottom',
        yshift: shift,
        align: a.xanchor === 'right' ? 'right' : 'left'
      };
    });
    if (notes.length > 0) noteHeight += Math.round(0.75 * base);
  }

  const t = Math.ceil(pad + titleHeight + (titleHeight > 0 ? 0.5 * base : 0) + noteHeight + 0.6 * base);
  const b = Math.ceil(pad + base);
  const l = Math.ceil(pad + base);
  out.margin = { t, r, b, l, pad: 0, autoexpand: true };

  // Axis titles wrapped to the plot's extent; every axis grows its margin to fit its text.
  const plotWidth = W - l - r - 3 * base;
  const plotHeight = H - t - b - 3 * base;
  const axisTitles: Record<string, string> = {};
  for (const [key, axis] of Object.entries(out)) {
    if (!AXIS_KEY.test(key) || !isObject(axis)) continue;
    const axisTitle = titleText(axis.title);
    const size = base;
    const fitted: JsonObject = {
      ...axis,
      automargin: true,
      gridcolor: PAPER_COLOURS.grid,
      linecolor: PAPER_COLOURS.line,
      zerolinecolor: PAPER_COLOURS.line,
      tickfont: { ...(isObject(axis.tickfont) ? axis.tickfont : {}), size: base },
      // Horizontal first (a builder's slant included); crowded labels are wrapped, then turned upright by
      // refineLayout (never slanted: slanted text is read back from a PDF in fragments).
      ...(key.startsWith('x') && !(axis.tickangle === 90 || axis.tickangle === -90) ? { tickangle: 0 } : {})
    };
    if (axisTitle !== '') {
      axisTitles[key] = axisTitle;
      const extent = key.startsWith('x') ? plotWidth : plotHeight;
      const lines = wrapText(axisTitle, Math.max(extent, 4 * base), size, measure);
      fitted.title = {
        ...(isObject(axis.title) ? axis.title : {}),
        text: lines.join('<br>'),
        font: { size },
        standoff: Math.round(0.6 * base)
      };
    }
    out[key] = fitted;
  }
  // Labels outside the bars (significance stars) need room inside the plot: pad the value range.
  const yaxis = isObject(out.yaxis) ? out.yaxis : null;
  const labelled = data.filter(t => t.type === 'bar' && t.textposition === 'outside' && Array.isArray(t.y));
  if (yaxis !== null && labelled.length > 0 && yaxis.type !== 'log' && yaxis.range === undefined) {
    const values = labelled.flatMap(t =>
      (t.y as JsonValue[]).filter((v): v is number => typeof v === 'number')
    );
    const lo = Math.min(0, ...values);
    const hi = Math.max(0, ...values);
    const span = hi - lo || 1;
    out.yaxis = { ...yaxis, range: [lo < 0 ? lo - 0.18 * span : lo, hi > 0 ? hi + 0.18 * span : hi] };
  }
  out.meta = {
    ...(isObject(out.meta) ? out.meta : {}),
    nnmotifsFit: {
      base,
      min,
      pad,
      titleHeight,
      noteHeight,
      legendBelow,
      axisTitles,
      notes: noteTexts
    } as unknown as JsonObject
  };
  return out;
}

/** What the renderer measured in a drawing of a fitted layout, in px from the page's top-left corner. */
export interface DrawnLayout {
  /** Bottom edge of the title (0 without one). */
  titleBottom: number;
  /** Height of the legend (0 without one). */
  legendHeight: number;
  /** Plot area after plotly's automatic margins: margins and the plot's width and height. */
  plot: { l: number; r: number; t: number; b: number; w: number; h: number };
  /** Top edge of the highest note above the plot, if any. */
  notesTop: number | null;
  /** Axes whose neighbouring tick labels overlap or nearly touch (by axis key). */
  crowdedTicks: readonly string[];
  /** Category axes (by key) and their categories as drawn, for wrapping crowded labels. */
  categories?: Readonly<Record<string, readonly string[]>>;
  /** Category axes (by key) on which plotly left some categories without a label. */
  thinnedCategories?: readonly string[];
  /** Log axes (by key) and their drawn range in decades (log10 of the ends), for thinning their ticks. */
  logRanges?: Readonly<Record<string, readonly [number, number]>>;
  /** Axes with tick labels drawn under the smallest font size (a log axis's small 2 and 5 labels). */
  smallTicks?: readonly string[];
  /** Axes with tick labels reaching past the page's edge. */
  overflowingTicks?: readonly string[];
  /** Axes whose title overlaps their tick labels. */
  titleClashes?: readonly string[];
}

/**
 * The words of a category label for one word per line, a lone sign kept with its number: `≤ 80 %` stays one
 * word, `2nd-order chain` is two.
 */
export function labelWords(label: string): string[] {
  const words: string[] = [];
  let lead = '';
  for (const word of label.trim().split(/\s+/)) {
    if (word === '') continue;
    const sign = !/[\p{L}\p{N}]/u.test(word);
    if (sign && words.length === 0) lead = `${lead}${word} `;
    else if (sign) words[words.length - 1] += ` ${word}`;
    else {
      words.push(`${lead}${word}`);
      lead = '';
    }
  }
  if (lead !== '') words.push(lead.trim());
  return words;
}

/** How many decades a log axis over `range` (log10 of its ends) labels at every `dtick`-th decade. */
function labelledDecades(range: readonly [number, number], dtick: number): number {
  const [lo, hi] = range[0] <= range[1] ? range : [range[1], range[0]];
  let n = 0;
  for (let k = Math.ceil(lo - 1e-9); k <= hi + 1e-9; k++) if (k % dtick === 0) n++;
  return n;
}

/**
 * The layout corrected from a drawing of it: the top margin from the measured title and notes, room at the
 * bottom for a legend moved below the plot, and tick labels that overlapped rotated (then thinned).
 *
 * @returns the corrected layout, or `null` when the drawing needs no change.
 */
export function refineLayout(
  layout: JsonObject,
  drawn: DrawnLayout,
  measure: MeasureText = approximateTextWidth
): JsonObject | null {
  const meta = isObject(layout.meta) ? layout.meta : {};
  const fit = (isObject(meta.nnmotifsFit) ? meta.nnmotifsFit : {}) as unknown as FitState;
  const margin = isObject(layout.margin) ? layout.margin : {};
  const base = fit.base ?? 10;
  let changed = false;
  const out: JsonObject = { ...layout };
  const nextMargin: JsonObject = { ...margin };
  // Below the title: the notes (with a small gap) and the plot (whose top y tick label reaches half a
  // line above it).
  if (drawn.titleBottom > 0) {
    const notesOverlap = drawn.notesTop === null ? 0 : drawn.titleBottom + 0.3 * base - drawn.notesTop;
    const plotOverlap = drawn.titleBottom + 0.9 * base - drawn.plot.t;
    const push = Math.max(notesOverlap, plotOverlap);
    if (push > 0.5) {
      nextMargin.t = Math.ceil(Number(margin.t ?? 0) + push);
      changed = true;
    }
  } else if (drawn.notesTop !== null && drawn.notesTop < (fit.pad ?? 3)) {
    // Without a title the notes must stay below the page's top edge.
    nextMargin.t = Math.ceil(Number(margin.t ?? 0) + (fit.pad ?? 3) - drawn.notesTop);
    changed = true;
  }
  // Axis titles wrapped again to the plot's drawn size (the first wrap could only estimate it).
  for (const [key, original] of Object.entries(fit.axisTitles ?? {})) {
    const axis = isObject(layout[key]) ? (layout[key] as JsonObject) : null;
    const axisTitle = axis !== null && isObject(axis.title) ? axis.title : null;
    if (axis === null || axisTitle === null) continue;
    const size =
      isObject(axisTitle.font) && typeof axisTitle.font.size === 'number' ? axisTitle.font.size : base;
    // A little short of the plot: the plot shrinks when the title takes another line.
    const extent = 0.92 * (key.startsWith('x') ? drawn.plot.w : drawn.plot.h);
    const text = wrapText(original, Math.max(extent, 3 * base), size, measure).join('<br>');
    if (text !== axisTitle.text) {
      out[key] = { ...axis, title: { ...axisTitle, text } };
      changed = true;
    }
  }
  // Notes above the plot wrapped again to the drawn plot: a note at its right edge (x = 1) has the room
  // left of that edge, one at its left edge the room right of it; stacked again from the plot's top.
  if (Array.isArray(layout.annotations) && fit.notes !== undefined) {
    const W = typeof layout.width === 'number' ? layout.width : drawn.plot.l + drawn.plot.w + drawn.plot.r;
    const pad = fit.pad ?? 3;
    let stacked = Math.round(0.75 * base);
    let rewrapped = false;
    const annotations = layout.annotations.map((a, i) => {
      const original = fit.notes?.[String(i)];
      if (original === undefined || !isObject(a)) return a;
      const size = isObject(a.font) && typeof a.font.size === 'number' ? a.font.size : base;
      const x = typeof a.x === 'number' ? a.x : 0;
      const at = drawn.plot.l + x * drawn.plot.w;
      const room =
        a.xanchor === 'right'
          ? at - pad
          : a.xanchor === 'left'
            ? W - at - pad
            : 2 * Math.min(at, W - at) - 2 * pad;
      const lines = wrapText(original, Math.max(room, 4 * base), size, measure);
      const text = lines.join('<br>');
      const next = { ...a, text, yshift: stacked };
      stacked += lines.length * size * LINE_HEIGHT;
      if (text !== a.text || a.yshift !== next.yshift) rewrapped = true;
      return next;
    });
    if (rewrapped) {
      out.annotations = annotations;
      changed = true;
    }
  }
  // A legend at the right that leaves the plot less than 45 % of the page moves below it.
  let legendBelow = fit.legendBelow ?? false;
  if (
    !legendBelow &&
    drawn.legendHeight > 0 &&
    isObject(layout.legend) &&
    drawn.plot.w < 0.45 * Number(layout.width)
  ) {
    out.legend = belowPlot(layout.legend, {
      pad: fit.pad ?? 3,
      W: Number(layout.width),
      H: Number(layout.height),
      base
    });
    legendBelow = true;
    changed = true;
  }
  for (const key of drawn.smallTicks ?? []) {
    const axis = isObject(out[key]) ? (out[key] as JsonObject) : {};
    // A log axis labels 2 and 5 between decades in a smaller font: label the decades only.
    if (axis.type === 'log' && axis.dtick !== 1) {
      out[key] = { ...axis, dtick: 1 };
      changed = true;
    }
  }
  for (const key of drawn.titleClashes ?? []) {
    const axis = isObject(out[key]) ? (out[key] as JsonObject) : {};
    const title = isObject(axis.title) ? axis.title : null;
    if (title === null) continue;
    const standoff = typeof title.standoff === 'number' ? title.standoff : 0;
    if (standoff > 6 * base) continue;
    out[key] = { ...axis, title: { ...title, standoff: standoff + Math.round(0.6 * base) } };
    changed = true;
  }
  // Category axes whose labels plotly thinned (it labels every n-th category when it judges them
  // crowded) label every category; the steps below make them fit.
  for (const key of drawn.thinnedCategories ?? []) {
    const axis = isObject(out[key]) ? (out[key] as JsonObject) : {};
    const categories = drawn.categories?.[key];
    if (categories === undefined || axis.tickmode === 'array') continue;
    out[key] = { ...axis, tickmode: 'array', tickvals: [...categories] };
    changed = true;
  }
  // Category axes turned back from one word per line to one line each (never wrapped again).
  const unwrapped = new Set(fit.unwrapped ?? []);
  const overflowing = new Set(drawn.overflowingTicks ?? []);
  const crowded = new Set(drawn.crowdedTicks);
  for (const key of new Set([...crowded, ...overflowing])) {
    const axis = isObject(out[key]) ? (out[key] as JsonObject) : {};
    const angle = axis.tickangle;
    const categories = drawn.categories?.[key];
    const tickfont = isObject(axis.tickfont) ? axis.tickfont : {};
    const atMin = !(typeof tickfont.size === 'number' && tickfont.size > (fit.min ?? 0) + 0.01);
    const wrapped = (c: string): string => labelWords(c).join('<br>');
    if (axis.type === 'log' && crowded.has(key)) {
      // A log axis thins out by decades: every decade, then every second, then every third, but never
      // down to fewer than two labelled decades (one label cannot tell the scale).
      const dtick = typeof axis.dtick === 'number' ? axis.dtick + 1 : 1;
      const range = drawn.logRanges?.[key];
      if (dtick > 3 || (dtick > 1 && range !== undefined && labelledDecades(range, dtick) < 2)) continue;
      out[key] = { ...axis, dtick };
    } else if (key.startsWith('y')) {
      if (!crowded.has(key)) continue;
      // Vertical neighbours: fewer ticks.
      const nticks = typeof axis.nticks === 'number' && axis.nticks > 0 ? axis.nticks : 6;
      if (nticks <= 2) continue;
      out[key] = { ...axis, nticks: Math.max(2, nticks - 2) };
    } else if (categories !== undefined) {
      const multiword = categories.some(c => /\s/.test(c));
      // Every category keeps its label: `tickvals` lists them all, so plotly never drops every other one.
      const listed: JsonObject = { ...axis, tickmode: 'array', tickvals: [...categories] };
      const { ticktext: _text, ...plain } = listed;
      const wrap = { tickmode: 'array', tickvals: [...categories], ticktext: categories.map(wrapped) };
      if (angle !== -90 && axis.ticktext === undefined && multiword) {
        // 1. one word per line, still horizontal
        out[key] = { ...axis, ...wrap };
      } else if (angle !== -90) {
        // 2. upright: a turned label needs only a line's height of the axis; one line each, unless the
        // longest label would take more than a fifth of the page's height (then one word per line)
        const height = typeof layout.height === 'number' ? layout.height : Infinity;
        const size = typeof tickfont.size === 'number' ? tickfont.size : base;
        const long = multiword && Math.max(...categories.map(c => measure(c, size))) > 0.2 * height;
        out[key] = long ? { ...axis, ...wrap, tickangle: -90 } : { ...plain, tickangle: -90 };
      } else if (!atMin) {
        // 3. upright at the journal's smallest size
        out[key] = { ...axis, tickfont: { ...tickfont, size: fit.min } };
      } else if (overflowing.has(key) && axis.ticktext === undefined && multiword && !unwrapped.has(key)) {
        // 4. upright and one word per line: shorter, when the page is too low for whole labels
        out[key] = { ...axis, ...wrap };
      } else if (crowded.has(key) && axis.ticktext !== undefined && !unwrapped.has(key)) {
        // 5. upright, one line each after all: narrower than several lines side by side
        out[key] = { ...plain, tickangle: -90 };
        unwrapped.add(key);
      } else {
        continue;
      }
    } else if (!crowded.has(key)) {
      continue;
    } else if (angle !== -90) {
      out[key] = { ...axis, tickangle: -90 };
    } else {
      const nticks = typeof axis.nticks === 'number' && axis.nticks > 0 ? axis.nticks : 8;
      if (nticks <= 2) continue;
      out[key] = { ...axis, nticks: Math.max(2, Math.floor(nticks / 2)) };
    }
    changed = true;
  }
  if (!changed) return null;
  out.margin = nextMargin;
  if (unwrapped.size > (fit.unwrapped ?? []).length || legendBelow !== (fit.legendBelow ?? false)) {
    out.meta = {
      ...meta,
      nnmotifsFit: { ...fit, unwrapped: [...unwrapped], legendBelow } as unknown as JsonObject
    };
  }
  return out;
}
