/**
 * The null census: motif counts of many null samples, in any range of sample indices (chunks, worker threads),
 * and single null samples as networks for inspection.
 */
import { type LayeredNetwork, type Layer } from '../network';
import { type MotifGraph, motifGraph } from '../live';
import { createRng, shuffle } from '../random';
import { countMotifGraph } from './census';
import { type ChainConvention, censusKeys } from './keys';
import { type NullOptions, NullSampler, nullModelOption, sampleSeed } from './null-sampler';
import { CensusWorkspace } from './workspace';

/**
 * One null sample as a {@link LayeredNetwork}: masks mark the sampled edges, weights carry the layer's live
 * weights in random order (`'sign-shuffle'`: the original magnitudes with shuffled signs), biases the
 * sampled bias edges when `biasNode` is on (otherwise the original biases). Mainly for inspection and
 * figures; the census of many samples uses {@link nullCensusSamples}, which never builds networks.
 *
 * @param net - the real network.
 * @param options - `null` (`'random-pruning'`), `seed` (0, the stream of sample 0 of that seed), `biasNode`
 *   (`false`), `pruneDeadGhost` (`true`), `rounds` (20).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0, 2) }] };
 * const random = nm.sampleNull(net, { null: 'gnm', seed: 3 }); // 3 edges placed uniformly
 * ```
 */
export function sampleNull(net: LayeredNetwork, options: NullOptions = {}): LayeredNetwork {
  const model = nullModelOption(options, 'sampleNull');
  const liveOpts = { biasNode: options.biasNode ?? false, pruneDeadGhost: options.pruneDeadGhost ?? true };
  const real = motifGraph(net, liveOpts);
  const sampler = new NullSampler(real, model, options.rounds ?? 20, model === 'sign-shuffle');
  const rng = createRng(sampleSeed(options.seed ?? 0, 0));
  const g = sampler.sample(rng);
  const layers = net.layers.map((layer, l): Layer => {
    const { nIn, nOut } = layer;
    const src = real.layers[l];
    const dst = g.layers[l];
    // live weight and bias values of the real layer, in CSR order
    const values = new Float64Array(src.rowPtr[src.nRows]);
    for (let r = 0; r < src.nRows; r++) {
      for (let e = src.rowPtr[r]; e < src.rowPtr[r + 1]; e++) {
        values[e] =
          r < nIn ? layer.weights[r * nOut + src.colIdx[e]] : (layer.bias as Float64Array)[src.colIdx[e]];
      }
    }
    const W = src.rowPtr[src.nReal];
    if (model !== 'sign-shuffle') {
      // the layer's values in random order (weights and biases apart): the weight multiset is kept
      shuffle(values, rng, 0, W);
      shuffle(values, rng, W, values.length);
    }
    const weights = new Float64Array(nIn * nOut);
    const mask = new Uint8Array(nIn * nOut);
    const bias =
      layer.bias === undefined ? undefined : liveOpts.biasNode ? new Float64Array(nOut) : layer.bias.slice();
    for (let r = 0; r < dst.nRows; r++) {
      for (let e = dst.rowPtr[r]; e < dst.rowPtr[r + 1]; e++) {
        // sign-shuffle keeps each edge's magnitude and takes the sampled sign
        const v = model === 'sign-shuffle' ? (dst.neg[e] !== 0 ? -1 : 1) * Math.abs(values[e]) : values[e];
        const c = dst.colIdx[e];
        if (r < nIn) {
          weights[r * nOut + c] = v;
          mask[r * nOut + c] = 1;
        } else if (bias !== undefined) bias[c] = v;
      }
    }
    const out: { -readonly [K in keyof Layer]: Layer[K] } = { nIn, nOut, weights, mask };
    if (bias !== undefined) out.bias = bias;
    if (layer.activation !== undefined) out.activation = layer.activation;
    return out;
  });
  return { layers, meta: { ...(net.meta ?? {}), null: { model, seed: options.seed ?? 0 } } };
}

/** Options of {@link nullCensusSamples}. */
export interface NullCensusOptions extends NullOptions {
  /** Number of samples to draw, default 1000. */
  readonly samples?: number;
  /** Index of the first sample (for chunks), default 0. */
  readonly start?: number;
  /** Chain convention, default `'paths'`. */
  readonly chain?: ChainConvention;
  /** Count sign patterns too, default `false`. */
  readonly signed?: boolean;
}

/** Counts of null samples: row `i` (length `keys.length`) is sample `start + i`. */
export interface NullCensusSamples {
  readonly keys: string[];
  readonly start: number;
  readonly samples: number;
  readonly values: Float64Array;
}

/**
 * A prepared null census of one network: counts any range of samples, reusing every buffer.
 *
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 0, 1) }] };
 * const run = prepareNullCensus(net, { null: 'gnm', seed: 1 });
 * const chunk = run.count(10, 5); // samples 10 … 14
 * ```
 */
export function prepareNullCensus(
  net: LayeredNetwork,
  options: Omit<NullCensusOptions, 'samples' | 'start'> = {}
): PreparedNullCensus {
  const real = motifGraph(net, {
    biasNode: options.biasNode ?? false,
    pruneDeadGhost: options.pruneDeadGhost ?? true
  });
  return prepareNullCensusOfGraph(real, options);
}

/** What {@link prepareNullCensus} returns: the census keys and a counter of sample ranges. */
export interface PreparedNullCensus {
  readonly keys: string[];
  /** Counts samples `start … start + samples − 1` (row-major, `keys.length` values per sample). */
  count(start: number, samples: number): NullCensusSamples;
}

/**
 * {@link prepareNullCensus} from the census view of the network (`motifGraph(net, { biasNode,
 * pruneDeadGhost })`), e.g. in a worker thread that was handed the small CSR graph instead of the weight
 * matrices. `biasNode` and `pruneDeadGhost` of `options` are ignored: the graph already has them applied.
 *
 * @example
 * ```ts
 * const g = motifGraph({ layers: [{ nIn: 2, nOut: 2, weights: Float64Array.of(1, 1, 0, 1) }] });
 * const chunk = prepareNullCensusOfGraph(g, { null: 'gnm', seed: 1 }).count(0, 5);
 * ```
 */
export function prepareNullCensusOfGraph(
  real: MotifGraph,
  options: Omit<NullCensusOptions, 'samples' | 'start'> = {}
): PreparedNullCensus {
  const signed = options.signed ?? false;
  const chain = options.chain ?? 'paths';
  const seed = options.seed ?? 0;
  const sampler = new NullSampler(
    real,
    nullModelOption(options, 'null census'),
    options.rounds ?? 20,
    signed
  );
  const keys = censusKeys(signed);
  const ws = new CensusWorkspace();
  return {
    keys,
    count(start: number, samples: number): NullCensusSamples {
      if (!Number.isInteger(start) || start < 0)
        throw new RangeError(`start must be a non-negative integer, got ${start}`);
      if (!Number.isInteger(samples) || samples < 0) {
        throw new RangeError(`samples must be a non-negative integer, got ${samples}`);
      }
      const K = keys.length;
      const values = new Float64Array(samples * K);
      for (let i = 0; i < samples; i++) {
        const g = sampler.sample(createRng(sampleSeed(seed, start + i)));
        countMotifGraph(g, { chain, signed }, values.subarray(i * K, (i + 1) * K), ws);
      }
      return { keys, start, samples, values };
    }
  };
}

/**
 * Motif counts of `samples` null networks, samples `start … start + samples − 1` of the stream seeded by
 * `seed`. Chunks of one run can be drawn anywhere (worker threads) and concatenated.
 *
 * @param net - the real network.
 * @param options - `null` (`'random-pruning'`), `samples` (1000), `seed` (0), `start` (0), `chain`
 *   (`'paths'`), `biasNode` (`false`), `pruneDeadGhost` (`true`), `signed` (`false`), `rounds` (20).
 * @example
 * ```ts
 * const net = { layers: [{ nIn: 3, nOut: 2, weights: Float64Array.of(1, 0, 1, 1, 0, 1) }] };
 * const { keys, values } = nullCensusSamples(net, { samples: 100, seed: 7 });
 * values[keys.indexOf('edges')]; // 4 in every sample
 * ```
 */
export function nullCensusSamples(net: LayeredNetwork, options: NullCensusOptions = {}): NullCensusSamples {
  return prepareNullCensus(net, options).count(options.start ?? 0, options.samples ?? 1000);
}
