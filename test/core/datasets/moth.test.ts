import { describe, expect, it } from 'vitest';
import { integrate } from '../../../src/core/datasets/integrate';
import {
  MOTH_PARAMS,
  MOTH_RANGES,
  MothControls,
  MothParams,
  drawMoth,
  mothBody,
  mothDerivatives,
  mothRhs,
  simulateMoth
} from '../../../src/core/datasets/moth';

const P = MOTH_PARAMS;
const B = mothBody(P);

/** Classic fixed-step RK4, written independently of the module, as the reference integration. */
function rk4(
  f: (y: Float64Array, d: Float64Array) => void,
  y0: Float64Array,
  t1: number,
  steps: number
): Float64Array {
  const n = y0.length;
  const h = t1 / steps;
  const y = Float64Array.from(y0);
  const k = [0, 1, 2, 3].map(() => new Float64Array(n));
  const tmp = new Float64Array(n);
  for (let s = 0; s < steps; s++) {
    f(y, k[0]);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + (h / 2) * k[0][i];
    f(tmp, k[1]);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + (h / 2) * k[1][i];
    f(tmp, k[2]);
    for (let i = 0; i < n; i++) tmp[i] = y[i] + h * k[2][i];
    f(tmp, k[3]);
    for (let i = 0; i < n; i++) y[i] += (h / 6) * (k[0][i] + 2 * k[1][i] + 2 * k[2][i] + k[3][i]);
  }
  return y;
}

/** Mass matrix of the algorithms page, built from the h-terms directly. */
function massMatrix(theta: number, phi: number): number[][] {
  const h1 = B.m1 + B.m2;
  const h2 = -P.L1 * B.m1 * Math.sin(theta);
  const h3 = -P.L2 * B.m2 * Math.sin(phi);
  const h4 = P.L1 * B.m1 * Math.cos(theta);
  const h5 = P.L2 * B.m2 * Math.cos(phi);
  const h10 = B.I1 + P.L1 ** 2 * B.m1;
  const h11 = B.I2 + P.L2 ** 2 * B.m2;
  return [
    [h1, 0, h2, h3],
    [0, h1, h4, h5],
    [h2, h4, h10, 0],
    [h3, h5, 0, h11]
  ];
}

/** ½ρA(Cd_b S_b + Cd_h S_h) from the Reynolds-number formula. */
function dragFactor(speed: number): number {
  const cd = (b: number): number => {
    const re = (P.rhoA * speed * 2 * b) / P.muA;
    return 24 / re + 6 / (1 + Math.sqrt(re)) + 0.4;
  };
  return 0.5 * P.rhoA * (cd(P.bButt) * B.sButt + cd(P.bHead) * B.sHead);
}

/** Kinetic + potential energy (gravity, spring, and the constant torque pair τ0 as a potential). */
function energy(s: Float64Array, tau0: number): number {
  const M = massMatrix(s[2], s[3]);
  const v = [s[4], s[5], s[6], s[7]];
  let kinetic = 0;
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) kinetic += 0.5 * v[i] * M[i][j] * v[j];
  const gravity = P.g * ((B.m1 + B.m2) * s[1] + B.m1 * P.L1 * Math.sin(s[2]) + B.m2 * P.L2 * Math.sin(s[3]));
  const spring = 0.5 * P.K * (s[3] - s[2] - Math.PI - P.betaR) ** 2;
  return kinetic + gravity + spring + tau0 * (s[3] - s[2]);
}

const draws = [0, 1, 2, 3, 4].map(i => drawMoth(11, i));

describe('moth flight ODE', () => {
  it('matches a fixed-step RK4 reference with tiny steps', () => {
    for (const d of draws) {
      const rhs = mothRhs(d);
      const ours = integrate(rhs, 0, 0.02, d.state0, { rtol: 1e-10, atol: 1e-10 }).y;
      const ref = rk4((y, dy) => rhs(0, y, dy), d.state0, 0.02, 20000);
      for (let i = 0; i < 8; i++)
        expect(Math.abs(ours[i] - ref[i])).toBeLessThan(1e-7 * (1 + Math.abs(ref[i])));
      // The default tolerances used for the data set stay close to the reference too.
      const def = integrate(rhs, 0, 0.02, d.state0, { rtol: 1e-6, atol: 1e-6 }).y;
      for (let i = 0; i < 8; i++)
        expect(Math.abs(def[i] - ref[i])).toBeLessThan(1e-3 * (1 + Math.abs(ref[i])));
    }
  });

  it('falls freely with no force, torque or motion and the spring at rest', () => {
    const theta = 0.4;
    const s0 = Float64Array.of(1, 2, theta, theta + Math.PI, 0, 0, 0, 0);
    const d = mothDerivatives(s0, { F: 0, alpha: 0, tau0: 0 });
    expect([...d]).toEqual([
      0,
      0,
      0,
      0,
      expect.closeTo(0, 12),
      expect.closeTo(-P.g, 9),
      expect.closeTo(0, 9),
      expect.closeTo(0, 9)
    ]);
    // Once falling, drag acts; air 10⁹ times thinner (ρA and μA scaled alike: same Reynolds numbers, 10⁻⁹ of
    // the drag) leaves the textbook free fall.
    const vacuum = { ...P, rhoA: P.rhoA * 1e-9, muA: P.muA * 1e-9 };
    const { y } = integrate(mothRhs({ F: 0, alpha: 0, tau0: 0 }, vacuum), 0, 0.02, s0, {
      rtol: 1e-10,
      atol: 1e-12
    });
    expect(y[0]).toBeCloseTo(1, 9);
    expect(y[1]).toBeCloseTo(2 - 0.5 * P.g * 0.02 ** 2, 6);
    expect(y[2]).toBeCloseTo(theta, 6);
    expect(y[5]).toBeCloseTo(-P.g * 0.02, 5);
  });

  it('solves M·q̈ = −h: the residual of the four equations vanishes', () => {
    for (const d of draws) {
      const s = d.state0;
      const a = mothDerivatives(s, d).subarray(4);
      const M = massMatrix(s[2], s[3]);
      const [, , th, ph, xd, yd, thd, phd] = s;
      const D = dragFactor(Math.hypot(xd, yd));
      const spring = P.K * (ph - th - Math.PI) + P.c * (phd - thd);
      const h = [
        -d.F * Math.cos(d.alpha + th) +
          D * Math.abs(xd) * xd -
          P.L1 * B.m1 * Math.cos(th) * thd ** 2 -
          P.L2 * B.m2 * Math.cos(ph) * phd ** 2,
        P.g * (B.m1 + B.m2) +
          D * Math.abs(yd) * yd -
          P.L1 * B.m1 * Math.sin(th) * thd ** 2 -
          d.F * Math.sin(d.alpha + th) -
          P.L2 * B.m2 * Math.sin(ph) * phd ** 2,
        -d.tau0 + P.g * P.L1 * B.m1 * Math.cos(th) - spring - d.F * P.L3 * Math.sin(d.alpha),
        d.tau0 + P.g * P.L2 * B.m2 * Math.cos(ph) + spring
      ];
      for (let r = 0; r < 4; r++) {
        const lhs = M[r].reduce((acc, m, j) => acc + m * a[j], 0);
        expect(Math.abs(lhs + h[r])).toBeLessThan(1e-9 * (1 + Math.abs(h[r])));
      }
    }
  });

  it('treats spring, damper and τ0 as an internal torque pair: the summed angular equations ignore them', () => {
    const s = draws[0].state0;
    const sumRows = (controls: MothControls, params: MothParams): number => {
      const a = mothDerivatives(s, controls, params).subarray(4);
      const M = massMatrix(s[2], s[3]);
      return [2, 3].reduce((acc, r) => acc + M[r].reduce((t, m, j) => t + m * a[j], 0), 0);
    };
    const base = sumRows({ F: 0, alpha: 1, tau0: 0 }, P);
    const changed = sumRows({ F: 0, alpha: 1, tau0: 54321 }, { ...P, K: 5 * P.K, c: 0.1 * P.c });
    expect(Math.abs(changed - base)).toBeLessThan(1e-9 * Math.abs(base));
  });

  it('balances momentum: dP/dt = F − drag − weight, integrated along a flight', () => {
    for (const d of draws) {
      const rhs = mothRhs(d);
      // Augment the state with the impulses of the external forces.
      const aug = (_t: number, y: Float64Array, dy: Float64Array): void => {
        rhs(0, y.subarray(0, 8), dy.subarray(0, 8));
        const D = dragFactor(Math.hypot(y[4], y[5]));
        dy[8] = d.F * Math.cos(d.alpha + y[2]) - D * Math.abs(y[4]) * y[4];
        dy[9] = d.F * Math.sin(d.alpha + y[2]) - D * Math.abs(y[5]) * y[5] - P.g * (B.m1 + B.m2);
      };
      const y0 = Float64Array.of(...d.state0, 0, 0);
      const { y } = integrate(aug, 0, 0.02, y0, { rtol: 1e-10, atol: 1e-10 });
      const momentum = (s: ArrayLike<number>): [number, number] => {
        const M = massMatrix(s[2], s[3]);
        const v = [s[4], s[5], s[6], s[7]];
        return [0, 1].map(r => M[r].reduce((acc, m, j) => acc + m * v[j], 0)) as [number, number];
      };
      const [px0, py0] = momentum(y0);
      const [px1, py1] = momentum(y);
      const scale = Math.abs(d.F) * 0.02 + Math.abs(px0) + Math.abs(py0) + 1;
      expect(Math.abs(px1 - px0 - y[8])).toBeLessThan(1e-7 * scale);
      expect(Math.abs(py1 - py0 - y[9])).toBeLessThan(1e-7 * scale);
    }
  });

  it('balances energy: ΔE equals the work of force, drag and damper', () => {
    for (const d of draws) {
      const rhs = mothRhs(d);
      const aug = (_t: number, y: Float64Array, dy: Float64Array): void => {
        rhs(0, y.subarray(0, 8), dy.subarray(0, 8));
        const [, , th, , xd, yd, thd, phd] = y;
        const D = dragFactor(Math.hypot(xd, yd));
        const force =
          d.F * Math.cos(d.alpha + th) * xd +
          d.F * Math.sin(d.alpha + th) * yd +
          d.F * P.L3 * Math.sin(d.alpha) * thd;
        const drag = -D * (Math.abs(xd) * xd * xd + Math.abs(yd) * yd * yd);
        const damper = -P.c * (phd - thd) ** 2;
        dy[8] = force + drag + damper;
        dy[9] = Math.abs(force) + Math.abs(drag) + Math.abs(damper);
      };
      const y0 = Float64Array.of(...d.state0, 0, 0);
      const { y } = integrate(aug, 0, 0.02, y0, { rtol: 1e-11, atol: 1e-10 });
      const dE = energy(y, d.tau0) - energy(y0, d.tau0);
      expect(Math.abs(dE - y[8])).toBeLessThan(1e-7 * (y[9] + Math.abs(energy(y0, d.tau0))));
    }
  });
});

describe('simulateMoth', () => {
  it('draws every control and initial condition inside its range, starting at x0 = y0 = 0', () => {
    const seen = new Map<string, [number, number]>();
    for (let i = 0; i < 2000; i++) {
      const d = drawMoth(3, i);
      const s = d.state0;
      const vals: Record<keyof typeof MOTH_RANGES, number> = {
        F: d.F,
        alpha: d.alpha,
        tau0: d.tau0,
        xd0: s[4],
        yd0: s[5],
        theta0: s[2],
        phi0: s[3],
        thetad0: s[6],
        phid0: s[7]
      };
      expect([s[0], s[1]]).toEqual([0, 0]);
      for (const [k, v] of Object.entries(vals)) {
        const [lo, hi] = MOTH_RANGES[k as keyof typeof MOTH_RANGES];
        expect(v).toBeGreaterThanOrEqual(lo);
        expect(v).toBeLessThan(hi);
        const [mn, mx] = seen.get(k) ?? [Infinity, -Infinity];
        seen.set(k, [Math.min(mn, v), Math.max(mx, v)]);
      }
    }
    // Uniform over the whole range: 2000 draws come within 1 % of both ends.
    for (const [k, [mn, mx]] of seen) {
      const [lo, hi] = MOTH_RANGES[k as keyof typeof MOTH_RANGES];
      expect((mn - lo) / (hi - lo)).toBeLessThan(0.01);
      expect((hi - mx) / (hi - lo)).toBeLessThan(0.01);
    }
  });

  it("lays out Zahn et al.'s 10 inputs and 7 outputs", () => {
    const { x, y } = simulateMoth(3, { seed: 5 });
    for (let r = 0; r < 3; r++) {
      const d = drawMoth(5, r);
      const end = integrate(mothRhs(d), 0, 0.02, d.state0, { rtol: 1e-6, atol: 1e-6 }).y;
      const s0 = d.state0;
      expect([...x.data.subarray(r * 10, r * 10 + 10)]).toEqual([
        s0[3],
        s0[2],
        end[0],
        end[1],
        end[3],
        end[2],
        s0[4],
        s0[5],
        s0[7],
        s0[6]
      ]);
      expect([...y.data.subarray(r * 7, r * 7 + 7)]).toEqual([
        d.F * Math.cos(d.alpha),
        d.F * Math.sin(d.alpha),
        d.tau0,
        end[4],
        end[5],
        end[7],
        end[6]
      ]);
    }
  });

  it('is deterministic per seed, and chunks concatenate to the whole', () => {
    const a = simulateMoth(12, { seed: 9 });
    const b = simulateMoth(12, { seed: 9 });
    expect(a.x.data).toEqual(b.x.data);
    expect(a.y.data).toEqual(b.y.data);
    const tail = simulateMoth(7, { seed: 9, first: 5 });
    expect(tail.x.data).toEqual(a.x.data.subarray(50));
    expect(tail.y.data).toEqual(a.y.data.subarray(35));
    const other = simulateMoth(12, { seed: 10 });
    expect(other.y.data[0]).not.toBe(a.y.data[0]);
  });

  it('rejects bad sizes', () => {
    expect(() => simulateMoth(-1)).toThrow(/n must be/);
    expect(() => simulateMoth(2, { first: 1.5 })).toThrow(/first must be/);
  });
});
