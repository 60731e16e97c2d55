/**
 * The MIME renderer extension (package.json `jupyterlab.mimeExtension`): draws
 * `application/vnd.nnmotifs.figure+json` outputs with plotly.js and `application/vnd.nnmotifs.network+json`
 * outputs with sigma.js.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { FIGURE_MIME, NETWORK_MIME } from '../figures/spec';
import { figureEnvironment } from './model';
import { FigureRenderer } from './views/figure';
import { NetworkRenderer } from './views/network';

/**
 * Rank of the figure renderer: below every built-in renderer (HTML 50, images 90, text 120), so a bundle
 * that carries the figure, its static `image/png` and its `text/plain` shows the live figure where the
 * extension is installed; elsewhere the image, then the text, is what frontends pick.
 */
export const FIGURE_RENDERER_RANK = 10;

/** Creates figure renderers. Safe: untrusted payloads are validated and sanitized, never executed. */
export const figureRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [FIGURE_MIME],
  defaultRank: FIGURE_RENDERER_RANK,
  createRenderer: options => new FigureRenderer(options, figureEnvironment)
};

const extension: IRenderMime.IExtension = {
  id: 'nnmotifs:figure-renderer',
  description: 'Draws nnmotifs figures (application/vnd.nnmotifs.figure+json) with plotly.js.',
  rendererFactory: figureRendererFactory,
  rank: FIGURE_RENDERER_RANK,
  dataType: 'json'
};

/** Creates network-view renderers (sigma.js); same rank and safety as the figure renderer. */
export const networkRendererFactory: IRenderMime.IRendererFactory = {
  safe: true,
  mimeTypes: [NETWORK_MIME],
  defaultRank: FIGURE_RENDERER_RANK,
  createRenderer: options => new NetworkRenderer(options, figureEnvironment)
};

const networkExtension: IRenderMime.IExtension = {
  id: 'nnmotifs:network-renderer',
  description: 'Draws nnmotifs network views (application/vnd.nnmotifs.network+json) with sigma.js.',
  rendererFactory: networkRendererFactory,
  rank: FIGURE_RENDERER_RANK,
  dataType: 'json'
};

export default [extension, networkExtension];
