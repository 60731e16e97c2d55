/**
 * Coloured layered graphs and the colour-preserving, degree-preserving edge-switching null model.
 *
 * A *coloured layered graph* is one `Int8Array` per layer (row-major `nIn × nOut`, like the weights): entry
 * `i * nOut + j` is the colour of the edge `i → j`, `0` when there is no edge. {@link edgeColours} builds it
 * from a network; {@link switchEdgeColours} / {@link colourPreservingSwitch} randomise it with FANMOD's
 * switching (Wernicke & Rasche 2006) restricted to a layer pair: pick two edges `a → b`, `c → d` of the
 * same colour in the same layer pair and replace them by `a → d`, `c → b` when neither of those edges
 * exists. Every node keeps its exact in- and out-degree in every colour, every layer pair keeps its edges of
 * every colour, and edges never leave their layer pair. {@link switchGraphColours} is FANMOD's own switching
 * over the whole graph ({@link ColouredGraph}), which keeps the degrees per colour but not the layers.
 *
 * Each attempt draws the first edge uniformly among all edges of the layer and the second uniformly among
 * the other edges of the same colour; the proposal is symmetric, so the chain is uniform over the graphs it
 * can reach (for one colour: all 0/1 matrices with the layer's row and column sums).
 */

import { createRng, type Rng } from './random';
import { hasEdge, type LayeredNetwork, type Layer } from './network';

/**
 * How edges are coloured: `'sign'` gives `+1` / `−1` by weight sign; an `Int8Array` per layer (row-major
 * `nIn × nOut`, e.g. `colourEdges(net, {c}).colours`) gives arbitrary classes, `0` meaning "edge absent"
 * (Zambra et al.'s *removed* class).
 */
export type EdgeColouring = 'sign' | readonly Int8Array[];

/**
 * The coloured layered graph of a network: one `Int8Array` per layer, the colour of each existing edge
 * and `0` elsewhere.
 *
 * Without `colouring` every existing edge has colour `1`. With `'sign'`, `+1` for a positive weight and `−1`
 * for a negative one. With explicit colours, an edge keeps its given colour when the network has it
 * (mask allows it and the weight is non-zero) and a colour of `0` removes it; positions where the network
 * has no edge are `0` whatever their given colour.
 *
 * @throws RangeError when explicit colours do not match the layers' shapes.
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(0.5, -0.2, 0, 1.5) }] };
 * const [c] = edgeColours(net, 'sign'); // Int8Array [1, -1, 0, 1]
 * ```
 */
export function edgeColours(net: LayeredNetwork, colouring?: EdgeColouring): Int8Array[] {
  if (colouring !== undefined && colouring !== 'sign') {
    if (colouring.length !== net.layers.length) {
      throw new RangeError(
        `edgeColours: got colours for ${colouring.length} layers, the network has ${net.layers.length}`
      );
    }
  }
  return net.layers.map((layer, l) => {
    const n = layer.nIn * layer.nOut;
    const out = new Int8Array(n);
    const given = colouring === undefined || colouring === 'sign' ? undefined : colouring[l];
    if (given !== undefined && given.length !== n) {
      throw new RangeError(
        `edgeColours: colours of layer ${l} have ${given.length} entries, expected ${layer.nIn} × ${layer.nOut} = ${n}`
      );
    }
    for (let k = 0; k < n; k++) {
      if (!edgeAt(layer, k)) continue;
      if (colouring === undefined) out[k] = 1;
      else if (colouring === 'sign') out[k] = layer.weights[k] > 0 ? 1 : -1;
      else out[k] = (given as Int8Array)[k];
    }
    return out;
  });
}

function edgeAt(layer: Layer, k: number): boolean {
  const nOut = layer.nOut;
  return hasEdge(layer, (k / nOut) | 0, k % nOut);
}

/** Shape of one layer pair: `nIn` source and `nOut` target neurons. */
export interface LayerShape {
  readonly nIn: number;
  readonly nOut: number;
}

/** Options of {@link switchEdgeColours}. */
export interface SwitchEdgeColoursOptions {
  /** Attempted switches per edge of each layer pair (default 10, FANMOD's default is comparable). */
  readonly swapsPerEdge?: number;
  /** Seed of the random stream (default 0). */
  readonly seed?: number;
}

/** A randomised coloured layered graph. */
export interface SwitchedColours {
  /** New edge colours per layer (fresh arrays; `0` = no edge). */
  readonly colours: Int8Array[];
  /**
   * Switches attempted over all layers: `round(swapsPerEdge · edges)` per layer, plus one with probability
   * 1/2 when that is not 0 (so that the chain is aperiodic).
   */
  readonly attempted: number;
  /** Switches carried out. */
  readonly accepted: number;
}

/**
 * Colour-preserving, degree-preserving edge switching on a coloured layered graph (see the module
 * documentation). The input arrays are not modified.
 *
 * @param shapes - the layer shapes (`net.layers` works).
 * @param colours - edge colours per layer, `0` = no edge (e.g. from {@link edgeColours}).
 * @example
 * ```ts
 * const shapes = [{ nIn: 2, nOut: 2 }];
 * const { colours } = switchEdgeColours(shapes, [Int8Array.of(1, 0, 0, 1)], { seed: 7 });
 * // colours[0] is [1, 0, 0, 1] or [0, 1, 1, 0]: each row and column keeps one edge
 * ```
 */
export function switchEdgeColours(
  shapes: readonly LayerShape[],
  colours: readonly Int8Array[],
  options: SwitchEdgeColoursOptions = {}
): SwitchedColours {
  const swapsPerEdge = options.swapsPerEdge ?? 10;
  if (!(swapsPerEdge >= 0) || !Number.isFinite(swapsPerEdge)) {
    throw new RangeError(`switchEdgeColours: swapsPerEdge must be a finite number ≥ 0, got ${swapsPerEdge}`);
  }
  if (shapes.length !== colours.length) {
    throw new RangeError(
      `switchEdgeColours: ${shapes.length} layer shapes but ${colours.length} colour arrays`
    );
  }
  const rng = createRng(options.seed ?? 0);
  let attempted = 0;
  let accepted = 0;
  const out = shapes.map((shape, l) => {
    const col = colours[l].slice();
    if (col.length !== shape.nIn * shape.nOut) {
      throw new RangeError(
        `switchEdgeColours: colours of layer ${l} have ${col.length} entries, expected ${shape.nIn * shape.nOut}`
      );
    }
    const done = switchLayer(col, shape.nOut, swapsPerEdge, rng);
    attempted += done.attempted;
    accepted += done.accepted;
    return col;
  });
  return { colours: out, attempted, accepted };
}

/** Switches one layer's colour matrix in place. */
function switchLayer(
  col: Int8Array,
  nOut: number,
  swapsPerEdge: number,
  rng: Rng
): { attempted: number; accepted: number } {
  // Edges grouped by colour (counting sort on the colour byte); an edge keeps its slot, so the groups stay.
  const perColour = new Int32Array(256);
  let m = 0;
  for (let k = 0; k < col.length; k++) {
    if (col[k] !== 0) {
      perColour[col[k] & 0xff]++;
      m++;
    }
  }
  const groupStart = new Int32Array(257);
  for (let c = 0; c < 256; c++) groupStart[c + 1] = groupStart[c] + perColour[c];
  const fill = groupStart.slice(0, 256);
  const edges = new Int32Array(m);
  const groupOf = new Uint8Array(m);
  for (let k = 0; k < col.length; k++) {
    if (col[k] === 0) continue;
    const c = col[k] & 0xff;
    groupOf[fill[c]] = c;
    edges[fill[c]++] = k;
  }
  // Every switch can be undone by the next, so the chain's period is 1 or 2; one extra attempt with
  // probability 1/2 removes a period of 2 (e.g. a layer with two movable edges would otherwise return to
  // its start after any even number of attempts).
  const base = Math.round(swapsPerEdge * m);
  const attempts = base > 0 ? base + rng.int(2) : 0;
  let accepted = 0;
  for (let t = 0; t < attempts; t++) {
    const e1 = rng.int(m);
    const g = groupOf[e1];
    const start = groupStart[g];
    const len = groupStart[g + 1] - start;
    if (len < 2) continue;
    let e2 = start + rng.int(len - 1);
    if (e2 >= e1) e2++;
    const k1 = edges[e1];
    const k2 = edges[e2];
    const a = (k1 / nOut) | 0;
    const b = k1 - a * nOut;
    const c = (k2 / nOut) | 0;
    const d = k2 - c * nOut;
    if (a === c || b === d) continue;
    const ad = a * nOut + d;
    const cb = c * nOut + b;
    if (col[ad] !== 0 || col[cb] !== 0) continue;
    const colour = col[k1];
    col[k1] = 0;
    col[k2] = 0;
    col[ad] = colour;
    col[cb] = colour;
    edges[e1] = ad;
    edges[e2] = cb;
    accepted++;
  }
  return { attempted: attempts, accepted };
}

/** Options of {@link colourPreservingSwitch}. */
export interface ColourPreservingSwitchOptions extends SwitchEdgeColoursOptions {
  /** Edge colours (default: every edge colour 1, i.e. plain degree-preserving switching). */
  readonly colours?: EdgeColouring;
}

/** A random network of the colour-preserving switching null. */
export interface ColourPreservingSwitchResult extends SwitchedColours {
  /**
   * The randomised graph as a network: each weight is its edge's colour (so `'sign'` colours keep the
   * weight signs), no mask, biases and activations copied.
   */
  readonly network: LayeredNetwork;
}

/**
 * One random network of FANMOD's null for coloured edges: edge switching per layer pair that keeps every
 * node's in- and out-degree in every colour (see the module documentation).
 *
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 3, nOut: 3, weights: Float64Array.of(1, -1, 0, 0, 2, -3, 4, 0, 1) }] };
 * const nul = colourPreservingSwitch(net, { colours: 'sign', swapsPerEdge: 10, seed: 1 });
 * // nul.colours[0]: each neuron keeps its number of positive and of negative in- and out-edges
 * ```
 */
export function colourPreservingSwitch(
  net: LayeredNetwork,
  options: ColourPreservingSwitchOptions = {}
): ColourPreservingSwitchResult {
  const switched = switchEdgeColours(net.layers, edgeColours(net, options.colours), options);
  const layers = net.layers.map((layer, l): Layer => {
    const weights = Float64Array.from(switched.colours[l]);
    return {
      nIn: layer.nIn,
      nOut: layer.nOut,
      weights,
      ...(layer.bias === undefined ? {} : { bias: layer.bias.slice() }),
      ...(layer.activation === undefined ? {} : { activation: layer.activation })
    };
  });
  const meta = {
    ...(net.meta ?? {}),
    null: {
      kind: 'colourPreservingSwitch',
      swapsPerEdge: options.swapsPerEdge ?? 10,
      seed: options.seed ?? 0
    }
  };
  return { ...switched, network: { layers, meta } };
}

// ---------------------------------------------------------------------------------------------------------
// FANMOD's switching over the whole graph

/**
 * A coloured directed graph on the nodes `0 … nodes − 1`: edge `e` goes `from[e] → to[e]` with colour
 * `colour[e]` (never `0`). No self-loops, at most one edge per ordered pair.
 */
export interface ColouredGraph {
  readonly nodes: number;
  readonly from: Int32Array;
  readonly to: Int32Array;
  readonly colour: Int8Array;
}

/**
 * The coloured layered graph of {@link edgeColours} as one {@link ColouredGraph}: neuron `i` of neuron layer
 * `v` is node `offset(v) + i` (layers in order, as in the subgraph census), edges in layer-then-row-major
 * order.
 *
 * @param shapes - the layer shapes (`net.layers` works).
 * @param colours - edge colours per layer, `0` = no edge.
 * @example
 * ```ts
 * const g = layeredColouredGraph([{ nIn: 2, nOut: 2 }], [Int8Array.of(1, 0, -1, 1)]);
 * // g.nodes = 4; edges 0→2 (colour 1), 1→2 (colour −1), 1→3 (colour 1)
 * ```
 */
export function layeredColouredGraph(
  shapes: readonly LayerShape[],
  colours: readonly Int8Array[]
): ColouredGraph {
  if (shapes.length !== colours.length) {
    throw new RangeError(
      `layeredColouredGraph: ${shapes.length} layer shapes but ${colours.length} colour arrays`
    );
  }
  let m = 0;
  colours.forEach((col, l) => {
    if (col.length !== shapes[l].nIn * shapes[l].nOut) {
      throw new RangeError(
        `layeredColouredGraph: colours of layer ${l} have ${col.length} entries, expected ${shapes[l].nIn * shapes[l].nOut}`
      );
    }
    for (let t = 0; t < col.length; t++) if (col[t] !== 0) m++;
  });
  const from = new Int32Array(m);
  const to = new Int32Array(m);
  const colour = new Int8Array(m);
  let e = 0;
  let offset = 0;
  shapes.forEach(({ nIn, nOut }, l) => {
    const col = colours[l];
    for (let t = 0; t < col.length; t++) {
      if (col[t] === 0) continue;
      const i = (t / nOut) | 0;
      from[e] = offset + i;
      to[e] = offset + nIn + t - i * nOut;
      colour[e++] = col[t];
    }
    offset += nIn;
  });
  const nodes = shapes.length === 0 ? 0 : offset + shapes[shapes.length - 1].nOut;
  return { nodes, from, to, colour };
}

/** A randomised coloured graph. */
export interface SwitchedGraph {
  readonly graph: ColouredGraph;
  /** Switches attempted: `round(swapsPerEdge · edges)`, plus one with probability 1/2 when that is not 0. */
  readonly attempted: number;
  /** Switches carried out. */
  readonly accepted: number;
}

/**
 * FANMOD's colour-preserving edge switching over the whole graph (Wernicke & Rasche 2006): pick an edge
 * `a → b` uniformly and a second edge `c → d` of the same colour uniformly among the others, and replace them
 * by `a → d`, `c → b` unless that makes a self-loop, an edge that exists (in any colour) or an edge whose
 * reverse exists. Every node keeps its in- and out-degree in every colour, and no node gains a
 * bidirectional pair (a feed-forward network has none; FANMOD can keep each node's number of them, which
 * for such a network is the same rule). Unlike {@link switchEdgeColours} the edges are not kept in their
 * layer pair: a switch between two layer pairs makes skip connections (`a` two layers before `d`) or edges
 * against the layer order, which a layered network does not have. The input graph is not modified.
 *
 * @throws RangeError for a graph with a self-loop, a repeated edge, a bidirectional pair, colour 0 or a
 *   node out of range, and for a bad `swapsPerEdge`.
 * @example
 * ```ts
 * const g = { nodes: 4, from: Int32Array.of(0, 1), to: Int32Array.of(2, 3), colour: Int8Array.of(1, 1) };
 * const { graph } = switchGraphColours(g, { seed: 3 });
 * // graph: 0→2, 1→3 or 0→3, 1→2 (every node keeps one edge of colour 1)
 * ```
 */
export function switchGraphColours(
  graph: ColouredGraph,
  options: SwitchEdgeColoursOptions = {}
): SwitchedGraph {
  const swapsPerEdge = options.swapsPerEdge ?? 10;
  if (!(swapsPerEdge >= 0) || !Number.isFinite(swapsPerEdge)) {
    throw new RangeError(`switchGraphColours: swapsPerEdge must be a finite number ≥ 0, got ${swapsPerEdge}`);
  }
  const present = colouredEdgeMap(graph, 'switchGraphColours', false);
  const n = graph.nodes;
  const m = graph.from.length;
  const from = graph.from.slice();
  const to = graph.to.slice();
  const colour = graph.colour.slice();
  // edges grouped by colour: slot → edge; an edge keeps its slot, so the groups stay
  const perColour = new Int32Array(257);
  for (let e = 0; e < m; e++) perColour[(colour[e] & 0xff) + 1]++;
  for (let c = 0; c < 256; c++) perColour[c + 1] += perColour[c];
  const groupStart = perColour;
  const fill = groupStart.slice(0, 256);
  const slotEdge = new Int32Array(m);
  const slotOf = new Int32Array(m);
  for (let e = 0; e < m; e++) {
    const s = fill[colour[e] & 0xff]++;
    slotEdge[s] = e;
    slotOf[e] = s;
  }
  const rng = createRng(options.seed ?? 0);
  const base = Math.round(swapsPerEdge * m);
  const attempts = base > 0 ? base + rng.int(2) : 0;
  let accepted = 0;
  for (let t = 0; t < attempts; t++) {
    const e1 = rng.int(m);
    const g = colour[e1] & 0xff;
    const start = groupStart[g];
    const len = groupStart[g + 1] - start;
    if (len < 2) continue;
    let s2 = start + rng.int(len - 1);
    if (s2 >= slotOf[e1]) s2++;
    const e2 = slotEdge[s2];
    const a = from[e1];
    const b = to[e1];
    const c = from[e2];
    const d = to[e2];
    if (a === d || c === b) continue;
    if (present.has(a * n + d) || present.has(c * n + b)) continue;
    if (present.has(d * n + a) || present.has(b * n + c)) continue;
    present.delete(a * n + b);
    present.delete(c * n + d);
    present.set(a * n + d, colour[e1]);
    present.set(c * n + b, colour[e1]);
    to[e1] = d;
    to[e2] = b;
    accepted++;
  }
  return { graph: { nodes: n, from, to, colour }, attempted: attempts, accepted };
}

/**
 * The colour of every edge of a checked graph, keyed `from · nodes + to`. Throws a RangeError naming the edge
 * for what {@link ColouredGraph} excludes, and for a bidirectional pair unless `mutual` allows them.
 *
 * @example
 * ```ts
 * const g = { nodes: 3, from: Int32Array.of(0, 1), to: Int32Array.of(1, 2), colour: Int8Array.of(1, -1) };
 * colouredEdgeMap(g, 'example', false).get(1 * 3 + 2); // −1
 * ```
 */
export function colouredEdgeMap(graph: ColouredGraph, where: string, mutual: boolean): Map<number, number> {
  const { nodes, from, to, colour } = graph;
  if (!Number.isInteger(nodes) || nodes < 0 || nodes > 2 ** 26) {
    throw new RangeError(`${where}: nodes must be an integer in 0 … 2^26, got ${nodes}`);
  }
  if (to.length !== from.length || colour.length !== from.length) {
    throw new RangeError(
      `${where}: from, to and colour must have one entry per edge (${from.length}, ${to.length}, ${colour.length})`
    );
  }
  const present = new Map<number, number>();
  for (let e = 0; e < from.length; e++) {
    const a = from[e];
    const b = to[e];
    if (!(Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < nodes && b >= 0 && b < nodes)) {
      throw new RangeError(`${where}: edge ${e} (${a} → ${b}) has a node outside 0 … ${nodes - 1}`);
    }
    if (a === b) throw new RangeError(`${where}: edge ${e} is a self-loop on node ${a}`);
    if (colour[e] === 0) throw new RangeError(`${where}: edge ${e} (${a} → ${b}) has colour 0`);
    if (present.has(a * nodes + b)) throw new RangeError(`${where}: edge ${a} → ${b} appears twice`);
    if (!mutual && present.has(b * nodes + a)) {
      throw new RangeError(`${where}: ${a} → ${b} and ${b} → ${a} form a bidirectional pair`);
    }
    present.set(a * nodes + b, colour[e]);
  }
  return present;
}
