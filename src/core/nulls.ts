/**
 * Null models for the motif census: random networks that keep some properties of the real one, so a
 * motif count can be compared with what chance gives (Z-scores, `significance.ts`).
 *
 * Every model works on the census view of the network (live edges after ghost/dead removal, the bias node
 * as an extra source row when asked; see `live.ts`) and keeps the number of edges of every layer. Per layer:
 *
 * - `'random-pruning'` — the authors' null (Zahn et al.). On the *live* nodes of the layer (sources and
 *   targets with ≥ 1 weight edge) it places `W − (n + m)` ones uniformly in the `n × m` matrix, then gives
 *   every row one extra 1 at a random zero entry, then every column one. The edge count is exactly `W` and
 *   every live node keeps degree ≥ 1. Special cases: when a row (column) is already full its extra 1 goes
 *   to a uniformly random zero entry of the whole matrix, so the count stays exact; when `W < n + m` (the
 *   authors' recipe would overshoot) it draws a random minimal edge cover of `max(n, m)` edges (every node
 *   of the larger side one edge, the smaller side covered by a random matching plus uniform choices) and
 *   places the remaining `W − max(n, m)` ones uniformly. Bias edges: the same number, on uniformly chosen
 *   distinct targets among the layer's live targets.
 * - `'gnm'` — uniform G(n, m): `W` ones uniformly among the live sources × live targets (degree 0 allowed),
 *   bias edges as above. {@link gnmMoments} gives exact means and variances of several counts.
 * - `'degree'` — degree preserving: curveball trades (Strona et al.; Carstens' global curveball rounds)
 *   between source rows, bias row included, so every in- and out-degree is kept exactly.
 * - `'weight-shuffle'`, `'sign-shuffle'` — the structure is kept; weights (or only their signs) are
 *   permuted over the layer's edges. Unsigned counts never change: **these two are only meaningful with a
 *   signed census**, where both give the same distribution of sign patterns (they differ only in the
 *   weights of the networks {@link sampleNull} returns).
 *
 * Signs: the structural models give the new edges the layer's signs in random order (weight edges and bias
 * edges separately), so a signed census compares like with like.
 *
 * **Determinism and chunks.** Sample `i` always uses the random stream `createRng(sampleSeed(seed, i))`, so
 * the samples do not depend on how they are split into chunks or across worker threads.
 * Null samples are counted as drawn: they are not pruned again.
 */

import {
  CensusWorkspace,
  type ChainConvention,
  censusKeys,
  countMotifGraph,
  MOTIF_NAMES,
  type MotifCounts
} from './census';
import { type LiveOptions, type MotifGraph, type MotifLayer, motifGraph } from './live';
import { type Layer, type LayeredNetwork } from './network';
import { type Rng, createRng } from './random';

/** The null models, as named in the CLI. */
export const NULL_MODELS = ['random-pruning', 'gnm', 'degree', 'weight-shuffle', 'sign-shuffle'] as const;

/** One of {@link NULL_MODELS}. */
export type NullModel = (typeof NULL_MODELS)[number];

/** Options of every null sampler. */
export interface NullOptions extends LiveOptions {
  /** The null model, default `'random-pruning'` (the same name as in `motifSignificance` and the CLI). */
  readonly null?: NullModel;
  /** @deprecated Old name of {@link NullOptions.null}; read when `null` is not given. */
  readonly model?: NullModel;
  /** Seed of the sample stream, default 0. */
  readonly seed?: number;
  /** Global curveball rounds per layer for `'degree'` (each pairs up all rows once), default 20. */
  readonly rounds?: number;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * The seed of null sample `index` of a run seeded with `seed`: a hash of both, so sample `i` is the same
 * whichever chunk or worker draws it.
 *
 * @example
 * ```ts
 * sampleSeed(0, 5) === sampleSeed(0, 5); // true
 * ```
 */
export function sampleSeed(seed: number, index: number): number {
  if (!Number.isFinite(seed)) throw new RangeError(`sampleSeed: seed must be finite, got ${seed}`);
  const s = Math.floor(seed);
  const lo = s >>> 0;
  const hi = Math.floor(s / 4294967296) >>> 0;
  let h = fmix32(lo ^ fmix32(hi + 0x6a09e667));
  h = fmix32(h ^ Math.imul((index >>> 0) + 0x9e3779b9, 0x27d4eb2d));
  return fmix32(h + Math.floor(index / 4294967296));
}

/** Per-layer facts the samplers need, computed once from the real graph. */
interface LayerPlan {
  readonly real: MotifLayer;
  readonly bias: boolean;
  /** Weight edges (all rows but the bias row). */
  readonly W: number;
  /** Bias edges. */
  readonly K: number;
  readonly liveRows: Int32Array;
  readonly liveCols: Int32Array;
  /** Targets with ≥ 1 edge of any kind (where bias edges may go). */
  readonly biasTargets: Int32Array;
  readonly weightNeg: Uint8Array;
  readonly biasNeg: Uint8Array;
}

function planLayer(real: MotifLayer): LayerPlan {
  const { nRows, nReal, nCols, rowPtr, colIdx, neg } = real;
  const bias = nRows > nReal;
  const W = rowPtr[nReal];
  const K = rowPtr[nRows] - W;
  const rowLive: number[] = [];
  for (let r = 0; r < nReal; r++) if (rowPtr[r + 1] > rowPtr[r]) rowLive.push(r);
  const colW = new Uint8Array(nCols);
  const colAny = new Uint8Array(nCols);
  for (let e = 0; e < rowPtr[nRows]; e++) {
    if (e < W) colW[colIdx[e]] = 1;
    colAny[colIdx[e]] = 1;
  }
  const pick = (flags: Uint8Array): Int32Array => Int32Array.from(flags.keys()).filter(c => flags[c] !== 0);
  return {
    real,
    bias,
    W,
    K,
    liveRows: Int32Array.from(rowLive),
    liveCols: pick(colW),
    biasTargets: pick(colAny),
    weightNeg: neg.slice(0, W),
    biasNeg: neg.slice(W, W + K)
  };
}

/** A 0/1 matrix being filled, with the list of its ones (so nothing scans the whole matrix when sparse). */
class Cells {
  occ = new Uint8Array(0);
  list = new Int32Array(0);
  n = 0;

  /** Makes room for an all-zero `size`-entry matrix with up to `ones` ones. */
  reset(size: number, ones: number): void {
    if (this.occ.length < size) this.occ = new Uint8Array(size);
    if (this.list.length < ones) this.list = new Int32Array(ones);
    this.n = 0;
  }

  set(k: number): void {
    this.occ[k] = 1;
    this.list[this.n++] = k;
  }

  /** Rebuilds the list after `occ` was changed directly. */
  relist(size: number): void {
    this.n = 0;
    for (let k = 0; k < size; k++) if (this.occ[k] !== 0) this.list[this.n++] = k;
  }

  /** Back to all zeros. */
  clear(): void {
    for (let i = 0; i < this.n; i++) this.occ[this.list[i]] = 0;
    this.n = 0;
  }
}

/**
 * Uniform integer in [0, n), n ≤ 2^32: exactly `rng.int(n)` (same draws, same value) without its two
 * floating-point remainders (`%` on doubles is a slow library call). For integers x < 2^32 and n ≥ 1,
 * `Math.floor(x / n)` is exact: the rounding error of x / n is below 2^-21 / n, smaller than the distance
 * 1 / n from a non-integer quotient to the next integer. So `floor(2^32 / n) · n` is `rng.int`'s rejection
 * limit `2^32 − 2^32 mod n`, and `x − floor(x / n) · n` is `x mod n`.
 */
function randInt(rng: Rng, n: number): number {
  if (!(n >= 1 && n <= 4294967296 && Math.floor(n) === n)) return rng.int(n); // its error
  const limit = Math.floor(4294967296 / n) * n;
  let x = rng.uint32();
  while (x >= limit) x = rng.uint32();
  return x - Math.floor(x / n) * n;
}

/**
 * Draws null samples of one network into one reusable {@link MotifGraph}. Create once, call
 * {@link NullSampler.sample} per sample.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const g = motifGraph({ layers: [{ nIn: 3, nOut: 3, weights: Float64Array.of(1, 0, 0, 0, 1, 0, 1, 1, 1) }] });
 * const sampler = new NullSampler(g, 'random-pruning');
 * const sample = sampler.sample(nm.createRng(1)); // 5 edges, every node degree ≥ 1
 * ```
 */
export class NullSampler {
  /** The current sample (overwritten by every call of {@link NullSampler.sample}). */
  readonly graph: MotifGraph;
  private readonly plans: LayerPlan[];
  private readonly cells = new Cells();
  private rowStart = new Int32Array(0);
  private scratch = new Int32Array(0);
  private stamp = new Int32Array(0);
  private pool = new Int32Array(0);
  private epoch = 0;

  /**
   * @param real - the census view of the real network.
   * @param model - the null model.
   * @param rounds - global curveball rounds for `'degree'` (default 20).
   * @param signed - assign shuffled signs to the sampled edges (needed only for a signed census). Default `true`.
   */
  constructor(
    real: MotifGraph,
    readonly model: NullModel,
    private readonly rounds = 20,
    private readonly signed = true
  ) {
    if (!NULL_MODELS.includes(model)) throw new RangeError(`unknown null model '${String(model)}'`);
    this.plans = real.layers.map(planLayer);
    const layers = real.layers.map((l): MotifLayer => ({
      nRows: l.nRows,
      nReal: l.nReal,
      nCols: l.nCols,
      rowPtr: l.rowPtr.slice(),
      colIdx: l.colIdx.slice(),
      neg: l.neg.slice()
    }));
    this.graph = { layers, biasNode: real.biasNode };
  }

  /** Draws one sample from `rng` into {@link NullSampler.graph} and returns that graph. */
  sample(rng: Rng): MotifGraph {
    this.plans.forEach((plan, l) => {
      const out = this.graph.layers[l];
      switch (this.model) {
        case 'random-pruning':
        case 'gnm':
          this.placeLayer(plan, out, rng, this.model === 'random-pruning');
          if (this.signed) this.shuffleSigns(plan, out, rng);
          break;
        case 'degree':
          out.colIdx.set(plan.real.colIdx);
          this.curveball(out, rng);
          if (this.signed) this.shuffleSigns(plan, out, rng);
          break;
        case 'weight-shuffle':
        case 'sign-shuffle':
          this.shuffleSigns(plan, out, rng);
          break;
      }
    });
    return this.graph;
  }

  private shuffleSigns(plan: LayerPlan, out: MotifLayer, rng: Rng): void {
    out.neg.set(plan.weightNeg, 0);
    out.neg.set(plan.biasNeg, plan.W);
    shuffle(out.neg, 0, plan.W, rng);
    shuffle(out.neg, plan.W, plan.W + plan.K, rng);
  }

  /** Random pruning (`authors`) or G(n, m) on the live nodes, then the bias row. */
  private placeLayer(plan: LayerPlan, out: MotifLayer, rng: Rng, authors: boolean): void {
    const n = plan.liveRows.length;
    const m = plan.liveCols.length;
    const N = n * m;
    const W = plan.W;
    const cells = this.cells;
    cells.reset(N, W);
    if (W > 0) {
      if (!authors) {
        placeUniform(cells, N, N, W, rng);
      } else if (W >= n + m) {
        placeUniform(cells, N, N, W - n - m, rng);
        for (let r = 0; r < n; r++) extraInRow(cells, n, m, r, rng);
        for (let c = 0; c < m; c++) extraInCol(cells, n, m, c, rng);
      } else {
        this.minimalCover(cells, n, m, rng);
        placeUniform(cells, N, N - Math.max(n, m), W - Math.max(n, m), rng);
      }
    }
    // CSR in real indices by a counting sort of the ones over the live rows; other rows stay empty.
    if (this.rowStart.length < n + 1) this.rowStart = new Int32Array(n + 1);
    const start = this.rowStart;
    start.fill(0, 0, n + 1);
    const list = cells.list;
    for (let q = 0; q < cells.n; q++) start[((list[q] / m) | 0) + 1]++;
    const { rowPtr, colIdx } = out;
    let e = 0;
    let i = 0;
    for (let r = 0; r < out.nReal; r++) {
      rowPtr[r] = e;
      if (i < n && plan.liveRows[i] === r) {
        const c = start[i + 1];
        start[i] = e;
        e += c;
        i++;
      }
    }
    for (let q = 0; q < cells.n; q++) {
      const k = list[q];
      const row = (k / m) | 0;
      colIdx[start[row]++] = plan.liveCols[k - row * m];
    }
    cells.clear();
    rowPtr[out.nReal] = e;
    if (plan.bias) {
      const t = plan.biasTargets.length;
      if (this.scratch.length < t) this.scratch = new Int32Array(t);
      const pool = this.scratch;
      pool.set(plan.biasTargets);
      for (let k = 0; k < plan.K; k++) {
        const j = k + randInt(rng, t - k);
        const v = pool[j];
        pool[j] = pool[k];
        pool[k] = v;
        colIdx[e++] = v;
      }
      rowPtr[out.nRows] = e;
    }
  }

  /** `max(n, m)` edges covering every row and column: a random matching plus uniform extra partners. */
  private minimalCover(cells: Cells, n: number, m: number, rng: Rng): void {
    const big = Math.max(n, m);
    const small = Math.min(n, m);
    if (this.scratch.length < big) this.scratch = new Int32Array(big);
    const perm = this.scratch;
    for (let k = 0; k < big; k++) perm[k] = k;
    shuffleInt(perm, big, rng);
    // big-side node perm[k] is matched to small-side node k for k < small, else to a uniform one
    for (let k = 0; k < big; k++) {
      const s = k < small ? k : randInt(rng, small);
      const [r, c] = n >= m ? [perm[k], s] : [s, perm[k]];
      cells.set(r * m + c);
    }
  }

  /** Global curveball: every round pairs up all rows at random and trades their non-shared columns. */
  private curveball(out: MotifLayer, rng: Rng): void {
    const { nRows, nCols, rowPtr, colIdx } = out;
    if (nRows < 2) return;
    if (this.scratch.length < nRows + nCols) this.scratch = new Int32Array(nRows + nCols);
    if (this.stamp.length < nCols) {
      this.stamp = new Int32Array(nCols);
      this.epoch = 0;
    }
    const order = this.scratch;
    if (this.pool.length < 2 * nCols) this.pool = new Int32Array(2 * nCols);
    for (let round = 0; round < this.rounds; round++) {
      for (let k = 0; k < nRows; k++) order[k] = k;
      shuffleInt(order, nRows, rng);
      for (let k = 0; k + 1 < nRows; k += 2) this.trade(rowPtr, colIdx, order[k], order[k + 1], rng);
    }
  }

  /** Curveball trade: rows a and b keep their shared columns and split the others at random. */
  private trade(rowPtr: Int32Array, colIdx: Int32Array, a: number, b: number, rng: Rng): void {
    const buf = this.pool;
    const a0 = rowPtr[a];
    const a1 = rowPtr[a + 1];
    const b0 = rowPtr[b];
    const b1 = rowPtr[b + 1];
    if (a0 === a1 || b0 === b1) return;
    const stamp = this.stamp;
    if (this.epoch > 0x3ffffff0) {
      stamp.fill(0);
      this.epoch = 0;
    }
    const inB = ++this.epoch;
    for (let e = b0; e < b1; e++) stamp[colIdx[e]] = inB;
    // pool = a-only columns, then b-only columns
    let p = 0;
    let shared = 0;
    for (let e = a0; e < a1; e++) {
      const c = colIdx[e];
      if (stamp[c] === inB) colIdx[a0 + shared++] = c;
      else buf[p++] = c;
    }
    const inA = ++this.epoch;
    for (let e = a0; e < a0 + shared; e++) stamp[colIdx[e]] = inA;
    for (let e = a0 + shared; e < a1; e++) stamp[buf[e - a0 - shared]] = inA;
    let bShared = 0;
    for (let e = b0; e < b1; e++) {
      const c = colIdx[e];
      if (stamp[c] === inA) colIdx[b0 + bShared++] = c;
      else buf[p++] = c;
    }
    if (p === 0) return;
    shuffleInt(buf, p, rng);
    let q = 0;
    for (let e = a0 + shared; e < a1; e++) colIdx[e] = buf[q++];
    for (let e = b0 + bShared; e < b1; e++) colIdx[e] = buf[q++];
  }
}

/** One extra 1 in row r at a random zero entry (anywhere when the row is full). */
function extraInRow(cells: Cells, n: number, m: number, r: number, rng: Rng): void {
  const occ = cells.occ;
  const base = r * m;
  for (let t = 0; t < 16; t++) {
    const c = randInt(rng, m);
    if (occ[base + c] === 0) {
      cells.set(base + c);
      return;
    }
  }
  let zeros = 0;
  for (let c = 0; c < m; c++) zeros += occ[base + c] === 0 ? 1 : 0;
  if (zeros === 0) return placeAnywhere(cells, n * m, rng);
  let k = randInt(rng, zeros);
  for (let c = 0; c < m; c++) {
    if (occ[base + c] === 0 && k-- === 0) {
      cells.set(base + c);
      return;
    }
  }
}

/** One extra 1 in column c at a random zero entry (anywhere when the column is full). */
function extraInCol(cells: Cells, n: number, m: number, c: number, rng: Rng): void {
  const occ = cells.occ;
  for (let t = 0; t < 16; t++) {
    const r = randInt(rng, n);
    if (occ[r * m + c] === 0) {
      cells.set(r * m + c);
      return;
    }
  }
  let zeros = 0;
  for (let r = 0; r < n; r++) zeros += occ[r * m + c] === 0 ? 1 : 0;
  if (zeros === 0) return placeAnywhere(cells, n * m, rng);
  let k = randInt(rng, zeros);
  for (let r = 0; r < n; r++) {
    if (occ[r * m + c] === 0 && k-- === 0) {
      cells.set(r * m + c);
      return;
    }
  }
}

function placeAnywhere(cells: Cells, N: number, rng: Rng): void {
  const occ = cells.occ;
  for (let t = 0; t < 16; t++) {
    const k = randInt(rng, N);
    if (occ[k] === 0) {
      cells.set(k);
      return;
    }
  }
  let zeros = 0;
  for (let k = 0; k < N; k++) zeros += occ[k] === 0 ? 1 : 0;
  if (zeros === 0) throw new Error('null model: no free entry left (more edges than entries)');
  let z = randInt(rng, zeros);
  for (let k = 0; k < N; k++) {
    if (occ[k] === 0 && z-- === 0) {
      cells.set(k);
      return;
    }
  }
}

/**
 * Sets `K` uniformly chosen zero entries of `occ[0..N)` to 1, `free` being the number of zero entries
 * (rejection; through the complement when more than half of the free entries are taken).
 */
function placeUniform(cells: Cells, N: number, free: number, K: number, rng: Rng): void {
  if (K <= 0) return;
  const occ = cells.occ;
  if (K > free) throw new Error(`null model: cannot place ${K} edges in ${free} free entries`);
  if (2 * K <= free) {
    for (let placed = 0; placed < K;) {
      const k = randInt(rng, N);
      if (occ[k] === 0) {
        cells.set(k);
        placed++;
      }
    }
    return;
  }
  // Dense: mark the free entries that stay free (value 2), fill the rest.
  for (let left = free - K; left > 0;) {
    const k = randInt(rng, N);
    if (occ[k] === 0) {
      occ[k] = 2;
      left--;
    }
  }
  for (let k = 0; k < N; k++) occ[k] = occ[k] === 0 ? 1 : occ[k] === 2 ? 0 : occ[k];
  cells.relist(N);
}

function shuffle(a: Uint8Array, from: number, to: number, rng: Rng): void {
  for (let k = to - 1; k > from; k--) {
    const j = from + randInt(rng, k - from + 1);
    const v = a[k];
    a[k] = a[j];
    a[j] = v;
  }
}

function shuffleInt(a: Int32Array, n: number, rng: Rng): void {
  for (let k = n - 1; k > 0; k--) {
    const j = randInt(rng, k + 1);
    const v = a[k];
    a[k] = a[j];
    a[j] = v;
  }
}

/**
 * One null sample as a {@link LayeredNetwork}: masks mark the sampled edges, weights carry the layer's live
 * weights in random order (`'sign-shuffle'`: the original magnitudes with shuffled signs), biases the
 * sampled bias edges when `biasNode` is on (otherwise the original biases). Mainly for inspection and
 * figures; the census of many samples uses {@link nullCensusSamples}, which never builds networks.
 *
 * @param net - the real network.
 * @param options - `model` (`'random-pruning'`), `seed` (0, the stream of sample 0 of that seed), `biasNode`
 *   (`false`), `pruneDeadGhost` (`true`), `rounds` (20).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0, 2) }] };
 * const random = nm.sampleNull(net, { model: 'gnm', seed: 3 }); // 3 edges placed uniformly
 * ```
 */
export function sampleNull(net: LayeredNetwork, options: NullOptions = {}): LayeredNetwork {
  const model = options.null ?? options.model ?? 'random-pruning';
  const liveOpts = { biasNode: options.biasNode ?? false, pruneDeadGhost: options.pruneDeadGhost ?? true };
  const real = motifGraph(net, liveOpts);
  const sampler = new NullSampler(real, model, options.rounds ?? 20, model === 'sign-shuffle');
  const rng = createRng(sampleSeed(options.seed ?? 0, 0));
  const g = sampler.sample(rng);
  const layers = net.layers.map((layer, l): Layer => {
    const { nIn, nOut } = layer;
    const src = real.layers[l];
    const dst = g.layers[l];
    // live weight and bias values of the real layer, in CSR order
    const values = new Float64Array(src.rowPtr[src.nRows]);
    for (let r = 0; r < src.nRows; r++) {
      for (let e = src.rowPtr[r]; e < src.rowPtr[r + 1]; e++) {
        values[e] =
          r < nIn ? layer.weights[r * nOut + src.colIdx[e]] : (layer.bias as Float64Array)[src.colIdx[e]];
      }
    }
    const W = src.rowPtr[src.nReal];
    if (model !== 'sign-shuffle') {
      // the layer's values in random order (weights and biases apart): the weight multiset is kept
      shuffleF(values, 0, W, rng);
      shuffleF(values, W, values.length, rng);
    }
    const weights = new Float64Array(nIn * nOut);
    const mask = new Uint8Array(nIn * nOut);
    const bias =
      layer.bias === undefined ? undefined : liveOpts.biasNode ? new Float64Array(nOut) : layer.bias.slice();
    for (let r = 0; r < dst.nRows; r++) {
      for (let e = dst.rowPtr[r]; e < dst.rowPtr[r + 1]; e++) {
        // sign-shuffle keeps each edge's magnitude and takes the sampled sign
        const v = model === 'sign-shuffle' ? (dst.neg[e] !== 0 ? -1 : 1) * Math.abs(values[e]) : values[e];
        const c = dst.colIdx[e];
        if (r < nIn) {
          weights[r * nOut + c] = v;
          mask[r * nOut + c] = 1;
        } else if (bias !== undefined) bias[c] = v;
      }
    }
    const out: { -readonly [K in keyof Layer]: Layer[K] } = { nIn, nOut, weights, mask };
    if (bias !== undefined) out.bias = bias;
    if (layer.activation !== undefined) out.activation = layer.activation;
    return out;
  });
  return { layers, meta: { ...(net.meta ?? {}), null: { model, seed: options.seed ?? 0 } } };
}

function shuffleF(a: Float64Array, from: number, to: number, rng: Rng): void {
  for (let k = to - 1; k > from; k--) {
    const j = from + randInt(rng, k - from + 1);
    const v = a[k];
    a[k] = a[j];
    a[j] = v;
  }
}

/** Options of {@link nullCensusSamples}. */
export interface NullCensusOptions extends NullOptions {
  /** Number of samples to draw, default 1000. */
  readonly samples?: number;
  /** Index of the first sample (for chunks), default 0. */
  readonly start?: number;
  /** Chain convention, default `'paths'`. */
  readonly chain?: ChainConvention;
  /** Count sign patterns too, default `false`. */
  readonly signed?: boolean;
}

/** Counts of null samples: row `i` (length `keys.length`) is sample `start + i`. */
export interface NullCensusSamples {
  readonly keys: string[];
  readonly start: number;
  readonly samples: number;
  readonly values: Float64Array;
}

/**
 * A prepared null census of one network: counts any range of samples, reusing every buffer.
 *
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 0, 1) }] };
 * const run = prepareNullCensus(net, { model: 'gnm', seed: 1 });
 * const chunk = run.count(10, 5); // samples 10 … 14
 * ```
 */
export function prepareNullCensus(
  net: LayeredNetwork,
  options: Omit<NullCensusOptions, 'samples' | 'start'> = {}
): PreparedNullCensus {
  const real = motifGraph(net, {
    biasNode: options.biasNode ?? false,
    pruneDeadGhost: options.pruneDeadGhost ?? true
  });
  return prepareNullCensusOfGraph(real, options);
}

/** What {@link prepareNullCensus} returns: the census keys and a counter of sample ranges. */
export interface PreparedNullCensus {
  readonly keys: string[];
  /** Counts samples `start … start + samples − 1` (row-major, `keys.length` values per sample). */
  count(start: number, samples: number): NullCensusSamples;
}

/**
 * {@link prepareNullCensus} from the census view of the network (`motifGraph(net, { biasNode,
 * pruneDeadGhost })`), e.g. in a worker thread that was handed the small CSR graph instead of the weight
 * matrices. `biasNode` and `pruneDeadGhost` of `options` are ignored: the graph already has them applied.
 *
 * @example
 * ```ts
 * const g = motifGraph({ layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 0, 1) }] });
 * const chunk = prepareNullCensusOfGraph(g, { model: 'gnm', seed: 1 }).count(0, 5);
 * ```
 */
export function prepareNullCensusOfGraph(
  real: MotifGraph,
  options: Omit<NullCensusOptions, 'samples' | 'start'> = {}
): PreparedNullCensus {
  const signed = options.signed ?? false;
  const chain = options.chain ?? 'paths';
  const seed = options.seed ?? 0;
  const sampler = new NullSampler(
    real,
    options.null ?? options.model ?? 'random-pruning',
    options.rounds ?? 20,
    signed
  );
  const keys = censusKeys(signed);
  const ws = new CensusWorkspace();
  return {
    keys,
    count(start: number, samples: number): NullCensusSamples {
      if (!Number.isInteger(start) || start < 0)
        throw new RangeError(`start must be a non-negative integer, got ${start}`);
      if (!Number.isInteger(samples) || samples < 0) {
        throw new RangeError(`samples must be a non-negative integer, got ${samples}`);
      }
      const K = keys.length;
      const values = new Float64Array(samples * K);
      for (let i = 0; i < samples; i++) {
        const g = sampler.sample(createRng(sampleSeed(seed, start + i)));
        countMotifGraph(g, { chain, signed }, values.subarray(i * K, (i + 1) * K), ws);
      }
      return { keys, start, samples, values };
    }
  };
}

/**
 * Motif counts of `samples` null networks, samples `start … start + samples − 1` of the stream seeded by
 * `seed`. Chunks of one run can be drawn anywhere (worker threads) and concatenated.
 *
 * @param net - the real network.
 * @param options - `model` (`'random-pruning'`), `samples` (1000), `seed` (0), `start` (0), `chain`
 *   (`'paths'`), `biasNode` (`false`), `pruneDeadGhost` (`true`), `signed` (`false`), `rounds` (20).
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 3, nOut: 2, weights: Float64Array.of(1, 0, 1, 1, 0, 1) }] };
 * const { keys, values } = nullCensusSamples(net, { samples: 100, seed: 7 });
 * values[keys.indexOf('edges')]; // 4 in every sample
 * ```
 */
export function nullCensusSamples(net: LayeredNetwork, options: NullCensusOptions = {}): NullCensusSamples {
  return prepareNullCensus(net, options).count(options.start ?? 0, options.samples ?? 1000);
}

// ---------------------------------------------------------------------------------------------------------
// Exact moments under G(n, m)

/** Exact mean and variance of motif counts under the `'gnm'` null (NaN where not derived). */
export interface GnmMoments {
  readonly mean: MotifCounts;
  readonly variance: MotifCounts;
}

const choose = (n: number, k: number): number => {
  if (k < 0 || k > n) return 0;
  let r = 1;
  for (let i = 1; i <= k; i++) r = (r * (n - k + i)) / i;
  return r;
};

/** P(u given distinct cells are all edges) when W of N cells are edges: (W)_u / (N)_u. */
function fall(W: number, N: number, u: number): number {
  if (u > W) return 0;
  let p = 1;
  for (let i = 0; i < u; i++) p *= (W - i) / (N - i);
  return p;
}

/** Mean and second moment of the number of k-stars centred on the n-side of G(n, m, W). */
function starMoments(n: number, m: number, W: number, k: number): [number, number] {
  const N = n * m;
  const f = (u: number): number => fall(W, N, u);
  const mean = n * choose(m, k) * f(k);
  let second = n * (n - 1) * choose(m, k) ** 2 * f(2 * k);
  for (let j = 0; j <= k; j++)
    second += n * choose(m, k) * choose(k, j) * choose(m - k, k - j) * f(2 * k - j);
  return [mean, second];
}

/**
 * Exact mean and variance of the motif counts under the `'gnm'` null: each layer's `W` weight edges placed
 * uniformly among its live sources × live targets, layers independent. Derived for `edges`,
 * `soDiverging`, `soConverging`, `toDiverging`, `toConverging`, `biFan` and `soChain` (`paths`); `toChain`, `biParallel` and `soChain` with `pairs` are NaN (sample
 * them). Without a bias node only (the bias row is not a G(n, m) row).
 *
 * @param net - the real network.
 * @param options - `pruneDeadGhost` (`true`), `chain` (`'paths'`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 0) }] };
 * nm.gnmMoments(net).mean.soDiverging; // 2 × P(both cells of a row) = 2 × (3·2)/(4·3) = 1
 * ```
 */
export function gnmMoments(
  net: LayeredNetwork,
  options: { pruneDeadGhost?: boolean; chain?: ChainConvention; biasNode?: boolean } = {}
): GnmMoments {
  if (options.biasNode === true)
    throw new RangeError('gnmMoments: exact moments exist only without a bias node');
  const g = motifGraph(net, { biasNode: false, pruneDeadGhost: options.pruneDeadGhost ?? true });
  const plans = g.layers.map(planLayer);
  const mean = {} as MotifCounts;
  const variance = {} as MotifCounts;
  for (const name of MOTIF_NAMES) {
    mean[name] = 0;
    variance[name] = 0;
  }
  for (const p of plans) {
    const n = p.liveRows.length;
    const m = p.liveCols.length;
    const W = p.W;
    mean.edges += W;
    const add = (name: MotifName, [mu, second]: [number, number]): void => {
      mean[name] += mu;
      variance[name] += second - mu * mu;
    };
    add('soDiverging', starMoments(n, m, W, 2));
    add('toDiverging', starMoments(n, m, W, 3));
    add('soConverging', starMoments(m, n, W, 2));
    add('toConverging', starMoments(m, n, W, 3));
    // bi-fan: two 2×2 rectangles sharing r rows and c columns cover 8 − r·c cells
    const f = (u: number): number => fall(W, n * m, u);
    const bfMean = choose(n, 2) * choose(m, 2) * f(4);
    let bfSecond = 0;
    for (let r = 0; r <= 2; r++) {
      for (let c = 0; c <= 2; c++) {
        bfSecond +=
          choose(n, 2) *
          choose(2, r) *
          choose(n - 2, 2 - r) *
          choose(m, 2) *
          choose(2, c) *
          choose(m - 2, 2 - c) *
          f(8 - r * c);
      }
    }
    add('biFan', [bfMean, bfSecond]);
  }
  if ((options.chain ?? 'paths') === 'paths') chainMoments(plans, mean, variance);
  else {
    mean.soChain = NaN;
    variance.soChain = NaN;
  }
  mean.toChain = variance.toChain = NaN;
  mean.biParallel = variance.biParallel = NaN;
  return { mean, variance };
}

type MotifName = (typeof MOTIF_NAMES)[number];

/**
 * soChain (paths) = Σ_l X_l, X_l = two-paths through neuron layer l+1. Consecutive X_l share a layer but
 * are uncorrelated: given that layer, E[X_l | layer] is a constant times the number of its edges in a
 * block of rows, E[X_{l+1} | layer] in a block of columns, and under G(n, m) those two counts have
 * covariance ∝ N·|rows×cols| − |rows×all|·|all×cols| = 0. So the variance is the sum of the Var(X_l).
 */
function chainMoments(plans: LayerPlan[], mean: MotifCounts, variance: MotifCounts): void {
  const L = plans.length;
  const dims = plans.map(p => ({
    n: p.liveRows.length,
    m: p.liveCols.length,
    W: p.W,
    N: p.liveRows.length * p.liveCols.length
  }));
  const f = (l: number, u: number): number => fall(dims[l].W, dims[l].N, u);
  // o[l] = live targets of layer l that are also live sources of layer l+1
  const o: number[] = [];
  for (let l = 0; l + 1 < L; l++) {
    const src = new Set(plans[l + 1].liveRows);
    o.push(plans[l].liveCols.filter(c => src.has(c)).length);
  }
  for (let l = 0; l + 1 < L; l++) {
    const { n } = dims[l];
    const { m } = dims[l + 1];
    const mu = n * o[l] * m * f(l, 1) * f(l + 1, 1);
    const sameB =
      o[l] * (n * f(l, 1) + n * (n - 1) * f(l, 2)) * (m * f(l + 1, 1) + m * (m - 1) * f(l + 1, 2));
    const diffB = o[l] * (o[l] - 1) * n * n * f(l, 2) * m * m * f(l + 1, 2);
    mean.soChain += mu;
    variance.soChain += sameB + diffB - mu * mu;
  }
}
