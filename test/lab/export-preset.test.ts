import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPORT_PRESET,
  exportFormatOf,
  exportRenderOptions,
  exportSize,
  JOURNAL_WIDTHS,
  mmToPx,
  pngPixelSize,
  ptToPx,
  publicationLayout,
  pxToMm,
  resolveExportPreset
} from '../../src/figures/export-preset';
import { JsonObject, PALETTE } from '../../src/figures/spec';

describe('resolveExportPreset', () => {
  it('fills missing fields from the defaults', () => {
    expect(resolveExportPreset({})).toEqual(DEFAULT_EXPORT_PRESET);
    expect(resolveExportPreset({ dpi: 600 })).toEqual({ ...DEFAULT_EXPORT_PRESET, dpi: 600 });
  });

  it('names the field that is wrong', () => {
    expect(() => resolveExportPreset({ journal: 'nautre' })).toThrow(
      /journal is "nautre"; expected one of nature/
    );
    expect(() => resolveExportPreset({ dpi: -3 })).toThrow(/dpi is -3/);
    expect(() => resolveExportPreset({ dpi: Number.NaN })).toThrow(/dpi/);
    expect(() => resolveExportPreset({ column: 'triple' })).toThrow(/column/);
    expect(() => resolveExportPreset({ widht: 3 })).toThrow(/widht is 3; expected no such field/);
    expect(() => resolveExportPreset({ fontFamily: 'x"><script>' })).toThrow(/fontFamily/);
    expect(() => resolveExportPreset('nature')).toThrow(/the preset is "nature"; expected an object/);
  });
});

describe('exportSize', () => {
  it('takes the journal column width, and the height from the aspect ratio or a fixed height', () => {
    const nature = exportSize(resolveExportPreset({ journal: 'nature', column: 'double', aspectRatio: 0.5 }));
    expect(nature.widthMm).toBe(JOURNAL_WIDTHS.nature.doubleMm);
    expect(nature.heightMm).toBeCloseTo(183 / 2);
    expect(nature.widthPx).toBeCloseTo((183 / 25.4) * 96);
    const custom = exportSize(resolveExportPreset({ journal: 'custom', widthMm: 120, heightMm: 80 }));
    expect([custom.widthMm, custom.heightMm]).toEqual([120, 80]);
  });

  it('converts units consistently', () => {
    fc.assert(
      fc.property(fc.double({ min: 1, max: 1000, noNaN: true }), mm => {
        expect(pxToMm(mmToPx(mm))).toBeCloseTo(mm, 9);
      })
    );
    expect(mmToPx(25.4)).toBe(96);
    expect(ptToPx(72)).toBe(96);
  });
});

describe('pngPixelSize', () => {
  it('is the physical size times the resolution', () => {
    expect(pngPixelSize(96, 48, 300)).toEqual({ width: 300, height: 150 });
    fc.assert(
      fc.property(
        fc.double({ min: 10, max: 2000, noNaN: true }),
        fc.double({ min: 10, max: 2000, noNaN: true }),
        fc.integer({ min: 72, max: 1200 }),
        (w, h, dpi) => {
          const size = pngPixelSize(w, h, dpi);
          expect(Math.abs(size.width - (w / 96) * dpi)).toBeLessThanOrEqual(0.5);
          expect(Math.abs(size.height - (h / 96) * dpi)).toBeLessThanOrEqual(0.5);
        }
      )
    );
  });
});

describe('publicationLayout', () => {
  const layout: JsonObject = {
    title: { text: 'Node strength', font: { size: 18 } },
    font: { size: 12, color: 'white' },
    paper_bgcolor: '#111111',
    xaxis: { title: { text: 'layer' }, gridcolor: '#333333' },
    annotations: [{ text: 'note', font: { size: 6 } }],
    width: 900
  };

  it('draws at the preset size on white paper with the preset font, keeping the palette', () => {
    const options = exportRenderOptions(resolveExportPreset({ fontSizePt: 9 }));
    const out = publicationLayout(layout, options);
    expect(out.width).toBeCloseTo(options.widthPx);
    expect(out.height).toBeCloseTo(options.heightPx);
    expect(out.paper_bgcolor).toBe('#ffffff');
    expect(out.plot_bgcolor).toBe('#ffffff');
    expect(out.font).toEqual({ size: 12, color: '#222222', family: 'Arial, Helvetica, sans-serif' });
    expect(out.colorway).toEqual(PALETTE);
    expect((out.xaxis as JsonObject).gridcolor).toBe('#e0e0e0');
    expect((out.xaxis as JsonObject).title).toEqual({ text: 'layer' });
    // Sizes the payload set keep their ratio to the base size (payload base 12 px -> preset 12 px here).
    expect((out.title as JsonObject).font).toEqual({ size: 18 });
    expect(((out.annotations as JsonObject[])[0].font as JsonObject).size).toBe(6);
    // The input is not modified.
    expect(layout.paper_bgcolor).toBe('#111111');
  });

  it('scales the sizes the payload set with the preset base size', () => {
    const out = publicationLayout(layout, exportRenderOptions(resolveExportPreset({ fontSizePt: 4.5 })));
    expect((out.font as JsonObject).size).toBe(6);
    expect((out.title as JsonObject).font).toEqual({ size: 9 });
  });

  it('keeps a layout colorway and makes the background transparent when white paper is off', () => {
    const out = publicationLayout(
      { colorway: ['#123456'] },
      exportRenderOptions(resolveExportPreset({ whiteBackground: false }))
    );
    expect(out.colorway).toEqual(['#123456']);
    expect(out.paper_bgcolor).toBe('rgba(0,0,0,0)');
  });
});

describe('exportFormatOf', () => {
  it('reads the format from the extension and refuses others', () => {
    expect(exportFormatOf('figures/a.svg')).toBe('svg');
    expect(exportFormatOf('A.PNG')).toBe('png');
    expect(exportFormatOf('x.y.pdf')).toBe('pdf');
    expect(() => exportFormatOf('figures/a.jpg')).toThrow(/"figures\/a.jpg".*got \.jpg/);
    expect(() => exportFormatOf('figures/a')).toThrow(/no extension/);
    expect(() => exportFormatOf('figures.pdf/a')).toThrow(/no extension/);
  });
});
