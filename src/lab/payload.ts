/**
 * Validation and sanitization of `application/vnd.nnmotifs.figure+json` payloads before they reach plotly.
 *
 * Outputs of untrusted notebooks are data, so a payload is checked for its shape (zod), for absurd sizes and
 * deep nesting (a bounded walk that never recurses past `maxDepth`), for keys that would pollute object
 * prototypes inside plotly's deep merges, and every string in `data` and `layout` is sanitized. DOM-free so
 * it runs under Node in the unit tests.
 *
 * Sanitization choice: plotly draws a few HTML-like tags in text (titles, labels, hover, annotations) as
 * SVG. We escape every `<` and `>` to `&lt;` / `&gt;` except in a small allowlist of attribute-less tags
 * (`<b>`, `<i>`, `<em>`, `<sub>`, `<sup>`, `<br>`, and plotly's hover `<extra>`). Escaped text still reads
 * the same on screen (plotly decodes entities into text nodes), but no tag with attributes (`<a href>`,
 * `<span style>`, `<img onerror>`, `<script>`) survives, so nothing in a payload can become markup.
 */
import { z } from 'zod';
import { FIGURE_SPEC_VERSION, FigureSpec, JsonObject, JsonValue } from '../figures/spec';
import {
  checkVersion,
  describe,
  formatIssues,
  PayloadError,
  pathText,
  payloadErrorText,
  payloadObject
} from './payload-common';

/** Size limits of a figure payload. */
export interface FigureLimits {
  /** Most data points in all traces together (a trace's points: its longest data array). Default 5 000 000. */
  maxPoints: number;
  /** Most values (numbers, strings, booleans, nulls) in the whole payload. Default 20 000 000. */
  maxValues: number;
  /** Deepest nesting of arrays and objects, counted from the payload itself. Default 32. */
  maxDepth: number;
  /** Most traces. Default 1000. */
  maxTraces: number;
  /** Longest single string, in characters. Default 100 000. */
  maxStringLength: number;
}

/** The limits the renderer applies. */
export const FIGURE_LIMITS: Readonly<FigureLimits> = Object.freeze({
  maxPoints: 5_000_000,
  maxValues: 20_000_000,
  maxDepth: 32,
  maxTraces: 1000,
  maxStringLength: 100_000
});

/**
 * Each point of a trace drawn as SVG (one DOM node per point: bar, box, scatter below
 * {@link SVG_SCATTER_MAX_POINTS}, …) counts this many times against `maxPoints`: a browser draws about
 * 40,000 SVG points a second, so the 5 M limit allows 10,000 SVG points, not 5 M (minutes); bars cost more than markers.
 */
export const SVG_POINT_COST = 500;

/** `scatter` / `scatterpolar` traces with more points are drawn with WebGL (`scattergl`, `scatterpolargl`). */
export const SVG_SCATTER_MAX_POINTS = 20_000;

/** Trace types drawn with WebGL, or as one image or aggregate: their points are cheap to draw. */
const CHEAP_TRACE_TYPES: ReadonlySet<string> = new Set([
  'scattergl',
  'scatterpolargl',
  'splom',
  'parcoords',
  'heatmap',
  'histogram',
  'histogram2d',
  'histogram2dcontour',
  'contour',
  'image',
  'surface',
  'mesh3d',
  'scatter3d',
  'isosurface',
  'volume',
  'cone',
  'streamtube'
]);

/** SVG scatter types and the WebGL type that draws the same trace. */
const WEBGL_EQUIVALENT: ReadonlyMap<string, string> = new Map([
  ['scatter', 'scattergl'],
  ['scatterpolar', 'scatterpolargl']
]);

/**
 * Trace types that make the browser fetch from the network as they draw: map tiles and styles (mapbox,
 * MapLibre) and the world outlines of geo traces (topojson from a CDN).
 */
const FETCHING_TRACE_TYPES: ReadonlySet<string> = new Set([
  'scattermapbox',
  'choroplethmapbox',
  'densitymapbox',
  'scattermap',
  'choroplethmap',
  'densitymap',
  'scattergeo',
  'choropleth'
]);

/** Layout parts that fetch from the network (map styles and tile layers, geo outlines). */
const FETCHING_LAYOUT_KEYS: ReadonlySet<string> = new Set(['mapbox', 'map', 'geo']);

/** Options of {@link validateFigurePayload}. */
export interface FigurePayloadOptions {
  /**
   * The output belongs to a trusted notebook: it may make the browser fetch resources (images by URL,
   * map tiles and styles, geo outlines). Default `false`: an untrusted payload that would fetch anything is
   * refused with a message saying so.
   */
  trusted?: boolean;
}

/** What a browser may load without a request: an inline raster image. */
const INLINE_IMAGE = /^data:image\/(png|jpeg|gif|webp);base64,[a-z0-9+/=\s]*$/i;

/** Outcome of {@link validateFigurePayload}: a sanitized spec, or a message saying what is wrong. */
export type FigurePayloadResult =
  { ok: true; spec: FigureSpec; points: number } | { ok: false; error: string };

/** Keys that would reach `Object.prototype` through plotly's deep extend / nested property code. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Attribute-less tags plotly understands and that cannot carry script; everything else is escaped. */
const TEXT_TOKEN = /<(\/?)(b|i|em|sub|sup|br|extra)\s*(\/?)>|[<>]/gi;

/**
 * Makes a payload string safe for plotly's text rendering: escapes `<` and `>` to `&lt;` and `&gt;`, except
 * in the allowlisted attribute-less tags `<b>`, `<i>`, `<em>`, `<sub>`, `<sup>`, `<br>` (also `<br/>`) and
 * `<extra>` (plotly's secondary hover box), which are kept as written.
 *
 * @param text - any string from a payload.
 * @returns the string with every other tag turned into visible text.
 * @example
 * ```ts
 * sanitizeText('<b>w</b><sub>ij</sub> <img src=x onerror=alert(1)>');
 * // '<b>w</b><sub>ij</sub> &lt;img src=x onerror=alert(1)&gt;'
 * ```
 */
export function sanitizeText(text: string): string {
  if (!text.includes('<') && !text.includes('>')) return text;
  return text.replace(TEXT_TOKEN, (token: string, _close?: string, tag?: string) => {
    if (tag !== undefined) return token;
    return token === '<' ? '&lt;' : '&gt;';
  });
}

/** Bytes per element of plotly's base64 typed-array encoding (`{dtype, bdata}`). */
export const DTYPE_BYTES: ReadonlyMap<string, number> = new Map([
  ['i1', 1],
  ['u1', 1],
  ['u1c', 1],
  ['i2', 2],
  ['u2', 2],
  ['i4', 4],
  ['u4', 4],
  ['f4', 4],
  ['f8', 8]
]);

/**
 * A bounded walk that copies a JSON value, sanitizing strings on the way. It counts values against the
 * limits and reports the number of values in the largest array met (the points of a trace).
 */
class Walker {
  values = 0;
  largestArray = 0;

  constructor(
    private readonly limits: FigureLimits,
    private readonly sanitize: boolean,
    /** Refuse strings that would make the browser fetch something (untrusted outputs). */
    private readonly fetchNothing = false
  ) {}

  copy(value: unknown, path: (string | number)[], depth: number): JsonValue {
    if (depth > this.limits.maxDepth) {
      throw new PayloadError(
        `${pathText(path)} is nested more than ${this.limits.maxDepth} levels deep; figures never need that`
      );
    }
    if (value === null || typeof value === 'boolean') return this.count(value);
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new PayloadError(`${pathText(path)} is not a finite number`);
      return this.count(value);
    }
    if (typeof value === 'string') {
      if (value.length > this.limits.maxStringLength) {
        throw new PayloadError(
          `${pathText(path)} is a string of ${value.length} characters (at most ${this.limits.maxStringLength})`
        );
      }
      this.count(value);
      if (this.fetchNothing) this.refuseFetch(value, path);
      return this.sanitize ? sanitizeText(value) : value;
    }
    if (Array.isArray(value)) {
      const before = this.values;
      const out: JsonValue[] = new Array<JsonValue>(value.length);
      for (let i = 0; i < value.length; i++) out[i] = this.copy(value[i], path.concat(i), depth + 1);
      this.largestArray = Math.max(this.largestArray, this.values - before);
      return out;
    }
    if (typeof value === 'object') {
      const out: JsonObject = {};
      for (const key of Object.keys(value)) {
        if (FORBIDDEN_KEYS.has(key))
          throw new PayloadError(`${pathText(path)} has the forbidden key "${key}"`);
        const item = (value as Record<string, unknown>)[key];
        out[key] = this.copy(item, path.concat(key), depth + 1);
      }
      this.countTypedArray(out, path);
      return out;
    }
    throw new PayloadError(`${pathText(path)} is ${describe(value)}, not JSON`);
  }

  /**
   * An image `source` must be an inline `data:image/…` URI, and no string may be a `url(…)`: in an untrusted
   * output they would make the browser request what the payload chooses (tracking, local services).
   */
  private refuseFetch(value: string, path: (string | number)[]): void {
    const key = path[path.length - 1];
    const fetches =
      ((key === 'source' || key === 'src' || key === 'href') && !INLINE_IMAGE.test(value.trim())) ||
      /url\s*\(/i.test(value);
    if (fetches) {
      throw new PayloadError(
        `${pathText(path)} would make the browser load ${JSON.stringify(value.slice(0, 80))}; ` +
          'outputs of untrusted notebooks fetch nothing: trust the notebook to show this figure'
      );
    }
  }

  private count<T extends JsonValue>(value: T): T {
    this.values++;
    if (this.values > this.limits.maxValues) {
      throw new PayloadError(`the payload holds more than ${this.limits.maxValues} values`);
    }
    return value;
  }

  /** plotly's `{dtype, bdata}` typed arrays hold their points in a base64 string: count those too. */
  private countTypedArray(obj: JsonObject, path: (string | number)[]): void {
    const { dtype, bdata } = obj;
    if (typeof dtype !== 'string' || typeof bdata !== 'string') return;
    const bytes = DTYPE_BYTES.get(dtype);
    if (bytes === undefined) throw new PayloadError(`${pathText(path)} has the unknown dtype "${dtype}"`);
    const length = Math.floor((bdata.length * 3) / 4 / bytes);
    this.values += length;
    if (this.values > this.limits.maxValues) {
      throw new PayloadError(`the payload holds more than ${this.limits.maxValues} values`);
    }
    this.largestArray = Math.max(this.largestArray, length);
  }
}

const jsonRecord = z.record(z.string(), z.unknown());

/** The top-level shape; the contents of traces, layout and provenance are checked by the bounded walk. */
const FigurePayloadShape = z.object({
  version: z.number().int(),
  data: z.array(jsonRecord),
  layout: jsonRecord.optional(),
  meta: z.object({
    kind: z.string().max(200),
    title: z.string().max(2000),
    exportName: z.string().max(200),
    provenance: jsonRecord.optional()
  })
});

/**
 * Checks a figure payload and returns a sanitized copy ready for plotly, or a message for the user.
 * Never throws. A JSON string is parsed first (some frontends hand the bundle over as text).
 *
 * @param payload - the value of `application/vnd.nnmotifs.figure+json` in an output bundle.
 * @param limits - size limits; default {@link FIGURE_LIMITS}. Points of SVG-drawn traces count
 *   {@link SVG_POINT_COST} times; scatter traces over {@link SVG_SCATTER_MAX_POINTS} points are drawn with
 *   WebGL instead.
 * @param options - `trusted: true` for outputs of trusted notebooks; otherwise (the default) a payload
 *   that would make the browser fetch anything — images by URL, map tiles or styles, geo outlines — is
 *   refused.
 * @returns `{ ok: true, spec, points }` or `{ ok: false, error }`.
 * @example
 * ```ts
 * const result = validateFigurePayload({ version: 1, data: [{ type: 'bar', y: [1, 2] }], layout: {},
 *   meta: { kind: 'demo', title: 'Demo', exportName: 'demo', provenance: {} } });
 * result.ok; // true
 * // in the lab: if (result.ok) await Plotly.react(node, result.spec.data, result.spec.layout);
 * ```
 */
export function validateFigurePayload(
  payload: unknown,
  limits: Readonly<FigureLimits> = FIGURE_LIMITS,
  options: FigurePayloadOptions = {}
): FigurePayloadResult {
  const untrusted = options.trusted !== true;
  try {
    const value = payloadObject(payload, limits.maxValues * 16);
    const shape = FigurePayloadShape.safeParse(value);
    if (!shape.success) return { ok: false, error: formatIssues(shape.error) };
    const { version, data, meta } = shape.data;
    // zod's output copies objects (and would turn a "__proto__" key into a prototype): walk the raw input.
    const raw = value as { data: unknown[]; layout?: unknown; meta: { provenance?: unknown } };
    checkVersion('figure', version, FIGURE_SPEC_VERSION);
    if (data.length > limits.maxTraces) {
      return { ok: false, error: `${data.length} traces (at most ${limits.maxTraces})` };
    }
    const walker = new Walker(limits, true, untrusted);
    let points = 0;
    let cost = 0;
    const traces = raw.data.map((trace, i) => {
      walker.largestArray = 0;
      const copy = walker.copy(trace, ['data', i], 2) as JsonObject;
      const n = walker.largestArray;
      points += n;
      if (points > limits.maxPoints) {
        throw new PayloadError(`the traces hold more than ${limits.maxPoints} points`);
      }
      let type = typeof copy.type === 'string' ? copy.type : 'scatter';
      if (untrusted && FETCHING_TRACE_TYPES.has(type)) {
        throw new PayloadError(
          `data[${i}] is a ${type} trace, which loads map tiles or outlines from the network; outputs of ` +
            'untrusted notebooks fetch nothing: trust the notebook to show this figure'
        );
      }
      const gl = WEBGL_EQUIVALENT.get(type);
      if (gl !== undefined && n > SVG_SCATTER_MAX_POINTS) {
        copy.type = gl; // the same trace, drawn with WebGL instead of one SVG node per point
        type = gl;
      }
      cost += CHEAP_TRACE_TYPES.has(type) ? n : n * SVG_POINT_COST;
      if (cost > limits.maxPoints) {
        throw new PayloadError(
          `the traces would take too long to draw: points of SVG traces (${type} here) count ` +
            `${SVG_POINT_COST} times against the limit of ${limits.maxPoints} points`
        );
      }
      return copy;
    });
    const safeLayout = walker.copy(raw.layout ?? {}, ['layout'], 1) as JsonObject;
    if (untrusted) {
      for (const key of Object.keys(safeLayout)) {
        if (FETCHING_LAYOUT_KEYS.has(key)) {
          throw new PayloadError(
            `layout.${key} loads map tiles, styles or outlines from the network; outputs of untrusted ` +
              'notebooks fetch nothing: trust the notebook to show this figure'
          );
        }
      }
    }
    // meta is never handed to plotly or to innerHTML: keep its text as written, check only its structure.
    const provenance = new Walker(limits, false).copy(raw.meta.provenance ?? {}, ['meta', 'provenance'], 2);
    return {
      ok: true,
      points,
      spec: {
        version: FIGURE_SPEC_VERSION,
        data: traces,
        layout: safeLayout,
        meta: {
          kind: meta.kind,
          title: meta.title,
          exportName: meta.exportName,
          provenance: provenance as JsonObject
        }
      }
    };
  } catch (error) {
    return { ok: false, error: payloadErrorText(error) };
  }
}
