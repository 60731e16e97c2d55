import { describe, expect, it } from 'vitest';
import {
  CLUSTER_SIZES,
  TREE_CLASS_PATTERNS,
  binaryTree,
  independentClusters
} from '../../../src/core/datasets/zambra';

const row = (data: Float32Array, cols: number, r: number): number[] => [
  ...data.subarray(r * cols, (r + 1) * cols)
];

describe('binaryTree', () => {
  const n = 2000;
  const d = binaryTree(n, { seed: 1 });

  it('obeys the generation rule on every node of every sample', () => {
    expect([d.x.rows, d.x.cols, d.y.cols, d.classes]).toEqual([n, 31, 4, 4]);
    for (let s = 0; s < n; s++) {
      const t = row(d.x.data, 31, s);
      expect(Math.abs(t[0])).toBe(1);
      expect([t[1], t[2]]).toEqual(t[0] === 1 ? [1, -1] : [-1, 1]);
      for (let k = 1; k < 15; k++) {
        const kids = [t[2 * k + 1], t[2 * k + 2]];
        if (t[k] === 1)
          expect([
            [1, -1],
            [-1, 1]
          ]).toContainEqual(kids);
        else expect(kids).toEqual([-1, -1]);
      }
    }
  });

  it('labels by the pattern of the first 7 nodes, one-hot, with the 4 patterns all present', () => {
    for (let s = 0; s < n; s++) {
      const first7 = row(d.x.data, 31, s).slice(0, 7);
      const label = d.labels[s];
      expect(first7).toEqual(TREE_CLASS_PATTERNS[label]);
      const y = row(d.y.data, 4, s);
      expect(y).toEqual([0, 1, 2, 3].map(c => (c === label ? 1 : 0)));
    }
    expect(new Set(TREE_CLASS_PATTERNS.map(p => p.join())).size).toBe(4);
  });

  it('has class frequencies p/2, (1−p)/2, p/2, (1−p)/2 and the flip frequency p deeper down', () => {
    for (const p of [0.7, 0.5]) {
      const e = binaryTree(n, { seed: 2, p });
      const expected = [p / 2, (1 - p) / 2, p / 2, (1 - p) / 2];
      const counts = [0, 0, 0, 0];
      for (const l of e.labels) counts[l]++;
      counts.forEach((c, k) => {
        const sd = Math.sqrt(n * expected[k] * (1 - expected[k]));
        expect(Math.abs(c - n * expected[k])).toBeLessThan(4.5 * sd);
      });
      let plus = 0;
      let kept = 0;
      for (let s = 0; s < n; s++) {
        const t = row(e.x.data, 31, s);
        for (let k = 3; k < 15; k++) {
          if (t[k] === 1) {
            plus++;
            if (t[2 * k + 1] === 1) kept++;
          }
        }
      }
      expect(Math.abs(kept / plus - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / plus));
    }
  });

  it('is deterministic per seed', () => {
    expect(binaryTree(100, { seed: 1 }).x.data).toEqual(binaryTree(100, { seed: 1 }).x.data);
    expect(binaryTree(100, { seed: 2 }).x.data).not.toEqual(binaryTree(100, { seed: 1 }).x.data);
    expect(() => binaryTree(10, { p: 2 })).toThrow(/p must be/);
  });
});

describe('independentClusters', () => {
  const n = 2000;
  const d = independentClusters(n, { seed: 3 });

  it('has 4 contiguous groups of 8/7/9/7 features with DAGs inside each group only', () => {
    expect(d.groups).toEqual([
      [0, 8],
      [8, 15],
      [15, 24],
      [24, 31]
    ]);
    expect(d.groups.map(([a, b]) => b - a)).toEqual([...CLUSTER_SIZES]);
    d.parents.forEach((ps, v) => {
      const [a, b] = d.groups.find(([s, e]) => v >= s && v < e) as readonly [number, number];
      for (const u of ps) {
        expect(u).toBeGreaterThanOrEqual(a);
        expect(u).toBeLessThan(Math.min(v, b)); // edges point forward within the group
      }
    });
    // The closer half of each group's pairs is linked: distances ≤ the median, ⌈pairs/2⌉ of them.
    d.groups.forEach(([a, b]) => {
      const pairs = ((b - a) * (b - a - 1)) / 2;
      let edges = 0;
      for (let v = a; v < b; v++) edges += d.parents[v].length;
      expect(edges).toBe(Math.ceil(pairs / 2));
    });
  });

  it('gives each sample −1 outside its class group and max(1, #ancestors) inside', () => {
    const ancestors = (v: number): Set<number> => {
      const seen = new Set<number>();
      const stack = [...d.parents[v]];
      while (stack.length) {
        const u = stack.pop() as number;
        if (!seen.has(u)) {
          seen.add(u);
          stack.push(...d.parents[u]);
        }
      }
      return seen;
    };
    for (let s = 0; s < n; s++) {
      const k = d.labels[s];
      const [a, b] = d.groups[k];
      const x = row(d.x.data, 31, s);
      x.forEach((v, f) => expect(v).toBe(f >= a && f < b ? Math.max(1, ancestors(f).size) : -1));
      expect(row(d.y.data, 4, s)).toEqual([0, 1, 2, 3].map(c => (c === k ? 1 : 0)));
      expect(x).toEqual(row(d.prototypes.data, 31, k));
    }
  });

  it('draws classes uniformly and is deterministic per seed', () => {
    const counts = [0, 0, 0, 0];
    for (const l of d.labels) counts[l]++;
    const sd = Math.sqrt(n * 0.25 * 0.75);
    for (const c of counts) expect(Math.abs(c - n / 4)).toBeLessThan(4.5 * sd);
    expect(independentClusters(50, { seed: 3 }).x.data).toEqual(independentClusters(50, { seed: 3 }).x.data);
    expect(independentClusters(50, { seed: 4 }).labels).not.toEqual(
      independentClusters(50, { seed: 3 }).labels
    );
  });
});
