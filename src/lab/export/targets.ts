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
 * const file = await exportView(figureExportTarget(spec), 'pdf', DEFAULT_EXPORT_PRESET);
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
 * const file = await exportView(networkExportTarget(spec), 'svg', DEFAULT_EXPORT_PRESET);
 * ```
 */
export function networkExportTarget(spec: NetworkViewSpec): IExportTarget {
  return { exportName: spec.meta.exportName, drawing: () => ({ kind: 'network', spec }) };
}
