/**
 * The two synthetic classification sets of Zambra, Testolin & Maritan (2020), "Emergence of network motifs in
 * deep neural networks": 31 features, 4 classes, 2000 samples by default. Read from the paper's description
 * and the authors' public generators (`BinaryTreeDS.py`, `ClustersDS.py`); where those are ambiguous or
 * data-dependent, what is implemented here is stated exactly.
 */
import { createRng } from '../random';
import { DataMatrix } from './matrix';

/** Features, one-hot targets and integer labels of a classification set. */
export interface ClassificationData {
  /** `n × features` values. */
  x: DataMatrix<Float32Array>;
  /** `n × classes` one-hot rows. */
  y: DataMatrix<Float32Array>;
  /** Class index of each sample. */
  labels: Int32Array;
  /** Number of classes. */
  classes: number;
}

/** Nodes of the depth-5 binary tree, in level (heap) order: node k has children 2k+1 and 2k+2. */
export const TREE_NODES = 31;

/** The first 7 nodes (root and two levels) of each binary-tree class, indexed by class. */
export const TREE_CLASS_PATTERNS: readonly (readonly number[])[] = Object.freeze([
  [1, 1, -1, 1, -1, -1, -1],
  [1, 1, -1, -1, 1, -1, -1],
  [-1, -1, 1, -1, -1, 1, -1],
  [-1, -1, 1, -1, -1, -1, 1]
]);

/** Options of {@link binaryTree}. */
export interface BinaryTreeOptions {
  /** Default `0`. */
  seed?: number;
  /** Probability that a +1 node passes (+1, −1) to its (left, right) children. Default `0.7`. */
  p?: number;
}

/**
 * Zambra et al.'s **binary tree** set: each sample is the 31 node values (±1, level order) of a depth-5 binary
 * tree.
 *
 * Generation (as in the authors' `BinaryTreeDS.py`):
 * - the root is +1 or −1 with probability ½;
 * - the root's children are (+1, −1) when the root is +1 and (−1, +1) when it is −1;
 * - below that, a +1 node gives its (left, right) children (+1, −1) with probability `p` and (−1, +1) otherwise;
 *   a −1 node gives (−1, −1).
 *
 * Label: the pattern of the first 7 nodes (root and two levels). The root fixes level 1, exactly one level-1
 * node is +1, and only that node's coin decides level 2, so there are exactly 4 patterns
 * ({@link TREE_CLASS_PATTERNS}): class `2·[root = −1] + [the +1 level-1 node passed (−1, +1)]`, with
 * probabilities `p/2, (1−p)/2, p/2, (1−p)/2` (0.35, 0.15, 0.35, 0.15 for p = 0.7). The authors numbered
 * classes by first appearance in their sample; the order here is fixed.
 *
 * @param n - number of samples (default 2000).
 * @example
 * ```ts
 * const d = binaryTree(2000, { seed: 1 });
 * [d.x.cols, d.y.cols]; // [31, 4]
 * ```
 */
export function binaryTree(n = 2000, options: BinaryTreeOptions = {}): ClassificationData {
  const { seed = 0, p = 0.7 } = options;
  checkCount(n, 'binaryTree');
  if (!(p >= 0 && p <= 1)) throw new RangeError(`binaryTree: p must be in [0, 1], got ${p}`);
  const rng = createRng(seed);
  const x = new Float32Array(n * TREE_NODES);
  const labels = new Int32Array(n);
  const internal = (TREE_NODES - 1) / 2; // nodes 0…14 have children
  for (let s = 0; s < n; s++) {
    const t = x.subarray(s * TREE_NODES, (s + 1) * TREE_NODES);
    t[0] = rng.next() < 0.5 ? 1 : -1;
    t[1] = t[0];
    t[2] = -t[0];
    for (let k = 1; k < internal; k++) {
      if (t[k] === 1) {
        const keep = rng.next() < p;
        t[2 * k + 1] = keep ? 1 : -1;
        t[2 * k + 2] = keep ? -1 : 1;
      } else {
        t[2 * k + 1] = -1;
        t[2 * k + 2] = -1;
      }
    }
    const plusChild = t[0] === 1 ? 1 : 2; // the level-1 node holding +1
    labels[s] = (t[0] === 1 ? 0 : 2) + (t[2 * plusChild + 1] === 1 ? 0 : 1);
  }
  return { x: { rows: n, cols: TREE_NODES, data: x }, y: oneHot(labels, 4), labels, classes: 4 };
}

/** Group sizes of the independent-clusters set (features are grouped contiguously in this order). */
export const CLUSTER_SIZES: readonly number[] = Object.freeze([8, 7, 9, 7]);

/** Options of {@link independentClusters}. */
export interface IndependentClustersOptions {
  /** Seed of the group graphs and of the class draws. Default `0`. */
  seed?: number;
}

/** The independent-clusters set with the structure it was drawn from. */
export interface IndependentClustersData extends ClassificationData {
  /** `[start, end)` feature range of each class's group. */
  groups: readonly (readonly [number, number])[];
  /** For each feature, its parents (feature indices) in its group's directed acyclic graph. */
  parents: readonly (readonly number[])[];
  /** The value vector every sample of a class carries: `4 × 31`. */
  prototypes: DataMatrix<Float32Array>;
}

/** Centres of the four point clouds in the authors' generator; each cloud has covariance 8·I. */
const CLUSTER_CENTRES: readonly (readonly [number, number])[] = [
  [1, 1],
  [1, 51],
  [51, 1],
  [51, 51]
];

/**
 * Zambra et al.'s **independent clusters** set. The paper says only "4 groups of 8/7/9/7 variables, sampled
 * per class"; this follows the construction of the authors' `ClustersDS.py`, made well defined:
 *
 * 1. Features 0–7, 8–14, 15–23, 24–30 form groups 0–3 (sizes {@link CLUSTER_SIZES}).
 * 2. Each feature gets a point in the plane drawn from N(centre of its group, 8·I), centres (1,1), (1,51),
 *    (51,1), (51,51) as in the authors' code. Within a group, two features are linked when their distance is
 *    at most the median of that group's pairwise distances (the closer half of the pairs; the authors thin
 *    the complete graph by an annealing-like distance cut whose outcome depends on Python's list iteration,
 *    so we use the median as a well-defined cut). Links point from the lower to the higher feature index, so
 *    each group is a DAG. Groups are never linked to each other: they are independent.
 * 3. A sample of class k (k uniform in 0–3, drawn independently per sample as the authors did) has −1 on
 *    every feature outside group k and, on feature v of group k, `max(1, number of ancestors of v)` — the
 *    authors' "ancestral sampling", which is deterministic given the graph. Every sample of a class therefore
 *    equals that class's prototype; the graphs (and so the prototypes) depend on the seed.
 *
 * @param n - number of samples (default 2000).
 * @example
 * ```ts
 * const d = independentClusters(2000, { seed: 1 });
 * d.groups; // [[0, 8], [8, 15], [15, 24], [24, 31]]
 * ```
 */
export function independentClusters(
  n = 2000,
  options: IndependentClustersOptions = {}
): IndependentClustersData {
  const { seed = 0 } = options;
  checkCount(n, 'independentClusters');
  const rng = createRng(seed);
  const features = CLUSTER_SIZES.reduce((a, b) => a + b, 0);
  const groups: [number, number][] = [];
  const parents: number[][] = Array.from({ length: features }, () => []);
  const prototypes = new Float32Array(CLUSTER_SIZES.length * features).fill(-1);
  let start = 0;
  CLUSTER_SIZES.forEach((size, k) => {
    const end = start + size;
    groups.push([start, end]);
    const sd = Math.sqrt(8);
    const px: number[] = [];
    const py: number[] = [];
    for (let v = 0; v < size; v++) {
      px.push(CLUSTER_CENTRES[k][0] + sd * rng.normal());
      py.push(CLUSTER_CENTRES[k][1] + sd * rng.normal());
    }
    const dist = (a: number, b: number): number => Math.hypot(px[a] - px[b], py[a] - py[b]);
    const all: number[] = [];
    for (let a = 0; a < size; a++) for (let b = a + 1; b < size; b++) all.push(dist(a, b));
    all.sort((u, w) => u - w);
    const cut = median(all);
    const ancestors: Set<number>[] = [];
    for (let b = 0; b < size; b++) {
      const anc = new Set<number>();
      for (let a = 0; a < b; a++) {
        if (dist(a, b) <= cut) {
          parents[start + b].push(start + a);
          anc.add(start + a);
          for (const u of ancestors[a]) anc.add(u);
        }
      }
      ancestors.push(anc);
      prototypes[k * features + start + b] = Math.max(1, anc.size);
    }
    start = end;
  });

  const x = new Float32Array(n * features);
  const labels = new Int32Array(n);
  for (let s = 0; s < n; s++) {
    const k = rng.int(CLUSTER_SIZES.length);
    labels[s] = k;
    x.set(prototypes.subarray(k * features, (k + 1) * features), s * features);
  }
  return {
    x: { rows: n, cols: features, data: x },
    y: oneHot(labels, CLUSTER_SIZES.length),
    labels,
    classes: CLUSTER_SIZES.length,
    groups,
    parents,
    prototypes: { rows: CLUSTER_SIZES.length, cols: features, data: prototypes }
  };
}

/**
 * One-hot rows for integer labels `0 … classes−1`.
 *
 * @example
 * ```ts
 * oneHot(Int32Array.of(2, 0), 3).data; // Float32Array [0, 0, 1, 1, 0, 0]
 * ```
 */
export function oneHot(labels: ArrayLike<number>, classes: number): DataMatrix<Float32Array> {
  const data = new Float32Array(labels.length * classes);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`oneHot: label ${i} is ${c}, expected an integer in 0…${classes - 1}`);
    }
    data[i * classes + c] = 1;
  }
  return { rows: labels.length, cols: classes, data };
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
}

function checkCount(n: number, fn: string): void {
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`${fn}: n must be a positive integer, got ${n}`);
}
