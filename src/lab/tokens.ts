/**
 * Interfaces and dependency-injection tokens of the nnmotifs lab plugins.
 */
import { Token } from '@lumino/coreutils';
import { ISignal } from '@lumino/signaling';
import { PlotTheme } from './theming';

/** User settings that change how figures are rendered (`schema/plugin.json`). */
export interface IFigureSettings {
  /** Write a static PNG of each figure into its output so saved notebooks show it without the extension. */
  readonly staticImage: boolean;
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
