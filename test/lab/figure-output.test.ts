import { describe, expect, it } from 'vitest';
import { FIGURE_MIME, JsonObject, PALETTE } from '../../src/figures/spec';
import { hasStaticImage, payloadDigest, pngFromDataUrl, withStaticImage } from '../../src/lab/staticImage';
import {
  DEFAULT_FIGURE_SIZE,
  PRINT_THEME,
  PlotTheme,
  staticImageSize,
  themedLayout
} from '../../src/lab/theming';

const dark: PlotTheme = {
  background: '#111111',
  foreground: 'rgba(255, 255, 255, 1)',
  grid: '#333333',
  line: '#666666',
  fontFamily: 'system-ui',
  fontSize: 13
};

describe('themedLayout', () => {
  const layout: JsonObject = {
    title: { text: 'T' },
    font: { size: 16, color: 'black' },
    paper_bgcolor: 'white',
    xaxis: { title: { text: 'layer' }, gridcolor: '#eeeeee' },
    yaxis2: { zeroline: true },
    width: 500,
    height: 300
  };

  it('dresses the layout in the theme colours and keeps everything else', () => {
    const out = themedLayout(layout, dark, 'screen');
    expect(out.paper_bgcolor).toBe('#111111');
    expect(out.plot_bgcolor).toBe('#111111');
    expect(out.font).toEqual({ size: 16, color: dark.foreground, family: 'system-ui' });
    expect(out.xaxis).toEqual({
      title: { text: 'layer' },
      gridcolor: '#333333',
      linecolor: '#666666',
      zerolinecolor: '#666666'
    });
    expect(out.yaxis2).toEqual({
      zeroline: true,
      gridcolor: '#333333',
      linecolor: '#666666',
      zerolinecolor: '#666666'
    });
    expect(out.title).toEqual({ text: 'T' });
    expect(layout.paper_bgcolor).toBe('white'); // not modified
  });

  it('follows the output width on screen and keeps the layout height', () => {
    const out = themedLayout(layout, dark, 'screen');
    expect(out.width).toBeUndefined();
    expect(out.autosize).toBe(true);
    expect(out.height).toBe(300);
    expect(themedLayout({}, dark, 'screen').height).toBe(DEFAULT_FIGURE_SIZE.height);
  });

  it('gives the static image a fixed size and the print theme', () => {
    const out = themedLayout({ title: { text: 'T' } }, PRINT_THEME, 'image');
    expect(out.width).toBe(DEFAULT_FIGURE_SIZE.width);
    expect(out.height).toBe(DEFAULT_FIGURE_SIZE.height);
    expect(out.paper_bgcolor).toBe('#ffffff');
    expect(staticImageSize(layout)).toEqual({ width: 500, height: 300 });
    expect(staticImageSize({ width: -1, height: 'x' })).toEqual(DEFAULT_FIGURE_SIZE);
  });

  it('uses the colour-blind-safe palette unless the figure names its own colorway', () => {
    expect(themedLayout({}, dark, 'screen').colorway).toEqual([...PALETTE]);
    expect(themedLayout({ colorway: ['#000'] }, dark, 'screen').colorway).toEqual(['#000']);
  });
});

describe('static image write-back', () => {
  const payload = { version: 1, data: [{ y: [1, 2] }], layout: {}, meta: { kind: 'k' } };
  const digest = payloadDigest(payload);
  const size = { width: 720, height: 420 };

  it('digests equal payloads equally, whether object or JSON text', () => {
    expect(payloadDigest(JSON.parse(JSON.stringify(payload)))).toBe(digest);
    expect(payloadDigest(JSON.stringify(payload))).toBe(digest);
    expect(payloadDigest({ ...payload, data: [{ y: [1, 3] }] })).not.toBe(digest);
    // Jupyter saves notebooks with sorted keys: the payload read back must digest the same.
    const reordered = { meta: { kind: 'k' }, layout: {}, data: [{ y: [1, 2] }], version: 1 };
    expect(payloadDigest(reordered)).toBe(digest);
    expect(payloadDigest({ ...payload, data: [{ y: [2, 1] }] })).not.toBe(digest);
    expect(digest).toMatch(/^[0-9a-z]+$/);
  });

  it('adds the PNG, its display size and the digest it was drawn from', () => {
    const output = { data: { [FIGURE_MIME]: payload, 'text/plain': 'fig' }, metadata: { other: 1 } };
    const next = withStaticImage(output, 'iVBORw0KGgo=', digest, size);
    expect(next).toEqual({
      data: { [FIGURE_MIME]: payload, 'text/plain': 'fig', 'image/png': 'iVBORw0KGgo=' },
      metadata: { other: 1, 'image/png': size, [FIGURE_MIME]: { staticImage: digest } }
    });
    expect(next?.data[FIGURE_MIME]).toBe(payload); // the payload keeps its identity: the renderer sees no change
    expect(hasStaticImage(next!, digest)).toBe(true);
  });

  it('writes nothing when the output already holds this image for this payload', () => {
    const output = {
      data: { [FIGURE_MIME]: payload, 'image/png': 'iVBORw0KGgo=' },
      metadata: { [FIGURE_MIME]: { staticImage: digest } }
    };
    expect(withStaticImage(output, 'iVBORw0KGgo=', digest, size)).toBeNull();
  });

  it('replaces an image drawn from an older payload (display updates)', () => {
    const output = {
      data: { [FIGURE_MIME]: payload, 'image/png': 'old' },
      metadata: { [FIGURE_MIME]: { staticImage: 'olddigest' } }
    };
    expect(hasStaticImage(output, digest)).toBe(false);
    expect(withStaticImage(output, 'new', digest, size)?.data['image/png']).toBe('new');
  });

  it('does not trust an image without the digest (written by someone else)', () => {
    expect(hasStaticImage({ data: { 'image/png': 'x' }, metadata: {} }, digest)).toBe(false);
    expect(hasStaticImage({ data: {}, metadata: { [FIGURE_MIME]: { staticImage: digest } } }, digest)).toBe(
      false
    );
  });

  it('takes the base64 part of a PNG data URL only', () => {
    expect(pngFromDataUrl('data:image/png;base64,iVBOR')).toBe('iVBOR');
    expect(pngFromDataUrl('data:image/svg+xml,<svg/>')).toBeNull();
    expect(pngFromDataUrl('data:image/png;base64,')).toBeNull();
  });
});
