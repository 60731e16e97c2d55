/**
 * Edge colouring of Zambra, Testolin & Maritan (2020), "Emergence of network motifs in deep neural
 * networks": every connection becomes strong/mild negative, removed, or mild/strong positive, by where its
 * weight falls relative to a normal distribution fitted to all weights. Coloured motifs are then counted
 * on the coloured graph, with the "removed" edges left out.
 */
import type { LayeredNetwork } from './network';
import { hasEdge } from './network';

/** Edge classes, as stored in the colour arrays. */
export const EDGE_COLOUR = {
  strongNegative: -2,
  mildNegative: -1,
  removed: 0,
  mildPositive: 1,
  strongPositive: 2
} as const;

/** One of the five edge classes (−2 … 2); 0 also marks connections that do not exist. */
export type EdgeColour = (typeof EDGE_COLOUR)[keyof typeof EDGE_COLOUR];

/** The fitted distribution and the class boundaries. */
export interface ColourThresholds {
  /** Mean of the pooled weights. */
  mu: number;
  /** Standard deviation of the pooled weights, ddof 0 (the maximum-likelihood normal fit). */
  sigma: number;
  /** Lower edge of the removed band, `mu − sigma·sqrt(2 ln(1/c))`. */
  b0: number;
  /** Upper edge of the removed band, `mu + sigma·sqrt(2 ln(1/c))`. */
  b1: number;
  /** Strong/mild negative boundary, `b0 + (lo − b0)/5`. */
  tn: number;
  /** Mild/strong positive boundary, `b1 + (hi − b1)/5`. */
  tp: number;
  /** `1.1 · min w`. */
  lo: number;
  /** `1.1 · max w`. */
  hi: number;
}

/** Options of {@link colourEdges}. */
export interface ColourEdgesOptions {
  /**
   * Level of the removed band in (0, 1] (default 0.55; the authors used 0.1 for MNIST): the band
   * `[b0, b1)` is where the fitted normal density is above `c` times its peak.
   */
  c?: number;
}

/** Result of {@link colourEdges}. */
export interface ColouredEdges {
  /** Per layer, row-major `nIn × nOut`, the class of every connection (0 where there is no edge). */
  colours: Int8Array[];
  thresholds: ColourThresholds;
}

/**
 * The class of one weight: `b0 ≤ w < b1` → 0 (removed); below `b0`: `w < tn` → −2, else −1; from `b1` up:
 * `w ≥ tp` → 2, else 1. With the usual ordering `tn < b0 ≤ b1 < tp` this is exactly the paper's five
 * intervals; when a one-signed weight distribution puts `tn` above `b0` (or `tp` below `b1`), the removed
 * band still takes precedence.
 *
 * @example
 * ```ts
 * const t = { mu: 0, sigma: 1, b0: -1, b1: 1, tn: -1.5, tp: 1.5, lo: -3.5, hi: 3.5 };
 * colourOf(-2, t); // -2
 * colourOf(0.5, t); // 0
 * colourOf(1.2, t); // 1
 * ```
 */
export function colourOf(w: number, t: ColourThresholds): EdgeColour {
  if (w >= t.b0 && w < t.b1) return 0;
  if (w < t.b0) return w < t.tn ? -2 : -1;
  return w >= t.tp ? 2 : 1;
}

/**
 * Colours every edge of a network (Zambra, Testolin & Maritan 2020).
 *
 * Fit `N(mu, sigma)` to the pooled weights of all layers' existing edges (biases are not edges here;
 * `sigma` with ddof 0, the maximum-likelihood fit); `b0, b1 = mu ∓ sigma·sqrt(2 ln(1/c))`;
 * `lo = 1.1·min w`, `hi = 1.1·max w`; `tn = b0 + (lo − b0)/5`, `tp = b1 + (hi − b1)/5`. Then
 * `w < tn` → −2 (strong negative), `tn ≤ w < b0` → −1 (mild negative), `b0 ≤ w < b1` → 0 (edge removed),
 * `b1 ≤ w < tp` → 1 (mild positive), `w ≥ tp` → 2 (strong positive); see {@link colourOf}. Connections that
 * do not exist (masked or zero weight) get 0.
 *
 * @param options - `c` (default 0.55).
 * @throws RangeError when `c` is not in (0, 1] or the network has no edge to fit.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.createNetwork([{ weights: [[-1, -0.1, 0, 0.1, 1, 2]] }]);
 * const { colours, thresholds } = nm.colourEdges(net);
 * colours[0]; // Int8Array [-2, 0, 0, 0, 0, 2]  (0 is no edge; mu 0.4, b0 ≈ -0.72, b1 ≈ 1.52)
 * ```
 */
export function colourEdges(net: LayeredNetwork, options: ColourEdgesOptions = {}): ColouredEdges {
  const c = options.c ?? 0.55;
  if (!(c > 0 && c <= 1)) throw new RangeError(`colourEdges: c must lie in (0, 1], got ${c}`);
  let n = 0;
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  forEachEdge(net, w => {
    n++;
    sum += w;
    if (w < min) min = w;
    if (w > max) max = w;
  });
  if (n === 0) throw new RangeError('colourEdges: the network has no edges to fit a normal distribution to');
  const mu = sum / n;
  let ss = 0;
  forEachEdge(net, w => (ss += (w - mu) ** 2));
  const sigma = Math.sqrt(ss / n);
  const halfWidth = sigma * Math.sqrt(2 * Math.log(1 / c));
  const b0 = mu - halfWidth;
  const b1 = mu + halfWidth;
  const lo = 1.1 * min;
  const hi = 1.1 * max;
  const thresholds: ColourThresholds = {
    mu,
    sigma,
    b0,
    b1,
    tn: b0 + (lo - b0) / 5,
    tp: b1 + (hi - b1) / 5,
    lo,
    hi
  };
  const colours = net.layers.map(layer => {
    const out = new Int8Array(layer.nIn * layer.nOut);
    for (let i = 0; i < layer.nIn; i++) {
      for (let j = 0; j < layer.nOut; j++) {
        const k = i * layer.nOut + j;
        if (hasEdge(layer, i, j)) out[k] = colourOf(layer.weights[k], thresholds);
      }
    }
    return out;
  });
  return { colours, thresholds };
}

function forEachEdge(net: LayeredNetwork, visit: (w: number) => void): void {
  for (const layer of net.layers) {
    for (let i = 0; i < layer.nIn; i++) {
      for (let j = 0; j < layer.nOut; j++) if (hasEdge(layer, i, j)) visit(layer.weights[i * layer.nOut + j]);
    }
  }
}
