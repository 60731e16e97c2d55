/**
 * `nm.datasets.*`: every data set the papers use, generated or shipped, never downloaded, always seeded —
 * as tfjs tensors by default or as Float32 matrices with `format: 'array'`.
 */
import {
  binaryTree as binaryTreeData,
  independentClusters as clustersData
} from '../../core/datasets/zambra';
import type { BinaryTreeOptions, IndependentClustersOptions } from '../../core/datasets/zambra';
import { Dataset, FromArraysOptions, splitDataset } from './arrays';
import type { DatasetFormat } from './tensors';

export { fromArrays, splitDataset } from './arrays';
export type { Dataset, FromArraysOptions, RowsInput } from './arrays';
export { mnist, mnistAvailable, MNIST_PIXELS } from './mnist';
export type { MnistOptions } from './mnist';
export { moth, simulateMothParallel } from './moth';
export type { MothDataset, MothDatasetOptions, ParallelMothOptions } from './moth';
export { asFormat } from './tensors';
export type { DatasetFormat, FormatMatrix } from './tensors';
export { minMaxScale, minMaxUnscale } from '../../core/datasets/matrix';

/**
 * Zambra et al.'s binary-tree set (core `binaryTree`), split like {@link fromArrays}.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const d = nm.datasets.binaryTree(2000, { seed: 1, validationSplit: 0.1 });
 * d.yTrain.shape; // [1800, 4]
 * ```
 */
export function binaryTree<F extends DatasetFormat = 'tensor'>(
  n = 2000,
  options: BinaryTreeOptions & FromArraysOptions<F> = {}
): Dataset<F> {
  return splitDataset(binaryTreeData(n, options), options);
}

/**
 * Zambra et al.'s independent-clusters set (core `independentClusters`), split like {@link fromArrays}.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const d = nm.datasets.independentClusters(2000, { seed: 1 });
 * d.xTrain.shape; // [2000, 31]
 * ```
 */
export function independentClusters<F extends DatasetFormat = 'tensor'>(
  n = 2000,
  options: IndependentClustersOptions & FromArraysOptions<F> = {}
): Dataset<F> {
  return splitDataset(clustersData(n, options), options);
}
