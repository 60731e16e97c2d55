/**
 * Data matrices (row-major typed arrays with their shape), seeded shuffles and splits, min-max scaling, and
 * validation of user-supplied rows — the plumbing shared by every data set.
 */
import { createRng, shuffle } from '../random';

/** A row-major `rows × cols` matrix on a typed array: row `i` is `data[i*cols .. (i+1)*cols)`. */
export interface DataMatrix<T extends Float32Array | Float64Array = Float32Array | Float64Array> {
  rows: number;
  cols: number;
  data: T;
}

/** Per-column min-max scaler: maps `[min_j, max_j]` onto `[lo, hi]`. Plain data, so it can be saved. */
export interface MinMaxScaler {
  min: Float64Array;
  max: Float64Array;
  lo: number;
  hi: number;
}

/** A data set split into training, validation and test parts (inputs `x`, targets `y`). */
export interface SplitData<M = DataMatrix> {
  xTrain: M;
  yTrain: M;
  xVal: M;
  yVal: M;
  xTest: M;
  yTest: M;
}

/** Inputs and targets with the same number of rows. */
export interface XYData<M = DataMatrix> {
  x: M;
  y: M;
}

/**
 * A seeded uniform random permutation of `0 … n−1` (Fisher–Yates).
 *
 * @example
 * ```ts
 * permutation(5, 1); // e.g. Int32Array [3, 0, 4, 1, 2], the same for seed 1 everywhere
 * ```
 */
export function permutation(n: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  shuffle(p, rng);
  return p;
}

/**
 * The rows `index[0], index[1], …` of `m`, as a new matrix of the same array type.
 *
 * @example
 * ```ts
 * const m = { rows: 3, cols: 2, data: Float64Array.of(1, 2, 3, 4, 5, 6) };
 * takeRows(m, [2, 0]).data; // Float64Array [5, 6, 1, 2]
 * ```
 */
export function takeRows<T extends Float32Array | Float64Array>(
  m: DataMatrix<T>,
  index: ArrayLike<number>
): DataMatrix<T> {
  const { cols } = m;
  const Ctor = m.data.constructor as new (length: number) => T;
  const data = new Ctor(index.length * cols);
  for (let r = 0; r < index.length; r++) {
    const src = index[r];
    if (!(src >= 0 && src < m.rows)) throw new RangeError(`takeRows: row ${src} is outside 0…${m.rows - 1}`);
    data.set(m.data.subarray(src * cols, (src + 1) * cols), r * cols);
  }
  return { rows: index.length, cols, data };
}

/**
 * A copy of `m` on a `Float32Array` (what tensors and most training code want).
 *
 * @example
 * ```ts
 * toFloat32({ rows: 1, cols: 2, data: Float64Array.of(0.1, 0.2) }).data; // Float32Array
 * ```
 */
export function toFloat32(m: DataMatrix): DataMatrix<Float32Array> {
  return { rows: m.rows, cols: m.cols, data: Float32Array.from(m.data) };
}

/**
 * Fits a per-column min-max scaler onto `[lo, hi]` (default `[−0.5, 0.5]`, as Zahn et al. scaled the moth
 * data) from the rows of `m`.
 *
 * @example
 * ```ts
 * const s = fitMinMax({ rows: 2, cols: 1, data: Float64Array.of(2, 6) });
 * [s.min[0], s.max[0]]; // [2, 6]
 * ```
 */
export function fitMinMax(m: DataMatrix, range: readonly [number, number] = [-0.5, 0.5]): MinMaxScaler {
  const [lo, hi] = range;
  if (!(hi > lo)) throw new RangeError(`fitMinMax: range must have lo < hi, got [${lo}, ${hi}]`);
  if (m.rows === 0) throw new RangeError('fitMinMax: cannot fit a scaler on 0 rows');
  const min = new Float64Array(m.cols).fill(Infinity);
  const max = new Float64Array(m.cols).fill(-Infinity);
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const v = m.data[r * m.cols + c];
      if (v < min[c]) min[c] = v;
      if (v > max[c]) max[c] = v;
    }
  }
  return { min, max, lo, hi };
}

/**
 * Applies a min-max scaler: `lo + (v − min)/(max − min)·(hi − lo)` per column. A constant column
 * (`max = min`) maps to the middle of the range. Values outside the fitted range map outside `[lo, hi]`.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const m = { rows: 3, cols: 1, data: Float64Array.of(0, 5, 10) };
 * const scaler = { min: Float64Array.of(0), max: Float64Array.of(10), lo: -0.5, hi: 0.5 };
 * nm.datasets.minMaxScale(m, scaler).data; // Float64Array [-0.5, 0, 0.5]
 * ```
 */
export function minMaxScale<T extends Float32Array | Float64Array>(
  m: DataMatrix<T>,
  s: MinMaxScaler
): DataMatrix<T> {
  checkScaler(m, s, 'minMaxScale');
  const Ctor = m.data.constructor as new (length: number) => T;
  const data = new Ctor(m.data.length);
  const mid = (s.lo + s.hi) / 2;
  for (let c = 0; c < m.cols; c++) {
    const width = s.max[c] - s.min[c];
    const k = (s.hi - s.lo) / width;
    for (let r = 0; r < m.rows; r++) {
      const i = r * m.cols + c;
      data[i] = width > 0 ? s.lo + (m.data[i] - s.min[c]) * k : mid;
    }
  }
  return { rows: m.rows, cols: m.cols, data };
}

/**
 * Inverts {@link minMaxScale}: turns scaled values (e.g. network predictions) back into physical units.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const m = { rows: 2, cols: 1, data: Float64Array.of(3, 7) };
 * const s = { min: Float64Array.of(3), max: Float64Array.of(7), lo: -0.5, hi: 0.5 };
 * nm.datasets.minMaxUnscale(nm.datasets.minMaxScale(m, s), s).data; // Float64Array [3, 7]
 * ```
 */
export function minMaxUnscale<T extends Float32Array | Float64Array>(
  m: DataMatrix<T>,
  s: MinMaxScaler
): DataMatrix<T> {
  checkScaler(m, s, 'minMaxUnscale');
  const Ctor = m.data.constructor as new (length: number) => T;
  const data = new Ctor(m.data.length);
  for (let c = 0; c < m.cols; c++) {
    const width = s.max[c] - s.min[c];
    for (let r = 0; r < m.rows; r++) {
      const i = r * m.cols + c;
      data[i] = width > 0 ? s.min[c] + ((m.data[i] - s.lo) / (s.hi - s.lo)) * width : s.min[c];
    }
  }
  return { rows: m.rows, cols: m.cols, data };
}

function checkScaler(m: DataMatrix, s: MinMaxScaler, fn: string): void {
  if (s.min.length !== m.cols || s.max.length !== m.cols) {
    throw new RangeError(`${fn}: the scaler has ${s.min.length} columns but the matrix has ${m.cols}`);
  }
}

/** Options of {@link splitIndices}. */
export interface SplitIndicesOptions {
  /** Seed of the shuffle. Default `0`. */
  seed?: number;
  /** Fraction of all rows held out for testing. Default `0`. */
  testFraction?: number;
  /** Fraction of the remaining (non-test) rows held out for validation. Default `0`. */
  validationFraction?: number;
  /** Shuffle before splitting (default `true`); otherwise the parts are taken in order train, val, test. */
  shuffle?: boolean;
}

/** Row indices of the three parts of a split. */
export interface SplitIndices {
  train: Int32Array;
  val: Int32Array;
  test: Int32Array;
}

/**
 * Splits `0 … n−1` into training, validation and test rows like scikit-learn's `train_test_split` applied
 * twice: `nTest = ⌈testFraction·n⌉`, then `nVal = ⌈validationFraction·(n − nTest)⌉`; the rest trains. With
 * `shuffle`, the rows are first permuted with the seed; the test part is the first `nTest` rows of the
 * permutation, the validation part the next `nVal`.
 *
 * @example
 * ```ts
 * const s = splitIndices(100, { seed: 1, testFraction: 0.2, validationFraction: 0.2 });
 * [s.train.length, s.val.length, s.test.length]; // [64, 16, 20]
 * ```
 */
export function splitIndices(n: number, options: SplitIndicesOptions = {}): SplitIndices {
  const { seed = 0, testFraction = 0, validationFraction = 0, shuffle = true } = options;
  for (const [name, v] of [
    ['testFraction', testFraction],
    ['validationFraction', validationFraction]
  ] as const) {
    if (!(v >= 0 && v < 1)) throw new RangeError(`splitIndices: ${name} must be in [0, 1), got ${v}`);
  }
  const nTest = Math.ceil(testFraction * n - 1e-9);
  const nVal = Math.ceil(validationFraction * (n - nTest) - 1e-9);
  const nTrain = n - nTest - nVal;
  if (n > 0 && nTrain < 1) {
    throw new RangeError(
      `splitIndices: no training rows left from ${n} rows (test ${nTest}, validation ${nVal})`
    );
  }
  const order = shuffle ? permutation(n, seed) : Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    return {
      test: order.slice(0, nTest),
      val: order.slice(nTest, nTest + nVal),
      train: order.slice(nTest + nVal)
    };
  }
  return {
    train: order.slice(0, nTrain),
    val: order.slice(nTrain, nTrain + nVal),
    test: order.slice(nTrain + nVal)
  };
}

/** Options of {@link splitAndScale}. */
export interface SplitAndScaleOptions {
  /** Seed of the shuffle before splitting. Default `0`. */
  seed?: number;
  /** Default `0.2` (Zahn et al.). */
  testFraction?: number;
  /** Fraction of the non-test rows used for validation. Default `0.2` (Zahn et al.). */
  validationFraction?: number;
  /** Target range of the min-max scaling. Default `[−0.5, 0.5]`. */
  range?: readonly [number, number];
}

/** A split, scaled data set and the scalers that undo the scaling. */
export interface ScaledSplit<M = DataMatrix> extends SplitData<M> {
  /** Fitted on the training rows only; `minMaxUnscale(prediction, scalers.y)` gives physical units. */
  scalers: { x: MinMaxScaler; y: MinMaxScaler };
}

/**
 * The moth data protocol of Zahn et al. (2022): shuffle, hold out 20 % for testing, hold out 20 % of the
 * rest for validation, then min-max scale every column of inputs and targets to `[−0.5, 0.5]` with the
 * **training** rows' min and max (validation and test rows may therefore fall slightly outside).
 *
 * @example
 * ```ts
 * const x = { rows: 200, cols: 1, data: Float64Array.from({ length: 200 }, (_, k) => k) };
 * const d = splitAndScale({ x, y: x }, { seed: 1 });
 * d.xTrain.rows; // 128 (200 → 160 train+val → 128 train)
 * ```
 */
export function splitAndScale<T extends Float32Array | Float64Array>(
  data: XYData<DataMatrix<T>>,
  options: SplitAndScaleOptions = {}
): ScaledSplit<DataMatrix<T>> {
  const { x, y } = data;
  if (x.rows !== y.rows) throw new RangeError(`splitAndScale: x has ${x.rows} rows but y has ${y.rows}`);
  const idx = splitIndices(x.rows, {
    seed: options.seed ?? 0,
    testFraction: options.testFraction ?? 0.2,
    validationFraction: options.validationFraction ?? 0.2
  });
  const xTrainRaw = takeRows(x, idx.train);
  const yTrainRaw = takeRows(y, idx.train);
  const sx = fitMinMax(xTrainRaw, options.range);
  const sy = fitMinMax(yTrainRaw, options.range);
  return {
    xTrain: minMaxScale(xTrainRaw, sx),
    yTrain: minMaxScale(yTrainRaw, sy),
    xVal: minMaxScale(takeRows(x, idx.val), sx),
    yVal: minMaxScale(takeRows(y, idx.val), sy),
    xTest: minMaxScale(takeRows(x, idx.test), sx),
    yTest: minMaxScale(takeRows(y, idx.test), sy),
    scalers: { x: sx, y: sy }
  };
}

/**
 * Validates user rows and packs them into a `Float32Array` matrix. Accepts an array of rows (arrays or typed
 * arrays) or, for a single column, an array of numbers. Errors name the argument, the row and the column.
 *
 * @param rows - the data, one entry per sample.
 * @param name - how the argument is called in error messages (e.g. `x`).
 * @throws RangeError for no rows, empty or ragged rows, non-numeric or non-finite values.
 * @example
 * ```ts
 * matrixFromRows([[1, 2], [3, 4]], 'x'); // { rows: 2, cols: 2, data: Float32Array [1, 2, 3, 4] }
 * matrixFromRows([0, 1, 1], 'y').cols; // 1
 * ```
 */
export function matrixFromRows(
  rows: ReadonlyArray<ArrayLike<number> | number> | DataMatrix,
  name: string
): DataMatrix<Float32Array> {
  if (isDataMatrix(rows)) {
    if (rows.data.length !== rows.rows * rows.cols) {
      throw new RangeError(
        `${name}: data has ${rows.data.length} values, expected rows·cols = ${rows.rows * rows.cols}`
      );
    }
    for (let i = 0; i < rows.data.length; i++) {
      if (!Number.isFinite(rows.data[i])) {
        const r = Math.floor(i / rows.cols);
        throw new RangeError(
          `${name}[${r}][${i - r * rows.cols}] is ${rows.data[i]}: values must be finite numbers`
        );
      }
    }
    return { rows: rows.rows, cols: rows.cols, data: Float32Array.from(rows.data) };
  }
  if (!Array.isArray(rows)) throw new TypeError(`${name} must be an array of rows`);
  if (rows.length === 0) throw new RangeError(`${name} has no rows`);
  const scalarRows = typeof rows[0] === 'number';
  const cols = scalarRows ? 1 : (rows[0] as ArrayLike<number>).length;
  if (!scalarRows && (typeof cols !== 'number' || cols === 0)) {
    throw new RangeError(`${name}[0] is empty or not an array: every row needs at least one value`);
  }
  const data = new Float32Array(rows.length * cols);
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (scalarRows) {
      if (typeof row !== 'number') {
        throw new TypeError(`${name}[${r}] is not a number, but ${name}[0] is: mix of numbers and rows`);
      }
      if (!Number.isFinite(row))
        throw new RangeError(`${name}[${r}] is ${row}: values must be finite numbers`);
      data[r] = row;
      continue;
    }
    if (
      typeof row === 'number' ||
      row === null ||
      typeof row !== 'object' ||
      typeof row.length !== 'number'
    ) {
      throw new TypeError(`${name}[${r}] is not an array, but ${name}[0] is: every row must be an array`);
    }
    if (row.length !== cols) {
      throw new RangeError(`${name} is ragged: row ${r} has ${row.length} values, row 0 has ${cols}`);
    }
    for (let c = 0; c < cols; c++) {
      const v = row[c];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new RangeError(`${name}[${r}][${c}] is ${String(v)}: values must be finite numbers`);
      }
      data[r * cols + c] = v;
    }
  }
  return { rows: rows.length, cols, data };
}

function isDataMatrix(v: unknown): v is DataMatrix {
  return (
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    'data' in v &&
    'rows' in v &&
    'cols' in v &&
    (v.data instanceof Float32Array || v.data instanceof Float64Array)
  );
}
