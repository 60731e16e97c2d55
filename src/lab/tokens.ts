/**
 * Interfaces and dependency-injection tokens of the nnmotifs lab plugins.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import type { ExportDrawing } from '../render/drawing';
import type { ExportFormat, ExportPreset } from '../render/preset';
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

/**
 * A rendered output that can be exported (a figure or a network view). Renderers register one per output
 * node (`export/registry.ts`); the toolbar, the context menu and "export all" find it there. Every format
 * is drawn from the view's drawing by the one export pipeline (`src/render/browser/pipeline.ts`), the same
 * code the kernel's `nm.save` runs.
 */
export interface IExportTarget {
  /** File name without extension, from the payload's `meta.exportName`. */
  readonly exportName: string;
  /** What to draw: the payload, and for a network view its on-screen layout and highlighted motif. */
  drawing(): ExportDrawing;
}
