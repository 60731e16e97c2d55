import { sd } from '../core/stats';
import { figureSpec, FigureSpec, JsonObject, PALETTE } from './spec';

/** Options of {@link nodeStrengthFigure}. */
export interface NodeStrengthFigureOptions {
  /** Figure title. Default `Node strength per layer`. */
  title?: string;
  /** Names of the neuron layers; default `input`, `hidden 1`, …, `output`. */
  layerNames?: readonly string[];
  /** Extra provenance (network name, seed, …) stored in `meta.provenance`. */
  provenance?: JsonObject;
  /** Export file name without extension. Default `node-strength`. */
  exportName?: string;
  /** Draw every neuron as a point next to its box when the layer has at most this many neurons. Default 2000. */
  maxPoints?: number;
}

/**
 * Default names of `count` neuron layers: `input`, `hidden 1` … `hidden k`, `output`.
 *
 * @example
 * ```ts
 * defaultLayerNames(4); // ['input', 'hidden 1', 'hidden 2', 'output']
 * ```
 */
export function defaultLayerNames(count: number): string[] {
  return Array.from({ length: count }, (_, l) =>
    l === 0 ? 'input' : l === count - 1 ? 'output' : `hidden ${l}`
  );
}

/**
 * Distribution of node strength per neuron layer (La Malfa et al.): one box trace per neuron layer, each
 * neuron drawn as a point, the layer fluctuation `Y_l` (population sd of the strengths) in the trace name.
 *
 * @param strengths - one array per neuron layer, e.g. the result of `nodeStrength(net)` from core.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.nodeStrengthFigure([new Float64Array([0.5, -0.2]), new Float64Array([1, 2, 3])]);
 * spec.data.length; // 2
 * ```
 */
export function nodeStrengthFigure(
  strengths: readonly ArrayLike<number>[],
  options: NodeStrengthFigureOptions = {}
): FigureSpec {
  const names = options.layerNames ?? defaultLayerNames(strengths.length);
  if (names.length !== strengths.length) {
    throw new RangeError(
      `nodeStrengthFigure: ${strengths.length} neuron layers but ${names.length} layer names were given`
    );
  }
  const maxPoints = options.maxPoints ?? 2000;
  const title = options.title ?? 'Node strength per layer';
  const data: JsonObject[] = strengths.map((s, l) => {
    const y = Array.from(s);
    const colour = PALETTE[l % PALETTE.length];
    const fluctuation = sd(s, 0); // the layer fluctuation Y_l, as core `layerFluctuation`
    return {
      type: 'box',
      name: `${names[l]} (Y = ${fluctuation.toPrecision(3)})`,
      x: y.map(() => names[l]),
      y,
      boxpoints: y.length <= maxPoints ? 'all' : 'outliers',
      jitter: 0.4,
      pointpos: 0,
      marker: { color: colour, size: 4, opacity: 0.7 },
      line: { color: colour },
      hovertemplate: `${names[l]}<br>neuron %{pointNumber}<br>strength %{y:.4g}<extra></extra>`
    };
  });
  return figureSpec({
    kind: 'nodeStrength',
    title,
    exportName: options.exportName ?? 'node-strength',
    data,
    layout: {
      xaxis: { title: { text: 'Neuron layer' } },
      yaxis: { title: { text: 'Node strength s (signed sum of weights, a.u.)' }, zeroline: true },
      showlegend: true,
      legend: { title: { text: 'Layer (fluctuation Y)' } }
    },
    provenance: {
      measure: 'node strength: signed out-strength + in-strength + bias (La Malfa et al.)',
      fluctuation: 'population standard deviation (ddof 0) of the strengths of a layer',
      ...options.provenance
    }
  });
}
