import { describe, expect, it } from 'vitest';
import { integrate } from '../../../src/core/datasets/integrate';

const decay = (_t: number, y: Float64Array, d: Float64Array): void => {
  d[0] = -2 * y[0];
};
// x'' = -ω² x as a first-order system, ω = 3.
const oscillator = (_t: number, y: Float64Array, d: Float64Array): void => {
  d[0] = y[1];
  d[1] = -9 * y[0];
};

describe('integrate (Dormand–Prince 5(4))', () => {
  it('solves exponential decay within the tolerance', () => {
    for (const rtol of [1e-4, 1e-7, 1e-10]) {
      const { y } = integrate(decay, 0, 3, [5], { rtol, atol: rtol * 1e-3 });
      const exact = 5 * Math.exp(-6);
      // Global error stays within a modest multiple of the local tolerance times the solution scale.
      expect(Math.abs(y[0] - exact)).toBeLessThan(50 * rtol * 5);
    }
  });

  it('solves the harmonic oscillator, and the error shrinks with rtol', () => {
    const errors = [1e-3, 1e-5, 1e-7, 1e-9].map(rtol => {
      const { y } = integrate(oscillator, 0, 10, [1, 0], { rtol, atol: rtol });
      return Math.hypot(y[0] - Math.cos(30), y[1] + 3 * Math.sin(30));
    });
    for (let i = 1; i < errors.length; i++) expect(errors[i]).toBeLessThan(errors[i - 1]);
    expect(errors[3]).toBeLessThan(1e-7);
    // The energy ½(v² + 9x²) is conserved by the exact flow.
    const { y } = integrate(oscillator, 0, 10, [1, 0], { rtol: 1e-10, atol: 1e-12 });
    expect(Math.abs(0.5 * (y[1] ** 2 + 9 * y[0] ** 2) - 4.5)).toBeLessThan(1e-8);
  });

  it('has 5th-order steps: halving a fixed step cuts the error by about 2^5', () => {
    // Fixed steps via h0 = hMax with a tolerance so loose that no step is rejected or enlarged.
    const err = (h: number): number => {
      const { y } = integrate(oscillator, 0, 1, [1, 0], { h0: h, hMax: h, rtol: 1e3, atol: 1e3 });
      return Math.hypot(y[0] - Math.cos(3), y[1] + 3 * Math.sin(3));
    };
    const ratio = err(0.05) / err(0.025);
    expect(ratio).toBeGreaterThan(2 ** 4.5);
    expect(ratio).toBeLessThan(2 ** 5.5);
  });

  it('integrates backwards in time and lands exactly on t1', () => {
    const { y } = integrate(decay, 2, 0, [Math.exp(-4)], { rtol: 1e-10, atol: 1e-14 });
    expect(y[0]).toBeCloseTo(1, 8);
    const t0 = integrate(decay, 1, 1, [3]);
    expect([...t0.y]).toEqual([3]);
    expect(t0.steps).toBe(0);
  });

  it('counts its work: 6 evaluations per attempted step plus the first two', () => {
    const r = integrate(oscillator, 0, 10, [1, 0], { rtol: 1e-6 });
    expect(r.evaluations).toBe(2 + 6 * (r.steps + r.rejected));
  });

  it('rejects bad options and gives up after maxSteps', () => {
    expect(() => integrate(decay, 0, 1, [1], { rtol: 0 })).toThrow(/rtol/);
    expect(() => integrate(decay, 0, 1, [1], { atol: [1, 2] })).toThrow(/atol has 2 values/);
    expect(() => integrate(oscillator, 0, 100, [1, 0], { rtol: 1e-12, maxSteps: 10 })).toThrow(
      /more than 10 steps/
    );
  });
});
