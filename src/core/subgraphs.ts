/**
 * General census of the weakly connected 3-, 4- and 5-node subgraphs of a layered network (or of any coloured
 * directed graph, {@link graphSubgraphCensus}), with optional edge colours, and their significance against a
 * colour-preserving switching null, per layer pair or over the whole graph as FANMOD switches: FANMOD's
 * analysis (Wernicke & Rasche 2006) as used by Zambra, Testolin & Maritan 2020, without FANMOD.
 *
 * **Graph.** Nodes are all neurons of all layers (global index = offset of the neuron's layer + index in the
 * layer); directed edges are the network's connections, coloured as {@link edgeColours} describes.
 *
 * **Enumeration.** ESU (Wernicke 2006) on the undirected underlying graph visits every connected node set
 * of the requested size exactly once. *Induced* counting (FANMOD's default) classifies each node set by the
 * coloured subgraph it induces. *Non-induced* counting classifies, for each node set, every subset of its
 * edges that touches all its nodes and is weakly connected.
 *
 * **Classes.** A class is identified by its stable key (see `canonical.ts`: `"<k>:"` + the canonical code,
 * e.g. `"3:0,0,0,1,1,0"` for the chain `a → b → c`). Which classes occur is whatever the data gives: none are
 * assumed. At most 19 distinct colours for size 4 (457 for size 3), so that a node set's raw code fits in a
 * double.
 */

import { canonicalForm, parseSubgraphKey } from './canonical';
import type { LayeredNetwork } from './network';
import { createRng } from './random';
import { compareWithNull } from './stats';
import {
  colouredEdgeMap,
  edgeColours,
  layeredColouredGraph,
  switchEdgeColours,
  switchGraphColours,
  type ColouredGraph,
  type EdgeColouring,
  type LayerShape
} from './switching';

/** Graphs of at most this many node pairs are censused with a dense colour matrix, larger ones with a hash map. */
export const DENSE_GRAPH_CELLS = 1 << 24;

/** Subgraph sizes the census supports. */
export type SubgraphSize = 3 | 4 | 5;

/** Options of {@link subgraphCensus}. */
export interface SubgraphCensusOptions {
  /** Number of nodes of the subgraphs: 3, 4 or 5 (Zambra et al. used 4 and 5). */
  readonly size: SubgraphSize;
  /** Edge colours: `'sign'` or an `Int8Array` per layer (`0` = edge absent); default: uncoloured. */
  readonly colours?: EdgeColouring;
  /** Count induced subgraphs (default `true`, as FANMOD) or every connected spanning edge subset. */
  readonly induced?: boolean;
}

/** One directed edge of a class, between canonical node positions. */
export interface SubgraphEdge {
  readonly from: number;
  readonly to: number;
  readonly colour: number;
}

/** What a class looks like, for figures. */
export interface SubgraphClassInfo {
  readonly key: string;
  /** Number of nodes. */
  readonly size: number;
  /** Directed edges in canonical node order (sorted by `from`, then `to`). */
  readonly edges: readonly SubgraphEdge[];
  /**
   * Relative layer of each canonical node (0 = the class's first layer) when every edge goes from some
   * level `x` to `x + 1`, as in every class of a layered network; `null` otherwise.
   */
  readonly levels: readonly number[] | null;
}

/** Result of {@link subgraphCensus}. */
export interface SubgraphCensus {
  readonly size: SubgraphSize;
  readonly induced: boolean;
  /** Number of subgraphs counted (sum of `counts`). */
  readonly total: number;
  /** Count per class key, keys in ascending order; classes that do not occur are absent. */
  readonly counts: Readonly<Record<string, number>>;
  /** Description of every class in `counts`. */
  readonly classes: Readonly<Record<string, SubgraphClassInfo>>;
}

/**
 * Describes a class from its key: its canonical edges and, for layered classes, the level of each node.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const info = nm.describeSubgraphClass('3:0,0,0,1,1,0');
 * // info.edges = [{from: 1, to: 2, colour: 1}, {from: 2, to: 0, colour: 1}]; info.levels = [2, 0, 1]
 * ```
 */
export function describeSubgraphClass(key: string): SubgraphClassInfo {
  const { size, adjacency } = parseSubgraphKey(key);
  const edges: SubgraphEdge[] = [];
  for (let p = 0; p < size; p++) {
    for (let q = 0; q < size; q++) {
      if (p !== q && adjacency[p * size + q] !== 0)
        edges.push({ from: p, to: q, colour: adjacency[p * size + q] });
    }
  }
  return { key, size, edges, levels: levelsOf(size, edges) };
}

/** Levels with every edge going up by one, found by propagation over the undirected edges; `null` if none. */
function levelsOf(size: number, edges: readonly SubgraphEdge[]): number[] | null {
  const level: (number | undefined)[] = new Array<number | undefined>(size).fill(undefined);
  for (let root = 0; root < size; root++) {
    if (level[root] !== undefined) continue;
    level[root] = 0;
    const queue = [root];
    while (queue.length > 0) {
      const x = queue.pop() as number;
      for (const e of edges) {
        const other = e.from === x ? e.to : e.to === x ? e.from : -1;
        if (other < 0) continue;
        const want = (level[x] as number) + (e.from === x ? 1 : -1);
        if (level[other] === undefined) {
          level[other] = want;
          queue.push(other);
        } else if (level[other] !== want) {
          return null;
        }
      }
    }
  }
  const values = level as number[];
  const min = Math.min(...values);
  return values.map(v => v - min);
}

function checkSize(size: number, where: string): void {
  if (size !== 3 && size !== 4 && size !== 5)
    throw new RangeError(`${where}: size must be 3, 4 or 5, got ${size}`);
}

/**
 * Census of all weakly connected 3-, 4- or 5-node subgraph classes of a layered network (see the module
 * documentation for the graph, the enumeration and the keys).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = {
 *   layers: [
 *     { nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0, 2) },
 *     { nIn: 2, nOut: 1, weights: Float64Array.of(0.5, -0.5) }
 *   ]
 * };
 * const census = nm.subgraphCensus(net, { size: 3, colours: 'sign' });
 * // census.counts: count per coloured 3-node class; census.classes[key].edges to draw it
 * ```
 */
export function subgraphCensus(net: LayeredNetwork, options: SubgraphCensusOptions): SubgraphCensus {
  checkSize(options.size, 'subgraphCensus');
  const induced = options.induced ?? true;
  const colours = edgeColours(net, options.colours);
  const engine = new CensusEngine(net.layers, options.size, induced, colours);
  return censusResult(engine, engine.run(colours), options.size, induced);
}

/**
 * {@link subgraphCensus} of any coloured directed graph (no self-loops; bidirectional pairs allowed), e.g.
 * a random network of FANMOD's switching null, which need not be layered. Colours are looked up in a dense
 * `nodes × nodes` matrix when it has at most `denseCells` entries (default {@link DENSE_GRAPH_CELLS}), else
 * in a hash map.
 *
 * @example
 * ```ts
 * // a → b → c plus the skip edge a → c: one 3-node class, the feed-forward loop
 * const g = { nodes: 3, from: Int32Array.of(0, 1, 0), to: Int32Array.of(1, 2, 2), colour: Int8Array.of(1, 1, 1) };
 * graphSubgraphCensus(g, { size: 3 }).total; // 1
 * ```
 */
export function graphSubgraphCensus(
  graph: ColouredGraph,
  options: Pick<SubgraphCensusOptions, 'size' | 'induced'>,
  denseCells = DENSE_GRAPH_CELLS
): SubgraphCensus {
  checkSize(options.size, 'graphSubgraphCensus');
  const induced = options.induced ?? true;
  const engine = new CensusEngine([], options.size, induced, [graph.colour], graph.nodes);
  return censusResult(engine, engine.runGraph(graph, denseCells), options.size, induced);
}

function censusResult(
  engine: CensusEngine,
  counts: readonly number[],
  size: SubgraphSize,
  induced: boolean
): SubgraphCensus {
  const keys = engine.keys.map((key, id) => ({ key, id })).filter(({ id }) => (counts[id] ?? 0) > 0);
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const countRecord: Record<string, number> = {};
  const classRecord: Record<string, SubgraphClassInfo> = {};
  let total = 0;
  for (const { key, id } of keys) {
    countRecord[key] = counts[id];
    classRecord[key] = describeSubgraphClass(key);
    total += counts[id];
  }
  return { size, induced, total, counts: countRecord, classes: classRecord };
}

/**
 * ESU enumeration with classification through a cache from a node set's raw code (its colour matrix in
 * discovery order, one base-B digit per ordered pair) to class ids. One engine serves a network and its
 * random networks, so class ids are shared between them.
 */
class CensusEngine {
  /** Class key per class id. */
  readonly keys: string[] = [];
  private readonly ids = new Map<string, number>();
  /** Raw code → class id (induced) or index into `multi` (non-induced). */
  private readonly cache = new Map<number, number>();
  private readonly multi: Int32Array[] = [];
  private readonly layerOf: Int32Array;
  private readonly localOf: Int32Array;
  private readonly offsets: Int32Array;
  private readonly nOut: Int32Array;
  private readonly n: number;
  /** Colour byte → digit (1..C), and back. */
  private readonly digitOf = new Uint8Array(256);
  private readonly colourOfDigit: number[] = [0];
  private readonly base: number;
  /** `base ** pairIndex(p, q)`, indexed `p * k + q`. */
  private readonly weight: Float64Array;

  constructor(
    private readonly shapes: readonly LayerShape[],
    private readonly k: number,
    private readonly induced: boolean,
    reference: readonly Int8Array[],
    /** Number of nodes when there are no layer shapes (a general graph, {@link runGraph} only). */
    nodes = 0
  ) {
    const sizes = shapes.length === 0 ? [] : [shapes[0].nIn, ...shapes.map(s => s.nOut)];
    this.offsets = new Int32Array(sizes.length + 1);
    for (let l = 0; l < sizes.length; l++) this.offsets[l + 1] = this.offsets[l] + sizes[l];
    this.n = shapes.length === 0 ? nodes : this.offsets[sizes.length];
    this.layerOf = new Int32Array(this.n);
    this.localOf = new Int32Array(this.n);
    for (let l = 0; l < sizes.length; l++) {
      for (let i = 0; i < sizes[l]; i++) {
        this.layerOf[this.offsets[l] + i] = l;
        this.localOf[this.offsets[l] + i] = i;
      }
    }
    this.nOut = Int32Array.from(shapes, s => s.nOut);
    const seen = new Uint8Array(256);
    for (const layer of reference) for (let t = 0; t < layer.length; t++) seen[layer[t] & 0xff] = 1;
    for (let b = 1; b < 256; b++) {
      if (seen[b] === 0) continue;
      this.digitOf[b] = this.colourOfDigit.length;
      this.colourOfDigit.push((b << 24) >> 24);
    }
    this.base = this.colourOfDigit.length;
    const pairs = this.k * (this.k - 1);
    if (this.base ** pairs > Number.MAX_SAFE_INTEGER) {
      throw new RangeError(
        `subgraph census: ${this.base - 1} distinct edge colours are too many for size ${this.k} ` +
          `(at most ${Math.floor(Number.MAX_SAFE_INTEGER ** (1 / pairs)) - 1})`
      );
    }
    this.weight = new Float64Array(this.k * this.k);
    let t = 0;
    for (let p = 0; p < this.k; p++) {
      for (let q = 0; q < this.k; q++) if (p !== q) this.weight[p * this.k + q] = this.base ** t++;
    }
  }

  /** Count per class id of a coloured layered graph (ids beyond the array's length, or holes, count 0). */
  run(colours: readonly Int8Array[]): number[] {
    const { n, k, layerOf, localOf, offsets, nOut, weight, digitOf } = this;
    const shapes = this.shapes;
    // Undirected underlying graph in CSR form (a layered graph has no 2-cycles, so no duplicate pairs).
    const degree = new Int32Array(n + 1);
    for (let l = 0; l < shapes.length; l++) {
      const col = colours[l];
      const w = shapes[l].nOut;
      for (let t = 0; t < col.length; t++) {
        if (col[t] === 0) continue;
        if (digitOf[col[t] & 0xff] === 0) {
          throw new RangeError(`subgraph census: colour ${col[t]} was not in the reference colouring`);
        }
        const i = (t / w) | 0;
        degree[offsets[l] + i]++;
        degree[offsets[l + 1] + t - i * w]++;
      }
    }
    const start = new Int32Array(n + 1);
    for (let x = 0; x < n; x++) start[x + 1] = start[x] + degree[x];
    const fill = start.slice(0, n);
    const nbrs = new Int32Array(start[n]);
    for (let l = 0; l < shapes.length; l++) {
      const col = colours[l];
      const w = shapes[l].nOut;
      for (let t = 0; t < col.length; t++) {
        if (col[t] === 0) continue;
        const i = (t / w) | 0;
        const a = offsets[l] + i;
        const b = offsets[l + 1] + t - i * w;
        nbrs[fill[a]++] = b;
        nbrs[fill[b]++] = a;
      }
    }

    /** Raw-code contribution of node `w` joining the set at position `pos` (pairs with positions `< pos`). */
    const sub = new Int32Array(k);
    const contribution = (w: number, pos: number): number => {
      const lw = layerOf[w];
      let code = 0;
      for (let s = 0; s < pos; s++) {
        const x = sub[s];
        const lx = layerOf[x];
        if (lw === lx + 1) {
          const c = colours[lx][localOf[x] * nOut[lx] + localOf[w]];
          if (c !== 0) code += digitOf[c & 0xff] * weight[s * k + pos];
        } else if (lx === lw + 1) {
          const c = colours[lw][localOf[w] * nOut[lw] + localOf[x]];
          if (c !== 0) code += digitOf[c & 0xff] * weight[pos * k + s];
        }
      }
      return code;
    };
    return this.esu(start, nbrs, sub, contribution);
  }

  /**
   * Count per class id of any coloured directed graph on the engine's `n` nodes (bidirectional pairs
   * allowed): colours are looked up in a hash map, so this is slower than {@link run}.
   */
  runGraph(graph: ColouredGraph, denseCells = DENSE_GRAPH_CELLS): number[] {
    const { n, k, weight, digitOf } = this;
    if (graph.nodes !== n) {
      throw new RangeError(`subgraph census: the graph has ${graph.nodes} nodes, expected ${n}`);
    }
    const colourOf = colouredEdgeMap(graph, 'subgraph census', true);
    // undirected neighbours, each unordered pair once
    const pairs = new Set<number>();
    const degree = new Int32Array(n + 1);
    for (const [key, c] of colourOf) {
      if (digitOf[c & 0xff] === 0) {
        throw new RangeError(`subgraph census: colour ${c} was not in the reference colouring`);
      }
      const a = Math.floor(key / n);
      const b = key - a * n;
      const lo = Math.min(a, b);
      const u = lo * n + Math.max(a, b);
      if (pairs.has(u)) continue;
      pairs.add(u);
      degree[a]++;
      degree[b]++;
    }
    const start = new Int32Array(n + 1);
    for (let x = 0; x < n; x++) start[x + 1] = start[x] + degree[x];
    const fill = start.slice(0, n);
    const nbrs = new Int32Array(start[n]);
    for (const u of pairs) {
      const a = Math.floor(u / n);
      const b = u - a * n;
      nbrs[fill[a]++] = b;
      nbrs[fill[b]++] = a;
    }
    const sub = new Int32Array(k);
    // colour digits in an n × n matrix when it takes at most 16 MB (hash lookups cost ~3× the census time)
    if (n * n <= denseCells) {
      const dense = new Uint8Array(n * n);
      for (const [key, c] of colourOf) dense[key] = digitOf[c & 0xff];
      const denseContribution = (w: number, pos: number): number => {
        let code = 0;
        for (let s = 0; s < pos; s++) {
          const x = sub[s];
          code += dense[x * n + w] * weight[s * k + pos] + dense[w * n + x] * weight[pos * k + s];
        }
        return code;
      };
      return this.esu(start, nbrs, sub, denseContribution);
    }
    const contribution = (w: number, pos: number): number => {
      let code = 0;
      for (let s = 0; s < pos; s++) {
        const x = sub[s];
        const out = colourOf.get(x * n + w);
        if (out !== undefined) code += digitOf[out & 0xff] * weight[s * k + pos];
        const back = colourOf.get(w * n + x);
        if (back !== undefined) code += digitOf[back & 0xff] * weight[pos * k + s];
      }
      return code;
    };
    return this.esu(start, nbrs, sub, contribution);
  }

  /**
   * ESU over the undirected graph `(start, nbrs)`: every connected `k`-node set once, classified from the
   * raw code that `contribution` builds (it reads the set's nodes from `sub`).
   */
  private esu(
    start: Int32Array,
    nbrs: Int32Array,
    sub: Int32Array,
    contribution: (w: number, pos: number) => number
  ): number[] {
    const { n, k } = this;
    const counts: number[] = new Array<number>(this.keys.length).fill(0);
    const cache = this.cache;
    const record = this.induced
      ? (code: number): void => {
          let id = cache.get(code);
          if (id === undefined) {
            id = this.resolveInduced(code);
            cache.set(code, id);
          }
          counts[id] = (counts[id] ?? 0) + 1;
        }
      : (code: number): void => {
          let slot = cache.get(code);
          if (slot === undefined) {
            slot = this.multi.length;
            this.multi.push(this.resolveNonInduced(code));
            cache.set(code, slot);
          }
          const ids = this.multi[slot];
          for (let t = 0; t < ids.length; t++) counts[ids[t]] = (counts[ids[t]] ?? 0) + 1;
        };

    // ESU: mark[x] = number of set members whose closed neighbourhood contains x.
    const mark = new Int32Array(n);
    const ext: Int32Array[] = [];
    for (let d = 0; d < k; d++) ext.push(new Int32Array(n));
    const partial = new Float64Array(k + 1);
    const markAround = (x: number, delta: number): void => {
      mark[x] += delta;
      for (let t = start[x]; t < start[x + 1]; t++) mark[nbrs[t]] += delta;
    };
    let root = 0;
    const extend = (depth: number, length: number): void => {
      const here = ext[depth];
      if (depth === k - 1) {
        const base = partial[depth];
        for (let t = 0; t < length; t++) record(base + contribution(here[t], depth));
        return;
      }
      const next = ext[depth + 1];
      for (let t = 0; t < length; t++) {
        const w = here[t];
        let m = 0;
        for (let s = t + 1; s < length; s++) next[m++] = here[s];
        for (let e = start[w]; e < start[w + 1]; e++) {
          const u = nbrs[e];
          if (u > root && mark[u] === 0) next[m++] = u;
        }
        sub[depth] = w;
        partial[depth + 1] = partial[depth] + contribution(w, depth);
        markAround(w, 1);
        extend(depth + 1, m);
        markAround(w, -1);
      }
    };
    for (let v = 0; v < n; v++) {
      root = v;
      sub[0] = v;
      partial[1] = 0;
      let m = 0;
      for (let e = start[v]; e < start[v + 1]; e++) if (nbrs[e] > v) ext[1][m++] = nbrs[e];
      if (m === 0) continue;
      markAround(v, 1);
      extend(1, m);
      markAround(v, -1);
    }
    return counts;
  }

  /** Colour matrix (`k × k`, discovery order) of a raw code. */
  private decode(code: number): Int8Array {
    const { k, base } = this;
    const matrix = new Int8Array(k * k);
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) {
        if (p === q) continue;
        const digit = Math.floor(code / this.weight[p * k + q]) % base;
        matrix[p * k + q] = this.colourOfDigit[digit];
      }
    }
    return matrix;
  }

  private classId(matrix: Int8Array): number {
    const { key } = canonicalForm(this.k, matrix);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.keys.push(key);
      this.ids.set(key, id);
    }
    return id;
  }

  private resolveInduced(code: number): number {
    return this.classId(this.decode(code));
  }

  /** Class ids of every weakly connected edge subset touching all `k` nodes (with repetition). */
  private resolveNonInduced(code: number): Int32Array {
    const { k } = this;
    const matrix = this.decode(code);
    const edges: number[] = [];
    for (let t = 0; t < k * k; t++) if (matrix[t] !== 0) edges.push(t);
    const ids: number[] = [];
    const parent = new Int32Array(k);
    const find = (x: number): number => {
      while (parent[x] !== x) x = parent[x];
      return x;
    };
    for (let subset = 1; subset < 1 << edges.length; subset++) {
      for (let x = 0; x < k; x++) parent[x] = x;
      let components = k;
      const chosen = new Int8Array(k * k);
      for (let e = 0; e < edges.length; e++) {
        if ((subset & (1 << e)) === 0) continue;
        const t = edges[e];
        chosen[t] = matrix[t];
        const a = find((t / k) | 0);
        const b = find(t % k);
        if (a !== b) {
          parent[a] = b;
          components--;
        }
      }
      if (components === 1) ids.push(this.classId(chosen));
    }
    return Int32Array.from(ids);
  }
}

/** Options of {@link subgraphSignificance}. */
export interface SubgraphSignificanceOptions extends SubgraphCensusOptions {
  /** Number of random networks (default 100, as Zambra et al.); at least 2. */
  readonly samples?: number;
  /** Seed (default 0). Random network `s` uses seed `createRng(seed).uint32()` drawn `s + 1` times. */
  readonly seed?: number;
  /** Attempted switches per edge for each random network (default 10). */
  readonly swapsPerEdge?: number;
  /**
   * The switching null: `'layered'` (default) switches edges only within their layer pair, so every random
   * network is layered like the network; `'fanmod'` switches over the whole graph as FANMOD does, keeping
   * every node's in- and out-degree per colour but not the layers (random networks get skip connections and
   * edges against the layer order). See `switchEdgeColours` and `switchGraphColours`.
   */
  readonly null?: 'layered' | 'fanmod';
}

/** Significance of one class. */
export interface SubgraphClassSignificance {
  /** Count in the network. */
  readonly count: number;
  /** Mean count over the random networks. */
  readonly nullMean: number;
  /** Sample standard deviation (ddof 1) of the random networks' counts. */
  readonly nullSd: number;
  /**
   * `(count − nullMean) / nullSd`; `NaN` when `nullSd = 0` (serialised as `null` in JSON), the one rule
   * of `zScore` in `stats.ts`.
   */
  readonly z: number;
  /**
   * Empirical two-sided p-value with the +1 correction (`empiricalPValue` in `stats.ts`):
   * `min(1, 2 · min(1 + #{null ≥ count}, 1 + #{null ≤ count}) / (samples + 1))`.
   */
  readonly p: number;
  /** The count in each random network, in sample order. */
  readonly nullCounts: readonly number[];
}

/** Result of {@link subgraphSignificance}. */
export interface SubgraphSignificance {
  readonly size: SubgraphSize;
  readonly induced: boolean;
  readonly samples: number;
  readonly seed: number;
  readonly swapsPerEdge: number;
  /** The switching null used (`'layered'` or `'fanmod'`). */
  readonly null: 'layered' | 'fanmod';
  /**
   * Every class seen in the network or in any random network, keys ascending; a class missing from a
   * network counts 0 there.
   */
  readonly classes: Readonly<Record<string, SubgraphClassSignificance>>;
  /** Description of every class in `classes`. */
  readonly info: Readonly<Record<string, SubgraphClassInfo>>;
}

/**
 * Z-score and empirical p-value of every subgraph class against a colour-preserving, degree-preserving
 * edge-switching null: `samples` random networks switched per layer pair (`null: 'layered'`, the default) or
 * over the whole graph as FANMOD does (`null: 'fanmod'`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = {
 *   layers: [
 *     { nIn: 3, nOut: 3, weights: Float64Array.of(1, -1, 0, 0, 2, -3, 4, 0, 1) },
 *     { nIn: 3, nOut: 2, weights: Float64Array.of(1, 0, -2, 1, 0, 3) }
 *   ]
 * };
 * const sig = nm.subgraphSignificance(net, { size: 3, colours: 'sign', samples: 50, seed: 1 });
 * // sig.classes[key] = { count, nullMean, nullSd, z, p, nullCounts }
 * ```
 */
export function subgraphSignificance(
  net: LayeredNetwork,
  options: SubgraphSignificanceOptions
): SubgraphSignificance {
  checkSize(options.size, 'subgraphSignificance');
  const samples = options.samples ?? 100;
  if (!Number.isInteger(samples) || samples < 2) {
    throw new RangeError(`subgraphSignificance: samples must be an integer ≥ 2, got ${samples}`);
  }
  const seed = options.seed ?? 0;
  const swapsPerEdge = options.swapsPerEdge ?? 10;
  const induced = options.induced ?? true;
  const model = options.null ?? 'layered';
  if (model !== 'layered' && model !== 'fanmod') {
    throw new RangeError(`subgraphSignificance: null must be 'layered' or 'fanmod', got ${String(model)}`);
  }
  const colours = edgeColours(net, options.colours);
  const engine = new CensusEngine(net.layers, options.size, induced, colours);
  const real = engine.run(colours);
  const seeds = createRng(seed);
  const graph = model === 'fanmod' ? layeredColouredGraph(net.layers, colours) : undefined;
  const nulls: number[][] = [];
  for (let s = 0; s < samples; s++) {
    const switchOptions = { swapsPerEdge, seed: seeds.uint32() };
    nulls.push(
      graph === undefined
        ? engine.run(switchEdgeColours(net.layers, colours, switchOptions).colours)
        : engine.runGraph(switchGraphColours(graph, switchOptions).graph)
    );
  }
  const order = engine.keys.map((key, id) => ({ key, id }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const classes: Record<string, SubgraphClassSignificance> = {};
  const info: Record<string, SubgraphClassInfo> = {};
  for (const { key, id } of order) {
    const count = real[id] ?? 0;
    const nullCounts = nulls.map(c => c[id] ?? 0);
    classes[key] = significanceOf(count, nullCounts);
    info[key] = describeSubgraphClass(key);
  }
  return { size: options.size, induced, samples, seed, swapsPerEdge, null: model, classes, info };
}

function significanceOf(count: number, nullCounts: number[]): SubgraphClassSignificance {
  const { mean, sd, z, p } = compareWithNull(count, nullCounts);
  return { count, nullMean: mean, nullSd: sd, z, p, nullCounts };
}

/**
 * ΔZ = Z_after − Z_before per class, over the union of the classes of both analyses (e.g. trained vs
 * initial network, Zambra et al.). A class missing from one analysis was seen neither in that network nor in
 * any of its random networks: count 0 and a null that never varies, so its Z there is undefined and its
 * ΔZ `NaN`, as for any class whose null never varies (`zScore` in `stats.ts`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const layer = (w: number[]) => ({ nIn: 3, nOut: 3, weights: Float64Array.from(w) });
 * const initial = { layers: [layer([1, -1, 0, 0, 2, -3, 4, 0, 1]), layer([1, 0, -2, 1, 0, 3, 0, 1, 1])] };
 * const trained = { layers: [layer([1, 1, 0, 0, 2, -3, 4, 0, -1]), layer([1, 0, 2, -1, 0, 3, 0, 1, 1])] };
 * const before = nm.subgraphSignificance(initial, { size: 4, colours: 'sign', seed: 1 });
 * const after = nm.subgraphSignificance(trained, { size: 4, colours: 'sign', seed: 1 });
 * const dz = nm.deltaZ(after, before); // { [key]: Z_after − Z_before }
 * ```
 */
export function deltaZ(
  after: Pick<SubgraphSignificance, 'classes'>,
  before: Pick<SubgraphSignificance, 'classes'>
): Record<string, number> {
  const keys = [...new Set([...Object.keys(after.classes), ...Object.keys(before.classes)])].sort();
  const out: Record<string, number> = {};
  for (const key of keys) out[key] = (after.classes[key]?.z ?? NaN) - (before.classes[key]?.z ?? NaN);
  return out;
}
