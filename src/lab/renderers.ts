/**
 * The `nnmotifs:renderers` plugin: draws `application/vnd.nnmotifs.figure+json` outputs with plotly.js and
 * `application/vnd.nnmotifs.network+json` outputs with sigma.js. A plugin rather than a MIME extension, so
 * the renderers get their services as tokens: the figure environment, the export registry and (when
 * installed) the Network Inspector.
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import type { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { FIGURE_MIME, NETWORK_MIME } from '../figures/spec';
import { IExportRegistry, IFigureEnvironment, INetworkInspector } from './tokens';
import { FigureRenderer } from './views/figure';
import { NetworkRenderer } from './views/network';

/**
 * Rank of the renderers: below every built-in renderer (HTML 50, images 90, text 120), so a bundle that
 * carries the figure, its static `image/png` and its `text/plain` shows the live figure where the extension
 * is installed; elsewhere the image, then the text, is what frontends pick.
 */
export const FIGURE_RENDERER_RANK = 10;

/**
 * The two renderer factories. Safe: untrusted payloads are validated and sanitized, never executed.
 *
 * @param inspector - the Network Inspector, or `null` (network views then show no "Open in Inspector").
 */
export function figureRenderers(
  environment: IFigureEnvironment,
  exports: IExportRegistry,
  inspector: INetworkInspector | null
): { figure: IRenderMime.IRendererFactory; network: IRenderMime.IRendererFactory } {
  return {
    figure: {
      safe: true,
      mimeTypes: [FIGURE_MIME],
      defaultRank: FIGURE_RENDERER_RANK,
      createRenderer: options => new FigureRenderer(options, environment, exports)
    },
    network: {
      safe: true,
      mimeTypes: [NETWORK_MIME],
      defaultRank: FIGURE_RENDERER_RANK,
      createRenderer: options => new NetworkRenderer(options, environment, exports, inspector)
    }
  };
}

/** Registers the figure and network-view renderers with JupyterLab's rendermime registry. */
export const renderersPlugin: JupyterFrontEndPlugin<void> = {
  id: 'nnmotifs:renderers',
  description: 'Draws nnmotifs figures (plotly.js) and network views (sigma.js) in outputs.',
  autoStart: true,
  requires: [IRenderMimeRegistry, IFigureEnvironment, IExportRegistry],
  optional: [INetworkInspector],
  activate: (
    _app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    environment: IFigureEnvironment,
    exports: IExportRegistry,
    inspector: INetworkInspector | null
  ): void => {
    const renderers = figureRenderers(environment, exports, inspector);
    rendermime.addFactory(renderers.figure, FIGURE_RENDERER_RANK);
    rendermime.addFactory(renderers.network, FIGURE_RENDERER_RANK);
  }
};
