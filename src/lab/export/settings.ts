/**
 * The export part of the nnmotifs settings (`export` in `schema/plugin.json`). DOM-free.
 */
import { EXPORT_FORMATS, resolveExportPreset } from '../../render/preset';
import { DEFAULT_FIGURE_SETTINGS } from '../model';
import { IFigureSettings } from '../tokens';

/** The export fields of the figure settings. */
export type ExportSettings = Pick<IFigureSettings, 'exportPreset' | 'exportFolder' | 'exportAllFormats'>;

/**
 * The export settings from the `export` object of the settings (`schema/plugin.json`). A field that is
 * missing or invalid falls back to its default, and an invalid one is reported on the console.
 *
 * @param value - `settings.composite.export`.
 * @example
 * ```ts
 * readExportSettings({ journal: 'elsevier', dpi: 600 }).exportPreset.dpi; // 600
 * ```
 */
export function readExportSettings(value: unknown): ExportSettings {
  const given = value !== null && typeof value === 'object' && !Array.isArray(value) ? value : {};
  const { folder, formats, ...presetFields } = given as Record<string, unknown>;
  const preset: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(presetFields)) {
    try {
      resolveExportPreset({ [key]: field });
      preset[key] = field;
    } catch (error) {
      console.warn(
        `nnmotifs: ignoring the export setting ${key}:`,
        error instanceof Error ? error.message : error
      );
    }
  }
  const allFormats = Array.isArray(formats)
    ? EXPORT_FORMATS.filter(format => (formats as unknown[]).includes(format))
    : [];
  return {
    exportPreset: resolveExportPreset(preset),
    exportFolder:
      typeof folder === 'string'
        ? folder.trim().replace(/^\/+|\/+$/g, '')
        : DEFAULT_FIGURE_SETTINGS.exportFolder,
    exportAllFormats: allFormats.length > 0 ? allFormats : DEFAULT_FIGURE_SETTINGS.exportAllFormats
  };
}
