/**
 * `nm.datasets.fromArrays`: the user's own data, checked and split like the generated sets.
 */
import { DataMatrix, XYData, matrixFromRows, splitIndices, takeRows } from '../../core/datasets/matrix';
import { DatasetFormat, FormatMatrix, asFormat } from './tensors';

/** Rows as nested arrays (or typed arrays), a single column as a plain number array, or a data matrix. */
export type RowsInput = ReadonlyArray<ArrayLike<number> | number> | DataMatrix;

/** Options of {@link fromArrays}. */
export interface FromArraysOptions<F extends DatasetFormat = 'tensor'> {
  /** Fraction of rows held out for validation. Default `0` (no validation part). */
  validationSplit?: number;
  /** Fraction of rows held out for testing. Default `0`. */
  testSplit?: number;
  /** Seed of the shuffle. Default `0`. */
  seed?: number;
  /** Shuffle before splitting (default `true`); `false` keeps order and takes the held-out rows from the end. */
  shuffle?: boolean;
  /** `tensor` (default) or `array`. */
  format?: F;
}

/** A data set split into parts; `xVal`/`yVal`/`xTest`/`yTest` have 0 rows when not asked for. */
export interface Dataset<F extends DatasetFormat = 'tensor'> {
  xTrain: FormatMatrix<F>;
  yTrain: FormatMatrix<F>;
  xVal: FormatMatrix<F>;
  yVal: FormatMatrix<F>;
  xTest: FormatMatrix<F>;
  yTest: FormatMatrix<F>;
}

/**
 * Turns your own inputs and targets into a data set: every value is checked (finite numbers, rectangular
 * rows, as many target rows as input rows) with an error naming the argument, row and column, then the rows
 * are shuffled with the seed and split.
 *
 * @param x - inputs, one row per sample.
 * @param y - targets, one row per sample (or one number per sample).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const d = nm.datasets.fromArrays([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { validationSplit: 0.25 });
 * d.xTrain.shape; // [3, 2]
 * ```
 */
export function fromArrays<F extends DatasetFormat = 'tensor'>(
  x: RowsInput,
  y: RowsInput,
  options: FromArraysOptions<F> = {}
): Dataset<F> {
  const xm = matrixFromRows(x, 'x');
  const ym = matrixFromRows(y, 'y');
  if (xm.rows !== ym.rows) {
    throw new RangeError(
      `fromArrays: x has ${xm.rows} rows but y has ${ym.rows}: one target row per input row`
    );
  }
  return splitDataset({ x: xm, y: ym }, options);
}

/**
 * Splits checked matrices into train / validation / test parts in the requested format (shared by
 * {@link fromArrays}, MNIST and Zambra's sets).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const x = Float32Array.from({ length: 2000 * 3 }, (_, k) => k % 7);
 * const d = nm.datasets.splitDataset({ x: { rows: 2000, cols: 3, data: x }, y: { rows: 2000, cols: 3, data: x } }, { validationSplit: 0.1, format: 'array' });
 * d.xVal.rows; // 200
 * ```
 */
export function splitDataset<F extends DatasetFormat = 'tensor'>(
  data: XYData,
  options: FromArraysOptions<F> = {}
): Dataset<F> {
  const { validationSplit = 0, testSplit = 0, seed = 0, shuffle = true, format = 'tensor' as F } = options;
  if (!(validationSplit >= 0 && validationSplit < 1)) {
    throw new RangeError(`validationSplit must be in [0, 1), got ${validationSplit}`);
  }
  if (!(testSplit >= 0 && testSplit < 1) || validationSplit + testSplit >= 1) {
    throw new RangeError(
      `testSplit must be in [0, 1) with validationSplit + testSplit < 1, got ${testSplit}`
    );
  }
  // validationSplit is a fraction of all rows, so convert it to a fraction of the non-test rows.
  const idx = splitIndices(data.x.rows, {
    seed,
    shuffle,
    testFraction: testSplit,
    validationFraction: validationSplit / (1 - testSplit)
  });
  const f = (m: DataMatrix, rows: Int32Array): FormatMatrix<F> => asFormat(takeRows(m, rows), format);
  return {
    xTrain: f(data.x, idx.train),
    yTrain: f(data.y, idx.train),
    xVal: f(data.x, idx.val),
    yVal: f(data.y, idx.val),
    xTest: f(data.x, idx.test),
    yTest: f(data.y, idx.test)
  };
}
