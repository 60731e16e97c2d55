/**
 * Multi-panel figures: `nm.figures.panels` specs, and their export through the kernel path (one file,
 * letters a, b, …, every panel at the same size, nothing overlapping, fonts embedded).
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { panelLetter, panels } from '../../src/figures/panels';
import { closeSaveBrowser, exportPage, save } from '../../src/kernel/save';
import type { PageRenderer } from '../../src/render/drawing';
import { panelSize, pngPixelSize, resolveExportPreset } from '../../src/render/preset';
import { figureGallery } from '../helpers/figure-gallery';

const gallery = figureGallery();
const pick = (builder: string) => gallery.find(g => g.builder === builder)!.spec;
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nnmotifs-panels-'));
});
afterAll(async () => {
  await closeSaveBrowser();
  await rm(dir, { recursive: true, force: true });
});

describe('panels', () => {
  it('letters panels a…z, aa… (or A…), and refuses bad input by name', () => {
    expect([0, 1, 25, 26, 27].map(k => panelLetter(k, 'a'))).toEqual(['a', 'b', 'z', 'aa', 'ab']);
    expect(panelLetter(2, 'A')).toBe('C');
    expect(panelLetter(2, 'none')).toBe('');
    const a = pick('nodeStrength');
    expect(panels([a, { spec: a }]).columns).toBe(2);
    expect(panels([a, a, a, a]).columns).toBe(2);
    expect(() => panels([])).toThrow(/no figures/);
    expect(() => panels([a], { columns: 2 })).toThrow(/columns must be a whole number from 1 to 1, got 2/);
    expect(() => panels([a, {} as never])).toThrow(/figure 1 is not a figure/);
  });

  it('exports four builders as one lettered 2 × 2 figure: fitted, fonts embedded, PNG at the grid size', async () => {
    const spec = panels(
      [pick('motifZScore'), pick('nodeStrength'), pick('networkView'), pick('trainingCurves')],
      {
        columns: 2
      }
    );
    const fields = { journal: 'nature' as const, column: 'double' as const };
    const size = panelSize(resolveExportPreset(fields), 4, 2);
    const svg = await readFile(await save(spec, join(dir, 'p.svg'), fields), 'utf8');
    const page = await exportPage();
    const measured = await page.evaluate(text => {
      const { nnmotifsRender } = globalThis as unknown as { nnmotifsRender: PageRenderer };
      return nnmotifsRender.checkSvg(text);
    }, svg);
    expect(measured.problems).toEqual([]);
    expect(measured.width).toBeCloseTo(size.widthPx, 0);
    expect(measured.height).toBeCloseTo(size.heightPx, 0);
    for (const letter of ['a', 'b', 'c', 'd']) expect(measured.quads.map(q => q.text)).toContain(letter);
    const png = await readFile(await save(spec, join(dir, 'p.png'), fields));
    expect({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) }).toEqual(
      pngPixelSize(size.widthPx, size.heightPx, 300)
    );
    const pdf = await save(spec, join(dir, 'p.pdf'), fields);
    const fonts = execFileSync('pdffonts', [pdf], { encoding: 'utf8' });
    // The regular face and the bold one of the letters, both the shipped font (no standard-14 Helvetica).
    expect(fonts.match(/^Liberation Sans\s/gm)?.length).toBe(2);
    expect(fonts).not.toMatch(/Helvetica/);
    for (const line of fonts.trim().split('\n').slice(2)) expect(line.split(/\s+/).slice(-5)[0]).toBe('yes');
    const text = execFileSync('pdftotext', [pdf, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    expect(text).toContain('Node strength per layer');
    expect(text).toMatch(/(^| )a( |$)/);
  }, 300_000);
});
