/**
 * What the Network Inspector computes, DOM-free: a `LayeredNetwork` (read by the core's guarded
 * `readNetwork`, see `core/formats/read.ts`) in, its structure and metric figures, and motif Z-scores out. Runs inside the Inspector's Web Worker (and under
 * Node in the unit tests and the benchmark); the widget only draws what this returns.
 */
import { censusKeys, MOTIF_NAMES } from '../../core/census';
import type { NetworkFileKind } from '../../core/formats/detect';
import { liveEdges, motifGraph } from '../../core/live';
import { layerFluctuation, linkWeights, nodeStrength } from '../../core/metrics';
import { hasEdge, layerSizes, type LayeredNetwork } from '../../core/network';
import { type NullModel, prepareNullCensusOfGraph } from '../../core/nulls';
import {
  MIN_PARALLEL_WORK,
  type MotifSignificance,
  nullCensusOptionsOf,
  nullRunOf,
  realCensus,
  significanceFromSamples
} from '../../core/significance';
import { createNetwork, NetworkError } from '../../core/validate';
import { layerFluctuationFigure, linkWeightFigure } from '../../figures/metrics';
import { formatNumber } from '../../figures/format';
import { MOTIF_LABELS, motifZScoreFigure } from '../../figures/motifs';
import { networkView } from '../../figures/network';
import type { NetworkViewSpec } from '../../figures/network-spec';
import type { FigureSpec } from '../../figures/spec';
import { defaultLayerNames, nodeStrengthFigure } from '../../figures/strength';
import { sparsityPerLayerFigure } from '../../figures/training';
import type { ChainConvention } from '../../core/census';
import type { HelperStart } from './null-helper';

/** Where an Inspector's network came from: a file format, or a network-view output of a notebook. */
export type InspectorSourceKind = NetworkFileKind | 'network-view';

/** Structure of one weight layer as the Inspector's Structure and Sparsity tabs show it. */
export interface LayerStructure {
  /** `input → hidden 1`, …, `hidden k → output`. */
  readonly name: string;
  readonly nIn: number;
  readonly nOut: number;
  /** `nIn · nOut`: the connections of the dense layer. */
  readonly possible: number;
  /** Existing connections (mask allows, weight ≠ 0). */
  readonly edges: number;
  /** Connections left after ghost and dead neurons are removed (what the motif census counts). */
  readonly liveEdges: number;
  /** `edges / possible`. */
  readonly density: number;
  /** Activation recorded for the layer, if the file says. */
  readonly activation?: string;
  readonly hasBias: boolean;
}

/**
 * Most live edges the Inspector draws as a network view; larger networks show their numbers and figures
 * only (sigma.js stays fluid to about this size on an ordinary laptop, and the motif overlays grow with it).
 */
export const INSPECTOR_VIEW_MAX_EDGES = 50_000;

/** Everything the Inspector shows before any motif run. Plain data: it crosses the worker boundary. */
export interface InspectorReport {
  /** The file (or output) name shown in the title and in messages. */
  readonly name: string;
  readonly kind: InspectorSourceKind;
  /** Neurons per neuron layer. */
  readonly sizes: readonly number[];
  /** Live neurons (at least one live edge) per neuron layer. */
  readonly liveNeurons: readonly number[];
  readonly neuronLayerNames: readonly string[];
  readonly layers: readonly LayerStructure[];
  readonly totals: { readonly possible: number; readonly edges: number; readonly liveEdges: number };
  /** The network view (live neurons and edges), or `null` above {@link INSPECTOR_VIEW_MAX_EDGES} live edges. */
  readonly view: NetworkViewSpec | null;
  /** Node strength per neuron layer, layer fluctuation, link weights and sparsity per layer. */
  readonly figures: {
    readonly strength: FigureSpec;
    readonly fluctuation: FigureSpec;
    readonly linkWeights: FigureSpec;
    readonly sparsity: FigureSpec;
  };
}

/**
 * Decodes base64 (what the Jupyter contents API returns for binary files; line breaks allowed) to bytes.
 *
 * @throws {@link NetworkError} naming `source` when the text is not base64.
 * @example
 * ```ts
 * decodeBase64('AQID'); // Uint8Array [1, 2, 3]
 * ```
 */
export function decodeBase64(text: string, source?: string): Uint8Array {
  let binary: string;
  try {
    binary = atob(text.replace(/\s+/g, ''));
  } catch {
    throw new NetworkError('the server sent content that is not valid base64', { source });
  }
  const bytes = new Uint8Array(binary.length);
  for (let k = 0; k < binary.length; k++) bytes[k] = binary.charCodeAt(k);
  return bytes;
}

/** The last segment of a server path: what figure titles and legends call the network. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1) || path;
}

/**
 * The network a network-view output shows: its live edges with their weights, and the biases when the view
 * carries them (views written by this version do; older ones rebuild without biases), in layers of the
 * view's sizes.
 *
 * @param spec - an `application/vnd.nnmotifs.network+json` payload.
 * @param source - name used in error messages.
 * @throws {@link NetworkError} when an edge joins neurons that are not in adjacent layers or an index is
 *   out of range.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const spec = nm.figures.networkView(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })));
 * const net = networkFromView(spec, 'pruned net');
 * net.layers.map(l => [l.nIn, l.nOut]);
 * ```
 */
export function networkFromView(spec: NetworkViewSpec, source: string): LayeredNetwork {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const sizes = spec.layers.map(l => l.size);
  if (sizes.length < 2) fail(`the view has ${sizes.length} neuron layer(s); a network needs at least 2`);
  sizes.forEach((n, l) => {
    if (!Number.isInteger(n) || n < 1) fail(`neuron layer ${l} has size ${n}`);
  });
  const { layer, index } = spec.nodes;
  if (layer.length !== index.length) fail('the node arrays have different lengths');
  const { source: from, target: to, weight } = spec.edges;
  if (from.length !== to.length || from.length !== weight.length)
    fail('the edge arrays have different lengths');
  const matrices = sizes
    .slice(1)
    .map((nOut, l) => ({ nIn: sizes[l], nOut, data: new Float64Array(sizes[l] * nOut) }));
  const nodeAt = (k: number, role: string, e: number): { l: number; i: number } => {
    const l = layer[k];
    const i = index[k];
    if (!Number.isInteger(k) || k < 0 || k >= layer.length)
      fail(`edge ${e} has ${role} node ${k}, not a node of the view`);
    if (!(l >= 0 && l < sizes.length && i >= 0 && i < sizes[l] && Number.isInteger(i))) {
      fail(`node ${k} is neuron ${i} of layer ${l}, outside the view's layers`);
    }
    return { l, i };
  };
  for (let e = 0; e < from.length; e++) {
    const s = nodeAt(from[e], 'source', e);
    const t = nodeAt(to[e], 'target', e);
    if (t.l !== s.l + 1) fail(`edge ${e} joins layer ${s.l} to layer ${t.l}; only adjacent layers connect`);
    const m = matrices[s.l];
    m.data[s.i * m.nOut + t.i] = weight[e];
  }
  const biases = spec.biases;
  if (biases !== undefined && biases.length !== matrices.length) {
    fail(`the view has ${biases.length} bias entries for ${matrices.length} weight layers`);
  }
  return createNetwork(
    matrices.map((m, l) => {
      const bias = biases?.[l];
      return bias === undefined || bias === null ? { weights: m } : { weights: m, bias };
    }),
    { source, meta: { source, from: 'network view' } }
  );
}

/**
 * The structure of a network, its metric figures (node strength per layer, layer fluctuation, link-weight
 * distribution of the existing connections) and its sparsity per layer.
 *
 * @param net - the network.
 * @param name - the file or output name (figure titles, provenance).
 * @param kind - where the network came from.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * const report = inspectNetwork(net, 'runs/pruned.json', 'network-json');
 * report.totals.edges; // existing connections of the whole network
 * ```
 */
export function inspectNetwork(
  net: LayeredNetwork,
  name: string,
  kind: InspectorSourceKind
): InspectorReport {
  const sizes = layerSizes(net);
  const neuronLayerNames = defaultLayerNames(sizes.length);
  const live = liveEdges(net);
  const layers = net.layers.map((layer, l): LayerStructure => {
    let edges = 0;
    for (let i = 0; i < layer.nIn; i++)
      for (let j = 0; j < layer.nOut; j++) if (hasEdge(layer, i, j)) edges++;
    let liveCount = 0;
    for (const v of live.masks[l]) liveCount += v;
    const possible = layer.nIn * layer.nOut;
    return {
      name: `${neuronLayerNames[l]} → ${neuronLayerNames[l + 1]}`,
      nIn: layer.nIn,
      nOut: layer.nOut,
      possible,
      edges,
      liveEdges: liveCount,
      density: possible > 0 ? edges / possible : 0,
      ...(layer.activation !== undefined ? { activation: layer.activation } : {}),
      hasBias: layer.bias !== undefined
    };
  });
  const sum = (pick: (l: LayerStructure) => number): number => layers.reduce((s, l) => s + pick(l), 0);
  const provenance = { network: name, format: kind };
  const weightLayerNames = layers.map(l => l.name);
  const liveTotal = sum(l => l.liveEdges);
  return {
    name,
    kind,
    sizes,
    liveNeurons: live.live.map(flags => flags.reduce((s, v) => s + v, 0)),
    neuronLayerNames,
    layers,
    totals: { possible: sum(l => l.possible), edges: sum(l => l.edges), liveEdges: liveTotal },
    view:
      liveTotal <= INSPECTOR_VIEW_MAX_EDGES
        ? networkView(net, { title: baseName(name), layerNames: neuronLayerNames, provenance })
        : null,
    figures: {
      strength: nodeStrengthFigure(nodeStrength(net), { layerNames: neuronLayerNames, provenance }),
      fluctuation: layerFluctuationFigure([{ name: baseName(name), values: layerFluctuation(net) }], {
        layerNames: neuronLayerNames,
        provenance
      }),
      linkWeights: linkWeightFigure(linkWeights(net, { edgesOnly: true }), {
        title: 'Link-weight distribution per layer (existing connections and biases)',
        layerNames: weightLayerNames,
        provenance
      }),
      sparsity: sparsityPerLayerFigure([layers.map(l => 1 - l.density)], {
        layerNames: weightLayerNames,
        provenance
      })
    }
  };
}

/** What the Motifs form asks for: the null run of {@link computeMotifs}. */
export interface MotifRunOptions {
  /** Null samples, a positive integer. */
  readonly samples: number;
  readonly null: NullModel;
  readonly seed: number;
  readonly chain: ChainConvention;
  /** Count the bias node's edges (the authors' convention for trained MLPs). */
  readonly biasNode: boolean;
}

/** Hooks of {@link computeMotifs}: progress reports and cooperative cancellation. */
export interface MotifRunControl {
  /** Called after every chunk of null samples. */
  onProgress(done: number, total: number): void;
  /** Lets pending events (a cancel request) in between chunks; resolves to `true` to stop the run. */
  shouldStop(): Promise<boolean>;
  /** Milliseconds now (chunks are sized to take about {@link MOTIF_CHUNK_MS}). */
  now(): number;
  /**
   * Helper threads for a run (the Inspector's worker starts Web Workers of `null-helper.ts`, one per extra
   * core); asked once per run of at least {@link MIN_PARALLEL_WORK} sampled edges. None by default.
   */
  helpers?(): NullHelper[];
}

/** A thread that counts chunks of null samples for {@link computeMotifs}, in the order asked. */
export interface NullHelper {
  /** Sends the run (once, before any chunk). */
  start(run: HelperStart): void;
  /** Counts samples `start … start + samples − 1` (row-major counts). */
  count(start: number, samples: number): Promise<Float64Array>;
  /** Stops the thread. */
  stop(): void;
}

/** Target time of one chunk of null samples: short enough to cancel and report progress promptly. */
export const MOTIF_CHUNK_MS = 100;

/** Result of a finished motif run: the significance and its Z-score figure. */
export interface MotifRunResult {
  readonly result: MotifSignificance;
  readonly figure: FigureSpec;
}

/**
 * The rows of the Inspector's motif table (motif, count, null mean ± sd, Z, p), every number written by
 * the project's one formatter (`formatNumber`: grouped digits, no exponent, U+2212 minus signs like the
 * figures').
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * const rows = motifTableRows(nm.motifSignificance(net, { samples: 20, seed: 1 }));
 * rows.map(([motif, , , z]) => `${motif}: Z = ${z}`); // negative Z as '−1.071', like the figures
 * ```
 */
export function motifTableRows(result: MotifSignificance): string[][] {
  return MOTIF_NAMES.map(m => [
    MOTIF_LABELS[m] ?? m,
    formatNumber(result.counts[m]),
    `${formatNumber(result.null.mean[m])} ± ${formatNumber(result.null.sd[m])}`,
    formatNumber(result.z[m]),
    formatNumber(result.p[m])
  ]);
}

/**
 * Motif census with Z-scores against a null model, drawn in chunks of about {@link MOTIF_CHUNK_MS} so the
 * worker can report progress and take a cancel request between chunks. With `control.helpers` (runs of at
 * least {@link MIN_PARALLEL_WORK} sampled edges) helper threads count chunks too, as the kernel's worker
 * threads do. Sample `i` always uses the random stream of `(seed, i)`, so the result equals
 * `motifSignificance(net, options)` whatever the chunking and the threads.
 *
 * @returns the result and its figure, or `null` when `control.shouldStop()` asked to stop.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * const run = await computeMotifs(net, 'net.json', { samples: 200, null: 'random-pruning', seed: 1, chain: 'paths', biasNode: false }, {
 *   onProgress: (done, total) => console.log(done, total),
 *   shouldStop: async () => false,
 *   now: () => performance.now()
 * });
 * run?.result.z.biFan;
 * ```
 */
export async function computeMotifs(
  net: LayeredNetwork,
  name: string,
  options: MotifRunOptions,
  control: MotifRunControl
): Promise<MotifRunResult | null> {
  const { info, samples } = nullRunOf(options);
  if (samples < 1) throw new RangeError(`the number of nulls must be at least 1, got ${samples}`);
  const graph = motifGraph(net, info);
  const nullOptions = nullCensusOptionsOf(info, 20);
  const run = prepareNullCensusOfGraph(graph, nullOptions);
  const K = censusKeys(info.signed).length;
  const values = new Float64Array(samples * K);
  const edges = graph.layers.reduce((sum, l) => sum + l.rowPtr[l.nRows], 0);
  const helpers = samples * edges >= MIN_PARALLEL_WORK ? (control.helpers?.() ?? []) : [];
  const threads = 1 + helpers.length;
  let next = 0;
  let done = 0;
  let failed = false;
  let stopped = false;
  let failure: unknown;
  // A chunk of about MOTIF_CHUNK_MS (growing at most twofold), and no more than a share of what is left, so
  // the threads finish together.
  const take = (size: number): { start: number; n: number } => {
    const n = Math.max(1, Math.min(size, samples - next, Math.ceil((samples - next) / (2 * threads))));
    const start = next;
    next += n;
    return { start, n };
  };
  const resize = (n: number, elapsed: number): number =>
    Math.max(1, Math.min(2 * n, Math.floor(MOTIF_CHUNK_MS / (Math.max(elapsed, 0.01) / n))));
  const store = (start: number, chunk: Float64Array): void => {
    values.set(chunk, start * K);
    done += chunk.length / K;
    control.onProgress(done, samples);
  };
  // Two chunks queued per helper, so it never waits for this thread, which answers between its own chunks.
  const lanes: Promise<void>[] = [];
  for (const helper of helpers) {
    helper.start({ graph, options: nullOptions });
    for (let lane = 0; lane < 2; lane++) {
      lanes.push(
        (async () => {
          let size = 1;
          while (!failed && !stopped && next < samples) {
            const { start, n } = take(size);
            const t0 = control.now();
            store(start, await helper.count(start, n));
            size = resize(n, control.now() - t0);
          }
        })().catch((error: unknown) => {
          failed = true;
          failure = error;
        })
      );
    }
  }
  let real: Float64Array;
  try {
    // the real network's census while the helpers start (as the kernel's calling thread does)
    real = realCensus(net, info);
    let chunk = 1;
    while (!failed && next < samples) {
      const { start, n } = take(chunk);
      const t0 = control.now();
      const counted = run.count(start, n).values;
      const elapsed = control.now() - t0;
      store(start, counted);
      if (await control.shouldStop()) return null;
      chunk = resize(n, elapsed);
    }
    await Promise.all(lanes);
  } finally {
    stopped = true;
    for (const helper of helpers) helper.stop();
  }
  if (failed) throw failure instanceof Error ? failure : new Error(String(failure));
  const result = significanceFromSamples(net, values, info, real);
  const figure = motifZScoreFigure([{ name: baseName(name), result }], {
    title: `Motif Z-scores of ${baseName(name)} (${samples} ${info.model} nulls)`,
    provenance: { network: name }
  });
  return { result, figure };
}
