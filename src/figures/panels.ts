/**
 * Multi-panel figures for papers: several figures (and network views) side by side in one file, with
 * panel letters and shared sizing. The spec is data like every figure; the export pipeline draws each
 * panel at its cell's size and composes them (`render/browser/pipeline.ts`).
 */
import type { NetworkViewSpec } from './network-spec';
import type { FigureSpec, JsonObject } from './spec';

/** Version of the panel-figure spec. */
export const PANELS_SPEC_VERSION = 1;

/** How panels are lettered: `a` gives a, b, c…; `A` gives A, B, C…; `none` draws no letters. */
export type PanelLabels = 'a' | 'A' | 'none';

/** Options of {@link panels}. */
export interface PanelsOptions {
  /** Panels per row. Default: all in one row up to 3, then 2 per row. */
  columns?: number;
  /** Panel letters. Default `a`. */
  labels?: PanelLabels;
  /** Title of the whole figure (not drawn; used for the file's metadata). Default: the panels' titles. */
  title?: string;
  /** File name without extension. Default `panels`. */
  exportName?: string;
  provenance?: JsonObject;
}

/** A multi-panel figure: its panels in reading order and how they are arranged. */
export interface PanelFigureSpec {
  version: typeof PANELS_SPEC_VERSION;
  panels: (FigureSpec | NetworkViewSpec)[];
  columns: number;
  labels: PanelLabels;
  meta: { kind: 'panels'; title: string; exportName: string; provenance: JsonObject };
}

/**
 * The letter of panel `index` (0-based): `a`…`z`, then `aa`, `ab`….
 *
 * @example
 * ```ts
 * panelLetter(1, 'A'); // 'B'
 * ```
 */
export function panelLetter(index: number, labels: PanelLabels): string {
  if (labels === 'none') return '';
  let n = index;
  let out = '';
  do {
    out = String.fromCharCode(97 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return labels === 'A' ? out.toUpperCase() : out;
}

function isSpec(value: unknown): value is FigureSpec | NetworkViewSpec {
  const v = value as { meta?: { title?: unknown }; data?: unknown; nodes?: unknown } | null;
  return (
    v !== null &&
    typeof v === 'object' &&
    typeof v.meta?.title === 'string' &&
    (Array.isArray(v.data) || (typeof v.nodes === 'object' && v.nodes !== null))
  );
}

/**
 * Several figures as one multi-panel figure: `nm.save(nm.figures.panels([a, b]), 'fig2.pdf')` writes one
 * file with the panels on a grid (each the same size), lettered a, b, … at their top-left corners.
 *
 * @param figures - figure specs (`nm.figures.*`), network views, or display handles holding one in `spec`.
 * @param options - columns, letters, export name.
 * @throws RangeError when there is no figure, something is not a figure, or `columns` is not a whole
 *   number from 1 to the number of panels.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const a = nm.figures.nodeStrengthFigure([new Float64Array([0.1, 0.4, 0.2])]);
 * const b = nm.figures.layerFluctuationFigure([{ name: 'net', values: [0.2, 0.3] }]);
 * await nm.save(nm.figures.panels([a, b], { columns: 2, labels: 'a' }), 'figures/fig2.pdf', { column: 'double' });
 * ```
 */
export function panels(
  figures: readonly (FigureSpec | NetworkViewSpec | { readonly spec: FigureSpec | NetworkViewSpec })[],
  options: PanelsOptions = {}
): PanelFigureSpec {
  if (figures.length === 0) throw new RangeError('panels: no figures given');
  const specs = figures.map((f, k) => {
    const spec = isSpec(f) ? f : (f as { spec?: unknown }).spec;
    if (!isSpec(spec)) {
      throw new RangeError(`panels: figure ${k} is not a figure or network view spec (nm.figures.*)`);
    }
    return spec;
  });
  const columns = options.columns ?? (specs.length <= 3 ? specs.length : 2);
  if (!Number.isInteger(columns) || columns < 1 || columns > specs.length) {
    throw new RangeError(`panels: columns must be a whole number from 1 to ${specs.length}, got ${columns}`);
  }
  const labels = options.labels ?? 'a';
  if (!['a', 'A', 'none'].includes(labels)) {
    throw new RangeError(`panels: labels must be "a", "A" or "none", got ${JSON.stringify(labels)}`);
  }
  return {
    version: PANELS_SPEC_VERSION,
    panels: specs,
    columns,
    labels,
    meta: {
      kind: 'panels',
      title: options.title ?? specs.map(s => s.meta.title).join(' | '),
      exportName: options.exportName ?? 'panels',
      provenance: { ...(options.provenance ?? {}), panels: specs.map(s => s.meta.kind) }
    }
  };
}
