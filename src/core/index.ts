/**
 * `core`: pure TypeScript on typed arrays — the network model, CNT metrics, motif census, null models,
 * significance, rewiring and seeded random numbers. Runs in the kernel, the browser and workers.
 */
export * from './network';
export * from './random';
export * from './validate';
export * from './io';
export * from './stats';
export * from './metrics';
export * from './kde';
export * from './live';
export * from './census';
export * from './instances';
export * from './nulls';
export * from './canonical';
export * from './subgraphs';
export * from './switching';
export * from './rewiring';
export * from './colouring';
export * from './significance';
export * from './formats/index';
export * from './datasets/index';
export * from './study';
export * from './pruning';
