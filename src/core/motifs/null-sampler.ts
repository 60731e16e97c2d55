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
 *   bias edges as above. `gnmMoments` (`gnm-moments.ts`) gives exact means and variances of the counts.
 * - `'degree'` — degree preserving: curveball trades (Strona et al.; Carstens' global curveball rounds)
 *   between source rows, bias row included, so every in- and out-degree is kept exactly.
 * - `'weight-shuffle'`, `'sign-shuffle'` — the structure is kept; weights (or only their signs) are
 *   permuted over the layer's edges. Unsigned counts never change: **these two are only meaningful with a
 *   signed census**, where both give the same distribution of sign patterns (they differ only in the
 *   weights of the networks `sampleNull` (`null-census.ts`) returns).
 *
 * Signs: the structural models give the new edges the layer's signs in random order (weight edges and bias
 * edges separately), so a signed census compares like with like.
 *
 * **Determinism and chunks.** Sample `i` always uses the random stream `createRng(sampleSeed(seed, i))`, so
 * the samples do not depend on how they are split into chunks or across worker threads.
 * Null samples are counted as drawn: they are not pruned again.
 */

import { type LiveOptions, type MotifGraph, type MotifLayer } from '../live';
import { type Rng, loadRngState, mix32, saveRngState, shuffle } from '../random';
import { OCC, STATE, nullKernels } from './null-kernels';

/** The null models, as named in the CLI. */
export const NULL_MODELS = ['random-pruning', 'gnm', 'degree', 'weight-shuffle', 'sign-shuffle'] as const;

/** One of {@link NULL_MODELS}. */
export type NullModel = (typeof NULL_MODELS)[number];

/** Options of every null sampler. */
export interface NullOptions extends LiveOptions {
  /** The null model, default `'random-pruning'`. */
  readonly null?: NullModel;
  /** Seed of the sample stream, default 0. */
  readonly seed?: number;
  /** Global curveball rounds per layer for `'degree'` (each pairs up all rows once), default 20. */
  readonly rounds?: number;
}

/**
 * The null model that `options` ask for (default `'random-pruning'`), checked. The option is `null`
 * everywhere; the old name `model` is refused with an error that names `null`, so a script written for it
 * does not silently fall back to the default null.
 *
 * @param where - the function name that starts the error message.
 * @throws TypeError for the option `model`; RangeError for a null model not in {@link NULL_MODELS}.
 * @example
 * ```ts
 * nullModelOption({ null: 'gnm' }, 'sampleNull'); // 'gnm'
 * nullModelOption({}, 'sampleNull'); // 'random-pruning'
 * ```
 */
export function nullModelOption(options: { readonly null?: NullModel }, where: string): NullModel {
  const old = (options as { readonly model?: unknown }).model;
  if (old !== undefined) {
    throw new TypeError(
      `${where}: there is no option 'model'; the null model is the option 'null' (e.g. { null: ${JSON.stringify(old)} })`
    );
  }
  const model = options.null ?? 'random-pruning';
  if (!NULL_MODELS.includes(model)) {
    throw new RangeError(
      `${where}: unknown null model '${String(model)}'; 'null' is one of ${NULL_MODELS.join(', ')}`
    );
  }
  return model;
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
  let h = mix32(lo ^ mix32(hi + 0x6a09e667));
  h = mix32(h ^ Math.imul((index >>> 0) + 0x9e3779b9, 0x27d4eb2d));
  return mix32(h + Math.floor(index / 4294967296));
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
  /** Signs of the weight edges, then of the bias edges (1 negative), for the kernel. */
  readonly neg: Int32Array;
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
    neg: Int32Array.from(neg.subarray(0, W + K))
  };
}

/**
 * Draws null samples of one network into one reusable {@link MotifGraph}. Create once, call
 * {@link NullSampler.sample} per sample.
 *
 * Internal: used through `sampleNull`, `prepareNullCensusOfGraph` and `nullCensusSamples` (see their
 * examples), which build the graph with `motifGraph` (`core/live.ts`).
 */
export class NullSampler {
  /** The current sample (overwritten by every call of {@link NullSampler.sample}). */
  readonly graph: MotifGraph;
  private readonly plans: LayerPlan[];
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

  /**
   * Draws one sample from `rng` into {@link NullSampler.graph} and returns that graph. `rng` must come from
   * `createRng`: the WebAssembly kernels (placement, sign shuffle) continue its stream.
   */
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

  /** The layer's signs in random order, weight and bias edges apart: `null-kernels.wat`, like the placement. */
  private shuffleSigns(plan: LayerPlan, out: MotifLayer, rng: Rng): void {
    const edges = plan.W + plan.K;
    const wasm = nullKernels();
    const neg = wasm.occupancy(0);
    wasm.reserve(neg + 4 * edges);
    const i32 = wasm.i32;
    i32.set(plan.neg, neg >> 2);
    saveRngState(rng, i32, STATE);
    wasm.fns.shuffleSigns(neg, plan.W, plan.K);
    loadRngState(rng, i32, STATE);
    out.neg.set(i32.subarray(neg >> 2, (neg >> 2) + edges));
  }

  /**
   * Random pruning (`authors`) or G(n, m) on the live nodes, then the bias row: `null-kernels.wat`, which
   * continues the random stream of `rng` and hands it back.
   */
  private placeLayer(plan: LayerPlan, out: MotifLayer, rng: Rng, authors: boolean): void {
    const n = plan.liveRows.length;
    const m = plan.liveCols.length;
    const t = plan.biasTargets.length;
    const { W, K } = plan;
    const wasm = nullKernels();
    // byte offsets: the occupancy matrix first (kept by the module), then Int32 arrays
    let at = wasm.occupancy(n * m);
    const rowPtr = at;
    at += 4 * (out.nRows + 1);
    const colIdx = at;
    at += 4 * (W + K);
    const liveRows = at;
    at += 4 * n;
    const liveCols = at;
    at += 4 * m;
    const pool = at;
    at += 4 * t;
    const list = at;
    at += 4 * W;
    const rowOf = at;
    at += 4 * W;
    const start = at;
    at += 4 * (n + 1);
    const perm = at;
    at += 4 * Math.max(n, m);
    const zeros = at; // the zero list, last: the kernel grows the memory for it only when a sample needs it
    wasm.reserve(at);
    const i32 = wasm.i32;
    i32.set(plan.liveRows, liveRows >> 2);
    i32.set(plan.liveCols, liveCols >> 2);
    i32.set(plan.biasTargets, pool >> 2);
    saveRngState(rng, i32, STATE);
    const err = wasm.fns.placeLayer(
      authors ? 1 : 0,
      n,
      m,
      W,
      K,
      out.nReal,
      plan.bias ? 1 : 0,
      t,
      OCC,
      liveRows,
      liveCols,
      pool,
      rowPtr,
      colIdx,
      list,
      rowOf,
      start,
      perm,
      zeros
    );
    const after = wasm.view(); // a new view when the kernel grew the memory
    loadRngState(rng, after, STATE);
    if (err === 2) {
      throw new RangeError(
        `null model: no memory for the free entries of a ${n} × ${m} layer (${W} edges; WebAssembly memory is limited to 4 GiB)`
      );
    }
    if (err !== 0) throw new Error(`null model: cannot place ${W} edges in ${n * m} entries`);
    out.rowPtr.set(after.subarray(rowPtr >> 2, (rowPtr >> 2) + out.nRows + 1));
    out.colIdx.set(after.subarray(colIdx >> 2, (colIdx >> 2) + W + K));
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
      shuffle(order, rng, 0, nRows);
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
    shuffle(buf, rng, 0, p);
    let q = 0;
    for (let e = a0 + shared; e < a1; e++) colIdx[e] = buf[q++];
    for (let e = b0 + bShared; e < b1; e++) colIdx[e] = buf[q++];
  }
}
