/**
 * The census vector: the nine motif names, the chain conventions, the sign patterns of the signed census and
 * the tables that map pairs of edge-sign types to patterns (see `census.ts` for what each motif counts).
 */

/** The motif names used by every API, CLI output and figure, in this order. */
export const MOTIF_NAMES = [
  'edges',
  'soDiverging',
  'soConverging',
  'soChain',
  'toDiverging',
  'toConverging',
  'toChain',
  'biFan',
  'biParallel'
] as const;

/** One of {@link MOTIF_NAMES}. */
export type MotifName = (typeof MOTIF_NAMES)[number];

/** A count per motif. */
export type MotifCounts = Record<MotifName, number>;

/** How chains are counted: distinct paths (default) or (source, target) pairs joined by ≥ 1 path. */
export type ChainConvention = 'paths' | 'pairs';

export const EDGES = 0;

export const SO_DIV = 1;

export const SO_CONV = 2;

export const SO_CHAIN = 3;

export const TO_DIV = 4;

export const TO_CONV = 5;

export const TO_CHAIN = 6;

export const BI_FAN = 7;

export const BI_PAR = 8;

export const sign = (negative: number): string => (negative !== 0 ? '-' : '+');

export const signs = (bits: number, n: number): string => {
  let s = '';
  for (let k = n - 1; k >= 0; k--) s += sign((bits >>> k) & 1);
  return s;
};

const minString = (xs: string[]): string => xs.reduce((a, b) => (b < a ? b : a));

// Bi-fan sign matrix: a = s(i→k), b = s(i→m), c = s(j→k), d = s(j→m).
const biFanPattern = (a: number, b: number, c: number, d: number): string => {
  const m = (w: number, x: number, y: number, z: number): string =>
    `${sign(w)}${sign(x)}/${sign(y)}${sign(z)}`;
  return minString([m(a, b, c, d), m(c, d, a, b), m(b, a, d, c), m(d, c, b, a)]);
};

const biParallelPattern = (t: number, u: number): string => {
  const x = signs(t, 2);
  const y = signs(u, 2);
  return x <= y ? `${x}/${y}` : `${y}/${x}`;
};

const ORDERED2 = [0, 1, 2, 3].map(t => signs(t, 2));

const ORDERED3 = [0, 1, 2, 3, 4, 5, 6, 7].map(t => signs(t, 3));

const uniqueSorted = (xs: string[]): string[] => [...new Set(xs)].sort();

const BI_FAN_PATTERNS = uniqueSorted(
  Array.from({ length: 16 }, (_, x) => biFanPattern((x >> 3) & 1, (x >> 2) & 1, (x >> 1) & 1, x & 1))
);

const BI_PAR_PATTERNS = uniqueSorted(Array.from({ length: 16 }, (_, x) => biParallelPattern(x >> 2, x & 3)));

/** The sign patterns of every motif in the signed census, in key order. */
export const SIGN_PATTERNS: Readonly<Record<MotifName, readonly string[]>> = {
  edges: ['+', '-'],
  soDiverging: ['++', '+-', '--'],
  soConverging: ['++', '+-', '--'],
  soChain: ORDERED2,
  toDiverging: ['+++', '++-', '+--', '---'],
  toConverging: ['+++', '++-', '+--', '---'],
  toChain: ORDERED3,
  biFan: BI_FAN_PATTERNS,
  biParallel: BI_PAR_PATTERNS
};

export const PATTERN_OFFSET: number[] = [];
{
  let off = MOTIF_NAMES.length;
  for (const name of MOTIF_NAMES) {
    PATTERN_OFFSET.push(off);
    off += SIGN_PATTERNS[name].length;
  }
}

// Pair-of-types tables (index t*4+u, t/u = 2-bit sign types) → pattern index.
// Row-pair view: for sources i<j a shared target has type s(i→k)·2 + s(j→k).
export const BI_FAN_BY_TARGET_TYPES = Int32Array.from({ length: 16 }, (_, x) => {
  const t = x >> 2;
  const u = x & 3;
  return BI_FAN_PATTERNS.indexOf(biFanPattern(t >> 1, u >> 1, t & 1, u & 1));
});

// Column-pair view: for targets k<m a shared source has type s(i→k)·2 + s(i→m).
export const BI_FAN_BY_SOURCE_TYPES = Int32Array.from({ length: 16 }, (_, x) => {
  const t = x >> 2;
  const u = x & 3;
  return BI_FAN_PATTERNS.indexOf(biFanPattern(t >> 1, t & 1, u >> 1, u & 1));
});

export const BI_PAR_BY_PATH_TYPES = Int32Array.from({ length: 16 }, (_, x) =>
  BI_PAR_PATTERNS.indexOf(biParallelPattern(x >> 2, x & 3))
);

/**
 * The keys of a census vector: the nine motif names, then (when `signed`) `motif:pattern` for every
 * pattern of {@link SIGN_PATTERNS}.
 *
 * @example
 * ```ts
 * censusKeys(false).length; // 9
 * censusKeys(true).includes('soChain:+-'); // true
 * ```
 */
export function censusKeys(signed: boolean): string[] {
  const keys: string[] = [...MOTIF_NAMES];
  if (signed) for (const name of MOTIF_NAMES) for (const p of SIGN_PATTERNS[name]) keys.push(`${name}:${p}`);
  return keys;
}
