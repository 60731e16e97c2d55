import { describe, expect, it } from 'vitest';
import { FIGURE_SPEC_VERSION, figureSpec } from '../../src/figures/spec';

describe('figureSpec', () => {
  const data = [{ type: 'scatter', x: [1, 2], y: [3, 4] }];

  it('adds the version, the layout title, the common margin and meta around the builder parts', () => {
    const spec = figureSpec({
      kind: 'demo',
      title: 'Demo title',
      exportName: 'demo-file',
      data,
      layout: { xaxis: { title: { text: 'x (a.u.)' } }, showlegend: false }
    });
    expect(spec).toEqual({
      version: FIGURE_SPEC_VERSION,
      data,
      layout: {
        title: { text: 'Demo title' },
        xaxis: { title: { text: 'x (a.u.)' } },
        showlegend: false,
        margin: { t: 60, r: 20, b: 60, l: 70 }
      },
      meta: { kind: 'demo', title: 'Demo title', exportName: 'demo-file', provenance: {} }
    });
    expect(JSON.parse(JSON.stringify(spec))).toEqual(spec);
  });

  it("keeps the layout's own title object and margin", () => {
    const spec = figureSpec({
      kind: 'demo',
      title: 'Meta title',
      exportName: 'demo',
      data,
      layout: { title: { text: 'Shown title', x: 0.05 }, margin: { t: 90, r: 10, b: 40, l: 50 } }
    });
    expect(spec.layout.title).toEqual({ text: 'Shown title', x: 0.05 });
    expect(spec.layout.margin).toEqual({ t: 90, r: 10, b: 40, l: 50 });
    expect(spec.meta.title).toBe('Meta title');
  });

  it('copies the provenance, so later edits of the caller object do not leak into the spec', () => {
    const provenance = { seed: 3 };
    const spec = figureSpec({ kind: 'demo', title: 't', exportName: 'e', data, provenance });
    provenance.seed = 4;
    expect(spec.meta.provenance).toEqual({ seed: 3 });
  });

  it('gives every spec its own default margin object', () => {
    const a = figureSpec({ kind: 'demo', title: 't', exportName: 'e', data });
    const b = figureSpec({ kind: 'demo', title: 't', exportName: 'e', data });
    expect(a.layout.margin).not.toBe(b.layout.margin);
  });
});
