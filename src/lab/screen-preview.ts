/**
 * The screen preview of a heavy figure: a validated spec whose point traces hold more than
 * {@link SCREEN_MAX_POINTS} points is drawn on screen with every k-th point only, and one whose bar traces
 * hold more than {@link SCREEN_MAX_BARS} bars with the tallest bar of every k consecutive ones, so plotly's
 * work on JupyterLab's main thread stays bounded (a million WebGL points froze the tab for tens of seconds;
 * 10,000 SVG bars for 4.5–9.3 s on a loaded machine). The full spec is kept for export, which draws every
 * point and bar. DOM-free, so it runs under Node in the unit tests.
 */
import type { FigureSpec, JsonObject, JsonValue } from '../figures/spec';
import { DTYPE_BYTES } from './payload';

/** Most points of thinnable traces drawn on screen, all traces together. */
export const SCREEN_MAX_POINTS = 100_000;

/** Point traces of at most this many points are never thinned. */
export const SMALL_TRACE_POINTS = 1000;

/**
 * Most bars drawn on screen, all bar traces together. Each bar is an SVG path plotly lays out and styles
 * on the main thread (about 0.5 ms a bar on a loaded 2-core machine): 2000 bars take about a second.
 */
export const SCREEN_MAX_BARS = 2000;

/** Bar traces of at most this many bars are never grouped. */
export const SMALL_TRACE_BARS = 100;

/**
 * Trace types whose points can be thinned for a preview without changing what the figure says: point and
 * line clouds. Bars, boxes, heatmaps and the like are drawn whole (their budget is checked by the payload
 * validator).
 */
const THINNABLE_TYPES: ReadonlySet<string> = new Set([
  'scatter',
  'scattergl',
  'scatterpolar',
  'scatterpolargl',
  'scatter3d',
  'scatterternary',
  'scattercarpet'
]);

/** Attributes of a trace (and of its `marker`, `line`, `error_x`, … objects) that may hold one value per point. */
const NESTED_PER_POINT = new Set([
  'marker',
  'line',
  'error_x',
  'error_y',
  'error_z',
  'textfont',
  'hoverlabel'
]);

/** A screen preview: the spec to draw and how many points it keeps of how many. */
export interface ScreenPreview {
  /** The spec to draw on screen: the spec itself when nothing was thinned. */
  readonly spec: FigureSpec;
  /** Points of thinnable traces kept on screen. */
  readonly shown: number;
  /** Points of thinnable traces in the payload. */
  readonly total: number;
  /** Every `stride`-th point is kept (1: none dropped). */
  readonly stride: number;
  /** Bars of bar traces kept on screen, of how many; the tallest of every `stride` consecutive bars is kept. */
  readonly bars: { readonly shown: number; readonly total: number; readonly stride: number };
}

/** Length of a per-point array: a JSON array or plotly's `{dtype, bdata}` typed array. */
function arrayLength(value: JsonValue | undefined): number {
  if (Array.isArray(value)) return value.length;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const { dtype, bdata } = value;
    if (typeof dtype === 'string' && typeof bdata === 'string') {
      const bytes = DTYPE_BYTES.get(dtype);
      if (bytes !== undefined) return Math.floor(base64Length(bdata) / bytes);
    }
  }
  return 0;
}

function base64Length(text: string): number {
  const clean = text.replace(/[^A-Za-z0-9+/]/g, '');
  return Math.floor((clean.length * 3) / 4);
}

/** The points of a trace: its longest per-point array. */
function tracePoints(trace: JsonObject): number {
  let n = 0;
  for (const [key, value] of Object.entries(trace)) {
    n = Math.max(n, arrayLength(value));
    if (NESTED_PER_POINT.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const inner of Object.values(value)) n = Math.max(n, arrayLength(inner));
    }
  }
  return n;
}

/** The bytes of plotly's `{dtype, bdata}` typed array of `n` elements, or `undefined` for anything else. */
function typedBytes(
  value: JsonValue,
  n: number
): { bytes: Uint8Array; size: number; dtype: string } | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
  const { dtype, bdata } = value;
  if (typeof dtype !== 'string' || typeof bdata !== 'string') return undefined;
  const size = DTYPE_BYTES.get(dtype);
  if (size === undefined || arrayLength(value) !== n) return undefined;
  const binary = atob(bdata.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return { bytes, size, dtype };
}

/** The elements at `indices` of a per-point array of length `n` (other values are returned as they are). */
function pickValue(value: JsonValue, n: number, indices: readonly number[]): JsonValue {
  if (Array.isArray(value)) {
    if (value.length !== n) return value;
    return indices.map(i => value[i]);
  }
  const typed = typedBytes(value, n);
  if (typed === undefined) return value;
  const { bytes, size } = typed;
  const kept = new Uint8Array(indices.length * size);
  indices.forEach((i, at) => kept.set(bytes.subarray(i * size, (i + 1) * size), at * size));
  let text = '';
  for (let i = 0; i < kept.length; i += 0x8000) {
    text += String.fromCharCode(...kept.subarray(i, Math.min(i + 0x8000, kept.length)));
  }
  return { ...(value as JsonObject), bdata: btoa(text) };
}

/** The numbers of a per-point array of length `n` (plain or typed), `undefined` if it is neither. */
function numbersOf(value: JsonValue | undefined, n: number): ArrayLike<number> | undefined {
  if (Array.isArray(value)) {
    return value.length === n
      ? value.map(v => (typeof v === 'number' && Number.isFinite(v) ? v : 0))
      : undefined;
  }
  if (value === undefined) return undefined;
  const typed = typedBytes(value, n);
  if (typed === undefined) return undefined;
  const { bytes, size, dtype } = typed;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = new Map<string, (at: number) => number>([
    ['i1', at => view.getInt8(at)],
    ['u1', at => view.getUint8(at)],
    ['u1c', at => view.getUint8(at)],
    ['i2', at => view.getInt16(at, true)],
    ['u2', at => view.getUint16(at, true)],
    ['i4', at => view.getInt32(at, true)],
    ['u4', at => view.getUint32(at, true)],
    ['f4', at => view.getFloat32(at, true)],
    ['f8', at => view.getFloat64(at, true)]
  ]).get(dtype);
  if (read === undefined) return undefined;
  return Array.from({ length: n }, (_, i) => read(i * size));
}

/** Traces drawn on cartesian x/y axes, whose positions default to `x0 + i·dx` (or `y0 + i·dy`). */
const CARTESIAN_TYPES: ReadonlySet<string> = new Set(['scatter', 'scattergl', 'bar']);

/**
 * The trace with the elements at `indices` of each of its per-point arrays of length `n`. A cartesian trace
 * that gave only values (positions by index) gets its positions spelled out, so the axis keeps its range.
 */
function pickTrace(trace: JsonObject, n: number, indices: readonly number[]): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(trace)) {
    if (NESTED_PER_POINT.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner: JsonObject = {};
      for (const [k, v] of Object.entries(value)) inner[k] = pickValue(v, n, indices);
      out[key] = inner;
    } else out[key] = pickValue(value, n, indices);
  }
  if (CARTESIAN_TYPES.has(typeof trace.type === 'string' ? trace.type : 'scatter')) {
    for (const [axis, other] of [
      ['x', 'y'],
      ['y', 'x']
    ] as const) {
      if (trace[axis] === undefined && arrayLength(trace[other]) === n) {
        const start = typeof trace[`${axis}0`] === 'number' ? (trace[`${axis}0`] as number) : 0;
        const step = typeof trace[`d${axis}`] === 'number' ? (trace[`d${axis}`] as number) : 1;
        out[axis] = indices.map(i => start + i * step);
      }
    }
  }
  // Point selections refer to indices of the full trace: they no longer apply.
  delete out.selectedpoints;
  return out;
}

/** Every `stride`-th index below `n`. */
function everyKth(n: number, stride: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i += stride) out.push(i);
  return out;
}

/**
 * The index of the bar of largest magnitude in every `stride` consecutive bars (the first of ties; every
 * `stride`-th bar when the values are not an array of numbers). A bar's value is `y`, or `x` for
 * horizontal bars.
 */
function tallestOfGroups(trace: JsonObject, n: number, stride: number): number[] {
  const values = numbersOf(trace.orientation === 'h' ? trace.x : trace.y, n);
  if (values === undefined) return everyKth(n, stride);
  const out: number[] = [];
  for (let start = 0; start < n; start += stride) {
    let best = start;
    for (let i = start + 1; i < Math.min(start + stride, n); i++)
      if (Math.abs(values[i]) > Math.abs(values[best])) best = i;
    out.push(best);
  }
  return out;
}

/**
 * The smallest stride that brings the large traces (over `small` items) to at most what `maxItems` leaves
 * after the small ones, and how many items that keeps.
 */
function strideFor(
  counts: readonly number[],
  maxItems: number,
  smallTrace: number
): { stride: number; shown: number } {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= maxItems) return { stride: 1, shown: total };
  // Small traces (a reference line, a few labelled points) stay whole; the large ones share what is left.
  const small = counts.reduce((sum, n) => sum + (n <= smallTrace ? n : 0), 0);
  const budget = Math.max(maxItems - small, Math.floor(maxItems / 10));
  const keptWith = (s: number): number =>
    counts.reduce((sum, n) => sum + (n > smallTrace ? Math.ceil(n / s) : 0), 0);
  let stride = Math.max(2, Math.ceil((total - small) / budget));
  while (keptWith(stride) > budget) stride++;
  return { stride, shown: small + keptWith(stride) };
}

const typeOf = (trace: JsonObject): string => (typeof trace.type === 'string' ? trace.type : 'scatter');

/**
 * The spec to draw on screen. When the point traces (scatter, scattergl, polar, 3-D, …) hold more than
 * `maxPoints` points together, each of them with more than {@link SMALL_TRACE_POINTS} points keeps every
 * `stride`-th point, the smallest stride that brings the total to at most `maxPoints`; every per-point array of such a trace (`x`, `y`, `text`,
 * `marker.color`, `customdata`, plotly's `{dtype, bdata}` arrays, …) is thinned alike. Bar traces holding
 * more than {@link SCREEN_MAX_BARS} bars together are grouped the same way: each bar trace over
 * {@link SMALL_TRACE_BARS} bars keeps, of every `bars.stride` consecutive bars, the one of largest
 * magnitude (peaks stay visible), at its own position. A thinned trace that gave only values gets its
 * positions spelled out. Other traces, the layout and `meta` are kept as they are. The payload's own spec
 * stays whole for export.
 *
 * @param spec - a spec returned by `validateFigurePayload` (validated and sanitized).
 * @param maxPoints - default {@link SCREEN_MAX_POINTS}.
 * @example
 * ```ts
 * const y = Array.from({ length: 1_000_000 }, (_, i) => i);
 * const spec = { version: 1 as const, data: [{ type: 'scattergl', y }], layout: {},
 *   meta: { kind: 'demo', title: 'Demo', exportName: 'demo', provenance: {} } };
 * const preview = screenPreview(spec);
 * // { shown: 100000, total: 1000000, stride: 10, bars: {…} }; preview.spec.data[0].y has 100 000 values
 * ```
 */
export function screenPreview(spec: FigureSpec, maxPoints: number = SCREEN_MAX_POINTS): ScreenPreview {
  const points = spec.data.map(trace => (THINNABLE_TYPES.has(typeOf(trace)) ? tracePoints(trace) : 0));
  const bars = spec.data.map(trace => (typeOf(trace) === 'bar' ? tracePoints(trace) : 0));
  const total = points.reduce((a, b) => a + b, 0);
  const barTotal = bars.reduce((a, b) => a + b, 0);
  const p = strideFor(points, maxPoints, SMALL_TRACE_POINTS);
  const b = strideFor(bars, SCREEN_MAX_BARS, SMALL_TRACE_BARS);
  const preview = {
    spec,
    shown: p.shown,
    total,
    stride: p.stride,
    bars: { shown: b.shown, total: barTotal, stride: b.stride }
  };
  if (p.stride === 1 && b.stride === 1) return preview;
  const data = spec.data.map((trace, k) => {
    if (p.stride > 1 && points[k] > SMALL_TRACE_POINTS)
      return pickTrace(trace, points[k], everyKth(points[k], p.stride));
    if (b.stride > 1 && bars[k] > SMALL_TRACE_BARS)
      return pickTrace(trace, bars[k], tallestOfGroups(trace, bars[k], b.stride));
    return trace;
  });
  return { ...preview, spec: { ...spec, data } };
}
