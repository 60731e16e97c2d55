/**
 * Interfaces and dependency-injection tokens of the nnmotifs lab plugins.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import type { ExportFormat, ExportPreset } from '../figures/export-preset';
import { PlotTheme } from './theming';

/** User settings that change how figures are rendered (`schema/plugin.json`). */
export interface IFigureSettings {
  /** Write a static PNG of each figure into its output so saved notebooks show it without the extension. */
  readonly staticImage: boolean;
  /** How exported figures look (journal width, height, font, DPI, background). */
  readonly exportPreset: Readonly<ExportPreset>;
  /** Folder, relative to the notebook, that exported files go to. */
  readonly exportFolder: string;
  /** Formats that "Export all figures of this notebook" writes. */
  readonly exportAllFormats: readonly ExportFormat[];
}

/**
 * What every figure renderer shares: the on-screen theme read from JupyterLab and the user's settings.
 * Renderers subscribe to `changed` to redraw when either changes.
 */
export interface IFigureEnvironment {
  /** Colours and font of the current JupyterLab theme. */
  readonly theme: PlotTheme;
  /** Current settings. */
  readonly settings: IFigureSettings;
  /** Emits `theme` after the JupyterLab theme changed, `settings` after the settings changed. */
  readonly changed: ISignal<IFigureEnvironment, 'theme' | 'settings'>;
}

/** The figure environment, provided by the `nnmotifs:plugin` plugin. */
export const IFigureEnvironment = new Token<IFigureEnvironment>(
  'nnmotifs:IFigureEnvironment',
  'Theme and settings shared by the nnmotifs figure renderers.'
);

/** How an exported view is drawn: page size and the publication style (from the export presets). */
export interface IExportRenderOptions {
  /** Width of the drawing in CSS pixels (1/96 inch). */
  readonly widthPx: number;
  /** Height of the drawing in CSS pixels. */
  readonly heightPx: number;
  /** CSS font family of all text. */
  readonly fontFamily: string;
  /** Base font size in points. */
  readonly fontSize: number;
  /** Background colour (publication presets use white whatever the theme). */
  readonly background: string;
}

/**
 * A rendered output that can be exported (a figure or a network view). Renderers register one per output
 * node (`export/registry.ts`); the toolbar, the context menu and "export all" find it there. PNG and PDF
 * are made from the SVG, so one vector drawing is the single source of every format.
 */
export interface IExportTarget {
  /** File name without extension, from the payload's `meta.exportName`. */
  readonly exportName: string;
  /** The view as a standalone SVG document drawn with the given options. */
  toSvg(options: IExportRenderOptions): Promise<string>;
}
