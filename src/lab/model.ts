/**
 * State shared by the figure renderers: the JupyterLab theme as plot colours, and the user's settings.
 */
import { ISignal, Signal } from '@lumino/signaling';
import { DEFAULT_EXPORT_PRESET } from '../render/preset';
import { IFigureEnvironment, IFigureSettings } from './tokens';
import { PRINT_THEME, PlotTheme } from './theming';

/** Settings before the settings registry has answered (the schema's defaults). */
export const DEFAULT_FIGURE_SETTINGS: Readonly<IFigureSettings> = Object.freeze({
  staticImage: true,
  exportPreset: DEFAULT_EXPORT_PRESET,
  exportFolder: 'figures',
  exportAllFormats: Object.freeze(['svg', 'pdf'] as const)
});

/**
 * Reads the plot colours and font of the current JupyterLab theme from its CSS variables.
 *
 * @param element - where the variables are read (JupyterLab defines them on `:root`/`body`).
 * @returns the theme; a variable that is not set falls back to {@link PRINT_THEME}.
 */
export function readPlotTheme(element: Element = document.body): PlotTheme {
  const style = getComputedStyle(element);
  const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
  const fontSize = parseFloat(read('--jp-ui-font-size1', ''));
  return {
    background: read('--jp-layout-color0', PRINT_THEME.background),
    foreground: read('--jp-ui-font-color1', PRINT_THEME.foreground),
    grid: read('--jp-border-color2', PRINT_THEME.grid),
    line: read('--jp-border-color1', PRINT_THEME.line),
    fontFamily: read('--jp-ui-font-family', PRINT_THEME.fontFamily),
    fontSize: Number.isFinite(fontSize) && fontSize > 0 ? fontSize : PRINT_THEME.fontSize
  };
}

/** The shared figure environment; the plugins feed it, the renderers read it. */
export class FigureEnvironment implements IFigureEnvironment {
  private _theme: PlotTheme | null = null;
  private _settings: IFigureSettings = DEFAULT_FIGURE_SETTINGS;
  private readonly _changed = new Signal<IFigureEnvironment, 'theme' | 'settings'>(this);

  /** Colours of the current theme, read lazily so nothing touches the DOM before a figure is drawn. */
  get theme(): PlotTheme {
    if (this._theme === null) this._theme = readPlotTheme();
    return this._theme;
  }

  get settings(): IFigureSettings {
    return this._settings;
  }

  get changed(): ISignal<IFigureEnvironment, 'theme' | 'settings'> {
    return this._changed;
  }

  /** Re-reads the theme's CSS variables (after JupyterLab applied a new theme) and tells the renderers. */
  refreshTheme(): void {
    this._theme = readPlotTheme();
    this._changed.emit('theme');
  }

  /** Replaces the settings and tells the renderers. */
  updateSettings(settings: IFigureSettings): void {
    this._settings = settings;
    this._changed.emit('settings');
  }
}
