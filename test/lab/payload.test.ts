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
    const gl = (y: number[]) => ({ type: 'scattergl', y });
    expect(validateFigurePayload(figure({ data: [gl([1, 2]), gl([1, 2])] }), small).ok).toBe(true);
    expect(errorOf(figure({ data: [gl([1, 2]), gl([1, 2, 3])] }), small)).toMatch(/more than 4 points/);
  });

  it('weighs SVG points by their cost and draws large scatter traces with WebGL', () => {
    // 1 M scatter points: drawn as scattergl (a frozen tab for ~25 s as SVG).
    const big = validateFigurePayload(
      figure({ data: [{ type: 'scatter', y: new Array<number>(1_000_000).fill(0) }] })
    );
    expect(big.ok && big.spec.data[0].type).toBe('scattergl');
    const polar = validateFigurePayload(
      figure({ data: [{ type: 'scatterpolar', r: new Array<number>(30_000).fill(1) }] })
    );
    expect(polar.ok && polar.spec.data[0].type).toBe('scatterpolargl');
    // Small scatter traces stay SVG (crisp in exports).
    const smallScatter = validateFigurePayload(figure({ data: [{ type: 'scatter', y: [1, 2, 3] }] }));
    expect(smallScatter.ok && smallScatter.spec.data[0].type).toBe('scatter');
    // 200 k bars are 200 k SVG nodes: refused; 10 k bars are allowed.
    expect(errorOf(figure({ data: [{ type: 'bar', y: new Array<number>(200_000).fill(1) }] }))).toMatch(
      /would take too long to draw: points of SVG traces \(bar here\) count 500 times/
    );
    expect(
      validateFigurePayload(figure({ data: [{ type: 'bar', y: new Array<number>(10_000).fill(1) }] })).ok
    ).toBe(true);
  });

  it('untrusted payloads fetch nothing: image URLs, url(), map and geo traces, map layouts', () => {
    const image = (source: string) => figure({ layout: { images: [{ source, x: 0, y: 0 }] } });
    for (const source of [
      'https://tracker.example/p.gif',
      '//evil.example/x.png',
      'files/local.png',
      'http://127.0.0.1:8888/api'
    ]) {
      expect(errorOf(image(source))).toMatch(
        /^layout\.images\[0\]\.source would make the browser load .*outputs of untrusted notebooks fetch nothing/
      );
      expect(validateFigurePayload(image(source), FIGURE_LIMITS, { trusted: true }).ok).toBe(true);
    }
    expect(validateFigurePayload(image('data:image/png;base64,iVBORw0KGgo=')).ok).toBe(true);
    expect(errorOf(figure({ layout: { paper_bgcolor: 'url(https://x.example/a)' } }))).toMatch(
      /would make the browser load/
    );
    for (const type of ['scattermapbox', 'scattermap', 'choropleth', 'scattergeo', 'densitymapbox']) {
      expect(errorOf(figure({ data: [{ type, lat: [1], lon: [2] }] }))).toMatch(
        new RegExp(`^data\\[0\\] is a ${type} trace, which loads map tiles`)
      );
      expect(
        validateFigurePayload(figure({ data: [{ type, lat: [1], lon: [2] }] }), FIGURE_LIMITS, {
          trusted: true
        }).ok
      ).toBe(true);
    }
    for (const key of ['mapbox', 'map', 'geo']) {
      expect(errorOf(figure({ layout: { [key]: { style: 'open-street-map' } } }))).toMatch(
        new RegExp(`^layout\\.${key} loads map tiles`)
      );
    }
  });

  it('refuses plotly typed-array dtypes that name Object.prototype members', () => {
    for (const dtype of ['constructor', 'toString', '__defineGetter__']) {
      expect(errorOf(figure({ data: [{ y: { dtype, bdata: 'AA==' } }] }))).toMatch(
        `unknown dtype "${dtype}"`
      );
    }
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
