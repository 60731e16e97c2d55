import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_EXPORT_PRESET,
  exportFormatOf,
  exportRenderOptions,
  exportSize,
  JOURNAL_WIDTHS,
  MAX_AUTO_HEIGHT_GROWTH_MM,
  mmToPx,
  pngPixelSize,
  minFontPt,
  ptToPx,
  pxToMm,
  resolveExportPreset
} from '../../src/render/preset';
import {
  approximateTextWidth,
  labelWords,
  publicationLayout,
  refineLayout,
  wrapText
} from '../../src/render/layout';
import { exportFontFamily, exportFontOf } from '../../src/render/fonts';
import { cornerNote, JsonObject, JsonValue, PALETTE } from '../../src/figures/spec';

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

  it('lets only a height from the aspect ratio grow to fit, by at most MAX_AUTO_HEIGHT_GROWTH_MM', () => {
    const auto = resolveExportPreset({ journal: 'ieee' });
    const options = exportRenderOptions(auto);
    expect(options.heightPx).toBeCloseTo(exportSize(auto).heightPx, 9);
    expect(options.maxHeightPx).toBeCloseTo(exportSize(auto).heightPx + mmToPx(MAX_AUTO_HEIGHT_GROWTH_MM), 9);
    const fixed = exportRenderOptions(resolveExportPreset({ journal: 'ieee', heightMm: 40 }));
    expect(fixed.maxHeightPx).toBe(fixed.heightPx);
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
    margin: { t: 60, r: 20, b: 60, l: 70 },
    xaxis: { title: { text: 'layer' }, gridcolor: '#333333' },
    yaxis: { title: { text: 'Layer fluctuation Y (sd of node strength, a.u.)' } },
    annotations: [
      {
        ...cornerNote('null: random-pruning, 200 samples, seed 1, chain convention paths'),
        font: { size: 6 }
      }
    ],
    width: 900
  };
  const data: JsonObject[] = [{ type: 'bar', name: 'a', x: [1], y: [1] }];

  it('draws at the preset size on white paper with the shipped font, keeping the palette', () => {
    const options = exportRenderOptions(resolveExportPreset({ fontSizePt: 9 }));
    const out = publicationLayout(layout, data, options);
    expect(out.width).toBeCloseTo(options.widthPx);
    expect(out.height).toBeCloseTo(options.heightPx);
    expect(out.paper_bgcolor).toBe('#ffffff');
    expect(out.plot_bgcolor).toBe('#ffffff');
    expect(out.font).toEqual({
      size: 12,
      color: '#222222',
      family: 'Liberation Sans, Arial, Helvetica, sans-serif'
    });
    expect(out.colorway).toEqual(PALETTE);
    expect((out.xaxis as JsonObject).gridcolor).toBe('#e0e0e0');
    expect(((out.xaxis as JsonObject).title as JsonObject).text).toBe('layer');
    // The screen margins of the payload are not used: margins come from the text.
    expect((out.margin as JsonObject).l).toBeLessThan(70);
    // The input is not modified.
    expect(layout.paper_bgcolor).toBe('#111111');
  });

  it('never draws text under the journal minimum, and wraps notes and axis titles to the page', () => {
    const options = exportRenderOptions(resolveExportPreset({ journal: 'ieee', fontSizePt: 5 }));
    expect(options.fontSize).toBe(8);
    const out = publicationLayout(layout, data, options);
    const sizes: number[] = [];
    const walk = (v: JsonValue): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v !== null && typeof v === 'object') {
        for (const [k, c] of Object.entries(v)) {
          if (k === 'size' && typeof c === 'number') sizes.push(c);
          else walk(c);
        }
      }
    };
    walk(out);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(ptToPx(8) - 1e-9);
    const note = (out.annotations as JsonObject[])[0];
    for (const line of String(note.text).split('<br>')) {
      expect(approximateTextWidth(line, (note.font as JsonObject).size as number)).toBeLessThanOrEqual(
        options.widthPx
      );
    }
    expect(String(((out.yaxis as JsonObject).title as JsonObject).text)).toContain('<br>');
  });

  it('moves a wide legend below the plot and keeps a narrow one at the right', () => {
    const options = exportRenderOptions(resolveExportPreset({ journal: 'science' }));
    const wide = [0, 1].map(k => ({ type: 'scatter', name: `a rather long run name number ${k}` }));
    expect(publicationLayout({}, wide, options).legend).toMatchObject({
      orientation: 'h',
      yref: 'container'
    });
    const narrow = [0, 1].map(k => ({ type: 'scatter', name: `r${k}` }));
    // plotly gives an entry about 50 px besides its text: at Science's 57 mm even "r0" takes a quarter
    expect(publicationLayout({}, narrow, options).legend).toMatchObject({ orientation: 'h' });
    const double = exportRenderOptions(resolveExportPreset({ journal: 'science', column: 'double' }));
    expect((publicationLayout({}, narrow, double).legend as JsonObject).orientation).toBeUndefined();
  });

  it('keeps a layout colorway and makes the background transparent when white paper is off', () => {
    const out = publicationLayout(
      { colorway: ['#123456'] },
      [],
      exportRenderOptions(resolveExportPreset({ whiteBackground: false }))
    );
    expect(out.colorway).toEqual(['#123456']);
    expect(out.paper_bgcolor).toBe('rgba(0,0,0,0)');
  });
});

describe('refineLayout', () => {
  const options = exportRenderOptions(resolveExportPreset({}));
  const base = publicationLayout({ title: { text: 'T' }, xaxis: { title: { text: 'x' } } }, [], options);
  const drawn = {
    titleBottom: 10,
    legendHeight: 0,
    plot: { l: 30, r: 10, t: 30, b: 30, w: 200, h: 100 },
    notesTop: null,
    crowdedTicks: [] as string[]
  };

  it('leaves a drawing that fits alone', () => {
    expect(refineLayout(base, drawn)).toBeNull();
  });

  it('turns crowded x tick labels upright, then thins them; wraps crowded categories first; thins y ticks', () => {
    const once = refineLayout(base, { ...drawn, crowdedTicks: ['xaxis'] });
    expect((once?.xaxis as JsonObject).tickangle).toBe(-90);
    const twice = refineLayout(once!, { ...drawn, crowdedTicks: ['xaxis'] });
    expect((twice?.xaxis as JsonObject).nticks).toBe(4);
    const categories = { xaxis: ['bi-fan', '2nd-order chain'] };
    const wrapped = refineLayout(base, { ...drawn, crowdedTicks: ['xaxis'], categories });
    expect((wrapped?.xaxis as JsonObject).ticktext).toEqual(['bi-fan', '2nd-order<br>chain']);
    // Short labels turn upright on one line each.
    const short = { xaxis: ['bi-fan', 'two ab'] };
    const shortWrapped = refineLayout(base, { ...drawn, crowdedTicks: ['xaxis'], categories: short });
    const upright = refineLayout(shortWrapped!, { ...drawn, crowdedTicks: ['xaxis'], categories: short });
    expect(upright?.xaxis).toMatchObject({ tickangle: -90 });
    expect((upright?.xaxis as JsonObject).ticktext).toBeUndefined();
    // A label longer than a fifth of the page's height turns upright one word per line, then drops to the
    // journal's minimum size, then goes back to one line each when still crowded (and is not wrapped again).
    const turned = refineLayout(wrapped!, { ...drawn, crowdedTicks: ['xaxis'], categories });
    expect(turned?.xaxis).toMatchObject({ tickangle: -90, ticktext: ['bi-fan', '2nd-order<br>chain'] });
    const smaller = refineLayout(turned!, { ...drawn, crowdedTicks: ['xaxis'], categories });
    expect(((smaller?.xaxis as JsonObject).tickfont as JsonObject).size).toBeCloseTo(ptToPx(5));
    const unwrapped = refineLayout(smaller!, { ...drawn, crowdedTicks: ['xaxis'], categories });
    expect((unwrapped?.xaxis as JsonObject).ticktext).toBeUndefined();
    const overflowing = { ...drawn, overflowingTicks: ['xaxis'], categories };
    expect(refineLayout(unwrapped!, overflowing)).toBeNull();
    const y = refineLayout(base, { ...drawn, crowdedTicks: ['yaxis'] });
    expect((y?.yaxis as JsonObject | undefined)?.nticks).toBe(4);
  });

  it('wraps category labels one word per line, keeping a lone sign with its number', () => {
    expect(labelWords('2nd-order chain')).toEqual(['2nd-order', 'chain']);
    expect(labelWords('≤ 80 %')).toEqual(['≤ 80 %']);
    expect(labelWords(' 80–90 %  of runs ')).toEqual(['80–90 %', 'of', 'runs']);
    expect(labelWords('±')).toEqual(['±']);
    expect(labelWords('a ± b')).toEqual(['a ±', 'b']);
  });

  it('labels every category of an axis on which plotly dropped some labels, and keeps them all when turned', () => {
    const categories = { xaxis: ['edges', 'bi-fan', 'bi-parallel', 'chain'] };
    const thinned = refineLayout(base, { ...drawn, thinnedCategories: ['xaxis'], categories });
    expect(thinned?.xaxis).toMatchObject({ tickmode: 'array', tickvals: categories.xaxis });
    // Crowded afterwards: upright, and still every category listed.
    const upright = refineLayout(thinned!, { ...drawn, crowdedTicks: ['xaxis'], categories });
    expect(upright?.xaxis).toMatchObject({ tickangle: -90, tickmode: 'array', tickvals: categories.xaxis });
    // Already listed: nothing to change.
    expect(refineLayout(thinned!, { ...drawn, thinnedCategories: ['xaxis'], categories })).toBeNull();
  });

  it('thins a crowded log axis by decades', () => {
    const log = { ...base, yaxis: { ...(base.yaxis as JsonObject), type: 'log' } };
    const once = refineLayout(log, { ...drawn, crowdedTicks: ['yaxis'] });
    expect((once?.yaxis as JsonObject).dtick).toBe(1);
    const twice = refineLayout(once!, { ...drawn, crowdedTicks: ['yaxis'] });
    expect((twice?.yaxis as JsonObject).dtick).toBe(2);
    // Over 0.3 … 20 (decades 1 and 10 only) every second decade would label "1" alone: not thinned.
    const oneDecade = { ...drawn, crowdedTicks: ['yaxis'], logRanges: { yaxis: [-0.5, 1.3] as const } };
    expect(refineLayout(once!, oneDecade)).toBeNull();
    // Over 0.1 … 10⁵ every second decade still labels 1, 100 and 10⁴.
    const wide = { ...drawn, crowdedTicks: ['yaxis'], logRanges: { yaxis: [-1, 5] as const } };
    expect((refineLayout(once!, wide)?.yaxis as JsonObject).dtick).toBe(2);
    expect(refineLayout(twice!, wide)?.yaxis).toMatchObject({ dtick: 3 });
  });

  it('wraps a note at the right edge of the plot again to the room left of that edge', () => {
    const note = 'null: random-pruning, 1000 samples; grey band |Z| < 2';
    const withNote = publicationLayout(
      { title: { text: 'T' }, annotations: [cornerNote(note)] },
      [],
      options
    );
    // A legend at the right leaves the plot's right edge at 130 px of the 336 px page.
    const out = refineLayout(withNote, { ...drawn, plot: { ...drawn.plot, l: 30, w: 100 } });
    const wrapped = (out?.annotations as JsonObject[])[0];
    const lines = String(wrapped.text).split('<br>');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(' ')).toBe(note);
    const size = (wrapped.font as JsonObject).size as number;
    for (const line of lines) expect(approximateTextWidth(line, size)).toBeLessThanOrEqual(130);
  });

  it('moves a legend at the right below the plot when it leaves the plot under 45 % of the page', () => {
    const two = [0, 1].map(k => ({ type: 'scatter', name: `r${k}` }));
    const withLegend = publicationLayout({}, two, options);
    expect((withLegend.legend as JsonObject).orientation).toBeUndefined();
    const squeezed = { ...drawn, legendHeight: 30, plot: { ...drawn.plot, w: 120 } };
    expect(refineLayout(withLegend, squeezed)?.legend).toMatchObject({ orientation: 'h', yref: 'container' });
    expect(refineLayout(withLegend, { ...drawn, legendHeight: 30 })).toBeNull();
  });

  it('pushes the plot down when notes reach into the title', () => {
    const out = refineLayout(base, { ...drawn, notesTop: 5 });
    expect(Number((out?.margin as JsonObject).t)).toBeGreaterThan(Number((base.margin as JsonObject).t));
  });
});

describe('wrapText', () => {
  it('breaks at spaces so every line fits, keeping words whole and existing breaks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[a-z]{1,8}$/), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 20, max: 300 }),
        (words, width) => {
          const lines = wrapText(words.join(' '), width, 10, approximateTextWidth);
          expect(lines.join(' ').split(' ')).toEqual(words);
          for (const line of lines) {
            if (line.includes(' ')) expect(approximateTextWidth(line, 10)).toBeLessThanOrEqual(width);
          }
        }
      )
    );
    expect(wrapText('a<br>b', 1000, 10, approximateTextWidth)).toEqual(['a', 'b']);
  });
});

describe('export fonts and column presets', () => {
  it('draws sans families with Liberation Sans and serif ones with Liberation Serif', () => {
    expect(exportFontOf('Arial, Helvetica, sans-serif').family).toBe('Liberation Sans');
    expect(exportFontOf('Times New Roman, serif').family).toBe('Liberation Serif');
    expect(exportFontOf('Helvetica, serif').family).toBe('Liberation Sans');
    expect(exportFontFamily('Georgia')).toBe('Liberation Serif, Georgia');
  });

  it('offers a 1.5 column and the journal minimum font size, and a least height for narrow columns', () => {
    expect(exportSize(resolveExportPreset({ journal: 'cell', column: '1.5' })).widthMm).toBe(114);
    expect(minFontPt(resolveExportPreset({ journal: 'ieee' }))).toBe(8);
    expect(minFontPt(resolveExportPreset({ journal: 'custom', widthMm: 45 }))).toBe(5);
    expect(exportSize(resolveExportPreset({ journal: 'custom', widthMm: 45 })).heightMm).toBe(50);
    expect(exportSize(resolveExportPreset({ journal: 'custom', widthMm: 45, heightMm: 30 })).heightMm).toBe(
      30
    );
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
