/**
 * Data sets leave the kernel helpers either as tfjs tensors (for `model.fit` / `nm.train`) or as plain
 * Float32 matrices; one conversion for every data set.
 */
import type { Tensor2D } from '@tensorflow/tfjs';
import { DataMatrix, toFloat32 } from '../../core/datasets/matrix';
import { getTf } from '../tf';

/** `tensor` (default): `tf.Tensor2D`; `array`: `DataMatrix<Float32Array>` (`{rows, cols, data}`). */
export type DatasetFormat = 'tensor' | 'array';

/** The matrix type a format gives. */
export type FormatMatrix<F extends DatasetFormat> = F extends 'array' ? DataMatrix<Float32Array> : Tensor2D;

/**
 * Converts a matrix to the requested format (Float32 in both cases).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const t = nm.datasets.asFormat({ rows: 1, cols: 2, data: Float32Array.of(1, 2) }, 'tensor'); // Tensor2D [1, 2]
 * ```
 */
export function asFormat<F extends DatasetFormat>(m: DataMatrix, format: F): FormatMatrix<F> {
  const f32 = m.data instanceof Float32Array ? (m as DataMatrix<Float32Array>) : toFloat32(m);
  if (format === 'array') return f32 as FormatMatrix<F>;
  if (format !== 'tensor')
    throw new RangeError(`format must be 'tensor' or 'array', got '${String(format)}'`);
  return getTf().tensor2d(f32.data, [f32.rows, f32.cols], 'float32') as FormatMatrix<F>;
}
