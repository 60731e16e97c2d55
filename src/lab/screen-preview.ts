/**
 * The screen preview of a heavy figure: a validated spec whose point traces hold more than
 * {@link SCREEN_MAX_POINTS} points is drawn on screen with every k-th point only, so plotly's work on
 * JupyterLab's main thread stays bounded (a million WebGL points froze the tab for tens of seconds). The
 * full spec is kept for export, which draws every point. DOM-free, so it runs under Node in the unit tests.
 */
import type { FigureSpec, JsonObject, JsonValue } from '../figures/spec';
import { DTYPE_BYTES } from './payload';

/** Most points of thinnable traces drawn on screen, all traces together. */
export const SCREEN_MAX_POINTS = 100_000;

/** Point traces of at most this many points are never thinned. */
export const SMALL_TRACE_POINTS = 1000;

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

/** Every `stride`-th element of a per-point array of length `n` (other values are returned as they are). */
function thinValue(value: JsonValue, n: number, stride: number): JsonValue {
  if (Array.isArray(value)) {
    if (value.length !== n) return value;
    const out: JsonValue[] = [];
    for (let i = 0; i < n; i += stride) out.push(value[i]);
    return out;
  }
  if (value === null || typeof value !== 'object') return value;
  const { dtype, bdata } = value;
  if (typeof dtype !== 'string' || typeof bdata !== 'string') return value;
  const size = DTYPE_BYTES.get(dtype);
  if (size === undefined || arrayLength(value) !== n) return value;
  const binary = atob(bdata.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const kept = new Uint8Array(Math.ceil(n / stride) * size);
  let at = 0;
  for (let i = 0; i < n; i += stride) {
    kept.set(bytes.subarray(i * size, (i + 1) * size), at);
    at += size;
  }
  let text = '';
  for (let i = 0; i < kept.length; i += 0x8000) {
    text += String.fromCharCode(...kept.subarray(i, Math.min(i + 0x8000, kept.length)));
  }
  return { ...value, bdata: btoa(text) };
}

function thinTrace(trace: JsonObject, n: number, stride: number): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(trace)) {
    if (NESTED_PER_POINT.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const inner: JsonObject = {};
      for (const [k, v] of Object.entries(value)) inner[k] = thinValue(v, n, stride);
      out[key] = inner;
    } else out[key] = thinValue(value, n, stride);
  }
  // Point selections refer to indices of the full trace: they no longer apply.
  delete out.selectedpoints;
  return out;
}

/**
 * The spec to draw on screen. When the point traces (scatter, scattergl, polar, 3-D, …) hold more than
 * `maxPoints` points together, each of them with more than {@link SMALL_TRACE_POINTS} points keeps every
 * `stride`-th point, the smallest stride that brings the total to at most `maxPoints`; every per-point array of such a trace (`x`, `y`, `text`,
 * `marker.color`, `customdata`, plotly's `{dtype, bdata}` arrays, …) is thinned alike. Other traces, the
 * layout and `meta` are kept as they are. The payload's own spec stays whole for export.
 *
 * @param spec - a spec returned by `validateFigurePayload` (validated and sanitized).
 * @param maxPoints - default {@link SCREEN_MAX_POINTS}.
 * @example
 * ```ts
 * const y = Array.from({ length: 1_000_000 }, (_, i) => i);
 * const spec = { version: 1 as const, data: [{ type: 'scattergl', y }], layout: {},
 *   meta: { kind: 'demo', title: 'Demo', exportName: 'demo', provenance: {} } };
 * const preview = screenPreview(spec);
 * // { shown: 100000, total: 1000000, stride: 10 }; preview.spec.data[0].y has 100 000 values
 * ```
 */
export function screenPreview(spec: FigureSpec, maxPoints: number = SCREEN_MAX_POINTS): ScreenPreview {
  const counts = spec.data.map(trace =>
    THINNABLE_TYPES.has(typeof trace.type === 'string' ? trace.type : 'scatter') ? tracePoints(trace) : 0
  );
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= maxPoints) return { spec, shown: total, total, stride: 1 };
  // Small traces (a reference line, a few labelled points) stay whole; the large ones share what is left.
  const small = counts.reduce((sum, n) => sum + (n <= SMALL_TRACE_POINTS ? n : 0), 0);
  const budget = Math.max(maxPoints - small, Math.floor(maxPoints / 10));
  const thinned = (n: number): boolean => n > SMALL_TRACE_POINTS;
  const keptWith = (s: number): number =>
    counts.reduce((sum, n) => sum + (thinned(n) ? Math.ceil(n / s) : 0), 0);
  let stride = Math.max(2, Math.ceil((total - small) / budget));
  while (keptWith(stride) > budget) stride++;
  const data = spec.data.map((trace, k) =>
    thinned(counts[k]) ? thinTrace(trace, counts[k], stride) : trace
  );
  return { spec: { ...spec, data }, shown: small + keptWith(stride), total, stride };
}
