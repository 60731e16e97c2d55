/**
 * Data sets as pure functions on typed arrays: the moth flight simulation (with its adaptive integrator),
 * Zambra et al.'s synthetic sets, seeded splits and min-max scaling. The kernel wraps them as tensors.
 */
export * from './integrate';
export * from './matrix';
export * from './moth';
export * from './zambra';
