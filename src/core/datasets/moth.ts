/**
 * The moth flight inverse problem of Bustamante et al. (2022) and Zahn et al. (2022): a hawkmoth modelled as
 * two ellipsoids (head-thorax, abdomen) joined by a torsional spring-damper, pushed by a force F at angle α
 * to the thorax and an abdominal torque τ0, falling under gravity with Reynolds-dependent drag (cgs units).
 * The network learns the controls (and end velocities) from start and end states of a 20 ms flight.
 *
 * State order everywhere in this module: `[x, y, θ, φ, ẋ, ẏ, θ̇, φ̇]` (θ the thorax angle, φ the abdomen angle).
 */
import { createRng, mix32 } from '../random';
import { DataMatrix, XYData } from './matrix';
import { IntegrateOptions, OdeRhs, integrate } from './integrate';

/** Physical parameters of the flight model (cgs; algorithms page §4, scale s = 1). */
export interface MothParams {
  /** Semi-minor / semi-major axes of the head-thorax ellipsoid (cm). */
  bHead: number;
  aHead: number;
  /** Semi-minor / semi-major axes of the abdomen ellipsoid (cm). */
  bButt: number;
  aButt: number;
  /** Densities of head-thorax and abdomen (g/cm³). */
  rhoHead: number;
  rhoButt: number;
  /** Air density (g/cm³) and dynamic viscosity (poise). */
  rhoA: number;
  muA: number;
  /** Joint to head-thorax centre, joint to abdomen centre, joint to the point where F acts (cm). */
  L1: number;
  L2: number;
  L3: number;
  /** Torsional spring stiffness and damping at the joint. */
  K: number;
  c: number;
  /** Gravity (cm/s²). */
  g: number;
  /** Resting angle offset of the spring (rad). */
  betaR: number;
}

/** The parameters Bustamante et al. and Zahn et al. used. */
export const MOTH_PARAMS: Readonly<MothParams> = Object.freeze({
  bHead: 0.5,
  aHead: 0.9,
  bButt: 0.75,
  aButt: 1.9,
  rhoHead: 0.9,
  rhoButt: 0.4,
  rhoA: 0.00118,
  muA: 0.000186,
  L1: 0.9,
  L2: 1.9,
  L3: 0.75,
  K: 23000,
  c: 14075.8,
  g: 980,
  betaR: 0
});

/** Quantities derived from {@link MothParams}: masses, moments of inertia, frontal areas. */
export interface MothBody {
  m1: number;
  m2: number;
  I1: number;
  I2: number;
  /** π b² of head-thorax and abdomen. */
  sHead: number;
  sButt: number;
}

/**
 * Masses `m = ρ·(4/3)π b² a`, moments of inertia `I = (1/5) m b² (1 + (a/b)²)` and areas `S = π b²`.
 *
 * @example
 * ```ts
 * mothBody(MOTH_PARAMS).m1; // ≈ 0.848 g
 * ```
 */
export function mothBody(p: Readonly<MothParams>): MothBody {
  const m1 = p.rhoHead * (4 / 3) * Math.PI * p.bHead ** 2 * p.aHead;
  const m2 = p.rhoButt * (4 / 3) * Math.PI * p.bButt ** 2 * p.aButt;
  return {
    m1,
    m2,
    I1: (1 / 5) * m1 * p.bHead ** 2 * (1 + (p.aHead / p.bHead) ** 2),
    I2: (1 / 5) * m2 * p.bButt ** 2 * (1 + (p.aButt / p.bButt) ** 2),
    sHead: Math.PI * p.bHead ** 2,
    sButt: Math.PI * p.bButt ** 2
  };
}

/** The constant controls of one flight: force magnitude, its angle to the thorax, abdominal torque. */
export interface MothControls {
  F: number;
  alpha: number;
  tau0: number;
}

/**
 * The right-hand side of the flight ODE for fixed controls, for {@link integrate}.
 *
 * It solves `M·[ẍ, ÿ, θ̈, φ̈]ᵀ = −[h6, h7, h8, h9]ᵀ` with the symmetric mass matrix
 * `M = [[h1,0,h2,h3],[0,h1,h4,h5],[h2,h4,h10,0],[h3,h5,0,h11]]` by eliminating the translations (the Schur
 * complement on the two angles is a 2×2 system), instead of the authors' expanded Cramer's-rule formulas.
 * At zero airspeed the drag force is taken as its limit 0 (the Stokes term 24/Re diverges, but
 * `Cd·|ẋ|ẋ → 0`); the authors' code yields NaN there.
 *
 * @example
 * ```ts
 * const f = mothRhs({ F: 0, alpha: 0, tau0: 0 }, MOTH_PARAMS);
 * const d = new Float64Array(8);
 * f(0, Float64Array.of(0, 0, Math.PI / 4, (5 * Math.PI) / 4, 0, 0, 0, 0), d); // d[5] = ÿ = −980 (free fall)
 * ```
 */
export function mothRhs(controls: MothControls, params: Readonly<MothParams> = MOTH_PARAMS): OdeRhs {
  const { F, alpha, tau0 } = controls;
  const { L1, L2, L3, K, c, g, betaR, rhoA, muA } = params;
  const { m1, m2, I1, I2, sHead, sButt } = mothBody(params);
  const h1 = m1 + m2;
  const l1m1 = L1 * m1;
  const l2m2 = L2 * m2;
  const h10 = I1 + L1 * L1 * m1;
  const h11 = I2 + L2 * L2 * m2;
  // Diagonal of the Schur complement: h10 − (h2² + h4²)/h1 and h11 − (h3² + h5²)/h1 do not depend on the angles.
  const sA = h10 - (l1m1 * l1m1) / h1;
  const sD = h11 - (l2m2 * l2m2) / h1;
  const reHead = (rhoA * 2 * params.bHead) / muA;
  const reButt = (rhoA * 2 * params.bButt) / muA;
  const halfRhoA = 0.5 * rhoA;
  const weight = g * h1;
  const cosAlpha = Math.cos(alpha);
  const sinAlpha = Math.sin(alpha);
  const fL3SinAlpha = F * L3 * sinAlpha;
  const sqrtReRatio = Math.sqrt(reButt / reHead);
  const shift = Math.PI + betaR;

  return (_t: number, s: Float64Array, d: Float64Array): void => {
    const theta = s[2];
    const phi = s[3];
    const xd = s[4];
    const yd = s[5];
    const thd = s[6];
    const phd = s[7];
    const speed = Math.sqrt(xd * xd + yd * yd);
    let drag = 0;
    if (speed > 0) {
      const reH = reHead * speed;
      const reB = reButt * speed;
      const sqrtReH = Math.sqrt(reH);
      const cdH = 24 / reH + 6 / (1 + sqrtReH) + 0.4;
      const cdB = 24 / reB + 6 / (1 + sqrtReRatio * sqrtReH) + 0.4;
      drag = halfRhoA * (cdB * sButt + cdH * sHead);
    }
    const st = Math.sin(theta);
    const ct = Math.cos(theta);
    const sp = Math.sin(phi);
    const cp = Math.cos(phi);
    const h2 = -l1m1 * st;
    const h3 = -l2m2 * sp;
    const h4 = l1m1 * ct;
    const h5 = l2m2 * cp;
    const thd2 = thd * thd;
    const phd2 = phd * phd;
    // cos(α+θ), sin(α+θ) by the addition theorems: α is constant, so two trig calls fewer per evaluation.
    const cat = cosAlpha * ct - sinAlpha * st;
    const sat = sinAlpha * ct + cosAlpha * st;
    const h6 = -F * cat + drag * Math.abs(xd) * xd - l1m1 * ct * thd2 - l2m2 * cp * phd2;
    const h7 = weight + drag * Math.abs(yd) * yd - l1m1 * st * thd2 - F * sat - l2m2 * sp * phd2;
    const spring = K * (phi - theta - shift) + c * (phd - thd);
    const h8 = -tau0 + g * l1m1 * ct - spring - fL3SinAlpha;
    const h9 = tau0 + g * l2m2 * cp + spring;
    // Schur complement system on (θ̈, φ̈).
    const sB = -(h2 * h3 + h4 * h5) / h1;
    const r1 = -h8 + (h2 * h6 + h4 * h7) / h1;
    const r2 = -h9 + (h3 * h6 + h5 * h7) / h1;
    const det = sA * sD - sB * sB;
    const thdd = (r1 * sD - sB * r2) / det;
    const phdd = (sA * r2 - sB * r1) / det;
    d[0] = xd;
    d[1] = yd;
    d[2] = thd;
    d[3] = phd;
    d[4] = (-h6 - h2 * thdd - h3 * phdd) / h1;
    d[5] = (-h7 - h4 * thdd - h5 * phdd) / h1;
    d[6] = thdd;
    d[7] = phdd;
  };
}

/**
 * Time derivative of the flight state `[x, y, θ, φ, ẋ, ẏ, θ̇, φ̇]` under constant controls.
 *
 * @example
 * ```ts
 * const d = mothDerivatives([0, 0, 0.5, 3.6, 100, -50, 1, -2], { F: 20000, alpha: 1, tau0: 500 });
 * d.length; // 8: [ẋ, ẏ, θ̇, φ̇, ẍ, ÿ, θ̈, φ̈]
 * ```
 */
export function mothDerivatives(
  state: ArrayLike<number>,
  controls: MothControls,
  params: Readonly<MothParams> = MOTH_PARAMS
): Float64Array {
  if (state.length !== 8)
    throw new RangeError(`mothDerivatives: the state has 8 values, got ${state.length}`);
  const d = new Float64Array(8);
  mothRhs(controls, params)(0, Float64Array.from(state), d);
  return d;
}

/** Sampling ranges `[lo, hi]` of the controls and initial conditions (uniform; x0 = y0 = 0). */
export const MOTH_RANGES = Object.freeze({
  F: [0, 44300],
  alpha: [0, 2 * Math.PI],
  tau0: [-100000, 100000],
  xd0: [-1500, 1500],
  yd0: [-1500, 1500],
  theta0: [0, 2 * Math.PI],
  phi0: [0, 2 * Math.PI],
  thetad0: [-25, 25],
  phid0: [-25, 25]
} as const satisfies Record<string, readonly [number, number]>);

/** One sampled flight: controls and initial state. */
export interface MothDraw extends MothControls {
  /** `[x, y, θ, φ, ẋ, ẏ, θ̇, φ̇]` at t = 0. */
  state0: Float64Array;
}

/**
 * The seed of trajectory `i`'s own random stream: a bijective 32-bit mix of `i` xor-ed into the mixed seed,
 * so that distinct trajectories of one seed never share a stream and any worker can draw trajectory `i`
 * without the ones before it.
 *
 * @example
 * ```ts
 * trajectorySeed(1, 0) !== trajectorySeed(1, 1); // true
 * ```
 */
export function trajectorySeed(seed: number, i: number): number {
  const s = mix32((Math.floor(seed) ^ Math.floor(seed / 2 ** 32)) >>> 0);
  return (s ^ mix32((i + 0x9e3779b9) >>> 0)) >>> 0;
}

/**
 * Draws the controls and initial state of trajectory `i` for a seed, uniformly in {@link MOTH_RANGES}, in
 * the order F, α, τ0, ẋ0, ẏ0, θ0, φ0, θ̇0, φ̇0.
 *
 * @example
 * ```ts
 * const d = drawMoth(1, 0);
 * d.F >= 0 && d.F <= 44300; // true
 * ```
 */
export function drawMoth(seed: number, i: number): MothDraw {
  const rng = createRng(trajectorySeed(seed, i));
  const u = ([lo, hi]: readonly [number, number]): number => lo + (hi - lo) * rng.next();
  const R = MOTH_RANGES;
  const F = u(R.F);
  const alpha = u(R.alpha);
  const tau0 = u(R.tau0);
  const xd0 = u(R.xd0);
  const yd0 = u(R.yd0);
  const theta0 = u(R.theta0);
  const phi0 = u(R.phi0);
  const thetad0 = u(R.thetad0);
  const phid0 = u(R.phid0);
  return { F, alpha, tau0, state0: Float64Array.of(0, 0, theta0, phi0, xd0, yd0, thetad0, phid0) };
}

/** Column names of the network inputs (10) and outputs (7), in order. */
export const MOTH_INPUTS = [
  'phi0',
  'theta0',
  'xf',
  'yf',
  'phif',
  'thetaf',
  'xd0',
  'yd0',
  'phid0',
  'thetad0'
] as const;
export const MOTH_OUTPUTS = ['Fx', 'Fy', 'tau0', 'xdf', 'ydf', 'phidf', 'thetadf'] as const;

/** Options of {@link simulateMoth}. */
export interface SimulateMothOptions {
  /** Seed of the data set. Default `0`. */
  seed?: number;
  /** Index of the first trajectory (for generating a data set in chunks). Default `0`. */
  first?: number;
  /** Flight duration (s). Default `0.02`. */
  t1?: number;
  /** Model parameters. Default {@link MOTH_PARAMS}. */
  params?: Readonly<MothParams>;
  /** Integrator tolerances. Defaults `rtol = 1e-6`, `atol = 1e-6`. */
  rtol?: number;
  atol?: IntegrateOptions['atol'];
}

/** Inputs `x` (n × 10) and outputs `y` (n × 7) of the moth data set, plus integrator work counters. */
export interface MothData extends XYData<DataMatrix<Float64Array>> {
  /** Accepted integrator steps, summed over trajectories. */
  steps: number;
  /** Right-hand-side evaluations, summed over trajectories. */
  evaluations: number;
}

/**
 * Simulates `n` flights (trajectories `first … first+n−1` of the seed) over `[0, t1]` and returns, per row,
 * inputs `φ0, θ0, x_f, y_f, φ_f, θ_f, ẋ0, ẏ0, φ̇0, θ̇0` and outputs `F cos α, F sin α, τ0, ẋ_f, ẏ_f, φ̇_f, θ̇_f`
 * (Zahn et al.'s columns). Row `r` depends only on `(seed, first + r)`, so chunks computed anywhere
 * concatenate to the same data set.
 *
 * @example
 * ```ts
 * const { x, y } = simulateMoth(100, { seed: 7 });
 * [x.rows, x.cols, y.cols]; // [100, 10, 7]
 * ```
 */
export function simulateMoth(n: number, options: SimulateMothOptions = {}): MothData {
  const { seed = 0, first = 0, t1 = 0.02, params = MOTH_PARAMS, rtol = 1e-6, atol = 1e-6 } = options;
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`simulateMoth: n must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(first) || first < 0) {
    throw new RangeError(`simulateMoth: first must be an integer ≥ 0, got ${first}`);
  }
  const x = new Float64Array(n * 10);
  const y = new Float64Array(n * 7);
  let steps = 0;
  let evaluations = 0;
  for (let r = 0; r < n; r++) {
    const draw = drawMoth(seed, first + r);
    let res;
    try {
      res = integrate(mothRhs(draw, params), 0, t1, draw.state0, { rtol, atol });
    } catch (err) {
      throw new Error(
        `simulateMoth: trajectory ${first + r} of seed ${seed} failed: ${err instanceof Error ? err.message : String(err)}`
      );
    }
    steps += res.steps;
    evaluations += res.evaluations;
    const s0 = draw.state0;
    const sf = res.y;
    x.set([s0[3], s0[2], sf[0], sf[1], sf[3], sf[2], s0[4], s0[5], s0[7], s0[6]], r * 10);
    y.set(
      [draw.F * Math.cos(draw.alpha), draw.F * Math.sin(draw.alpha), draw.tau0, sf[4], sf[5], sf[7], sf[6]],
      r * 7
    );
  }
  return { x: { rows: n, cols: 10, data: x }, y: { rows: n, cols: 7, data: y }, steps, evaluations };
}
