/**
 * Small random layered networks for tests: 1..4 layers, 1..6 neurons per neuron layer, random masks that
 * leave rows and columns empty, zero weights, optional biases and activations.
 *
 * Two generators of the same kind of network:
 * - `randomNetwork(rng, opts)` for loops over seeds and naive-reference comparisons;
 * - `arbNetwork(opts)` for fast-check properties (structural, so counterexamples shrink).
 *
 * The weights behind a mask 0 are deliberately non-zero (and a mask 1 sometimes sits on a zero weight), so
 * code that forgets the mask or forgets that a zero weight is no edge fails.
 */
import fc from 'fast-check';
import type { Layer, LayeredNetwork } from '../../../src/core/network';
import type { Rng } from '../../../src/core/random';

/** Options shared by both generators. Everything left out is itself drawn at random. */
export interface RandomNetworkOptions {
  /** Most weight layers (default 4); at least 1. */
  maxLayers?: number;
  /** Most neurons in a neuron layer (default 6); at least 1. */
  maxWidth?: number;
  /** Probability that a connection exists; random per layer if left out. */
  density?: number;
  /** Every layer has a bias (`true`), none has (`false`), or random per layer (left out). */
  bias?: boolean;
  /** Every layer has a mask (`true`), none has (`false`), or random per network (left out). */
  masked?: boolean;
}

const ACTIVATIONS = [undefined, 'relu', 'tanh', 'linear'] as const;

function mutableLayer(
  nIn: number,
  nOut: number,
  weights: Float64Array,
  mask: Uint8Array | undefined,
  bias: Float64Array | undefined,
  activation: string | undefined
): Layer {
  const layer: { -readonly [K in keyof Layer]: Layer[K] } = { nIn, nOut, weights };
  if (mask !== undefined) layer.mask = mask;
  if (bias !== undefined) layer.bias = bias;
  if (activation !== undefined) layer.activation = activation;
  return layer;
}

/**
 * A random network drawn from `rng`.
 *
 * @example
 * ```ts
 * const net = randomNetwork(createRng(7), { masked: true });
 * ```
 */
export function randomNetwork(rng: Rng, opts: RandomNetworkOptions = {}): LayeredNetwork {
  const maxLayers = opts.maxLayers ?? 4;
  const maxWidth = opts.maxWidth ?? 6;
  const nLayers = 1 + rng.int(maxLayers);
  const sizes = Array.from({ length: nLayers + 1 }, () => 1 + rng.int(maxWidth));
  const masked = opts.masked ?? rng.next() < 0.5;
  const layers: Layer[] = [];
  for (let l = 0; l < nLayers; l++) {
    const nIn = sizes[l];
    const nOut = sizes[l + 1];
    const density = opts.density ?? rng.next();
    const weights = new Float64Array(nIn * nOut);
    const mask = masked ? new Uint8Array(nIn * nOut) : undefined;
    for (let k = 0; k < nIn * nOut; k++) {
      const exists = rng.next() < density;
      const w = rng.normal() * 0.5;
      if (mask !== undefined) {
        mask[k] = exists ? 1 : 0;
        // A kept mask entry on a zero weight is still no edge.
        weights[k] = exists && rng.next() < 0.05 ? 0 : w;
      } else {
        weights[k] = exists ? w : 0;
      }
    }
    // Force empty rows and columns now and then (dead and ghost neurons).
    if (rng.next() < 0.25) {
      const i = rng.int(nIn);
      for (let j = 0; j < nOut; j++) clearEntry(weights, mask, i * nOut + j);
    }
    if (rng.next() < 0.25) {
      const j = rng.int(nOut);
      for (let i = 0; i < nIn; i++) clearEntry(weights, mask, i * nOut + j);
    }
    const hasBias = opts.bias ?? rng.next() < 0.5;
    let bias: Float64Array | undefined;
    if (hasBias) {
      bias = new Float64Array(nOut);
      for (let j = 0; j < nOut; j++) bias[j] = rng.next() < 0.2 ? 0 : rng.normal() * 0.5;
    }
    const activation = ACTIVATIONS[rng.int(ACTIVATIONS.length)];
    layers.push(mutableLayer(nIn, nOut, weights, mask, bias, activation));
  }
  return { layers };
}

function clearEntry(weights: Float64Array, mask: Uint8Array | undefined, k: number): void {
  if (mask !== undefined) mask[k] = 0;
  else weights[k] = 0;
}

/**
 * A fast-check arbitrary of the same kind of networks as {@link randomNetwork}.
 *
 * @example
 * ```ts
 * fc.assert(fc.property(arbNetwork({ bias: true }), net => net.layers.length >= 1));
 * ```
 */
export function arbNetwork(opts: RandomNetworkOptions = {}): fc.Arbitrary<LayeredNetwork> {
  const maxLayers = opts.maxLayers ?? 4;
  const maxWidth = opts.maxWidth ?? 6;
  const present = opts.density === undefined ? 6 : Math.round(opts.density * 12);
  const absent = opts.density === undefined ? 4 : 12 - present;
  const weight = fc.oneof(
    { arbitrary: fc.double({ min: -3, max: 3, noNaN: true }), weight: 3 },
    { arbitrary: fc.integer({ min: -8, max: 8 }).map(k => k / 4), weight: 2 }
  );
  const entry = fc.oneof(
    { arbitrary: weight.map(w => ({ w, exists: true })), weight: Math.max(present, 0) },
    { arbitrary: weight.map(w => ({ w, exists: false })), weight: Math.max(absent, 0) }
  );
  const maskedArb = opts.masked === undefined ? fc.boolean() : fc.constant(opts.masked);
  const sizesArb = fc
    .integer({ min: 1, max: maxLayers })
    .chain(n => fc.array(fc.integer({ min: 1, max: maxWidth }), { minLength: n + 1, maxLength: n + 1 }));
  return fc.tuple(sizesArb, maskedArb).chain(([sizes, masked]) => {
    const layerArbs = sizes.slice(0, -1).map((nIn, l) => {
      const nOut = sizes[l + 1];
      return fc.record({
        entries: fc.array(entry, { minLength: nIn * nOut, maxLength: nIn * nOut }),
        bias:
          opts.bias === false
            ? fc.constant(undefined)
            : (opts.bias === true ? fc.constant(true) : fc.boolean()).chain(has =>
                has ? fc.array(weight, { minLength: nOut, maxLength: nOut }) : fc.constant(undefined)
              ),
        activation: fc.constantFrom(...ACTIVATIONS)
      });
    });
    return fc.tuple(...layerArbs).map(drawn => {
      const layers = drawn.map(({ entries, bias, activation }, l) => {
        const nIn = sizes[l];
        const nOut = sizes[l + 1];
        const weights = new Float64Array(nIn * nOut);
        const mask = masked ? new Uint8Array(nIn * nOut) : undefined;
        entries.forEach(({ w, exists }, k) => {
          if (mask !== undefined) {
            mask[k] = exists ? 1 : 0;
            weights[k] = w;
          } else {
            weights[k] = exists ? w : 0;
          }
        });
        return mutableLayer(
          nIn,
          nOut,
          weights,
          mask,
          bias === undefined ? undefined : Float64Array.from(bias),
          activation
        );
      });
      return { layers };
    });
  });
}
