// Deterministic benchmark networks, built from the compiled library (lib/).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createRng } = require('../lib/core/random.js');

/**
 * Random weights N(0,1)/5 (the moth init), then layer-wise magnitude pruning keeping `keep` of each
 * layer's weights (the largest |w|). Biases are drawn the same way and kept (the authors masked biases
 * with the weight cutoff, a defect): with the bias node on, every neuron is fed, so no edge is lost to
 * ghost removal and the census sees all ≈23 k weight edges of the 7 % network.
 */
export function prunedNetwork(sizes, keep, seed = 1) {
  const rng = createRng(seed);
  const layers = [];
  for (let l = 0; l + 1 < sizes.length; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const weights = Float64Array.from({ length: nIn * nOut }, () => rng.normal() / 5);
    const bias = Float64Array.from({ length: nOut }, () => rng.normal() / 5);
    pruneToFraction(weights, keep);
    layers.push({ nIn, nOut, weights, bias });
  }
  return { layers, meta: { sizes, keep, seed } };
}

function pruneToFraction(values, keep) {
  const n = values.length;
  const kept = Math.max(1, Math.round(keep * n));
  if (kept >= n) return;
  const order = Array.from(values, (v, k) => [Math.abs(v), k]).sort((a, b) => b[0] - a[0]);
  for (let r = kept; r < n; r++) values[order[r][1]] = 0;
}

export const MOTH = [10, 400, 400, 400, 16, 7];
export const DENSE = [784, 1000, 1000, 10];
