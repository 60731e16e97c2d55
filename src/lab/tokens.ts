/**
 * Interfaces and dependency-injection tokens of the nnmotifs lab plugins.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import type { ExportFormat, ExportPreset } from '../figures/export-preset';
import type { NetworkViewSpec } from '../figures/network-spec';
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
  /** Re-reads the theme's colours and font and emits `theme` (the theme plugin calls it on a change). */
  refreshTheme(): void;
}

/** The figure environment, provided by the `nnmotifs:plugin` plugin; the renderers and export require it. */
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
 * node with {@link IExportRegistry}; the toolbar, the context menu and "export all" find it there. PNG and PDF
 * are made from the SVG, so one vector drawing is the single source of every format.
 */
export interface IExportTarget {
  /** File name without extension, from the payload's `meta.exportName`. */
  readonly exportName: string;
  /** The view as a standalone SVG document drawn with the given options. */
  toSvg(options: IExportRenderOptions): Promise<string>;
}

/**
 * The exportable outputs of this JupyterLab page: renderers register their node with an export target (and
 * get the SVG / PNG / PDF toolbar), the export commands look targets up from DOM nodes.
 */
export interface IExportRegistry {
  /** Marks `node` (a renderer's root) as exportable through `target`; call again to replace the target. */
  register(node: HTMLElement, target: IExportTarget): void;
  /** Forgets the export target of `node` (when the renderer is disposed). */
  unregister(node: HTMLElement): void;
  /** The registered node at or above `node` and its export target, if any. */
  find(node: Element | null): { node: HTMLElement; target: IExportTarget } | undefined;
}

/** The export registry, provided by the `nnmotifs:export` plugin; the renderers require it. */
export const IExportRegistry = new Token<IExportRegistry>(
  'nnmotifs:IExportRegistry',
  'Where nnmotifs outputs register for export as SVG, PNG and PDF.'
);

/** The Network Inspector, as other plugins see it. */
export interface INetworkInspector {
  /** Opens a network view (an output's payload) in a new Inspector tab. */
  openView(payload: NetworkViewSpec): void;
}

/**
 * The Network Inspector, provided by the `nnmotifs:inspector` plugin; network-view renderers use it
 * (optionally) for their "Open in Inspector" button.
 */
export const INetworkInspector = new Token<INetworkInspector>(
  'nnmotifs:INetworkInspector',
  'Opens nnmotifs network views in the Network Inspector.'
);
