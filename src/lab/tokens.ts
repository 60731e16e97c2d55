/**
 * Interfaces and dependency-injection tokens of the nnmotifs lab plugins.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import type { ExportDrawing } from '../render/drawing';
import type { ExportFormat, ExportPreset } from '../render/preset';
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

/**
 * A rendered output that can be exported (a figure or a network view). Renderers register one per output
 * node with {@link IExportRegistry}; the toolbar, the context menu and "export all" find it there. Every
 * format is drawn from the view's drawing by the one export pipeline (`src/render/browser/pipeline.ts`), the
 * same code the kernel's `nm.save` runs.
 */
export interface IExportTarget {
  /** File name without extension, from the payload's `meta.exportName`. */
  readonly exportName: string;
  /** What to draw: the payload, and for a network view its on-screen layout and highlighted motif. */
  drawing(): ExportDrawing;
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
