/**
 * Export targets made from payloads: a figure drawn by plotly off-screen (also what the figure renderer
 * registers, so the screen and "export all" draw the same), and a network view drawn by `networkSvg`.
 */
import type { Data, Layout } from 'plotly.js';
import { publicationLayout } from '../../figures/export-preset';
import type { NetworkViewSpec } from '../../figures/network-spec';
import { networkSvg } from '../../figures/network-svg';
import type { FigureSpec } from '../../figures/spec';
import { loadPlotly } from '../plotly';
import { IExportRenderOptions, IExportTarget } from '../tokens';

/**
 * The export target of a figure: plotly's SVG of the spec with the publication layout (size, font, white
 * paper; the Okabe–Ito palette stays).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * const svg = await figureExportTarget(spec).toSvg({ widthPx: 336, heightPx: 208, fontFamily: 'Arial', fontSize: 8, background: '#fff' });
 * ```
 */
export function figureExportTarget(spec: FigureSpec): IExportTarget {
  return {
    exportName: spec.meta.exportName,
    toSvg: async (options: IExportRenderOptions): Promise<string> => {
      const plotly = await loadPlotly();
      const layout = publicationLayout(spec.layout, options);
      const url = await plotly.toImage(
        {
          data: spec.data as unknown as Data[],
          layout: layout as Partial<Layout>,
          config: { typesetMath: false, displaylogo: false }
        },
        { format: 'svg', width: options.widthPx, height: options.heightPx }
      );
      // plotly returns the SVG as a URL-encoded `data:image/svg+xml,…`.
      return decodeURIComponent(url.slice(url.indexOf(',') + 1));
    }
  };
}

/**
 * The export target of a network-view payload drawn in the layered layout (what "export all" uses for
 * network views that are not on screen).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * const svg = await networkExportTarget(spec).toSvg({ widthPx: 336, heightPx: 208, fontFamily: 'Arial', fontSize: 8, background: '#fff' });
 * ```
 */
export function networkExportTarget(spec: NetworkViewSpec): IExportTarget {
  return {
    exportName: spec.meta.exportName,
    toSvg: (options: IExportRenderOptions): Promise<string> => Promise.resolve(networkSvg(spec, options))
  };
}
