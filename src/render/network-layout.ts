/**
 * The layered layout of a network view: one column per neuron layer, inputs on the left.
 */
import type { NetworkViewSpec } from '../figures/network-spec';

/** Node positions, columnar like the spec: node `k` is at `(x[k], y[k])`. */
export interface NodePositions {
  x: number[];
  y: number[];
}

/**
 * Places the neurons of each layer in a column, in neuron order from the top, in the unit square: column
 * `k` of `L` neuron layers at `x = k / (L − 1)` (0.5 for a single layer), rows spaced by 1 / (most live
 * neurons in a layer) and centred, so small layers sit in the middle as in a textbook drawing. `y` grows
 * downwards (SVG convention). Deterministic: the same spec gives the same positions.
 *
 * @param spec - a network view (only `layers` and `nodes.layer` are read).
 * @returns the position of every node.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * const { x, y } = nm.render.layeredLayout(spec); // x[k] = column of node k, y[k] = its row
 * ```
 */
export function layeredLayout(spec: Pick<NetworkViewSpec, 'layers' | 'nodes'>): NodePositions {
  const columns = spec.layers.length;
  const perLayer = new Array<number>(columns).fill(0);
  for (const k of spec.nodes.layer) perLayer[k]++;
  const rows = Math.max(1, ...perLayer);
  const step = 1 / rows;
  const seen = new Array<number>(columns).fill(0);
  const x: number[] = [];
  const y: number[] = [];
  for (const k of spec.nodes.layer) {
    x.push(columns > 1 ? k / (columns - 1) : 0.5);
    y.push(0.5 + (seen[k]++ - (perLayer[k] - 1) / 2) * step);
  }
  return { x, y };
}
