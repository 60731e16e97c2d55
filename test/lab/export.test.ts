import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_EXPORT_PRESET } from '../../src/render/preset';
import { exportView, safeFileName } from '../../src/lab/export/exporter';
import { ExportContents, freeName, joinPath, saveExportedFile } from '../../src/lab/export/files';
import { readExportSettings } from '../../src/lab/export/settings';

/** An in-memory contents manager: paths to saved models; 404 errors like the server's. */
function fakeContents(initial: string[] = []): ExportContents & { files: Map<string, unknown> } {
  const files = new Map<string, unknown>(initial.map(p => [p, { type: 'file' }]));
  return {
    files,
    get: vi.fn(async (path: string) => {
      if (!files.has(path)) throw Object.assign(new Error('not found'), { response: { status: 404 } });
      return { path } as never;
    }),
    save: vi.fn(async (path: string, model: unknown) => {
      files.set(path, model);
      return { path } as never;
    })
  } as unknown as ExportContents & { files: Map<string, unknown> };
}

const svgFile = {
  name: 'strength.svg',
  format: 'svg',
  content: '<svg/>',
  contentFormat: 'text',
  mimetype: 'image/svg+xml'
} as const;

describe('saveExportedFile', () => {
  it('creates the folder and its parents and writes the file', async () => {
    const contents = fakeContents();
    const ask = vi.fn();
    expect(await saveExportedFile(contents, 'work/figures', svgFile, ask)).toBe('work/figures/strength.svg');
    expect(contents.files.get('work')).toEqual({ type: 'directory' });
    expect(contents.files.get('work/figures')).toEqual({ type: 'directory' });
    expect(contents.files.get('work/figures/strength.svg')).toEqual({
      type: 'file',
      format: 'text',
      content: '<svg/>',
      mimetype: 'image/svg+xml'
    });
    expect(ask).not.toHaveBeenCalled();
  });

  it('never overwrites without asking: keep both, overwrite or cancel', async () => {
    const existing = ['figures', 'figures/strength.svg', 'figures/strength-1.svg'];
    const keep = fakeContents(existing);
    const ask = vi.fn(async () => 'keepBoth' as const);
    expect(await saveExportedFile(keep, 'figures', svgFile, ask)).toBe('figures/strength-2.svg');
    expect(ask).toHaveBeenCalledWith('figures/strength.svg');
    expect(keep.files.get('figures/strength.svg')).toEqual({ type: 'file' });

    const overwrite = fakeContents(existing);
    expect(await saveExportedFile(overwrite, 'figures', svgFile, async () => 'overwrite')).toBe(
      'figures/strength.svg'
    );
    expect(overwrite.files.get('figures/strength.svg')).toMatchObject({ content: '<svg/>' });

    const cancel = fakeContents(existing);
    expect(await saveExportedFile(cancel, 'figures', svgFile, async () => 'cancel')).toBeNull();
    expect(cancel.save).not.toHaveBeenCalled();
  });

  it('passes other contents errors on instead of taking them for a missing file', async () => {
    const contents = fakeContents();
    contents.get = vi.fn(async () => {
      throw Object.assign(new Error('forbidden'), { response: { status: 403 } });
    });
    await expect(saveExportedFile(contents, 'figures', svgFile, vi.fn())).rejects.toThrow('forbidden');
  });
});

describe('file names', () => {
  it('finds the next free name', async () => {
    const taken = new Set(['a.pdf', 'a-1.pdf']);
    expect(await freeName('a.pdf', async n => taken.has(n))).toBe('a-2.pdf');
    expect(await freeName('b.pdf', async n => taken.has(n))).toBe('b.pdf');
    expect(await freeName('noext', async n => n === 'noext')).toBe('noext-1');
  });

  it('joins server paths and makes export names safe file names', () => {
    expect(joinPath('', 'figures')).toBe('figures');
    expect(joinPath('a/b/', '/figures/', 'x.svg')).toBe('a/b/figures/x.svg');
    expect(safeFileName('../../etc/passwd')).toBe('etc-passwd');
    expect(safeFileName('node strength: layer 1')).toBe('node strength- layer 1');
    expect(safeFileName('...')).toBe('figure');
  });
});

describe('exportView', () => {
  it("hands the target's drawing and the preset to the one export pipeline and names the file", async () => {
    const renderExport = vi.fn(async () => ({
      format: 'svg' as const,
      content: '<svg/>',
      encoding: 'text' as const
    }));
    vi.doMock('../../src/render/browser/pipeline', () => ({ renderExport }));
    const spec = { meta: { exportName: 'a/b' } } as never;
    const preset = { ...DEFAULT_EXPORT_PRESET, fontSizePt: 8 };
    const environment = { plotly: vi.fn(), pdf: vi.fn(), fonts: vi.fn() };
    const file = await exportView(
      { exportName: 'a/b', drawing: () => ({ kind: 'figure', spec }) },
      'svg',
      preset,
      environment
    );
    expect(file).toEqual({
      name: 'a-b.svg',
      format: 'svg',
      content: '<svg/>',
      contentFormat: 'text',
      mimetype: 'image/svg+xml'
    });
    expect(renderExport).toHaveBeenCalledWith({ kind: 'figure', spec }, 'svg', preset, environment);
    vi.doUnmock('../../src/render/browser/pipeline');
  });
});

describe('readExportSettings', () => {
  it('reads the preset, the folder and the formats, with defaults for what is missing', () => {
    expect(readExportSettings(undefined)).toEqual({
      exportPreset: DEFAULT_EXPORT_PRESET,
      exportFolder: 'figures',
      exportAllFormats: ['svg', 'pdf']
    });
    const read = readExportSettings({
      journal: 'elsevier',
      column: 'double',
      dpi: 600,
      folder: '/out/',
      formats: ['pdf', 'png']
    });
    expect(read.exportPreset).toMatchObject({ journal: 'elsevier', column: 'double', dpi: 600 });
    expect(read.exportFolder).toBe('out');
    expect(read.exportAllFormats).toEqual(['png', 'pdf']);
  });

  it('ignores an invalid field with a warning and keeps the valid ones', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const read = readExportSettings({ dpi: -1, fontSizePt: 9 });
    expect(read.exportPreset.dpi).toBe(300);
    expect(read.exportPreset.fontSizePt).toBe(9);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('dpi'), expect.stringContaining('dpi is -1'));
    warn.mockRestore();
  });
});
