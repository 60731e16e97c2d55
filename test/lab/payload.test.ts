import { describe, expect, it } from 'vitest';
import { FIGURE_SPEC_VERSION, JsonObject } from '../../src/figures/spec';
import { FIGURE_LIMITS, sanitizeText, validateFigurePayload } from '../../src/lab/payload';

function figure(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    version: FIGURE_SPEC_VERSION,
    data: [{ type: 'bar', name: 'layer 1', x: ['a', 'b'], y: [1, 2] }],
    layout: { title: { text: 'Node strength' } },
    meta: {
      kind: 'nodeStrength',
      title: 'Node strength',
      exportName: 'node-strength',
      provenance: { seed: 42 }
    },
    ...overrides
  };
}

function errorOf(payload: unknown, limits = FIGURE_LIMITS): string {
  const result = validateFigurePayload(payload, limits);
  if (result.ok) throw new Error('expected the payload to be rejected');
  return result.error;
}

describe('sanitizeText', () => {
  it('keeps plain text and the allowlisted formatting tags as written', () => {
    expect(sanitizeText('node strength s_i')).toBe('node strength s_i');
    expect(sanitizeText('<b>w</b><sub>ij</sub> x<sup>2</sup> <i>a</i><em>b</em><br>c<br/>d<br />e')).toBe(
      '<b>w</b><sub>ij</sub> x<sup>2</sup> <i>a</i><em>b</em><br>c<br/>d<br />e'
    );
    expect(sanitizeText('layer %{x}<extra></extra>')).toBe('layer %{x}<extra></extra>');
    expect(sanitizeText('<B>bold</B>')).toBe('<B>bold</B>');
  });

  it('escapes every other tag so it shows as text', () => {
    expect(sanitizeText('<img src=x onerror="window.__pwned=1">')).toBe(
      '&lt;img src=x onerror="window.__pwned=1"&gt;'
    );
    expect(sanitizeText('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(sanitizeText('<a href="javascript:alert(1)">x</a>')).toBe(
      '&lt;a href="javascript:alert(1)"&gt;x&lt;/a&gt;'
    );
    expect(sanitizeText('<span style="color:red">x</span>')).toBe(
      '&lt;span style="color:red"&gt;x&lt;/span&gt;'
    );
  });

  it('does not let attributes ride on allowlisted tag names', () => {
    expect(sanitizeText('<b onmouseover=alert(1)>x</b>')).toBe('&lt;b onmouseover=alert(1)&gt;x</b>');
    expect(sanitizeText('<br/ onload=x>')).toBe('&lt;br/ onload=x&gt;');
    expect(sanitizeText('<bold>')).toBe('&lt;bold&gt;');
  });

  it('escapes lone and nested angle brackets (comparisons, broken tags)', () => {
    expect(sanitizeText('p < 0.05 and z > 2')).toBe('p &lt; 0.05 and z &gt; 2');
    expect(sanitizeText('<<b>>')).toBe('&lt;<b>&gt;');
    expect(sanitizeText('<scr<b>ipt>')).toBe('&lt;scr<b>ipt&gt;');
  });

  it('leaves no "<" that starts anything but an allowlisted tag', () => {
    const nasty = '<img/src=x onerror=1><svg onload=1><iframe srcdoc="<script>1</script>"><b>ok</b>';
    const out = sanitizeText(nasty);
    const tags = out.match(/<[^>]*>/g) ?? [];
    expect(tags).toEqual(['<b>', '</b>']);
  });
});

describe('validateFigurePayload', () => {
  it('accepts a figure and returns a copy with sanitized strings in data and layout', () => {
    const payload = figure({
      data: [
        { type: 'bar', name: '<img src=x onerror=alert(1)>', y: [1], hovertemplate: '%{y}<extra></extra>' }
      ],
      layout: {
        title: { text: '<b>Title</b><script>x</script>' },
        annotations: [{ text: '<a href="x">l</a>' }]
      }
    });
    const result = validateFigurePayload(payload);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const trace = result.spec.data[0];
    expect(trace.name).toBe('&lt;img src=x onerror=alert(1)&gt;');
    expect(trace.hovertemplate).toBe('%{y}<extra></extra>');
    expect((result.spec.layout.title as JsonObject).text).toBe('<b>Title</b>&lt;script&gt;x&lt;/script&gt;');
    expect(((result.spec.layout.annotations as JsonObject[])[0] as JsonObject).text).toBe(
      '&lt;a href="x"&gt;l&lt;/a&gt;'
    );
    // the input is left alone
    expect((payload.data as JsonObject[])[0].name).toBe('<img src=x onerror=alert(1)>');
  });

  it('keeps meta as written (it is never given to plotly or HTML)', () => {
    const result = validateFigurePayload(
      figure({ meta: { kind: 'k', title: 'a < b', exportName: 'x', provenance: {} } })
    );
    expect(result.ok && result.spec.meta.title).toBe('a < b');
  });

  it('counts the points of a trace as its longest data array', () => {
    const result = validateFigurePayload(
      figure({ data: [{ type: 'scatter', x: [1, 2, 3], y: [4, 5, 6], marker: { color: ['r', 'g', 'b'] } }] })
    );
    expect(result.ok && result.points).toBe(3);
    const heatmap = validateFigurePayload(
      figure({
        data: [
          {
            type: 'heatmap',
            z: [
              [1, 2],
              [3, 4],
              [5, 6]
            ]
          }
        ]
      })
    );
    expect(heatmap.ok && heatmap.points).toBe(6);
  });

  it('parses a payload given as JSON text', () => {
    expect(validateFigurePayload(JSON.stringify(figure())).ok).toBe(true);
    expect(errorOf('{not json')).toMatch(/not valid JSON/);
  });

  it('names what is wrong with a payload of the wrong shape', () => {
    expect(errorOf(null)).toBe('the payload is null, expected an object');
    expect(errorOf([1, 2])).toBe('the payload is an array, expected an object');
    expect(errorOf(figure({ data: 'not a list' }))).toMatch(/^data: /);
    expect(errorOf(figure({ data: [1] }))).toMatch(/^data\[0\]: /);
    expect(errorOf(figure({ meta: { kind: 'k' } }))).toMatch(/^meta\.title: /);
    expect(errorOf(figure({ layout: 'x' }))).toMatch(/^layout: /);
  });

  it('rejects newer and unknown versions', () => {
    expect(errorOf(figure({ version: 2 }))).toMatch(/newer nnmotifs/);
    expect(errorOf(figure({ version: 0 }))).toMatch(/unknown figure version 0/);
  });

  it('rejects more than 5 million points in total', () => {
    const half = new Array<number>(2_500_001).fill(0);
    const error = errorOf(figure({ data: [{ y: half }, { y: half }] }));
    expect(error).toBe('the traces hold more than 5000000 points');
    const small = { ...FIGURE_LIMITS, maxPoints: 4 };
    expect(validateFigurePayload(figure({ data: [{ y: [1, 2] }, { y: [1, 2] }] }), small).ok).toBe(true);
    expect(errorOf(figure({ data: [{ y: [1, 2] }, { y: [1, 2, 3] }] }), small)).toMatch(/more than 4 points/);
  });

  it('counts points in plotly base64 typed arrays without decoding them', () => {
    const small = { ...FIGURE_LIMITS, maxPoints: 10 };
    // 16 float64 values take 128 bytes, 172 base64 characters (with padding)
    const bdata = 'A'.repeat(172);
    expect(errorOf(figure({ data: [{ y: { dtype: 'f8', bdata } }] }), small)).toMatch(/more than 10 points/);
    expect(errorOf(figure({ data: [{ y: { dtype: 'x9', bdata: 'AA==' } }] }))).toMatch(/unknown dtype "x9"/);
  });

  it('rejects deep nesting without recursing into it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(errorOf(figure({ layout: { a: deep } }))).toMatch(
      /^layout\.a(\[0\])+ is nested more than 32 levels deep/
    );
  });

  it('rejects keys that would pollute prototypes inside plotly', () => {
    const polluted = JSON.parse('{"layout": {"__proto__": {"polluted": true}}}') as { layout: unknown };
    expect(errorOf(figure({ layout: polluted.layout }))).toBe('layout has the forbidden key "__proto__"');
    expect(errorOf(figure({ data: [{ constructor: { prototype: {} } }] }))).toMatch(
      /forbidden key "constructor"/
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('rejects absurd strings, too many traces and values that are not JSON', () => {
    expect(errorOf(figure({ layout: { title: 'x'.repeat(100_001) } }))).toMatch(
      /string of 100001 characters/
    );
    const traces = Array.from({ length: 1001 }, () => ({ y: [1] }));
    expect(errorOf(figure({ data: traces }))).toBe('1001 traces (at most 1000)');
    expect(errorOf(figure({ layout: { width: Number.NaN } }))).toBe('layout.width is not a finite number');
    expect(errorOf(figure({ layout: { f: () => 1 } }))).toBe('layout.f is a function, not JSON');
    expect(errorOf(figure({ layout: { u: undefined } }))).toBe('layout.u is undefined, not JSON');
  });
});
