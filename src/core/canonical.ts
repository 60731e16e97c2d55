/**
 * Canonical labelling of small directed graphs with coloured edges, and the stable class key built from it.
 *
 * A graph on `k` nodes is a `k × k` row-major matrix of edge colours: entry `(i, j)` is the colour of the
 * edge `i → j`, `0` when there is no edge; the diagonal is ignored. Colours are integers in `[-128, 127]`
 * (an `Int8Array` entry).
 *
 * **Code.** The code of a labelling is the sequence of the `k(k−1)` off-diagonal entries in row-major order:
 * `(0,1), (0,2), …, (0,k−1), (1,0), (1,2), …, (k−1,k−2)`.
 *
 * **Canonical form.** The labelling whose code is lexicographically smallest over all `k!` node
 * permutations, comparing entries as unsigned bytes (`c & 0xFF`), so `0` (no edge) `< 1 < 2 < … < 127 <
 * −128 < … < −1`. Two coloured graphs are isomorphic exactly when their canonical codes are equal.
 *
 * **Key.** `"<k>:"` followed by the canonical code written as signed decimal integers joined by `,`, e.g. the
 * chain `a → b → c` (colour 1) is `"3:0,0,0,1,1,0"` (node 0 the sink `c`, node 1 the source `a`, node 2
 * the middle `b`). The key depends only on the class, not on the data, the run or the version; it is the
 * class identifier in every census result.
 */

/** Largest graph {@link canonicalForm} accepts: it tries all `k!` permutations. */
export const MAX_CANONICAL_SIZE = 6;

/** A graph in canonical labelling. */
export interface CanonicalForm {
  /** The stable class key, `"<k>:<code>"` (see the module documentation). */
  readonly key: string;
  /** Canonical colour matrix, `k × k` row-major, zero diagonal. */
  readonly adjacency: Int8Array;
  /** `order[p]` is the input node placed at canonical position `p`. */
  readonly order: Int32Array;
}

const permutationCache = new Map<number, Int32Array>();

/**
 * All permutations of `0..k-1` in lexicographic order, flat (`k` entries each; cached; `k ≤`
 * {@link MAX_CANONICAL_SIZE}).
 */
function permutations(k: number): Int32Array {
  const cached = permutationCache.get(k);
  if (cached !== undefined) return cached;
  const out: number[] = [];
  const current = new Int32Array(k);
  const used = new Uint8Array(k);
  const fill = (pos: number): void => {
    if (pos === k) {
      out.push(...current);
      return;
    }
    for (let v = 0; v < k; v++) {
      if (used[v] !== 0) continue;
      used[v] = 1;
      current[pos] = v;
      fill(pos + 1);
      used[v] = 0;
    }
  };
  fill(0);
  const flat = Int32Array.from(out);
  permutationCache.set(k, flat);
  return flat;
}

function checkSize(size: number, where: string): void {
  if (!Number.isInteger(size) || size < 1 || size > MAX_CANONICAL_SIZE) {
    throw new RangeError(`${where}: size must be an integer in [1, ${MAX_CANONICAL_SIZE}], got ${size}`);
  }
}

/**
 * The canonical labelling and stable key of a small coloured directed graph.
 *
 * @param size - number of nodes `k`, 1 to {@link MAX_CANONICAL_SIZE}.
 * @param adjacency - `k × k` row-major edge colours (`0` = no edge, diagonal ignored), values in `[-128, 127]`.
 * @example
 * ```ts
 * // a → b → c with every edge of colour 1, nodes given in the order a, b, c
 * const { key, order } = canonicalForm(3, [0, 1, 0, 0, 0, 1, 0, 0, 0]);
 * // key === '3:0,0,0,1,1,0'; order = [2, 0, 1] (sink c first, then a, then b)
 * ```
 */
export function canonicalForm(size: number, adjacency: ArrayLike<number>): CanonicalForm {
  checkSize(size, 'canonicalForm');
  if (adjacency.length !== size * size) {
    throw new RangeError(
      `canonicalForm: adjacency must have ${size * size} entries, got ${adjacency.length}`
    );
  }
  const k = size;
  const bytes = new Uint8Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = adjacency[i * k + j];
      if (!Number.isInteger(c) || c < -128 || c > 127) {
        throw new RangeError(
          `canonicalForm: colour at (${i}, ${j}) must be an integer in [-128, 127], got ${c}`
        );
      }
      bytes[i * k + j] = i === j ? 0 : c & 0xff;
    }
  }
  const order = canonicalOrder(k, bytes, new Int32Array(k));
  const canonical = new Int8Array(k * k);
  for (let p = 0; p < k; p++) {
    for (let q = 0; q < k; q++) {
      if (p !== q) canonical[p * k + q] = (bytes[order[p] * k + order[q]] << 24) >> 24;
    }
  }
  return { key: subgraphKey(k, canonical), adjacency: canonical, order };
}

/** Code of the best labelling so far, per size (scratch of {@link canonicalOrder}). */
const bestCodeScratch = new Map<number, Uint8Array>();

/**
 * The canonical labelling of a `k × k` matrix of unsigned cell values (`cells[i * k + j]` for the edge
 * `i → j`, `0` = no edge, diagonal ignored): the node order whose code (the off-diagonal cells in row-major
 * order, see the module documentation) is lexicographically smallest over all `k!` permutations. This is the
 * search {@link canonicalForm} runs on the colours as unsigned bytes; any cell values with the same order as
 * those bytes (e.g. colours renumbered `0 < 1 < 2 …` in byte order) give the same labelling.
 *
 * @param size - number of nodes `k`, 1 to {@link MAX_CANONICAL_SIZE} (not checked: this is the inner loop of
 *   the subgraph census).
 * @param cells - `k × k` row-major cell values, each in `[0, 255]`.
 * @param order - output, `k` entries: `order[p]` is the node placed at canonical position `p`.
 * @returns `order`.
 * @example
 * ```ts
 * // a → b → c, nodes given in the order a, b, c: the sink c first, then a, then b
 * canonicalOrder(3, Uint8Array.of(0, 1, 0, 0, 0, 1, 0, 0, 0), new Int32Array(3)); // Int32Array [2, 0, 1]
 * ```
 */
export function canonicalOrder(size: number, cells: Uint8Array, order: Int32Array): Int32Array {
  const k = size;
  const perms = permutations(k);
  let best = bestCodeScratch.get(k);
  if (best === undefined) {
    best = new Uint8Array(k * k);
    bestCodeScratch.set(k, best);
  }
  // The labellings that put node v first form one block of the (lexicographic) permutation list, and none
  // of them has a first row smaller than v's out-colours sorted ascending (`rowBound[v]`, base-256 digits):
  // a block whose bound exceeds the best first row so far is skipped. The search starts in the block of
  // the node with the smallest bound.
  const rowBound = boundScratch;
  let first = 0;
  for (let v = 0; v < k; v++) {
    let n = 0;
    for (let w = 0; w < k; w++) if (w !== v) sortScratch[n++] = cells[v * k + w];
    for (let i = 1; i < n; i++) {
      const x = sortScratch[i];
      let j = i - 1;
      for (; j >= 0 && sortScratch[j] > x; j--) sortScratch[j + 1] = sortScratch[j];
      sortScratch[j + 1] = x;
    }
    let bound = 0;
    for (let i = 0; i < n; i++) bound = bound * 256 + sortScratch[i];
    rowBound[v] = bound;
    if (bound < rowBound[first]) first = v;
  }
  const block = perms.length / k;
  let bestAt = first * block;
  const adopt = (s: number): void => {
    bestAt = s;
    for (let a = 0; a < k; a++) {
      const row = perms[s + a] * k;
      for (let b = 0; b < k; b++) (best as Uint8Array)[a * k + b] = cells[row + perms[s + b]];
    }
  };
  adopt(bestAt);
  let bestRow = 0;
  for (let q = 1; q < k; q++) bestRow = bestRow * 256 + best[q];
  for (let s = 0; s < perms.length; s += k) {
    if (s % block === 0 && rowBound[perms[s]] > bestRow) {
      s += block - k;
      continue;
    }
    if (s === bestAt) continue;
    // compare this labelling's code with the best one's, digit by digit; adopt it if smaller (or equal and
    // earlier in the list, so that the first smallest labelling wins as in a plain scan)
    let p = 0;
    let q = 1;
    let d = 0;
    for (;;) {
      d = cells[perms[s + p] * k + perms[s + q]] - best[p * k + q];
      if (d !== 0) break;
      q++;
      if (q === p) q++;
      if (q >= k) {
        p++;
        if (p === k) break;
        q = p === 0 ? 1 : 0;
      }
    }
    if (d > 0 || (d === 0 && s > bestAt)) continue;
    adopt(s);
    bestRow = 0;
    for (let c = 1; c < k; c++) bestRow = bestRow * 256 + best[c];
  }
  for (let p = 0; p < k; p++) order[p] = perms[bestAt + p];
  return order;
}

const boundScratch = new Float64Array(MAX_CANONICAL_SIZE);
const sortScratch = new Uint8Array(MAX_CANONICAL_SIZE);

/**
 * The class key of a coloured graph already in its canonical labelling: `"<k>:"` and its code (see the module
 * documentation). {@link canonicalForm} finds that labelling; a matrix relabelled by {@link canonicalOrder}
 * (on its colours' unsigned bytes) is in it too. A matrix in any other labelling gives a key that is not its
 * class's.
 *
 * @param size - number of nodes `k`.
 * @param adjacency - `k × k` row-major edge colours in canonical labelling (diagonal ignored).
 * @example
 * ```ts
 * subgraphKey(3, canonicalForm(3, [0, 1, 0, 0, 0, 1, 0, 0, 0]).adjacency); // '3:0,0,0,1,1,0'
 * ```
 */
export function subgraphKey(size: number, adjacency: ArrayLike<number>): string {
  const parts: number[] = [];
  for (let p = 0; p < size; p++) {
    for (let q = 0; q < size; q++) if (p !== q) parts.push(adjacency[p * size + q]);
  }
  return `${size}:${parts.join(',')}`;
}

/**
 * Decodes a class key back into its size and canonical colour matrix (the inverse of the key encoding).
 *
 * @param key - a key produced by {@link canonicalForm}, e.g. `"3:0,0,0,1,1,0"`.
 * @throws RangeError when the key is malformed.
 * @example
 * ```ts
 * const { size, adjacency } = parseSubgraphKey('3:0,0,0,1,1,0');
 * // size === 3; adjacency[1 * 3 + 2] === 1 (edge 1 → 2), adjacency[2 * 3 + 0] === 1 (edge 2 → 0)
 * ```
 */
export function parseSubgraphKey(key: string): { size: number; adjacency: Int8Array } {
  const match = /^(\d+):(-?\d+(?:,-?\d+)*)?$/.exec(key);
  if (match === null) throw new RangeError(`parseSubgraphKey: malformed key "${key}"`);
  const size = Number(match[1]);
  checkSize(size, 'parseSubgraphKey');
  const values = match[2] === undefined ? [] : match[2].split(',').map(Number);
  if (values.length !== size * (size - 1)) {
    throw new RangeError(
      `parseSubgraphKey: key "${key}" needs ${size * (size - 1)} entries, has ${values.length}`
    );
  }
  const adjacency = new Int8Array(size * size);
  let t = 0;
  for (let p = 0; p < size; p++) {
    for (let q = 0; q < size; q++) {
      if (p === q) continue;
      const c = values[t++];
      if (c < -128 || c > 127)
        throw new RangeError(`parseSubgraphKey: colour ${c} out of [-128, 127] in "${key}"`);
      adjacency[p * size + q] = c;
    }
  }
  return { size, adjacency };
}
