import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzlibSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { exportSize, pngPixelSize, resolveExportPreset } from '../../src/render/preset';
import { networkView } from '../../src/figures/network';
import { nodeStrengthFigure } from '../../src/figures/strength';
import { showFigure } from '../../src/kernel/display';
import { closeSaveBrowser, save } from '../../src/kernel/save';

const figure = nodeStrengthFigure([new Float64Array([0.1, 0.4, 0.2]), new Float64Array([1, -0.5])], {
  title: 'Strength for export'
});

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnmotifs-save-'));
});
afterAll(async () => {
  await closeSaveBrowser();
  await rm(dir, { recursive: true, force: true });
});

/** Parses XML strictly; returns the text content of all nodes. */
function xmlText(xml: string): string {
  const parser = new SaxesParser();
  let text = '';
  parser.on('error', error => {
    throw error;
  });
  parser.on('text', t => (text += t));
  parser.write(xml).close();
  return text;
}

/** The decoded content streams of a PDF (Flate streams inflated). */
function pdfStreams(pdf: Buffer): { dict: string; body: string }[] {
  const out: { dict: string; body: string }[] = [];
  const text = pdf.toString('latin1');
  const re = /<<((?:[^<>]|<<(?:[^<>]|<<[^<>]*>>)*>>|<[^<>]*>)*)>>\s*stream\r?\n/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const start = m.index + m[0].length;
    const end = text.indexOf('endstream', start);
    const raw = pdf.subarray(start, end);
    let body: string;
    try {
      body = m[1].includes('/FlateDecode')
        ? Buffer.from(unzlibSync(raw)).toString('latin1')
        : raw.toString('latin1');
    } catch {
      body = '';
    }
    out.push({ dict: m[1], body });
  }
  return out;
}

describe('nm.save', () => {
  it('writes an SVG that parses and holds the title, at the preset size', async () => {
    const path = await save(figure, join(dir, 'new/folder/strength.svg'));
    const svg = await readFile(path, 'utf8');
    expect(xmlText(svg)).toContain('Strength for export');
    const size = exportSize(resolveExportPreset({}));
    const width = Number(/<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
    expect(width).toBeCloseTo(size.widthPx, 0);
    // White paper by default.
    expect(svg).toMatch(/fill: ?rgb\(255, 255, 255\)/);
  });

  it('writes a PNG of the size the DPI asks for', async () => {
    const path = await save(figure, join(dir, 'strength.png'), {
      dpi: 150,
      journal: 'elsevier',
      column: 'double'
    });
    const png = await readFile(path);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    const { widthPx, heightPx } = exportSize(resolveExportPreset({ journal: 'elsevier', column: 'double' }));
    const expected = pngPixelSize(widthPx, heightPx, 150);
    expect(Math.abs(png.readUInt32BE(16) - expected.width)).toBeLessThanOrEqual(1);
    expect(Math.abs(png.readUInt32BE(20) - expected.height)).toBeLessThanOrEqual(1);
  });

  it('writes a one-page vector PDF at the preset size in mm', async () => {
    const path = await save({ spec: figure }, join(dir, 'strength.pdf'), {
      journal: 'custom',
      widthMm: 120,
      heightMm: 80
    });
    const pdf = await readFile(path);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text.match(/\/Type\s*\/Page[^s]/g)).toHaveLength(1);
    // MediaBox in points: 120 mm x 80 mm.
    const box = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text);
    // Chromium rounds the page size a little (341.04 pt for 120 mm): within 1.5 pt (0.5 mm).
    expect(Math.abs(Number(box?.[1]) - (120 / 25.4) * 72)).toBeLessThan(1.5);
    expect(Math.abs(Number(box?.[2]) - (80 / 25.4) * 72)).toBeLessThan(1.5);
    const streams = pdfStreams(pdf);
    const content = streams.map(s => s.body).join('\n');
    // Text is drawn as text (BT … Tj/TJ … ET) and lines as paths, not as one picture of the page.
    expect(content).toMatch(/BT[\s\S]*?T[jJ][\s\S]*?ET/);
    expect(content).toMatch(/\d \d+(\.\d+)? [ml]\b/);
    expect(streams.some(s => /\/Subtype\s*\/Image/.test(s.dict))).toBe(false);
  });

  it('writes network views too: SVG with the title, PNG at the DPI, vector PDF', async () => {
    const view = networkView(
      {
        layers: [
          { nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0.5, 2) },
          { nIn: 2, nOut: 1, weights: Float64Array.of(1, -1) }
        ]
      },
      { title: 'Tiny network' }
    );
    const svg = await readFile(await save(view, join(dir, 'net.svg')), 'utf8');
    expect(xmlText(svg)).toContain('Tiny network');
    const png = await readFile(await save(view, join(dir, 'net.png'), { dpi: 200 }));
    const { widthPx, heightPx } = exportSize(resolveExportPreset({}));
    expect(png.readUInt32BE(16)).toBe(pngPixelSize(widthPx, heightPx, 200).width);
    const pdf = await readFile(await save(view, join(dir, 'net.pdf')));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdfStreams(pdf).some(s => /BT[\s\S]*?T[jJ]/.test(s.body))).toBe(true);
  });

  it('saves the latest figure of a display handle', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined); // outside a notebook the handle prints
    const handle = showFigure(figure);
    handle.update(nodeStrengthFigure([new Float64Array([3, 1])], { title: 'Updated figure' }));
    const svg = await readFile(await save(handle, join(dir, 'handle.svg')), 'utf8');
    expect(xmlText(svg)).toContain('Updated figure');
    vi.restoreAllMocks();
  });

  it('prints concurrent PDFs each at its own size, and starts a new browser after closeSaveBrowser', async () => {
    const mediaWidth = async (path: string): Promise<number> =>
      Number(/\/MediaBox\s*\[\s*0 0 ([\d.]+)/.exec((await readFile(path)).toString('latin1'))?.[1]);
    const [narrow, wide] = await Promise.all([
      save(figure, join(dir, 'narrow.pdf'), { journal: 'science', column: 'single' }),
      save(figure, join(dir, 'wide.pdf'), { journal: 'science', column: 'double' })
    ]);
    expect(Math.abs((await mediaWidth(narrow)) - (57 / 25.4) * 72)).toBeLessThan(1.5);
    expect(Math.abs((await mediaWidth(wide)) - (121 / 25.4) * 72)).toBeLessThan(1.5);
    await closeSaveBrowser();
    const again = await save(figure, join(dir, 'again.pdf'));
    expect((await readFile(again)).subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('refuses to overwrite unless asked, and leaves the file alone', async () => {
    const path = join(dir, 'exists.svg');
    await writeFile(path, 'keep me');
    await expect(save(figure, path)).rejects.toThrow(
      /exists\.svg already exists; pass \{ overwrite: true \}/
    );
    expect(await readFile(path, 'utf8')).toBe('keep me');
    await save(figure, path, { overwrite: true });
    expect(await readFile(path, 'utf8')).toContain('Strength for export');
  });

  it('refuses unknown extensions, bad presets and things that are not figures', async () => {
    await expect(save(figure, join(dir, 'a.jpg'))).rejects.toThrow(
      /must end in \.svg, \.png or \.pdf \(got \.jpg\)/
    );
    await expect(save(figure, join(dir, 'a.svg'), { dpi: 0 })).rejects.toThrow(/dpi is 0/);
    await expect(save({ nope: 1 } as never, join(dir, 'b.svg'))).rejects.toThrow(
      /must be a figure .* or network view .* spec/
    );
  });
});
