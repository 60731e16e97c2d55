/**
 * JupyterLab plugins of nnmotifs (package.json `jupyterlab.extension`), one per concern. They meet through
 * the tokens of `tokens.ts`: settings provides IFigureEnvironment, export provides IExportRegistry, the
 * Inspector provides INetworkInspector, and the renderers (`renderers.ts`) require them.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IThemeManager } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { DEFAULT_FIGURE_SETTINGS, FigureEnvironment } from './model';
import { IFigureEnvironment, IFigureSettings } from './tokens';
import { inspectorPlugin } from './inspector/plugin';
import { exportPlugin } from './export/plugin';
import { renderersPlugin } from './renderers';
import { readExportSettings } from './export/settings';

/** Id of the settings plugin; its schema is `schema/plugin.json`. */
export const SETTINGS_PLUGIN_ID = 'nnmotifs:plugin';

function readSettings(settings: ISettingRegistry.ISettings): IFigureSettings {
  const staticImage = settings.composite.staticImage;
  return {
    staticImage: typeof staticImage === 'boolean' ? staticImage : DEFAULT_FIGURE_SETTINGS.staticImage,
    ...readExportSettings(settings.composite.export)
  };
}

/** Provides the figure environment and keeps it in step with the user's settings. */
const settingsPlugin: JupyterFrontEndPlugin<IFigureEnvironment> = {
  id: SETTINGS_PLUGIN_ID,
  description: 'Settings of the nnmotifs figures; provides the environment the renderers share.',
  autoStart: true,
  provides: IFigureEnvironment,
  optional: [ISettingRegistry],
  activate: (_app: JupyterFrontEnd, registry: ISettingRegistry | null): IFigureEnvironment => {
    const figureEnvironment = new FigureEnvironment();
    if (registry !== null) {
      registry
        .load(SETTINGS_PLUGIN_ID)
        .then(settings => {
          figureEnvironment.updateSettings(readSettings(settings));
          settings.changed.connect(() => figureEnvironment.updateSettings(readSettings(settings)));
        })
        .catch((reason: unknown) => {
          console.error('nnmotifs: could not load the settings; using the defaults.', reason);
        });
    }
    return figureEnvironment;
  }
};

/** Redraws figures in the colours of the JupyterLab theme whenever the theme changes. */
const themePlugin: JupyterFrontEndPlugin<void> = {
  id: 'nnmotifs:theme',
  description: 'Follows the JupyterLab light/dark theme in nnmotifs figures.',
  autoStart: true,
  requires: [IFigureEnvironment],
  optional: [IThemeManager],
  activate: (_app: JupyterFrontEnd, environment: IFigureEnvironment, themes: IThemeManager | null): void => {
    // themeChanged fires once the theme's CSS is applied, so the variables read now are the new ones.
    themes?.themeChanged.connect(() => environment.refreshTheme());
  }
};

export default [settingsPlugin, themePlugin, inspectorPlugin, exportPlugin, renderersPlugin];
