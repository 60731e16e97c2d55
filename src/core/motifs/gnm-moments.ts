/**
 * Exact mean and variance of the motif counts under the `'gnm'` null, without sampling.
 *
 * **The null** (see `nulls.ts`). Every layer `l` independently: its `W_l` weight edges are placed uniformly
 * among its live sources × live targets (`N_l` cells), and, when it has a bias node, its `K_l` bias edges on
 * distinct targets chosen uniformly among the `T_l` targets that had an edge of any kind. So a given set of
 * `u` weight cells of layer `l` is all present with probability `(W_l)_u / (N_l)_u` (falling factorials),
 * a set of `v` bias cells with `(K_l)_v / (T_l)_v`, and layers and the bias row are independent.
 *
 * **Subgraph counts** (`edges`, stars, `biFan`, `biParallel` and the chains in the `paths` convention) are
 * sums over placements of a small pattern of indicator products. Their mean is the number of placements
 * times the probability that the placement's cells are present, and the covariance of two placements
 * depends only on which cells they share. So the variance is an exact finite sum over the ways two
 * placements can overlap: every pattern node may coincide with a node of the other copy on the same
 * neuron layer or not, and every node lies in one "atom" of its neuron layer (live as a source only, as a
 * target only, as both, a target of the bias node only, the bias node itself …). For each overlap and
 * assignment of atoms the number of placements is a product of falling factorials of atom sizes and the
 * covariance term `P(union of cells) − P(cells of copy 1)·P(cells of copy 2)`. The cost is independent
 * of the layer sizes (a few thousand terms per layer pair).
 *
 * **Chains in the `pairs` convention** (source–target pairs joined by ≥ 1 path) are not subgraph counts.
 * For `soChain` the probability that one pair is joined, and that two pairs both are, depend only on the
 * degrees of the rows and columns involved (hypergeometric under G(n, m)) and on how many of their
 * partners fall in the shared middle layer: an exact sum polynomial in the layer sizes (see
 * {@link pairsChainMoments}). `toChain` in the `pairs` convention: the same idea one layer further, with
 * the overlaps of two sources' and two targets' partner sets and the covariances of layer triples one and
 * two layers apart (see {@link pairsToChainMoments}). Its sums are pruned to the precision the whole
 * variance needs, with certified bounds (see {@link tripleVariances}): the full sum is polynomial in the
 * layer sizes (six sizes of bounded range), the pruned one far smaller; NaN only beyond
 * {@link TOCHAIN_WORK_LIMIT} terms.
 */

import { type ChainConvention, MOTIF_NAMES, type MotifCounts, type MotifName } from './keys';
import { type LiveOptions, type MotifGraph, motifGraph } from '../live';
import { type LayeredNetwork } from '../network';

/** Exact mean and variance of the motif counts under the `'gnm'` null (NaN where not derived). */
export interface GnmMoments {
  readonly mean: MotifCounts;
  readonly variance: MotifCounts;
}

/** One group of interchangeable neurons of a neuron layer (or the bias node of the next layer's edges). */
interface Atom {
  readonly size: number;
  /** Live source of the layer leaving this neuron layer. */
  readonly R: boolean;
  /** Live (weight) target of the layer entering it. */
  readonly C: boolean;
  /** Bias target of the layer entering it. */
  readonly B: boolean;
  /** The bias node of the layer leaving this neuron layer. */
  readonly bias: boolean;
}

/** Per-layer parameters of the null. */
interface LayerCells {
  readonly W: number;
  readonly N: number;
  readonly K: number;
  readonly T: number;
}

interface Space {
  /** Atoms per neuron layer `0 … L`. */
  readonly atoms: Atom[][];
  readonly layers: LayerCells[];
}

function spaceOf(g: MotifGraph): Space {
  const L = g.layers.length;
  const atoms: Atom[][] = [];
  const layers: LayerCells[] = [];
  const rowsOf: Uint8Array[] = [];
  const colsOf: Uint8Array[] = [];
  const biasOf: Uint8Array[] = [];
  for (const layer of g.layers) {
    const { nReal, nRows, nCols, rowPtr, colIdx } = layer;
    const R = new Uint8Array(nReal);
    const C = new Uint8Array(nCols);
    const B = new Uint8Array(nCols);
    for (let r = 0; r < nRows; r++) {
      for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
        if (r < nReal) {
          R[r] = 1;
          C[colIdx[e]] = 1;
        }
        B[colIdx[e]] = 1;
      }
    }
    const bias = nRows > nReal;
    const nR = R.reduce((a, b) => a + b, 0);
    const nC = C.reduce((a, b) => a + b, 0);
    const W = rowPtr[nReal];
    layers.push({
      W,
      N: nR * nC,
      K: bias ? rowPtr[nRows] - W : 0,
      T: bias ? B.reduce((a, b) => a + b, 0) : 0
    });
    rowsOf.push(R);
    colsOf.push(C);
    biasOf.push(bias ? B : new Uint8Array(nCols));
  }
  for (let v = 0; v <= L; v++) {
    const n = v < L ? g.layers[v].nReal : g.layers[L - 1].nCols;
    const groups = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const key =
        (v < L ? rowsOf[v][i] : 0) |
        ((v > 0 ? colsOf[v - 1][i] : 0) << 1) |
        ((v > 0 ? biasOf[v - 1][i] : 0) << 2);
      if (key !== 0) groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const list: Atom[] = [...groups].map(([key, size]) => ({
      size,
      R: (key & 1) !== 0,
      C: (key & 2) !== 0,
      B: (key & 4) !== 0,
      bias: false
    }));
    if (v < L && g.layers[v].nRows > g.layers[v].nReal)
      list.push({ size: 1, R: false, C: false, B: false, bias: true });
    atoms.push(list);
  }
  return { atoms, layers };
}

/** A motif as a pattern: nodes on neuron layers (offsets) and edges `[layer offset, source, target]`. */
interface Pattern {
  readonly nodes: readonly number[];
  readonly edges: readonly (readonly [number, number, number])[];
  /** Number of automorphisms: each motif is found this many times as a labelled placement. */
  readonly aut: number;
}

const PATTERNS: Partial<Record<MotifName, Pattern>> = {
  edges: { nodes: [0, 1], edges: [[0, 0, 1]], aut: 1 },
  soDiverging: {
    nodes: [0, 1, 1],
    edges: [
      [0, 0, 1],
      [0, 0, 2]
    ],
    aut: 2
  },
  soConverging: {
    nodes: [0, 0, 1],
    edges: [
      [0, 0, 2],
      [0, 1, 2]
    ],
    aut: 2
  },
  soChain: {
    nodes: [0, 1, 2],
    edges: [
      [0, 0, 1],
      [1, 1, 2]
    ],
    aut: 1
  },
  toDiverging: {
    nodes: [0, 1, 1, 1],
    edges: [
      [0, 0, 1],
      [0, 0, 2],
      [0, 0, 3]
    ],
    aut: 6
  },
  toConverging: {
    nodes: [0, 0, 0, 1],
    edges: [
      [0, 0, 3],
      [0, 1, 3],
      [0, 2, 3]
    ],
    aut: 6
  },
  toChain: {
    nodes: [0, 1, 2, 3],
    edges: [
      [0, 0, 1],
      [1, 1, 2],
      [2, 2, 3]
    ],
    aut: 1
  },
  biFan: {
    nodes: [0, 0, 1, 1],
    edges: [
      [0, 0, 2],
      [0, 0, 3],
      [0, 1, 2],
      [0, 1, 3]
    ],
    aut: 4
  },
  biParallel: {
    nodes: [0, 1, 1, 2],
    edges: [
      [0, 0, 1],
      [0, 0, 2],
      [1, 1, 3],
      [1, 2, 3]
    ],
    aut: 2
  }
};

const span = (p: Pattern): number => Math.max(...p.nodes);

/** log of (a)_u / (b)_u, −∞ when u > a. */
function logFall(a: number, b: number, u: number): number {
  if (u > a) return -Infinity;
  let s = 0;
  for (let i = 0; i < u; i++) s += Math.log((a - i) / (b - i));
  return s;
}

/** A placement pattern made of one or two copies, as merged nodes and its edges tagged by copy. */
interface Merged {
  /** Neuron layer of each merged node. */
  readonly layerOf: number[];
  /** Distinct cells: [layer, source, target, in copy 1, in copy 2]. */
  readonly cells: [number, number, number, boolean, boolean][];
}

/** Sum over all atom assignments of the merged nodes of `count × term(cell counts)`. */
function sumAssignments(
  space: Space,
  merged: Merged,
  term: (uW: number[], xW: number[], yW: number[], uK: number[], xK: number[], yK: number[]) => number
): number {
  const { layerOf, cells } = merged;
  const n = layerOf.length;
  const isSrc = new Array<boolean>(n).fill(false);
  const isDst = new Array<boolean>(n).fill(false);
  for (const [, s, t] of cells) {
    isSrc[s] = true;
    isDst[t] = true;
  }
  const domains = layerOf.map((v, x) =>
    space.atoms[v]
      .map((a, k) => ({ a, k }))
      .filter(({ a }) => {
        if (isDst[x] && (a.bias || !(a.C || a.B))) return false;
        if (isSrc[x] && !(a.bias || a.R)) return false;
        return true;
      })
      .map(({ k }) => k)
  );
  const L = space.layers.length;
  const choice = new Array<number>(n).fill(0);
  const used = space.atoms.map(list => new Array<number>(list.length).fill(0));
  const zero = (): number[] => new Array<number>(L).fill(0);
  let total = 0;
  const visit = (x: number, count: number): void => {
    if (count === 0) return;
    if (x === n) {
      const uW = zero();
      const xW = zero();
      const yW = zero();
      const uK = zero();
      const xK = zero();
      const yK = zero();
      for (const [l, s, t, inX, inY] of cells) {
        const src = space.atoms[l][choice[s]];
        const dst = space.atoms[l + 1][choice[t]];
        if (src.bias ? !dst.B : !(src.R && dst.C)) return;
        const [u, a, b] = src.bias ? [uK, xK, yK] : [uW, xW, yW];
        u[l]++;
        if (inX) a[l]++;
        if (inY) b[l]++;
      }
      total += count * term(uW, xW, yW, uK, xK, yK);
      return;
    }
    const v = layerOf[x];
    for (const k of domains[x]) {
      const size = space.atoms[v][k].size;
      const free = size - used[v][k];
      if (free <= 0) continue;
      used[v][k]++;
      choice[x] = k;
      visit(x + 1, count * free);
      used[v][k]--;
    }
  };
  visit(0, 1);
  return total;
}

function logProb(space: Space, w: number[], k: number[]): number {
  let s = 0;
  space.layers.forEach((c, l) => {
    if (w[l] > 0) s += logFall(c.W, c.N, w[l]);
    if (k[l] > 0) s += logFall(c.K, c.T, k[l]);
  });
  return s;
}

function single(p: Pattern, at: number): Merged {
  return {
    layerOf: p.nodes.map(o => o + at),
    cells: p.edges.map(([l, s, t]) => [l + at, s, t, true, true])
  };
}

/** Every way two copies (at `a` and `b`) can share nodes: partial matchings on each neuron layer. */
function* overlaps(p: Pattern, a: number, b: number): Generator<Merged> {
  const xLayer = p.nodes.map(o => o + a);
  const yLayer = p.nodes.map(o => o + b);
  const nx = xLayer.length;
  const match = new Array<number>(nx).fill(-1);
  const taken = new Array<boolean>(yLayer.length).fill(false);
  function* rec(x: number): Generator<Merged> {
    if (x === nx) {
      const layerOf = [...xLayer];
      const yIndex = yLayer.map((v, y) => {
        const m = match.indexOf(y);
        if (m >= 0) return m;
        layerOf.push(v);
        return layerOf.length - 1;
      });
      const cells = new Map<string, [number, number, number, boolean, boolean]>();
      for (const [l, s, t] of p.edges) cells.set(`${l + a},${s},${t}`, [l + a, s, t, true, false]);
      for (const [l, s, t] of p.edges) {
        const key = `${l + b},${yIndex[s]},${yIndex[t]}`;
        const c = cells.get(key);
        if (c !== undefined) c[4] = true;
        else cells.set(key, [l + b, yIndex[s], yIndex[t], false, true]);
      }
      yield { layerOf, cells: [...cells.values()] };
      return;
    }
    match[x] = -1;
    yield* rec(x + 1);
    for (let y = 0; y < yLayer.length; y++) {
      if (taken[y] || yLayer[y] !== xLayer[x]) continue;
      taken[y] = true;
      match[x] = y;
      yield* rec(x + 1);
      taken[y] = false;
      match[x] = -1;
    }
  }
  yield* rec(0);
}

/** Exact mean and variance of one subgraph count summed over every position in the network. */
function patternMoments(space: Space, p: Pattern): [number, number] {
  const L = space.layers.length;
  const s = span(p);
  let mean = 0;
  let variance = 0;
  for (let a = 0; a + s <= L; a++) {
    mean += sumAssignments(space, single(p, a), (uW, _x, _y, uK) => Math.exp(logProb(space, uW, uK))) / p.aut;
    // copies at a and b ≥ a share a layer when b < a + s; the pair (a, b) and (b, a) give the same sum
    for (let b = a; b + s <= L && b < a + s; b++) {
      let cov = 0;
      for (const merged of overlaps(p, a, b)) {
        cov += sumAssignments(space, merged, (uW, xW, yW, uK, xK, yK) => {
          const lx = logProb(space, xW, xK);
          const ly = logProb(space, yW, yK);
          if (lx === -Infinity || ly === -Infinity) return 0;
          const lu = logProb(space, uW, uK);
          return Math.exp(lx + ly) * (lu === -Infinity ? -1 : Math.expm1(lu - lx - ly));
        });
      }
      variance += ((b === a ? 1 : 2) * cov) / (p.aut * p.aut);
    }
  }
  return [mean, Math.max(variance, 0)];
}

/**
 * Exact mean and variance of the motif counts under the `'gnm'` null: each layer's `W` weight edges placed
 * uniformly among its live sources × live targets and (with the bias node) its `K` bias edges on distinct
 * uniform targets among the layer's targets, layers independent. Exact for all nine counts in the `paths`
 * chain convention, with or without the bias node; in the `pairs` convention `soChain` is exact and
 * `toChain` has its exact mean and its variance to 1e-12 of its value, or to the square of the mean's
 * rounding error when it is smaller (the sums skip only terms bounded below that); NaN only if that took
 * more than 2·10¹⁰ terms (minutes). Measured: at most 10 s on 4- and 5-layer networks up to 2000 wide, at
 * densities from 0.5 % to 90 % (docs/significance.md).
 *
 * @param net - the real network.
 * @param options - `pruneDeadGhost` (`true`), `biasNode` (`false`), `chain` (`'paths'`).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 0) }] };
 * nm.gnmMoments(net).mean.soDiverging; // 2 × P(both cells of a row) = 2 × (3·2)/(4·3) = 1
 * ```
 */
export function gnmMoments(
  net: LayeredNetwork,
  options: LiveOptions & { readonly chain?: ChainConvention } = {}
): GnmMoments {
  const g = motifGraph(net, {
    biasNode: options.biasNode ?? false,
    pruneDeadGhost: options.pruneDeadGhost ?? true
  });
  return gnmMomentsOfGraph(g, options.chain ?? 'paths');
}

/**
 * {@link gnmMoments} of a census view (`motifGraph(net, { biasNode, pruneDeadGhost })`).
 *
 * @example
 * ```ts
 * const g = motifGraph({ layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 0) }] });
 * gnmMomentsOfGraph(g, 'paths').variance.edges; // 0: every sample has 3 edges
 * ```
 */
export function gnmMomentsOfGraph(g: MotifGraph, chain: ChainConvention): GnmMoments {
  const space = spaceOf(g);
  const mean = {} as MotifCounts;
  const variance = {} as MotifCounts;
  for (const name of MOTIF_NAMES) {
    if (name === 'edges') {
      mean.edges = space.layers.reduce((s, c) => s + c.W + c.K, 0);
      variance.edges = 0;
      continue;
    }
    if (chain === 'pairs' && (name === 'soChain' || name === 'toChain')) continue;
    [mean[name], variance[name]] = patternMoments(space, PATTERNS[name] as Pattern);
  }
  if (chain === 'pairs') {
    [mean.soChain, variance.soChain] = pairsChainMoments(g, space);
    [mean.toChain, variance.toChain] = pairsToChainMoments(g, space, TOCHAIN_PRUNED_FRACTION);
  }
  return { mean, variance };
}

// ---------------------------------------------------------------------------------------------------------
// soChain in the pairs convention

let lnFactTable = new Float64Array(1);

/** ln(n!) from a table of cumulative logarithms (grown on demand). */
function lnFact(n: number): number {
  if (n >= lnFactTable.length) {
    const size = Math.max(n + 1, 2 * lnFactTable.length);
    const t = new Float64Array(size);
    t.set(lnFactTable);
    for (let k = lnFactTable.length; k < size; k++) t[k] = t[k - 1] + Math.log(k);
    lnFactTable = t;
  }
  return lnFactTable[n];
}

const lnC = (n: number, k: number): number =>
  k < 0 || k > n ? -Infinity : lnFact(n) - lnFact(k) - lnFact(n - k);

/** Probabilities below this fraction of a distribution's largest are dropped (their total is below 1e-36). */
const NEGLIGIBLE = Math.log(1e-40);

/** A distribution on `lo … lo + p.length − 1`. */
interface Pmf {
  readonly lo: number;
  readonly p: Float64Array;
}

/**
 * Hypergeometric: number of the `K` marked of `N` items among `n` drawn, negligible tails dropped. The mode
 * from log-factorials, the rest by the ratio of neighbouring terms outwards (the law is unimodal) until a
 * term falls below {@link NEGLIGIBLE} of the mode, then normalised.
 */
function hypergeometric(N: number, K: number, n: number): Pmf {
  const lo = Math.max(0, n - (N - K));
  const hi = Math.min(K, n);
  if (hi < lo) return { lo: 0, p: new Float64Array(0) };
  const mode = Math.min(hi, Math.max(lo, Math.floor(((n + 1) * (K + 1)) / (N + 2))));
  const top = Math.exp(lnC(K, mode) + lnC(N - K, n - mode) - lnC(N, n));
  const cut = top * Math.exp(NEGLIGIBLE);
  const up: number[] = [];
  for (let x = mode, p = top; x < hi; x++) {
    p *= ((K - x) * (n - x)) / ((x + 1) * (N - K - n + x + 1));
    if (p < cut) break;
    up.push(p);
  }
  const down: number[] = [];
  for (let x = mode, p = top; x > lo; x--) {
    p *= (x * (N - K - n + x)) / ((K - x + 1) * (n - x + 1));
    if (p < cut) break;
    down.push(p);
  }
  const out = new Float64Array(down.length + 1 + up.length);
  for (let i = 0; i < down.length; i++) out[down.length - 1 - i] = down[i];
  out[down.length] = top;
  out.set(up, down.length + 1);
  // the dropped tails hold less than 1e-36: normalising removes the rounding of the mode's log-factorials
  // (~1e-10 relative for N ~ 10^5), which the variances' cancellations would magnify
  let sum = 0;
  for (let i = 0; i < out.length; i++) sum += out[i];
  for (let i = 0; i < out.length; i++) out[i] /= sum;
  return { lo: mode - down.length, p: out };
}

/**
 * Joint law of the balls in two disjoint sets of `s1` and `s2` of `N` cells when `W` balls are dropped,
 * given their marginal laws `m1`, `m2` (row-major): the product of the marginals plus {@link joint2Dev}.
 */
function joint2(N: number, W: number, s1: number, s2: number, m1: Pmf, m2: Pmf): Float64Array {
  const out = joint2Dev(N, W, s1, s2, m1, m2);
  for (let i = 0; i < m1.p.length; i++)
    for (let j = 0; j < m2.p.length; j++) out[i * m2.p.length + j] += m1.p[i] * m2.p[j];
  return out;
}

/** ln(1 − f), −∞ for f ≥ 1. */
const lnOneMinus = (f: number): number => (f >= 1 ? -Infinity : Math.log1p(-f));

/**
 * The joint law of {@link joint2} minus the product of its marginals `m1`, `m2` (which must be the
 * hypergeometric laws of the two sets), without cancellation: `m1(x)·m2(y)·(r(x, y) − 1)` with
 * `r = C(N − s1 − s2, W − x − y)·C(N, W) / (C(N − s1, W − x)·C(N − s2, W − y))` from sums of `log1p` of
 * small ratios:
 * `ln r = Σ_{i<s2} ln(1 + s1/(N − s1 − i)) + Σ_{i<y} ln(1 − x/(W − i)) + Σ_{i<s2−y} ln(1 − (s1 − x)/(N − W − i))`.
 * Taking the joint law from log-factorials instead leaves relative errors ~1e-9 for N ~ 10⁶, which the
 * variance of `soChain` on 1000-wide layers magnified into a 40 % error.
 */
function joint2Dev(N: number, W: number, s1: number, s2: number, m1: Pmf, m2: Pmf): Float64Array {
  const n1 = m1.p.length;
  const n2 = m2.p.length;
  const out = new Float64Array(n1 * n2);
  // no two disjoint such sets (e.g. two rows of a one-row layer): never weighted, left 0
  if (n1 === 0 || n2 === 0 || s1 + s2 > N) return out;
  const M = N - W;
  let l1 = 0;
  for (let i = 0; i < s2; i++) l1 += Math.log1p(s1 / (N - s1 - i));
  const yHi = m2.lo + n2 - 1;
  const l2 = new Float64Array(yHi + 1);
  const l3 = new Float64Array(s2 - m2.lo + 1);
  for (let i = 0; i < n1; i++) {
    const x = m1.lo + i;
    // a factor 1 − f with f ≥ 1 means an impossible pair (x, y): the joint law is 0 there (ln r = −∞)
    for (let y = 0; y < yHi; y++) l2[y + 1] = l2[y] + lnOneMinus(x / (W - y));
    for (let t = 0; t < s2 - m2.lo; t++) l3[t + 1] = l3[t] + lnOneMinus((s1 - x) / (M - t));
    for (let j = 0; j < n2; j++) {
      const y = m2.lo + j;
      out[i * n2 + j] = m1.p[i] * m2.p[j] * Math.expm1(l1 + l2[y] + l3[s2 - y]);
    }
  }
  return out;
}

/** P(a uniform e-subset of r items misses a given a-subset). */
const miss = (r: number, a: number, e: number): number =>
  e > r - a ? 0 : Math.exp(lnC(r - a, e) - lnC(r, e));

/** One kind of source of a layer: how many there are and the law of its partners among the middle nodes. */
interface Source {
  readonly count: number;
  /** Law of the number of its targets that are live rows of the next layer. */
  readonly a: Pmf;
  /** Size of the set those targets are uniform in. */
  readonly pool: number;
}

/** Facts of layer pair (v, v+1) for the pairs-convention chain. */
interface ChainStep {
  readonly real: Source;
  readonly bias?: Source;
  /** Joint law of `a` for two distinct real sources minus `P(a)·P(a')` (row-major over `real.a`). */
  readonly aaDev: Float64Array;
  /** Live rows and targets of layer v+1, its cells and edges. */
  readonly r: number;
  readonly m: number;
  readonly e: Pmf;
  /** Joint law of the in-degrees of two live targets of layer v+1 minus `P(e)·P(e')`. */
  readonly eeDev: Float64Array;
}

function chainStep(g: MotifGraph, space: Space, v: number): ChainStep {
  const sets = layerSets(g, v);
  const next = layerSets(g, v + 1);
  const inNext = (k: number): boolean => next.R[k] === 1;
  let o = 0;
  let ob = 0;
  for (let k = 0; k < sets.C.length; k++) {
    if (sets.C[k] === 1 && inNext(k)) o++;
    if (sets.B[k] === 1 && inNext(k)) ob++;
  }
  const { W, N, K, T } = space.layers[v];
  const real: Source = { count: sets.nR, a: hypergeometric(N, o, W), pool: o };
  const bias: Source | undefined = sets.bias
    ? { count: 1, a: hypergeometric(T, ob, K), pool: ob }
    : undefined;
  const c1 = space.layers[v + 1];
  const r = next.nR;
  const m = next.nC;
  const e = hypergeometric(c1.N, r, c1.W);
  return {
    real,
    bias,
    aaDev: joint2Dev(N, W, o, o, real.a, real.a),
    r,
    m,
    e,
    eeDev: joint2Dev(c1.N, c1.W, r, r, e, e)
  };
}

function layerSets(
  g: MotifGraph,
  v: number
): { R: Uint8Array; C: Uint8Array; B: Uint8Array; nR: number; nC: number; bias: boolean } {
  const { nReal, nRows, nCols, rowPtr, colIdx } = g.layers[v];
  const R = new Uint8Array(nReal);
  const C = new Uint8Array(nCols);
  const B = new Uint8Array(nCols);
  for (let r = 0; r < nRows; r++) {
    for (let e = rowPtr[r]; e < rowPtr[r + 1]; e++) {
      if (r < nReal) {
        R[r] = 1;
        C[colIdx[e]] = 1;
      }
      B[colIdx[e]] = 1;
    }
  }
  const sum = (a: Uint8Array): number => a.reduce((s, x) => s + x, 0);
  return { R, C, B, nR: sum(R), nC: sum(C), bias: nRows > nReal };
}

/** `f` with its values kept by argument. */
function memoised(f: (x: number) => number): (x: number) => number {
  const memo = new Map<number, number>();
  return x => {
    let y = memo.get(x);
    if (y === undefined) memo.set(x, (y = f(x)));
    return y;
  };
}

/** Σ_a P(a) f(a). */
const expect = (d: Pmf, f: (a: number) => number): number => {
  let s = 0;
  for (let i = 0; i < d.p.length; i++) s += d.p[i] * f(d.lo + i);
  return s;
};

/**
 * Mean and variance of `soChain` in the pairs convention: Σ_v X_v, X_v = number of (source of layer v,
 * target of layer v+1) pairs joined by ≥ 1 two-step path. Given the degrees involved, a row's targets and a
 * column's sources are independent uniform subsets, so P(pair not joined | a, e) = C(r − a, e) / C(r, e)
 * (a = the row's targets that are live rows of layer v+1, e = the column's in-degree, r = live rows of
 * layer v+1); two pairs sharing their source, their target or nothing give products of such terms (for a
 * shared target: the union of the two sources' partner sets, whose overlap is hypergeometric). X_v and
 * X_{v+1} are correlated only through layer v+1 (column degrees for X_v, row degrees for X_{v+1}).
 */
function pairsChainMoments(g: MotifGraph, space: Space): [number, number] {
  const L = g.layers.length;
  let mean = 0;
  let variance = 0;
  const steps: ChainStep[] = [];
  for (let v = 0; v + 1 < L; v++) steps.push(chainStep(g, space, v));
  // Per layer pair v, memoised: qU_v(u), P(a target misses a given u-subset of the middle layer) =
  // Σ_e P(e) H(u, e); φ_v(e), expected joined pairs into one target of in-degree e. ψ_v(a), expected joined
  // pairs out of one real source with a partners, is m_v · (1 − qU_v(a)).
  const qUs = steps.map(s => memoised(u => expect(s.e, k => miss(s.r, u, k))));
  const phis = steps.map(s =>
    memoised(e => {
      let x = s.real.count * (1 - expect(s.real.a, a => miss(s.r, a, e)));
      if (s.bias !== undefined) x += 1 - expect(s.bias.a, a => miss(s.r, a, e));
      return x;
    })
  );
  steps.forEach((s, v) => {
    const { e, eeDev, r, m } = s;
    const ne = e.p.length;
    const sources = s.bias === undefined ? [s.real] : [s.real, s.bias];
    const qU = qUs[v];
    // Per kind of source: H[i][k] = P(a target of in-degree e_k misses its partner set of size a_i),
    // g[i] = qU(a_i), h[k] = Σ_a P(a) H[a][k], q = P(a pair with this source is not joined), and
    // HD[i][l] = Σ_k H[i][k] · Dee[k][l] (Dee: joint law of two targets' in-degrees minus the product).
    interface Table {
      readonly H: Float64Array;
      readonly HD: Float64Array;
      readonly g: Float64Array;
      readonly h: Float64Array;
      readonly q: number;
    }
    const tables = new Map<Source, Table>();
    for (const src of sources) {
      const na = src.a.p.length;
      const H = new Float64Array(na * ne);
      for (let i = 0; i < na; i++)
        for (let k = 0; k < ne; k++) H[i * ne + k] = miss(r, src.a.lo + i, e.lo + k);
      const HD = new Float64Array(na * ne);
      for (let i = 0; i < na; i++)
        for (let k = 0; k < ne; k++) {
          const hik = H[i * ne + k];
          if (hik === 0) continue;
          for (let l = 0; l < ne; l++) HD[i * ne + l] += hik * eeDev[k * ne + l];
        }
      const g = Float64Array.from({ length: na }, (_, i) => qU(src.a.lo + i));
      const h = new Float64Array(ne);
      for (let i = 0; i < na; i++) for (let k = 0; k < ne; k++) h[k] += src.a.p[i] * H[i * ne + k];
      const q = expect(src.a, a => g[a - src.a.lo]);
      tables.set(src, { H, HD, g, h, q });
    }
    const table = (src: Source): Table => tables.get(src) as Table;
    let mu = 0;
    for (const src of sources) mu += src.count * m * (1 - table(src).q);
    mean += mu;
    // Var X_v = Σ over ordered pairs of (source, target) pairs of Cov(U, U'), U = "not joined", each
    // covariance written so that nothing of size q² cancels: joint laws enter as their deviation from the
    // product of their marginals (joint2Dev), and E[f]² − … as Σ P (f − E f)²
    for (const src of sources) {
      const { H, HD, g, q } = table(src);
      // the pair itself
      variance += src.count * m * q * (1 - q);
      // same source, two targets: Σ_a P(a) [(qU(a) − q)² + Σ_{e,e'} Dee H(a,e) H(a,e')]
      let cov = 0;
      for (let i = 0; i < src.a.p.length; i++) {
        let t = 0;
        for (let l = 0; l < ne; l++) t += HD[i * ne + l] * H[i * ne + l];
        cov += src.a.p[i] * ((g[i] - q) ** 2 + t);
      }
      variance += src.count * m * (m - 1) * cov;
    }
    // two distinct sources: joint law of (a, a') (dev: its deviation from P(a)·P(a'); none for a real
    // source and the bias node), overlap of their partner sets hypergeometric
    const na = s.real.a.p.length;
    const pairsOfSources: [number, Source, Source, ((i: number, j: number) => number) | undefined][] = [
      [s.real.count * (s.real.count - 1), s.real, s.real, (i, j) => s.aaDev[i * na + j]]
    ];
    if (s.bias !== undefined) pairsOfSources.push([2 * s.real.count, s.real, s.bias, undefined]);
    for (const [count, x, y, dev] of pairsOfSources) {
      if (count === 0) continue;
      const tx = table(x);
      const ty = table(y);
      const pool = Math.max(x.pool, y.pool);
      // same target: Σ P(a)P(b) (E_c qU(a + b − c) − qU(a)·qU(b)) + Σ dev(a, b) E_c qU(a + b − c)
      let sameTarget = 0;
      // two targets: Σ_{e,e'} Dee h_x(e) h_y(e') + Σ dev(a, b) (qU(a)·qU(b) + Σ_{e,e'} H(a,e) Dee H(b,e'))
      let twoTargets = 0;
      for (let k = 0; k < ne; k++)
        for (let l = 0; l < ne; l++) twoTargets += eeDev[k * ne + l] * tx.h[k] * ty.h[l];
      for (let i = 0; i < x.a.p.length; i++) {
        const a = x.a.lo + i;
        for (let j = 0; j < y.a.p.length; j++) {
          const b = y.a.lo + j;
          const w = x.a.p[i] * y.a.p[j];
          const d = dev === undefined ? 0 : dev(i, j);
          if (w === 0 && d === 0) continue;
          // the a-subset of the smaller pool meets a uniform b-subset of the larger pool (x.pool ≤ y.pool)
          const union = expect(hypergeometric(pool, a, b), c => qU(a + b - c));
          sameTarget += w * (union - tx.g[i] * ty.g[j]) + d * union;
          if (d !== 0) {
            let t = 0;
            for (let l = 0; l < ne; l++) t += tx.HD[i * ne + l] * ty.H[j * ne + l];
            twoTargets += d * (tx.g[i] * ty.g[j] + t);
          }
        }
      }
      variance += count * m * sameTarget;
      variance += count * m * (m - 1) * twoTargets;
    }
    // covariance with X_{v+1} through layer v+1: column degrees (φ) against row degrees (ψ)
    if (v + 1 < steps.length) {
      const t = steps[v + 1];
      const phi = phis[v];
      const psi = (a: number): number => t.m * (1 - qUs[v + 1](a));
      const { N, W } = space.layers[v + 1];
      const o = t.real.pool; // targets of layer v+1 that are live rows of layer v+2
      // Cov(φ(e), ψ(a)) of a column (r cells) and a row (o cells) of layer v+1, disjoint or sharing a cell
      // (sr, so cells; `x` edges already in the column and the row from a shared cell)
      const covDisjoint = (
        Nc: number,
        Wc: number,
        sr: number,
        so: number,
        x: number
      ): { dev: number; phi: number; psi: number } => {
        const le = hypergeometric(Nc, sr, Wc);
        const la = hypergeometric(Nc, so, Wc);
        const D = joint2Dev(Nc, Wc, sr, so, le, la);
        let dev = 0;
        for (let i = 0; i < le.p.length; i++) {
          const f = phi(le.lo + i + x);
          for (let j = 0; j < la.p.length; j++) dev += D[i * la.p.length + j] * f * psi(la.lo + j + x);
        }
        return {
          dev,
          phi: expect(le, k => phi(k + x)),
          psi: expect(la, a => psi(a + x))
        };
      };
      const disjoint = m > o ? covDisjoint(N, W, r, o, 0).dev : 0;
      // a shared cell: holding an edge (x = 1, chance W/N) or not, the rest disjoint among N − 1 cells
      let shared = 0;
      if (o > 0 && r > 0) {
        const p1 = W / N;
        const c0 = covDisjoint(N - 1, W, r - 1, o - 1, 0);
        const c1 = W > 0 ? covDisjoint(N - 1, W - 1, r - 1, o - 1, 1) : c0;
        shared = (1 - p1) * p1 * (c1.phi - c0.phi) * (c1.psi - c0.psi) + (1 - p1) * c0.dev + p1 * c1.dev;
      }
      variance += 2 * t.real.count * (o * shared + (m - o) * disjoint);
    }
  });
  return [mean, Math.max(variance, 0)];
}

// ---------------------------------------------------------------------------------------------------------
// toChain in the pairs convention: the mean

/**
 * The nodes a third-order chain through the weight layers v, v+1, v+2 can pass: `oA`, the nodes between v
 * and v+1 that real sources of v reach and that have edges in v+1 (`obA`: reached by any source of v, the
 * bias node included); `oC`, the nodes between v+1 and v+2 that v+1 reaches and that have real edges in v+2.
 */
function chainOverlaps(
  A: ReturnType<typeof layerSets>,
  B: ReturnType<typeof layerSets>,
  C: ReturnType<typeof layerSets>
): { oA: number; obA: number; oC: number } {
  let oA = 0;
  let obA = 0;
  for (let j = 0; j < A.C.length; j++) {
    if (B.R[j] !== 1) continue;
    if (A.C[j] === 1) oA++;
    if (A.B[j] === 1) obA++;
  }
  let oC = 0;
  for (let j = 0; j < C.R.length; j++) if (C.R[j] === 1 && B.C[j] === 1) oC++;
  return { oA, obA, oC };
}

/**
 * Mean of `toChain` in the pairs convention: Σ_v E[X_v], X_v = number of (source of layer v, target of layer
 * v+2) pairs joined by ≥ 1 three-step path. A source's partners `J` among the live rows of layer v+1 and a
 * target's partners `K` among the live targets of layer v+1 are uniform subsets of sizes `a` and `k`
 * (hypergeometric, independent: different layers); the pair is joined unless layer v+1 has none of its `W`
 * edges in the `a·k` cells `J × K`, which has probability `C(N − a·k, W) / C(N, W)`.
 */
function pairsToChainMean(g: MotifGraph, space: Space): number {
  const L = g.layers.length;
  let mean = 0;
  for (let v = 0; v + 2 < L; v++) {
    const A = layerSets(g, v);
    const C = layerSets(g, v + 2);
    const { oA, obA, oC } = chainOverlaps(A, layerSets(g, v + 1), C);
    const [la, lb, lc] = [space.layers[v], space.layers[v + 1], space.layers[v + 2]];
    const k = hypergeometric(lc.N, oC, lc.W);
    const base = lnC(lb.N, lb.W);
    const missed = (a: Pmf): number =>
      expect(a, x => expect(k, y => Math.exp(lnC(lb.N - x * y, lb.W) - base)));
    let perTarget = A.nR * (1 - missed(hypergeometric(la.N, oA, la.W)));
    if (A.bias) perTarget += 1 - missed(hypergeometric(la.T, obA, la.K));
    mean += C.nC * perTarget;
  }
  return mean;
}

// ---------------------------------------------------------------------------------------------------------
// toChain in the pairs convention: the variance

/** `F[u]` = P(u given cells of a layer hold none of its `W` edges among `N` cells) = (N − W)_u / (N)_u. */
function emptyTable(N: number, W: number, maxU: number): Float64Array {
  const f = new Float64Array(maxU + 1);
  f[0] = 1;
  for (let u = 1; u <= maxU; u++) f[u] = u - 1 < N - W ? (f[u - 1] * (N - W - u + 1)) / (N - u + 1) : 0;
  return f;
}

const maxOf = (d: Pmf): number => d.lo + d.p.length - 1;

/** A source kind of a layer triple: count, law of its partners among the middle rows, their pool. */
interface ChainSource {
  readonly count: number;
  readonly a: Pmf;
  readonly pool: number;
}

/** Facts of the layer triple (v, v+1, v+2) of a third-order chain. */
interface Triple {
  readonly real: ChainSource;
  readonly bias?: ChainSource;
  /** Joint law of `a` of two distinct real sources. */
  readonly aa: Float64Array;
  /** Targets (live columns of layer v+2), the law of their partners among the middle columns, the pool. */
  readonly m: number;
  readonly k: Pmf;
  readonly kk: Float64Array;
  readonly oC: number;
  /** Empty-cells table of the middle layer v+1 (up to the largest a·k + a'·k'). */
  readonly F: Float64Array;
  /** P(a pair of each source kind is unjoined). */
  readonly qReal: number;
  readonly qBias: number;
}

function tripleOf(space: Space, sets: ReturnType<typeof layerSets>[], v: number): Triple {
  const [A, B, C] = [sets[v], sets[v + 1], sets[v + 2]];
  const { oA, obA, oC } = chainOverlaps(A, B, C);
  const [la, lb, lc] = [space.layers[v], space.layers[v + 1], space.layers[v + 2]];
  const real: ChainSource = { count: A.nR, a: hypergeometric(la.N, oA, la.W), pool: oA };
  const bias: ChainSource | undefined = A.bias
    ? { count: 1, a: hypergeometric(la.T, obA, la.K), pool: obA }
    : undefined;
  const k = hypergeometric(lc.N, oC, lc.W);
  const maxA = Math.max(maxOf(real.a), bias === undefined ? 0 : maxOf(bias.a), 0);
  const F = emptyTable(lb.N, lb.W, 2 * maxA * Math.max(maxOf(k), 0));
  const q = (s: ChainSource): number => expect(s.a, a => expect(k, y => F[a * y]));
  return {
    real,
    bias,
    aa: joint2(la.N, la.W, oA, oA, real.a, real.a),
    m: C.nC,
    k,
    kk: joint2(lc.N, lc.W, oC, oC, k, k),
    oC,
    F,
    qReal: q(real),
    qBias: bias === undefined ? 0 : q(bias)
  };
}

/**
 * Two partner sets grouped by their sizes: group `g` has sizes `x1[g]`, `x2[g]`, weight `w[g]` and the
 * weights `cw[off[g] … off[g + 1] − 1]` (summing to `w[g]`) of their overlap `c` on `cLo[g] …`, with their
 * suffix sums in `rest`. Groups are sorted by `x1`, then `x2`; `rows` are the starts of the runs of equal
 * `x1` (and the end).
 */
interface Side {
  readonly x1: Int32Array;
  readonly x2: Int32Array;
  readonly w: Float64Array;
  readonly cLo: Int32Array;
  readonly off: Int32Array;
  readonly cw: Float64Array;
  readonly rest: Float64Array;
  readonly rows: number[];
}

/** A {@link Side} from its groups in order: sizes, and the overlap law `ov` scaled by `scale`. */
function sideOf(groups: { x1: number; x2: number; ov: Pmf; scale: number }[]): Side {
  const n = groups.length;
  const off = new Int32Array(n + 1);
  groups.forEach((g, k) => (off[k + 1] = off[k] + g.ov.p.length));
  const cw = new Float64Array(off[n]);
  const rest = new Float64Array(off[n]);
  const w = new Float64Array(n);
  groups.forEach((g, k) => {
    for (let i = 0; i < g.ov.p.length; i++) cw[off[k] + i] = g.ov.p[i] * g.scale;
    for (let i = g.ov.p.length - 1, acc = 0; i >= 0; i--) rest[off[k] + i] = acc += cw[off[k] + i];
    w[k] = rest[off[k]];
  });
  const side: Side = {
    x1: Int32Array.from(groups, g => g.x1),
    x2: Int32Array.from(groups, g => g.x2),
    w,
    cLo: Int32Array.from(groups, g => g.ov.lo),
    off,
    cw,
    rest,
    rows: []
  };
  for (let g = 0; g < n; g++) if (g === 0 || side.x1[g] !== side.x1[g - 1]) side.rows.push(g);
  side.rows.push(n);
  return side;
}

/** One set twice (one source or one target): sizes x = x1 = x2 = c. */
function sameSet(d: Pmf): Side {
  return sideOf(
    Array.from(d.p, (p, i) => ({
      x1: d.lo + i,
      x2: d.lo + i,
      ov: { lo: d.lo + i, p: Float64Array.of(1) },
      scale: p
    }))
  );
}

/** Two distinct sets: sizes from `pxy`, the overlap of a uniform x1-subset and x2-subset of `pool`. */
function twoSets(d1: Pmf, d2: Pmf, pxy: (i: number, j: number) => number, pool: number): Side {
  const groups: { x1: number; x2: number; ov: Pmf; scale: number }[] = [];
  for (let i = 0; i < d1.p.length; i++)
    for (let j = 0; j < d2.p.length; j++) {
      const w = pxy(i, j);
      if (w === 0) continue;
      const ov = hypergeometric(pool, d1.lo + i, d2.lo + j);
      if (ov.p.length > 0) groups.push({ x1: d1.lo + i, x2: d2.lo + j, ov, scale: w });
    }
  return sideOf(groups);
}

/**
 * Largest error of the `pairs`-convention `toChain` variance from the terms its sums leave out, as a
 * fraction of it (1e-12): terms are left out only under bounds that keep them below this. Rounding is
 * larger on wide layers (see docs/significance.md: ~1e-7 of the moth network's variance).
 */
export const TOCHAIN_PRUNED_FRACTION = 1e-12;

/**
 * Most `F` terms summed for the `toChain` variance of one network (~10⁸ a second, so minutes); beyond it
 * the variance is NaN. The most any network of the tests, benchmarks or the size grid of
 * docs/significance.md needs is 1.5·10⁹ (784-2000-2000-10 at 1.5 %, 6 s); the earlier limit of 2·10⁸
 * turned 784-1000-1000-10 at 2 % (4·10⁸ terms, 2 s) into NaN.
 */
const TOCHAIN_WORK_LIMIT = 2e10;

/**
 * The part of E[F(x1·y1 + x2·y2 − c·d)] (both pairs unjoined, `F` the middle layer's empty-cells table)
 * over the sources' side `s` and the targets' side `t` (independent) that is not skipped, and a bound of
 * what was skipped: the result lies in `[total, total + skipped]`. All terms are ≥ 0, `F` decreases, and
 * the union of the two rectangles has at least `uLo = x1·y1 + x2·y2 − min(x1, x2)·min(y1, y2)` cells
 * (c ≤ min x, d ≤ min y), a bound that grows with y1 and y2. So all further rows of target groups, the
 * rest of a row, one group pair, the rest of its overlaps c (bounded with `F(base − c_max·d_max)`) or the
 * rest of a c's overlaps d are skipped when `w_s · F(bound) · (their weight)` is below `tau`. The weights
 * fall like exp(−x²) away from their mean and `F` geometrically in `u`, so only the group pairs near the
 * few dominant size combinations are summed. `tau = 0` sums every term.
 */
function bothMissed(
  s: Side,
  t: Side,
  F: Float64Array,
  tau: number,
  work: { terms: number }
): { total: number; skipped: number } {
  const nRows = t.rows.length - 1;
  const nT = t.w.length;
  // suffix weights of target groups within their row, and of whole rows
  const rowRest = new Float64Array(nT);
  const rowsRest = new Float64Array(nRows + 1);
  let y2Min = Infinity;
  for (let r = nRows - 1; r >= 0; r--) {
    let acc = 0;
    for (let h = t.rows[r + 1] - 1; h >= t.rows[r]; h--) {
      acc += t.w[h];
      rowRest[h] = acc;
      y2Min = Math.min(y2Min, t.x2[h]);
    }
    rowsRest[r] = rowsRest[r + 1] + acc;
  }
  let total = 0;
  let skipped = 0;
  let terms = 0;
  for (let g = 0; g < s.w.length; g++) {
    if (work.terms + terms > TOCHAIN_WORK_LIMIT) {
      work.terms += terms;
      return { total: NaN, skipped: NaN };
    }
    const ws = s.w[g];
    const a1 = s.x1[g];
    const a2 = s.x2[g];
    const aMin = Math.min(a1, a2);
    const cLo = s.cLo[g];
    const c0 = s.off[g];
    const nc = s.off[g + 1] - c0;
    const cMax = cLo + nc - 1;
    for (let r = 0; r < nRows; r++) {
      const y1 = t.x1[t.rows[r]];
      const rows = ws * F[a1 * y1 + a2 * y2Min - aMin * Math.min(y1, y2Min)] * rowsRest[r];
      if (rows < tau) {
        skipped += rows;
        break;
      }
      for (let h = t.rows[r]; h < t.rows[r + 1]; h++) {
        const y2 = t.x2[h];
        const f = ws * F[a1 * y1 + a2 * y2 - aMin * Math.min(y1, y2)];
        if (f * rowRest[h] < tau) {
          skipped += f * rowRest[h];
          break;
        }
        if (f * t.w[h] < tau) {
          skipped += f * t.w[h];
          continue;
        }
        const base = a1 * y1 + a2 * y2;
        const dLo = t.cLo[h];
        const d0 = t.off[h];
        const nd = t.off[h + 1] - d0;
        const dMax = dLo + nd - 1;
        const fTop = t.w[h] * F[base - cMax * dMax];
        for (let i = 0; i < nc; i++) {
          const c = cLo + i;
          const cRest = s.rest[c0 + i];
          if (cRest * fTop < tau) {
            skipped += cRest * fTop;
            break;
          }
          const ci = s.cw[c0 + i];
          const fRow = ci * F[base - c * dMax];
          let inner = 0;
          let j = 0;
          for (; j < nd; j++) {
            const dRest = t.rest[d0 + j];
            if (fRow * dRest < tau) {
              skipped += fRow * dRest;
              break;
            }
            inner += t.cw[d0 + j] * F[base - c * (dLo + j)];
          }
          terms += j;
          total += ci * inner;
        }
      }
    }
  }
  work.terms += terms;
  return { total, skipped };
}

/**
 * One kind of ordered pair of (source, target) pairs of a layer triple: `count` of them, the sides of their
 * sources and targets, and P(each pair unjoined) `q1`, `q2`. Its share of Var X_v is
 * `count · (P(both unjoined) − q1·q2)`, and P(both unjoined) ≤ min(q1, q2).
 */
interface PairKind {
  readonly count: number;
  /** Built on first use: a kind settled by its trivial bound (the floor) never needs its sides. */
  readonly s: () => Side;
  readonly t: () => Side;
  readonly F: Float64Array;
  readonly q1: number;
  readonly q2: number;
}

/** `f()`, computed once, on the first call. */
function lazy<T>(f: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= f());
}

/** Var X_v = Σ over ordered pairs of (source, target) pairs of P(both unjoined) − P(unjoined)², by kind. */
function pairKinds(t: Triple): PairKind[] {
  const { real, bias, m, k, F } = t;
  const nk = k.p.length;
  const na = real.a.p.length;
  const targets: [number, () => Side][] = [[m, lazy(() => sameSet(k))]];
  if (m > 1) targets.push([m * (m - 1), lazy(() => twoSets(k, k, (i, j) => t.kk[i * nk + j], t.oC))]);
  const sources: [number, () => Side, number, number][] = [
    [real.count, lazy(() => sameSet(real.a)), t.qReal, t.qReal]
  ];
  if (real.count > 1)
    sources.push([
      real.count * (real.count - 1),
      lazy(() => twoSets(real.a, real.a, (i, j) => t.aa[i * na + j], real.pool)),
      t.qReal,
      t.qReal
    ]);
  if (bias !== undefined) {
    sources.push([1, lazy(() => sameSet(bias.a)), t.qBias, t.qBias]);
    if (real.count > 0)
      sources.push([
        2 * real.count,
        lazy(() => twoSets(real.a, bias.a, (i, j) => real.a.p[i] * bias.a.p[j], bias.pool)),
        t.qReal,
        t.qBias
      ]);
  }
  const kinds: PairKind[] = [];
  for (const [cs, s, q1, q2] of sources)
    for (const [ct, tt] of targets) if (cs * ct > 0) kinds.push({ count: cs * ct, s, t: tt, F, q1, q2 });
  return kinds;
}

/**
 * Σ_v Var X_v + `rest` (the covariances between triples), to `fraction` of its value. Each kind's
 * P(both unjoined) is first only known to lie in [0, min(q1, q2)]; the kinds whose interval is too wide
 * for the precision wanted are summed with a threshold that makes their skipped part small enough
 * ({@link bothMissed}), until the total width is below `fraction` of the variance (or every kind is
 * summed exactly, `fraction = 0`), or below `floor` (the square of the mean's rounding error: a smaller
 * variance gives the same Z-scores whatever its digits, see {@link pairsToChainMoments}). On wide layers where pairs are almost always joined (the moth network)
 * the wide triples thus cost next to nothing: their share is far below the narrow triples' rounding error.
 */
function tripleVariances(kinds: PairKind[], rest: number, fraction: number, floor: number): number {
  const lo = kinds.map(() => 0);
  const hi = kinds.map(kind => Math.min(kind.q1, kind.q2));
  const work = { terms: 0 };
  const sum = (b: number[]): number =>
    kinds.reduce((acc, kind, e) => acc + kind.count * (b[e] - kind.q1 * kind.q2), rest);
  const exact = (e: number): void => {
    const { total } = bothMissed(kinds[e].s(), kinds[e].t(), kinds[e].F, 0, work);
    lo[e] = total;
    hi[e] = total;
  };
  if (fraction === 0) kinds.forEach((_, e) => exact(e));
  for (let round = 0; ; round++) {
    if (work.terms > TOCHAIN_WORK_LIMIT) return NaN;
    const vLo = sum(lo);
    const vHi = sum(hi);
    const width = vHi - vLo;
    const scale = vLo > 0 ? vLo : vHi < 0 ? -vHi : 0;
    if (width <= fraction * scale || width <= floor || width === 0) return (vLo + vHi) / 2;
    if (Number.isNaN(width) || round > 20) return NaN;
    // each kind may keep a width of at most fraction · |variance| / (2 · kinds); the variance's size is
    // taken from the midpoint (checked again above); a variance of 0 needs every kind summed exactly
    const allowed = Math.max(fraction * Math.abs((vLo + vHi) / 2), floor) / (2 * kinds.length);
    kinds.forEach((kind, e) => {
      const slack = kind.count * (hi[e] - lo[e]);
      if (slack <= allowed && round > 0) return;
      if (allowed === 0 && round > 0) {
        exact(e);
        return;
      }
      // the first round only narrows every kind to a millionth of its trivial bound, for the variance's size
      const target = round === 0 ? 1e-6 * hi[e] : allowed / kind.count;
      // the skipped bound is a sum of at most ~1e7 blocks near the threshold
      for (let tau = target * 1e-3; ; tau *= 1e-2) {
        const { total, skipped } = bothMissed(kind.s(), kind.t(), kind.F, tau, work);
        lo[e] = Math.max(lo[e], total);
        hi[e] = Math.min(hi[e], total + skipped);
        if (hi[e] - lo[e] <= target || work.terms > TOCHAIN_WORK_LIMIT) break;
      }
    });
  }
}

/**
 * `(W, u) ↦ (N − W)_u / (N)_u` for one `N`: a table per `W` as in {@link emptyTable}, grown on demand (the
 * product of ratios is both faster and more precise than log-factorials of numbers ~10⁵).
 */
function emptyProbs(N: number): (W: number, u: number) => number {
  const tables = new Map<number, Float64Array>();
  // 1 / (N − u + 1), shared by the tables (one multiplication per entry instead of a division)
  let inv = new Float64Array(0);
  return (W, u) => {
    let t = tables.get(W);
    if (t === undefined || u >= t.length) {
      const size = Math.max(u + 1, 2 * (t?.length ?? 64));
      if (inv.length < size) inv = Float64Array.from({ length: 2 * size }, (_, x) => 1 / (N - x + 1));
      const f = new Float64Array(size);
      f[0] = 1;
      for (let x = 1; x < size && x - 1 < N - W; x++) f[x] = f[x - 1] * (N - W - x + 1) * inv[x];
      t = f;
      tables.set(W, t);
    }
    return t[u];
  };
}

/**
 * Cov(X_v, X_{v+2}): they share layer v+2 only, where X_v sees the column degrees of its targets (into the
 * middle rows) and X_{v+2} the row degrees of its real sources (into its middle columns); given that
 * layer they are independent, so the covariance is Σ_{s,t} Cov(φ(k_t), ψ(a_s)).
 */
function covSkipOne(t0: Triple, t2: Triple, layer: LayerCells): number {
  const { k } = t0;
  const phi = Float64Array.from(k.p, (_, i) => {
    const y = k.lo + i;
    let x = t0.real.count * (1 - expect(t0.real.a, a => t0.F[a * y]));
    if (t0.bias !== undefined) x += 1 - expect(t0.bias.a, a => t0.F[a * y]);
    return x;
  });
  const A = t2.real.a;
  const psi = Float64Array.from(A.p, (_, j) => t2.m * (1 - expect(t2.k, y => t2.F[(A.lo + j) * y])));
  const meanPhi = expect(k, y => phi[y - k.lo]);
  const meanPsi = expect(A, a => psi[a - A.lo]);
  const { N, W } = layer;
  const base = lnC(N, W);
  const oC = t0.oC;
  const oD = t2.real.pool;
  const cov = (shared: boolean): number => {
    const colOther = shared ? oC - 1 : oC;
    const rowOther = shared ? oD - 1 : oD;
    const rest = N - colOther - rowOther - (shared ? 1 : 0);
    let exy = 0;
    for (let x = 0; x <= (shared ? 1 : 0); x++)
      for (let i = 0; i < k.p.length; i++) {
        const e1 = k.lo + i - x;
        for (let j = 0; j < A.p.length; j++) {
          const a1 = A.lo + j - x;
          const lp = lnC(colOther, e1) + lnC(rowOther, a1) + lnC(rest, W - x - e1 - a1) - base;
          if (lp !== -Infinity) exy += Math.exp(lp) * phi[i] * psi[j];
        }
      }
    return exy - meanPhi * meanPsi;
  };
  const pairs = t2.real.count * t0.m;
  return oC * oD * cov(true) + (pairs - oC * oD) * cov(false);
}

/** Law of (total, part): `total` of the `W` edges in `size` of `N` cells, `part` of them in `sub` of those. */
function nested(N: number, W: number, size: number, sub: number): { total: Pmf; part: Pmf[] } {
  const total = hypergeometric(N, size, W);
  return { total, part: Array.from(total.p, (_, i) => hypergeometric(size, sub, total.lo + i)) };
}

/**
 * Cov(X_v, X_{v+1}): they share layers v+1 (M1) and v+2 (M2). For a pair (s, t) of X_v and (s', t') of
 * X_{v+1}, with s' a real row of M1: reveal the row s' of M1 (δ edges, o of them into the pool P of middle
 * columns, the set O) and the column t of M2 (ε edges, k from P, the set K). The other rows of M1 and
 * columns of M2 are then uniform with W1 − δ and W2 − ε edges, so (s, t) is unjoined with probability
 * F'(|J∖{s'}|·k) and (s', t') with F''(o·|K'∖{t}|), and when s' ∈ J or t ∈ K' both need O ∩ K = ∅
 * (uniform independent subsets of P). A bias s' has its own row (independent of M1): then the column t
 * is revealed on the bias row's larger pool too.
 */
function covNext(
  t0: Triple,
  t1: Triple,
  m1: { N: number; W: number; R: number; C: number },
  m2: { N: number; W: number; R: number; C: number }
): number {
  const P = t0.oC;
  const PD = t1.oC;
  const qNext = t1.qReal;
  const sources0 =
    t0.bias === undefined
      ? [[t0.real, t0.qReal] as const]
      : [[t0.real, t0.qReal] as const, [t0.bias, t0.qBias] as const];
  const row = nested(m1.N, m1.W, m1.C, P);
  const col = nested(m2.N, m2.W, m2.R, P);
  const missPK = (o: number, k: number): number => Math.exp(lnC(P - o, k) - lnC(P, k));
  const emptyM1 = emptyProbs(m1.N - m1.C);
  const oLo = row.part.reduce((lo, p) => Math.min(lo, p.lo), Infinity);
  const oHi = Math.max(...row.part.map(maxOf));
  const yLo = col.part.reduce((lo, p) => Math.min(lo, p.lo), Infinity);
  const yHi = Math.max(...col.part.map(maxOf));
  const nY = Math.max(yHi - yLo + 1, 0);
  const nO = Math.max(oHi - oLo + 1, 0);
  const emptyM2 = emptyProbs(m2.N - m2.R);
  // [B0, B1](ε, o) of the pair (s', t'): the other columns of M2 hold W2 − ε edges; B1 when t ∈ K'
  const bMemo = new Map<number, [number, number]>();
  const bTerms = (tIn: boolean, e: number, o: number): [number, number] => {
    const id = (e * 1_048_576 + o) * 2 + (tIn ? 1 : 0);
    let b = bMemo.get(id);
    if (b === undefined) {
      const Wo = m2.W - e;
      const rho = (k: number): number => (tIn && PD > 0 ? k / PD : 0);
      b = [
        expect(t1.k, k => (1 - rho(k)) * emptyM2(Wo, o * k)),
        expect(t1.k, k => (k > 0 ? rho(k) * emptyM2(Wo, o * (k - 1)) : 0))
      ];
      bMemo.set(id, b);
    }
    return b;
  };
  let total = 0;
  for (const [src, q0] of sources0) {
    if (src.count === 0) continue;
    for (const sIn of [true, false]) {
      const nS = sIn ? src.pool : t1.real.count - src.pool;
      if (nS <= 0 || t1.real.count === 0) continue;
      const pi = (a: number): number => (sIn && src.pool > 0 ? a / src.pool : 0);
      // Â_x(o, k) = Σ_δ p(δ, o) E_a[...]: x = 0 (s' ∉ J), 1 (s' ∈ J)
      // dense over o ∈ [oLo, oHi] × y ∈ [yLo, yHi]; 0 where no (δ, o) reaches
      const A0 = new Float64Array(nO * nY);
      const A1 = new Float64Array(A0.length);
      for (let i = 0; i < row.total.p.length; i++) {
        const d = row.total.lo + i;
        const Wo = m1.W - d;
        for (let y = yLo; y <= yHi; y++) {
          const a0 = expect(src.a, a => (1 - pi(a)) * emptyM1(Wo, a * y));
          const a1 = expect(src.a, a => (a > 0 ? pi(a) * emptyM1(Wo, (a - 1) * y) : 0));
          const po = row.part[i];
          for (let j = 0; j < po.p.length; j++) {
            const w = row.total.p[i] * po.p[j];
            const kk = (po.lo + j - oLo) * nY + y - yLo;
            A0[kk] += w * a0;
            A1[kk] += w * a1;
          }
        }
      }
      for (const tIn of [true, false]) {
        const nT = tIn ? PD : t0.m - PD;
        if (nT <= 0 || t1.m === 0) continue;
        let both = 0;
        for (let i = 0; i < col.total.p.length; i++) {
          const e = col.total.lo + i;
          const pk = col.part[i];
          for (let o = oLo; o <= oHi; o++) {
            const [b0, b1] = bTerms(tIn, e, o);
            for (let j = 0; j < pk.p.length; j++) {
              const y = pk.lo + j;
              const kk = (o - oLo) * nY + y - yLo;
              const a0 = A0[kk];
              const a1 = A1[kk];
              if (a0 === 0 && a1 === 0) continue;
              const w = col.total.p[i] * pk.p[j];
              both += w * (a0 * b0 + missPK(o, y) * (a0 * b1 + a1 * b0 + a1 * b1));
            }
          }
        }
        total += src.count * nS * nT * t1.m * (both - q0 * qNext);
      }
    }
    // the bias source s' of layer v+1: its partners O among its own pool Pb ⊇ P, independent of M1
    if (t1.bias !== undefined) {
      const bias = t1.bias;
      const Pb = bias.pool;
      const colB = nested(m2.N, m2.W, m2.R, Pb);
      const aFull = (y: number): number => expect(src.a, a => t0.F[a * y]);
      for (const tIn of [true, false]) {
        const nT = tIn ? PD : t0.m - PD;
        if (nT <= 0 || t1.m === 0) continue;
        let both = 0;
        for (let i = 0; i < colB.total.p.length; i++) {
          const e = colB.total.lo + i;
          const pkb = colB.part[i];
          for (let j = 0; j < pkb.p.length; j++) {
            const kb = pkb.lo + j;
            const inner = expect(bias.a, o => {
              const [b0, b1] = bTerms(tIn, e, o);
              return b0 + Math.exp(lnC(Pb - kb, o) - lnC(Pb, o)) * b1;
            });
            const aK = expect(hypergeometric(Pb, P, kb), aFull);
            both += colB.total.p[i] * pkb.p[j] * aK * inner;
          }
        }
        total += src.count * nT * t1.m * (both - q0 * t1.qBias);
      }
    }
  }
  return total;
}

/** Mean and variance of `toChain` in the pairs convention (see {@link pairsToChainMean}). */
function pairsToChainMoments(g: MotifGraph, space: Space, fraction: number): [number, number] {
  const L = g.layers.length;
  const sets = g.layers.map((_, l) => layerSets(g, l));
  const triples: Triple[] = [];
  for (let v = 0; v + 2 < L; v++) triples.push(tripleOf(space, sets, v));
  let covariances = 0;
  triples.forEach((t, v) => {
    if (v + 1 < triples.length) {
      const cells = (l: number): { N: number; W: number; R: number; C: number } => ({
        N: space.layers[l].N,
        W: space.layers[l].W,
        R: sets[l].nR,
        C: sets[l].nC
      });
      covariances += 2 * covNext(t, triples[v + 1], cells(v + 1), cells(v + 2));
    }
    if (v + 2 < triples.length) covariances += 2 * covSkipOne(t, triples[v + 2], space.layers[v + 2]);
  });
  const mean = pairsToChainMean(g, space);
  // below the square of the mean's own rounding error a variance cannot change a Z-score: Z = (count −
  // mean) / sd is then either 0 or beyond 10¹⁵ whatever the variance's digits (fraction 0 sums all terms)
  const floor = fraction === 0 ? 0 : (mean * Number.EPSILON) ** 2;
  const variance = tripleVariances(triples.flatMap(pairKinds), covariances, fraction, floor);
  return [mean, Number.isNaN(variance) ? NaN : Math.max(variance, 0)];
}

/**
 * Mean and variance of `toChain` in the `pairs` convention of a census view, with the variance's sums
 * pruned to at most `fraction` of their value ({@link TOCHAIN_PRUNED_FRACTION} in {@link gnmMomentsOfGraph};
 * `0` sums every term, the reference the tests compare the pruned sums with).
 *
 * @internal
 * @example
 * ```ts
 * const layer = { nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 1, 0) };
 * const g = motifGraph({ layers: [layer, layer, layer] });
 * const [mean, variance] = pairsToChainMomentsOfGraph(g, 0); // every term summed
 * console.log(mean, variance, pairsToChainMomentsOfGraph(g)[1]); // the same variance, pruned
 * ```
 */
export function pairsToChainMomentsOfGraph(
  g: MotifGraph,
  fraction: number = TOCHAIN_PRUNED_FRACTION
): [number, number] {
  if (!(fraction >= 0 && fraction < 1))
    throw new RangeError(`pairsToChainMomentsOfGraph: fraction must be in [0, 1), got ${fraction}`);
  return pairsToChainMoments(g, spaceOf(g), fraction);
}
