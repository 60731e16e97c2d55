import { createRng } from '../../src/core/random';

/** A row-major matrix of the kind the kernel's training takes. */
export interface Matrix {
  rows: number;
  cols: number;
  data: Float32Array;
}

/**
 * A small seeded regression task for training tests: 4 inputs in [−1, 1), targets sin(x0 + x1) and x2·x3.
 */
export function regressionData(n: number, seed: number): { x: Matrix; y: Matrix } {
  const rng = createRng(seed);
  const x = Float32Array.from({ length: n * 4 }, () => 2 * rng.next() - 1);
  const y = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    y[2 * i] = Math.sin(x[4 * i] + x[4 * i + 1]);
    y[2 * i + 1] = x[4 * i + 2] * x[4 * i + 3];
  }
  return { x: { rows: n, cols: 4, data: x }, y: { rows: n, cols: 2, data: y } };
}
