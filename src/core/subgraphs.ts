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

import { canonicalOrder, parseSubgraphKey, subgraphKey } from './canonical';
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
  return classInfo(key, size, adjacency);
}

/** {@link describeSubgraphClass} from the class's canonical colour matrix (`size × size`, row-major). */
function classInfo(key: string, size: number, adjacency: ArrayLike<number>): SubgraphClassInfo {
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
  counts: ClassCounts,
  size: SubgraphSize,
  induced: boolean
): SubgraphCensus {
  const keys = Array.from(counts.ids, (id, t) => ({ key: engine.keys[id], id, count: counts.counts[t] }));
  keys.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const countRecord: Record<string, number> = {};
  const classRecord: Record<string, SubgraphClassInfo> = {};
  let total = 0;
  for (const { key, id, count } of keys) {
    countRecord[key] = count;
    classRecord[key] = engine.describe(id);
    total += count;
  }
  return { size, induced, total, counts: countRecord, classes: classRecord };
}

/** The classes a census found: class `ids[t]` occurs `counts[t]` times; ids ascending, counts positive. */
interface ClassCounts {
  readonly ids: Int32Array;
  readonly counts: Float64Array;
}

/**
 * Open-addressing hash table (linear probing) from integer codes in `[0, 2^53)` to values in `[0, 2^31)`:
 * the census's caches, which see millions of codes; a `Map` would box every code above 2^31 into a heap
 * number on each lookup. A code and its value sit side by side, so a lookup touches one cache line.
 */
class CodeTable {
  /** `slots[2i]` = code (`-1` when empty), `slots[2i + 1]` = its value. */
  private slots = new Float64Array(2 << 10).fill(-1);
  private mask = (1 << 10) - 1;
  /** Number of codes stored. */
  size = 0;

  /** The value stored for `code`, or `-1`. */
  get(code: number): number {
    const slots = this.slots;
    const mask = this.mask;
    for (let i = hashCode(code) & mask; ; i = (i + 1) & mask) {
      const c = slots[2 * i];
      if (c === code) return slots[2 * i + 1];
      if (c < 0) return -1;
    }
  }

  /** Stores `value` for `code`, which must not be stored yet. */
  add(code: number, value: number): void {
    if (4 * (this.size + 1) > this.slots.length) this.resize(this.slots.length);
    this.place(code, value);
    this.size++;
  }

  private place(code: number, value: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let i = hashCode(code) & mask;
    while (slots[2 * i] >= 0) i = (i + 1) & mask;
    slots[2 * i] = code;
    slots[2 * i + 1] = value;
  }

  private resize(capacity: number): void {
    const old = this.slots;
    this.slots = new Float64Array(2 * capacity).fill(-1);
    this.mask = capacity - 1;
    for (let i = 0; i < old.length; i += 2) if (old[i] >= 0) this.place(old[i], old[i + 1]);
  }
}

/** 32-bit mix of an integer code below 2^53 (its low and high words; murmur3's finaliser). */
function hashCode(code: number): number {
  let h = Math.imul((code >>> 0) ^ Math.imul((code / 4294967296) >>> 0, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 13);
}

/**
 * ESU enumeration with classification through a cache from a node set's raw code (its colour matrix in
 * discovery order, one base-B digit per ordered pair) to class ids. A raw code not seen before is decoded
 * and labelled canonically ({@link canonicalOrder} on the digits, which sort like the colours' unsigned
 * bytes); the canonical labelling's code identifies the class, and only a new class builds its string key
 * (`subgraphKey` of the relabelled colours). One engine serves a network and its random networks, so class ids are
 * shared between them.
 */
class CensusEngine {
  /** Class key per class id. */
  readonly keys: string[] = [];
  /** Canonical colour matrix (`k × k`) of class id `c` at `c · k²`. */
  private adjacency = new Int8Array(1 << 12);
  /** Canonical code → class id. */
  private readonly classOfCode = new CodeTable();
  /** Raw code → class id (induced) or index into `multi` (non-induced). */
  private readonly cache = new CodeTable();
  private readonly multi: Int32Array[] = [];
  /** Count per class id during a census, all zero between censuses. */
  private tally = new Float64Array(1 << 10);
  /** Scratch: digit matrix of a decoded code, and a canonical order. */
  private readonly digits: Uint8Array;
  private readonly order: Int32Array;
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
    this.digits = new Uint8Array(this.k * this.k);
    this.order = new Int32Array(this.k);
    this.weight = new Float64Array(this.k * this.k);
    let t = 0;
    for (let p = 0; p < this.k; p++) {
      for (let q = 0; q < this.k; q++) if (p !== q) this.weight[p * this.k + q] = this.base ** t++;
    }
  }

  /** The classes of a coloured layered graph. */
  run(colours: readonly Int8Array[]): ClassCounts {
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
  runGraph(graph: ColouredGraph, denseCells = DENSE_GRAPH_CELLS): ClassCounts {
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
  ): ClassCounts {
    const { n, k } = this;
    const cache = this.cache;
    let tally: Float64Array = this.tally;
    const record = this.induced
      ? (code: number): void => {
          let id = cache.get(code);
          if (id < 0) {
            id = this.classOfDigits(this.decode(code, this.digits));
            cache.add(code, id);
            tally = this.tallyFor(id);
          }
          tally[id]++;
        }
      : (code: number): void => {
          let slot = cache.get(code);
          if (slot < 0) {
            slot = this.multi.length;
            this.multi.push(this.resolveNonInduced(code));
            cache.add(code, slot);
            tally = this.tallyFor(this.keys.length - 1);
          }
          const ids = this.multi[slot];
          for (let t = 0; t < ids.length; t++) tally[ids[t]]++;
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
    // collect the classes found and zero the tally for the next census
    let found = 0;
    for (let id = 0; id < this.keys.length; id++) if (tally[id] !== 0) found++;
    const ids = new Int32Array(found);
    const counts = new Float64Array(found);
    found = 0;
    for (let id = 0; id < this.keys.length; id++) {
      if (tally[id] === 0) continue;
      ids[found] = id;
      counts[found++] = tally[id];
      tally[id] = 0;
    }
    return { ids, counts };
  }

  /** The tally, grown (zero-filled) to hold class id `id`. */
  private tallyFor(id: number): Float64Array {
    if (id >= this.tally.length) {
      const grown = new Float64Array(Math.max(2 * this.tally.length, id + 1));
      grown.set(this.tally);
      this.tally = grown;
    }
    return this.tally;
  }

  /** Digit matrix (`k × k`, discovery order, digits 0..B−1) of a raw code, written to `out`. */
  private decode(code: number, out: Uint8Array): Uint8Array {
    const { k, base, weight } = this;
    for (let p = 0; p < k; p++) {
      for (let q = 0; q < k; q++) out[p * k + q] = p === q ? 0 : Math.floor(code / weight[p * k + q]) % base;
    }
    return out;
  }

  /** Class id of a digit matrix (a new class gets the next id, its key and its canonical colours). */
  private classOfDigits(digits: Uint8Array): number {
    const { k, weight } = this;
    const order = canonicalOrder(k, digits, this.order);
    let code = 0;
    for (let p = 0; p < k; p++) {
      const row = order[p] * k;
      for (let q = 0; q < k; q++) if (p !== q) code += digits[row + order[q]] * weight[p * k + q];
    }
    let id = this.classOfCode.get(code);
    if (id >= 0) return id;
    id = this.keys.length;
    if ((id + 1) * k * k > this.adjacency.length) {
      const grown = new Int8Array(2 * this.adjacency.length);
      grown.set(this.adjacency);
      this.adjacency = grown;
    }
    const canonical = this.adjacency.subarray(id * k * k, (id + 1) * k * k);
    for (let p = 0; p < k; p++) {
      const row = order[p] * k;
      for (let q = 0; q < k; q++)
        if (p !== q) canonical[p * k + q] = this.colourOfDigit[digits[row + order[q]]];
    }
    this.keys.push(subgraphKey(k, canonical));
    this.classOfCode.add(code, id);
    return id;
  }

  /** What class id `id` looks like. */
  describe(id: number): SubgraphClassInfo {
    const kk = this.k * this.k;
    return classInfo(this.keys[id], this.k, this.adjacency.subarray(id * kk, (id + 1) * kk));
  }

  /** Class ids of every weakly connected edge subset touching all `k` nodes (with repetition). */
  private resolveNonInduced(code: number): Int32Array {
    const { k } = this;
    const matrix = this.decode(code, new Uint8Array(k * k));
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
      const chosen = new Uint8Array(k * k);
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
      if (components === 1) ids.push(this.classOfDigits(chosen));
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
  const nulls: ClassCounts[] = [];
  for (let s = 0; s < samples; s++) {
    const switchOptions = { swapsPerEdge, seed: seeds.uint32() };
    nulls.push(
      graph === undefined
        ? engine.run(switchEdgeColours(net.layers, colours, switchOptions).colours)
        : engine.runGraph(switchGraphColours(graph, switchOptions).graph)
    );
  }
  // per class id: its count in the network and in each random network (merging the id-sorted lists)
  const classCount = engine.keys.length;
  const count = new Float64Array(classCount);
  for (let t = 0; t < real.ids.length; t++) count[real.ids[t]] = real.counts[t];
  const cursor = new Int32Array(samples);
  const nullCounts: number[][] = [];
  for (let id = 0; id < classCount; id++) {
    const row = new Array<number>(samples);
    for (let s = 0; s < samples; s++) {
      const { ids, counts } = nulls[s];
      const t = cursor[s];
      if (t < ids.length && ids[t] === id) {
        row[s] = counts[t];
        cursor[s] = t + 1;
      } else {
        row[s] = 0;
      }
    }
    nullCounts.push(row);
  }
  const order = engine.keys.map((key, id) => ({ key, id }));
  order.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const classes: Record<string, SubgraphClassSignificance> = {};
  const info: Record<string, SubgraphClassInfo> = {};
  for (const { key, id } of order) {
    classes[key] = significanceOf(count[id], nullCounts[id]);
    info[key] = engine.describe(id);
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
