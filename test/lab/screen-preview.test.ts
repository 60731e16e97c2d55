/**
 * The screen preview of heavy figures (`src/lab/screen-preview.ts`): point traces over the screen budget
 * are thinned consistently (every per-point array alike, plotly typed arrays included), small traces and
 * other trace types stay whole, and the spec for export is left untouched.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FigureSpec, JsonObject } from '../../src/figures/spec';
import {
  SCREEN_MAX_BARS,
  SCREEN_MAX_POINTS,
  SMALL_TRACE_BARS,
  SMALL_TRACE_POINTS,
  screenPreview
} from '../../src/lab/screen-preview';

function spec(data: JsonObject[]): FigureSpec {
  return {
    version: 1,
    data,
    layout: { title: { text: 't' } },
    meta: { kind: 'test', title: 't', exportName: 't', provenance: {} }
  };
}

const range = (n: number, f: (i: number) => number = i => i): number[] =>
  Array.from({ length: n }, (_, i) => f(i));
const labels = (n: number, f: (i: number) => string): string[] => Array.from({ length: n }, (_, i) => f(i));

/** plotly's base64 typed array of float64 values. */
function f8(values: number[]): JsonObject {
  return { dtype: 'f8', bdata: Buffer.from(new Float64Array(values).buffer).toString('base64') };
}

function decodeF8(value: unknown): number[] {
  const { bdata } = value as { bdata: string };
  const bytes = Buffer.from(bdata, 'base64');
  return Array.from(new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8));
}

describe('screenPreview', () => {
  it('leaves figures within the budget as they are (the same object)', () => {
    const small = spec([
      { type: 'scattergl', y: range(SCREEN_MAX_POINTS) },
      { type: 'bar', y: range(50) }
    ]);
    const preview = screenPreview(small);
    expect(preview.spec).toBe(small);
    expect(preview).toMatchObject({ shown: SCREEN_MAX_POINTS, total: SCREEN_MAX_POINTS, stride: 1 });
  });

  it('thins a million points to every 10th, each per-point array alike, and keeps the export spec whole', () => {
    const n = 1_000_000;
    const y = range(n, i => i * 2);
    const heavy = spec([
      {
        type: 'scattergl',
        mode: 'markers',
        x: range(n),
        y,
        text: range(n, i => i % 7).map(String),
        marker: {
          color: range(n, i => i % 3),
          size: 4,
          colorscale: [
            [0, 'red'],
            [1, 'blue']
          ]
        },
        selectedpoints: [1, 2]
      }
    ]);
    const before = JSON.stringify(heavy).length;
    const preview = screenPreview(heavy);
    expect(preview).toMatchObject({ shown: 100_000, total: n, stride: 10 });
    const trace = preview.spec.data[0];
    expect((trace.x as number[]).length).toBe(100_000);
    expect((trace.y as number[])[12_345]).toBe(y[123_450]);
    expect((trace.text as string[])[3]).toBe(String(30 % 7));
    const marker = trace.marker as JsonObject;
    expect((marker.color as number[])[4]).toBe(40 % 3);
    expect(marker.size).toBe(4);
    expect(marker.colorscale).toEqual([
      [0, 'red'],
      [1, 'blue']
    ]);
    expect(trace.selectedpoints).toBeUndefined();
    expect(preview.spec.layout).toBe(heavy.layout);
    // The payload's spec (drawn by exports) is not modified.
    expect(JSON.stringify(heavy).length).toBe(before);
    expect((heavy.data[0].y as number[]).length).toBe(n);
  });

  it("thins plotly's {dtype, bdata} typed arrays like plain arrays", () => {
    const n = 250_000;
    const heavy = spec([{ type: 'scatter', x: f8(range(n)), y: f8(range(n, i => Math.sin(i))) }]);
    const preview = screenPreview(heavy);
    expect(preview.stride).toBe(3);
    const x = decodeF8(preview.spec.data[0].x);
    const y = decodeF8(preview.spec.data[0].y);
    expect(x.length).toBe(Math.ceil(n / 3));
    expect(x[1000]).toBe(3000);
    expect(y[1000]).toBe(Math.sin(3000));
    expect((preview.spec.data[0].x as JsonObject).dtype).toBe('f8');
  });

  it('keeps small point traces and other trace types whole', () => {
    const heavy = spec([
      { type: 'scattergl', y: range(400_000) },
      { type: 'scatter', mode: 'lines', y: range(SMALL_TRACE_POINTS) },
      { type: 'heatmap', z: [range(10), range(10)] },
      { type: 'bar', y: range(SCREEN_MAX_BARS) }
    ]);
    const preview = screenPreview(heavy);
    expect(preview.total).toBe(400_000 + SMALL_TRACE_POINTS);
    expect(preview.bars).toEqual({ shown: SCREEN_MAX_BARS, total: SCREEN_MAX_BARS, stride: 1 });
    expect((preview.spec.data[0].y as number[]).length).toBeLessThan(SCREEN_MAX_POINTS);
    for (const k of [1, 2, 3]) expect(preview.spec.data[k]).toBe(heavy.data[k]);
    expect(preview.shown).toBeLessThanOrEqual(SCREEN_MAX_POINTS);
  });

  it('keeps at most the budget, with the smallest stride that does (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 30_000 }), { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 2000, max: 20_000 }),
        (sizes, maxPoints) => {
          const figure = spec(sizes.map(n => ({ type: 'scattergl', y: new Array<number>(n).fill(1) })));
          const preview = screenPreview(figure, maxPoints);
          const total = sizes.reduce((a, b) => a + b, 0);
          expect(preview.total).toBe(total);
          const kept = preview.spec.data.map(t => (t.y as number[]).length);
          expect(preview.shown).toBe(kept.reduce((a, b) => a + b, 0));
          if (total <= maxPoints) {
            expect(preview.stride).toBe(1);
            return;
          }
          const small = sizes.filter(n => n <= SMALL_TRACE_POINTS).reduce((a, b) => a + b, 0);
          const budget = Math.max(maxPoints - small, Math.floor(maxPoints / 10));
          const large = (s: number): number =>
            sizes.filter(n => n > SMALL_TRACE_POINTS).reduce((sum, n) => sum + Math.ceil(n / s), 0);
          expect(large(preview.stride)).toBeLessThanOrEqual(budget);
          if (preview.stride > 2) expect(large(preview.stride - 1)).toBeGreaterThan(budget);
        }
      ),
      { numRuns: 200 }
    );
  });

  it('a thinned trace without positions gets them, so the axis keeps its range', () => {
    const heavy = spec([{ type: 'scattergl', y: range(300_000), x0: 10, dx: 2 }]);
    const trace = screenPreview(heavy).spec.data[0];
    expect((trace.x as number[]).slice(0, 3)).toEqual([10, 16, 22]);
    expect((trace.y as number[]).slice(0, 3)).toEqual([0, 3, 6]);
  });

  describe('bars (one SVG path each, costlier than points)', () => {
    it(`over ${SCREEN_MAX_BARS} bars: the tallest bar of each group of consecutive bars, at its own position`, () => {
      const n = 10_000;
      // Values that peak once every 7 bars: the preview must keep the peaks, not every k-th bar.
      const y = range(n, i => (i % 7 === 3 ? 100 + i : i % 7));
      const heavy = spec([
        {
          type: 'bar',
          y,
          text: labels(n, String),
          marker: { color: range(n, i => i % 5) },
          customdata: f8(range(n, i => -i))
        }
      ]);
      const before = JSON.stringify(heavy).length;
      const preview = screenPreview(heavy);
      expect(preview.bars).toEqual({ shown: SCREEN_MAX_BARS, total: n, stride: 5 });
      expect(preview).toMatchObject({ shown: 0, total: 0, stride: 1 });
      const trace = preview.spec.data[0];
      const x = trace.x as number[];
      expect(x.length).toBe(SCREEN_MAX_BARS);
      for (let g = 0; g < SCREEN_MAX_BARS; g++) {
        const group = y.slice(5 * g, 5 * g + 5);
        const tallest = 5 * g + group.indexOf(Math.max(...group));
        expect(x[g]).toBe(tallest);
        expect((trace.y as number[])[g]).toBe(y[tallest]);
        expect((trace.text as string[])[g]).toBe(String(tallest));
        expect(((trace.marker as JsonObject).color as number[])[g]).toBe(tallest % 5);
        expect(decodeF8(trace.customdata)[g]).toBe(-tallest);
      }
      // Every peak of the payload is on screen.
      const peaks = y.filter(v => v >= 100).length;
      expect((trace.y as number[]).filter(v => v >= 100).length).toBe(peaks);
      expect(JSON.stringify(heavy).length).toBe(before);
    });

    it('horizontal bars are grouped by their x values (largest magnitude, negative included)', () => {
      const n = 6000;
      const x = range(n, i => (i % 3 === 1 ? -50 - i : i % 3));
      const heavy = spec([{ type: 'bar', orientation: 'h', x, y: labels(n, i => `c${i}`) }]);
      const preview = screenPreview(heavy);
      expect(preview.bars.stride).toBe(3);
      const trace = preview.spec.data[0];
      expect((trace.x as number[]).every(v => v < -49)).toBe(true);
      expect((trace.y as string[]).slice(0, 2)).toEqual(['c1', 'c4']);
    });

    it('small bar traces stay whole; the large ones share the bar budget (property)', () => {
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: 8000 }), { minLength: 1, maxLength: 6 }), sizes => {
          const figure = spec(sizes.map(n => ({ type: 'bar', y: range(n, i => (i * 7919) % 101) })));
          const preview = screenPreview(figure);
          const total = sizes.reduce((a, b) => a + b, 0);
          expect(preview.bars.total).toBe(total);
          const kept = preview.spec.data.map(t => (t.y as number[]).length);
          expect(preview.bars.shown).toBe(kept.reduce((a, b) => a + b, 0));
          if (total <= SCREEN_MAX_BARS) {
            expect(preview.spec).toBe(figure);
            return;
          }
          expect(preview.bars.shown).toBeLessThanOrEqual(SCREEN_MAX_BARS);
          sizes.forEach((n, k) => {
            if (n <= SMALL_TRACE_BARS) expect(preview.spec.data[k]).toBe(figure.data[k]);
            else expect(kept[k]).toBe(Math.ceil(n / preview.bars.stride));
          });
        }),
        { numRuns: 100 }
      );
    });
  });
});
