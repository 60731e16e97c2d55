/**
 * Export targets made from payloads: what the figure renderer registers, and what "export all" draws for
 * outputs that are not on screen.
 */
import type { NetworkViewSpec } from '../../figures/network-spec';
import type { FigureSpec } from '../../figures/spec';
import { IExportTarget } from '../tokens';

/**
 * The export target of a figure payload.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([Float64Array.of(0.1, 0.4)]);
 * figureExportTarget(spec).drawing().kind; // 'figure'
 * ```
 */
export function figureExportTarget(spec: FigureSpec): IExportTarget {
  return { exportName: spec.meta.exportName, drawing: () => ({ kind: 'figure', spec }) };
}

/**
 * The export target of a network-view payload drawn in the layered layout.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * networkExportTarget(spec).drawing().kind; // 'network'
 * ```
 */
export function networkExportTarget(spec: NetworkViewSpec): IExportTarget {
  return { exportName: spec.meta.exportName, drawing: () => ({ kind: 'network', spec }) };
}
