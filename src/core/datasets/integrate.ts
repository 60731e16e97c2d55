/**
 * Adaptive Runge–Kutta integration: the Dormand–Prince 5(4) pair (Dormand & Prince 1980; Hairer, Nørsett &
 * Wanner, *Solving ODEs I*, §II.4–5) with local error control, the scheme behind MATLAB's `ode45` and
 * SciPy's `RK45`. Only the end state is returned (no dense output): the moth data set keeps start and end
 * states only.
 */

/** Right-hand side of `y' = f(t, y)`: writes the derivative into `dydt` (no allocation per call). */
export type OdeRhs = (t: number, y: Float64Array, dydt: Float64Array) => void;

/** Options of {@link integrate}. */
export interface IntegrateOptions {
  /** Relative tolerance of the local error per step. Default `1e-6`. */
  rtol?: number;
  /** Absolute tolerance: one value for all components or one per component. Default `1e-9`. */
  atol?: number | ArrayLike<number>;
  /** First step size (absolute value); default chosen by Hairer's starting-step heuristic. */
  h0?: number;
  /** Largest allowed step (absolute value). Default: unbounded (`|t1 - t0|`). */
  hMax?: number;
  /** Give up (throw) after this many attempted steps. Default `100000`. */
  maxSteps?: number;
}

/** End state and work counters of {@link integrate}. */
export interface IntegrateResult {
  /** State at `t1`. */
  y: Float64Array;
  /** Accepted steps. */
  steps: number;
  /** Rejected steps. */
  rejected: number;
  /** Right-hand-side evaluations. */
  evaluations: number;
}

// Dormand–Prince 5(4) tableau. A row i holds the coefficients a_{i,j}; B are the 5th-order weights (equal to
// the last row, hence "first same as last"), E = B − B̂ the difference to the embedded 4th-order weights.
const C2 = 1 / 5;
const C3 = 3 / 10;
const C4 = 4 / 5;
const C5 = 8 / 9;
const A21 = 1 / 5;
const A31 = 3 / 40;
const A32 = 9 / 40;
const A41 = 44 / 45;
const A42 = -56 / 15;
const A43 = 32 / 9;
const A51 = 19372 / 6561;
const A52 = -25360 / 2187;
const A53 = 64448 / 6561;
const A54 = -212 / 729;
const A61 = 9017 / 3168;
const A62 = -355 / 33;
const A63 = 46732 / 5247;
const A64 = 49 / 176;
const A65 = -5103 / 18656;
const B1 = 35 / 384;
const B3 = 500 / 1113;
const B4 = 125 / 192;
const B5 = -2187 / 6784;
const B6 = 11 / 84;
const E1 = 71 / 57600;
const E3 = -71 / 16695;
const E4 = 71 / 1920;
const E5 = -17253 / 339200;
const E6 = 22 / 525;
const E7 = -1 / 40;

const SAFETY = 0.9;
const FAC_MIN = 0.2;
const FAC_MAX = 10;
// PI step-size control (Gustafsson; Hairer's DOPRI5 uses β = 0.04): damps the accept/reject oscillation when
// the step size is limited by stability rather than accuracy, as it is for the stiff moth damper.
const BETA = 0.04;
const ALPHA = 0.2 - 0.75 * BETA;

/**
 * Integrates `y' = f(t, y)` from `t0` to `t1` (either direction) with the Dormand–Prince 5(4) method.
 *
 * Error control: a step is accepted when the RMS over components of `err_i / (atol_i + rtol·max(|y_i|,
 * |y_new_i|))` is ≤ 1, where `err` is the difference between the 5th- and the embedded 4th-order solution;
 * the next step is `h·clamp(0.9·err^(−0.17)·errPrev^0.04, 0.2, 10)` (PI control as in Hairer's DOPRI5; no
 * growth right after a rejection). The solution is
 * propagated with the 5th-order weights (local extrapolation), as in `ode45` and SciPy's `RK45`.
 *
 * @param f - right-hand side, writing into its third argument.
 * @param t0 - start time.
 * @param t1 - end time.
 * @param y0 - initial state (not modified).
 * @param options - tolerances and step limits.
 * @throws RangeError on bad tolerances, or Error when `maxSteps` is exceeded or the state stops being finite.
 * @example
 * ```ts
 * // y' = -y, y(0) = 1  →  y(1) = e^-1
 * const { y } = integrate((_t, y, dy) => { dy[0] = -y[0]; }, 0, 1, Float64Array.of(1), { rtol: 1e-10 });
 * Math.abs(y[0] - Math.exp(-1)) < 1e-9; // true
 * ```
 */
export function integrate(
  f: OdeRhs,
  t0: number,
  t1: number,
  y0: ArrayLike<number>,
  options: IntegrateOptions = {}
): IntegrateResult {
  const { rtol = 1e-6, atol = 1e-9, maxSteps = 100000 } = options;
  const n = y0.length;
  if (!(rtol > 0)) throw new RangeError(`integrate: rtol must be > 0, got ${rtol}`);
  const atolArr = new Float64Array(n);
  if (typeof atol === 'number') {
    if (!(atol >= 0)) throw new RangeError(`integrate: atol must be ≥ 0, got ${atol}`);
    atolArr.fill(atol);
  } else {
    if (atol.length !== n) {
      throw new RangeError(`integrate: atol has ${atol.length} values but the state has ${n}`);
    }
    for (let i = 0; i < n; i++) {
      if (!(atol[i] >= 0)) throw new RangeError(`integrate: atol[${i}] must be ≥ 0, got ${atol[i]}`);
      atolArr[i] = atol[i];
    }
  }
  if (!Number.isFinite(t0) || !Number.isFinite(t1)) {
    throw new RangeError(`integrate: t0 and t1 must be finite, got ${t0} and ${t1}`);
  }

  // y/yNew and k1/k7 swap roles after each accepted step instead of being copied.
  let y = Float64Array.from(y0);
  const result: IntegrateResult = { y, steps: 0, rejected: 0, evaluations: 0 };
  if (t1 === t0) return result;
  const dir = t1 > t0 ? 1 : -1;
  const span = Math.abs(t1 - t0);
  const hMax = Math.min(options.hMax ?? span, span);

  let k1 = new Float64Array(n);
  const k2 = new Float64Array(n);
  const k3 = new Float64Array(n);
  const k4 = new Float64Array(n);
  const k5 = new Float64Array(n);
  const k6 = new Float64Array(n);
  let k7 = new Float64Array(n);
  const yStage = new Float64Array(n);
  let yNew = new Float64Array(n);

  f(t0, y, k1);
  result.evaluations++;
  let h = options.h0 ?? initialStep(f, t0, y, k1, dir, rtol, atolArr, yStage, k2);
  if (options.h0 === undefined) result.evaluations++;
  h = Math.min(Math.abs(h), hMax);
  if (!(h > 0)) throw new RangeError(`integrate: step size must be > 0, got ${h}`);

  let t = t0;
  let attempts = 0;
  let justRejected = false;
  let errOld = 1e-4;
  while (dir * (t1 - t) > 0) {
    if (attempts++ >= maxSteps) {
      throw new Error(
        `integrate: more than ${maxSteps} steps between t=${t0} and t=${t1} (stopped at t=${t})`
      );
    }
    // Land exactly on t1; also avoid a last sliver of a step.
    let last = false;
    if (h >= Math.abs(t1 - t) * (1 - 1e-12)) {
      h = Math.abs(t1 - t);
      last = true;
    }
    const hs = dir * h;

    for (let i = 0; i < n; i++) yStage[i] = y[i] + hs * A21 * k1[i];
    f(t + C2 * hs, yStage, k2);
    for (let i = 0; i < n; i++) yStage[i] = y[i] + hs * (A31 * k1[i] + A32 * k2[i]);
    f(t + C3 * hs, yStage, k3);
    for (let i = 0; i < n; i++) yStage[i] = y[i] + hs * (A41 * k1[i] + A42 * k2[i] + A43 * k3[i]);
    f(t + C4 * hs, yStage, k4);
    for (let i = 0; i < n; i++) {
      yStage[i] = y[i] + hs * (A51 * k1[i] + A52 * k2[i] + A53 * k3[i] + A54 * k4[i]);
    }
    f(t + C5 * hs, yStage, k5);
    for (let i = 0; i < n; i++) {
      yStage[i] = y[i] + hs * (A61 * k1[i] + A62 * k2[i] + A63 * k3[i] + A64 * k4[i] + A65 * k5[i]);
    }
    const tNew = last ? t1 : t + hs;
    f(tNew, yStage, k6);
    for (let i = 0; i < n; i++) {
      yNew[i] = y[i] + hs * (B1 * k1[i] + B3 * k3[i] + B4 * k4[i] + B5 * k5[i] + B6 * k6[i]);
    }
    f(tNew, yNew, k7);
    result.evaluations += 6;

    let sum = 0;
    for (let i = 0; i < n; i++) {
      const e = hs * (E1 * k1[i] + E3 * k3[i] + E4 * k4[i] + E5 * k5[i] + E6 * k6[i] + E7 * k7[i]);
      const scale = atolArr[i] + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
      const r = e / scale;
      sum += r * r;
    }
    const err = Math.sqrt(sum / n);
    if (!Number.isFinite(err)) {
      if (h <= 1e-14 * Math.max(1, Math.abs(t))) {
        throw new Error(`integrate: the state is not finite at t=${t}`);
      }
      h *= FAC_MIN;
      result.rejected++;
      justRejected = true;
      continue;
    }
    if (err <= 1) {
      t = tNew;
      [y, yNew] = [yNew, y];
      [k1, k7] = [k7, k1]; // first same as last
      result.steps++;
      const fac =
        err === 0 ? FAC_MAX : Math.min(FAC_MAX, Math.max(FAC_MIN, SAFETY * err ** -ALPHA * errOld ** BETA));
      errOld = Math.max(err, 1e-4);
      h = Math.min(hMax, h * (justRejected ? Math.min(1, fac) : fac));
      justRejected = false;
    } else {
      result.rejected++;
      h *= Math.max(FAC_MIN, SAFETY * err ** -ALPHA);
      justRejected = true;
      if (h <= 1e-14 * Math.max(1, Math.abs(t))) {
        throw new Error(`integrate: step size underflow at t=${t}`);
      }
    }
  }
  result.y = y;
  return result;
}

/**
 * Hairer's starting step (Solving ODEs I, §II.4): a step whose explicit Euler error would be about the
 * tolerance, limited by an estimate of the second derivative. Uses one extra evaluation of `f`.
 */
function initialStep(
  f: OdeRhs,
  t0: number,
  y0: Float64Array,
  f0: Float64Array,
  dir: number,
  rtol: number,
  atol: Float64Array,
  y1: Float64Array,
  f1: Float64Array
): number {
  const n = y0.length;
  let d0 = 0;
  let d1 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol[i] + rtol * Math.abs(y0[i]);
    d0 += (y0[i] / sc) ** 2;
    d1 += (f0[i] / sc) ** 2;
  }
  d0 = Math.sqrt(d0 / n);
  d1 = Math.sqrt(d1 / n);
  const h0 = d0 < 1e-5 || d1 < 1e-5 ? 1e-6 : 0.01 * (d0 / d1);
  for (let i = 0; i < n; i++) y1[i] = y0[i] + dir * h0 * f0[i];
  f(t0 + dir * h0, y1, f1);
  let d2 = 0;
  for (let i = 0; i < n; i++) {
    const sc = atol[i] + rtol * Math.abs(y0[i]);
    d2 += ((f1[i] - f0[i]) / sc) ** 2;
  }
  d2 = Math.sqrt(d2 / n) / h0;
  const h1 = Math.max(d1, d2) <= 1e-15 ? Math.max(1e-6, h0 * 1e-3) : (0.01 / Math.max(d1, d2)) ** 0.2;
  return Math.min(100 * h0, h1);
}
