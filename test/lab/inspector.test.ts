/**
 * The Network Inspector's logic, without a browser: reading network files from bytes, the structure and
 * figures it shows, motif runs with progress and cancellation, the worker's message protocol and the
 * Motifs form.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hasEdge, type LayeredNetwork } from '../../src/core/network';
import { motifSignificance } from '../../src/core/significance';
import { createRng } from '../../src/core/random';
import { serializeNetwork } from '../../src/core/io';
import { MOTIF_NAMES } from '../../src/core/census';
import { formatNumber } from '../../src/figures/format';
import { MOTIF_LABELS } from '../../src/figures/motifs';
import { networkView } from '../../src/figures/network';
import type { NetworkViewSpec } from '../../src/figures/network-spec';
import {
  computeMotifs,
  decodeBase64,
  motifTableRows,
  inspectNetwork,
  type MotifRunOptions,
  networkFromView
} from '../../src/lab/inspector/analysis';
import {
  parseMotifForm,
  type InspectorRequest,
  type InspectorResponse
} from '../../src/lab/inspector/protocol';
import type { HelperResult, HelperStart } from '../../src/lab/inspector/null-helper';
import {
  type HelperPort,
  HelperPool,
  InspectorWorkerCore,
  workerHelper
} from '../../src/lab/inspector/worker-core';
import { type PreparedNullCensus, prepareNullCensusOfGraph } from '../../src/core/nulls';
import { fixture } from '../core/formats/helpers';
import { arbNetwork, randomNetwork } from '../core/helpers/random-network';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

/** A 4-6-5-3 network at about 40 % density, with biases: enough structure for every motif. */
function sparseNetwork(seed = 3, sizes = [4, 6, 5, 3]): LayeredNetwork {
  const rng = createRng(seed);
  return {
    layers: sizes.slice(1).map((nOut, l) => ({
      nIn: sizes[l],
      nOut,
      weights: Float64Array.from({ length: sizes[l] * nOut }, () => (rng.next() < 0.4 ? rng.normal() : 0)),
      bias: Float64Array.from({ length: nOut }, () => rng.normal())
    }))
  };
}

const RUN: MotifRunOptions = { samples: 60, null: 'random-pruning', seed: 5, chain: 'paths', biasNode: true };

describe('decodeBase64', () => {
  it('inverts base64 encoding for any bytes, line breaks allowed', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), bytes => {
        const text = Buffer.from(bytes)
          .toString('base64')
          .replace(/(.{76})/g, '$1\n');
        expect(Array.from(decodeBase64(text))).toEqual(Array.from(bytes));
      })
    );
  });

  it('names the file when the text is not base64', () => {
    expect(() => decodeBase64('a$b', 'w.npz')).toThrow(
      'w.npz: the server sent content that is not valid base64'
    );
  });
});

describe('inspectNetwork', () => {
  it('counts connections, live connections and density per layer as a brute-force count does', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const net = randomNetwork(createRng(seed));
      const report = inspectNetwork(net, 'r.json', 'network-json');
      expect(report.sizes).toEqual([net.layers[0].nIn, ...net.layers.map(l => l.nOut)]);
      net.layers.forEach((layer, l) => {
        let edges = 0;
        for (let i = 0; i < layer.nIn; i++)
          for (let j = 0; j < layer.nOut; j++) if (hasEdge(layer, i, j)) edges++;
        const row = report.layers[l];
        expect(row.edges).toBe(edges);
        expect(row.possible).toBe(layer.nIn * layer.nOut);
        expect(row.density).toBeCloseTo(edges / (layer.nIn * layer.nOut), 12);
        expect(row.liveEdges).toBeLessThanOrEqual(edges);
      });
      expect(report.totals.edges).toBe(report.layers.reduce((s, l) => s + l.edges, 0));
    }
  });

  it('names the layers and builds the four metric figures', () => {
    const report = inspectNetwork(sparseNetwork(), 'net.json', 'network-json');
    expect(report.neuronLayerNames).toEqual(['input', 'hidden 1', 'hidden 2', 'output']);
    expect(report.layers.map(l => l.name)).toEqual([
      'input → hidden 1',
      'hidden 1 → hidden 2',
      'hidden 2 → output'
    ]);
    expect(report.figures.strength.data).toHaveLength(4);
    expect(report.figures.fluctuation.data).toHaveLength(1);
    expect(report.figures.linkWeights.data).toHaveLength(3);
    expect(report.figures.sparsity.data[0].y).toEqual(report.layers.map(l => 100 * (1 - l.density)));
  });
});

describe('networkFromView', () => {
  /** A view of `net` as the network-view builder lays it out: every existing edge, nodes per neuron. */
  function viewOf(net: LayeredNetwork): NetworkViewSpec {
    const sizes = [net.layers[0].nIn, ...net.layers.map(l => l.nOut)];
    const offset = sizes.map((_, l) => sizes.slice(0, l).reduce((s, n) => s + n, 0));
    const nodes = {
      layer: [] as number[],
      index: [] as number[],
      strength: [] as number[],
      degree: [] as number[]
    };
    sizes.forEach((n, l) => {
      for (let i = 0; i < n; i++) {
        nodes.layer.push(l);
        nodes.index.push(i);
        nodes.strength.push(0);
        nodes.degree.push(0);
      }
    });
    const edges = { source: [] as number[], target: [] as number[], weight: [] as number[] };
    net.layers.forEach((layer, l) => {
      for (let i = 0; i < layer.nIn; i++)
        for (let j = 0; j < layer.nOut; j++)
          if (hasEdge(layer, i, j)) {
            edges.source.push(offset[l] + i);
            edges.target.push(offset[l + 1] + j);
            edges.weight.push(layer.weights[i * layer.nOut + j]);
          }
    });
    return {
      version: 1,
      layers: sizes.map((size, l) => ({ name: `layer ${l}`, size })),
      nodes,
      edges,
      overlays: [],
      meta: { kind: 'networkView', title: 'view', exportName: 'view', provenance: {} }
    };
  }

  it("carries the biases of the kernel network view, so bias-node motif results equal the kernel's", () => {
    const net = sparseNetwork(7);
    const spec = networkView(net, { pruneDeadGhost: false });
    const back = networkFromView(spec, 'view');
    back.layers.forEach((layer, l) => {
      expect(Array.from(layer.bias ?? [])).toEqual(Array.from(net.layers[l].bias ?? []));
    });
    const options = { samples: 30, seed: 2, biasNode: true } as const;
    expect(motifSignificance(back, options).counts).toEqual(motifSignificance(net, options).counts);
    expect(motifSignificance(back, options).z).toEqual(motifSignificance(net, options).z);
    // A view without biases (older payloads) still opens, without them; a mismatched list is an error.
    const { biases: _dropped, ...old } = spec;
    expect(networkFromView(old, 'old').layers.every(l => l.bias === undefined)).toBe(true);
    expect(() => networkFromView({ ...spec, biases: [null] }, 'bad')).toThrow(
      'bad: the view has 1 bias entries for 3 weight layers'
    );
  });

  it('rebuilds the existing edges of any network with their weights', () => {
    fc.assert(
      fc.property(arbNetwork(), net => {
        const back = networkFromView(viewOf(net), 'view');
        back.layers.forEach((layer, l) => {
          const original = net.layers[l];
          expect([layer.nIn, layer.nOut]).toEqual([original.nIn, original.nOut]);
          for (let k = 0; k < layer.weights.length; k++) {
            const i = Math.floor(k / layer.nOut);
            const j = k % layer.nOut;
            expect(layer.weights[k]).toBe(hasEdge(original, i, j) ? original.weights[k] : 0);
          }
        });
      })
    );
  });

  it('rejects edges between non-adjacent layers and nodes out of range, naming the view', () => {
    const view = viewOf(sparseNetwork());
    const skip = { ...view, edges: { source: [0], target: [view.nodes.layer.indexOf(2)], weight: [1] } };
    expect(() => networkFromView(skip, 'out 3')).toThrow('out 3: edge 0 joins layer 0 to layer 2');
    const missing = { ...view, edges: { source: [0], target: [10_000], weight: [1] } };
    expect(() => networkFromView(missing, 'out 3')).toThrow('out 3: edge 0 has target node 10000');
  });
});

describe('computeMotifs', () => {
  const control = (stopAfter = Infinity, progress: number[][] = []) => ({
    onProgress: (done: number, total: number) => progress.push([done, total]),
    shouldStop: async () => (progress.at(-1)?.[0] ?? 0) >= stopAfter,
    now: (() => {
      let t = 0;
      return () => (t += 7); // every chunk "takes" 7 ms per clock read pair: chunks grow, then level off
    })()
  });

  it('equals motifSignificance for the same options, whatever the chunking', async () => {
    const net = sparseNetwork();
    const progress: number[][] = [];
    const run = await computeMotifs(net, 'net.json', RUN, control(Infinity, progress));
    const reference = motifSignificance(net, {
      samples: RUN.samples,
      null: RUN.null,
      seed: RUN.seed,
      chain: RUN.chain,
      biasNode: true
    });
    expect(run?.result.counts).toEqual(reference.counts);
    expect(run?.result.z).toEqual(reference.z);
    expect(run?.result.p).toEqual(reference.p);
    expect(run?.figure.meta.kind).toBe('motifZScores');
    // Progress rises strictly to the total, in more than one chunk.
    expect(progress.length).toBeGreaterThan(1);
    expect(progress.at(-1)).toEqual([RUN.samples, RUN.samples]);
    progress.slice(1).forEach((p, k) => expect(p[0]).toBeGreaterThan(progress[k][0]));
  });

  it("writes the motif table's numbers like the figures: negative Z with U+2212, no hyphen-minus", async () => {
    const run = await computeMotifs(sparseNetwork(), 'net.json', RUN, control());
    const result = run!.result;
    const rows = motifTableRows(result);
    expect(rows.map(r => r[0])).toEqual(MOTIF_NAMES.map(m => MOTIF_LABELS[m] ?? m));
    const negative = MOTIF_NAMES.filter(m => result.z[m] < 0);
    expect(negative.length).toBeGreaterThan(0);
    for (const [k, m] of MOTIF_NAMES.entries()) {
      const [, count, nullMeanSd, z, p] = rows[k];
      expect([count, nullMeanSd, z, p].join(' ')).not.toMatch(/-/);
      expect(z).toBe(formatNumber(result.z[m]));
      if (result.z[m] < 0) {
        expect(z).toMatch(/^\u2212\d/);
        expect(Number(z.replace('\u2212', '-').replace(/,/g, ''))).toBeCloseTo(result.z[m], 2);
      }
      expect(nullMeanSd).toBe(`${formatNumber(result.null.mean[m])} ± ${formatNumber(result.null.sd[m])}`);
    }
  });

  it('calls the network by its file name, not its folder, in the figure', async () => {
    const run = await computeMotifs(sparseNetwork(), 'runs/a/net.json', { ...RUN, samples: 5 }, control());
    expect(run?.figure.meta.title).toBe('Motif Z-scores of net.json (5 random-pruning nulls)');
  });

  it('stops between chunks when asked and returns null', async () => {
    const progress: number[][] = [];
    const run = await computeMotifs(
      sparseNetwork(),
      'net.json',
      { ...RUN, samples: 10_000 },
      control(3, progress)
    );
    expect(run).toBeNull();
    expect(progress.at(-1)?.[0]).toBeLessThan(10_000);
  });
});

// A stand-in for a Web Worker running null-helper.ts: the same messages, answered on a later task.
function fakeHelperPort(log: { chunks: number; stopped: boolean }, failAt = -1): HelperPort {
  let run: PreparedNullCensus | undefined;
  const port: HelperPort = {
    onmessage: null,
    onerror: null,
    postMessage: message => {
      if ('graph' in message) {
        const start: HelperStart = message;
        run = prepareNullCensusOfGraph(start.graph, start.options);
        return;
      }
      setTimeout(() => {
        if (log.stopped || run === undefined) return;
        log.chunks++;
        const data: HelperResult =
          message.start === failAt
            ? { start: message.start, error: 'helper out of memory' }
            : { start: message.start, values: run.count(message.start, message.samples).values };
        port.onmessage?.({ data });
      }, 0);
    },
    terminate: () => {
      log.stopped = true;
    }
  };
  return port;
}
describe('computeMotifs with helper workers', () => {
  // ~300 live edges × 8,000 samples: above MIN_PARALLEL_WORK, so the helpers are asked for
  const big: MotifRunOptions = { ...RUN, samples: 8_000, null: 'gnm' };
  const net = sparseNetwork(4, [16, 20, 20, 8]);
  const control = (helpers: () => ReturnType<typeof workerHelper>[]) => ({
    onProgress: () => undefined,
    shouldStop: () => new Promise<boolean>(resolve => setTimeout(() => resolve(false), 0)),
    now: () => performance.now(),
    helpers
  });

  it('equals motifSignificance when two helpers count chunks too, and stops them at the end', async () => {
    const logs = [
      { chunks: 0, stopped: false },
      { chunks: 0, stopped: false }
    ];
    const run = await computeMotifs(
      net,
      'net.json',
      big,
      control(() => logs.map(log => workerHelper(fakeHelperPort(log))))
    );
    const reference = motifSignificance(net, { ...big, biasNode: true });
    expect(run?.result.z).toEqual(reference.z);
    expect(run?.result.p).toEqual(reference.p);
    for (const log of logs) {
      expect(log.chunks).toBeGreaterThan(0);
      expect(log.stopped).toBe(true);
    }
  });

  it('asks for no helpers on a small run', async () => {
    let asked = 0;
    await computeMotifs(
      net,
      'net.json',
      { ...big, samples: 50 },
      control(() => {
        asked++;
        return [];
      })
    );
    expect(asked).toBe(0);
  });

  it("fails with the helper's error", async () => {
    const log = { chunks: 0, stopped: false };
    await expect(
      computeMotifs(
        net,
        'net.json',
        big,
        control(() => [workerHelper(fakeHelperPort(log, 0))])
      )
    ).rejects.toThrow('helper out of memory');
    expect(log.stopped).toBe(true);
  });
});

describe('HelperPool: helper workers kept from run to run', () => {
  // the stand-in workers, with a log per worker started
  function pooled(failAt = -1) {
    const logs: { chunks: number; stopped: boolean }[] = [];
    const pool = new HelperPool(2, () => {
      const log = { chunks: 0, stopped: false };
      logs.push(log);
      return fakeHelperPort(log, logs.length === 1 ? failAt : -1); // only the first worker fails
    });
    return { pool, logs };
  }
  const big: MotifRunOptions = { ...RUN, samples: 8_000, null: 'gnm' };
  const net = sparseNetwork(4, [16, 20, 20, 8]);
  const control = (pool: HelperPool, stopAfter = Infinity) => {
    let chunks = 0;
    return {
      onProgress: () => undefined,
      shouldStop: () => new Promise<boolean>(resolve => setTimeout(() => resolve(++chunks > stopAfter), 0)),
      now: () => performance.now(),
      helpers: () => pool.take()
    };
  };

  it('keeps the helpers of a finished run for the next one, with the same result', async () => {
    const { pool, logs } = pooled();
    pool.prestart();
    expect(logs).toHaveLength(2);
    const reference = motifSignificance(net, { ...big, biasNode: true });
    for (let round = 0; round < 3; round++) {
      const run = await computeMotifs(net, 'net.json', big, control(pool));
      expect(run?.result.z).toEqual(reference.z);
    }
    // two workers for three runs, none terminated, and both counted chunks
    expect(logs).toHaveLength(2);
    expect(logs.map(log => log.stopped)).toEqual([false, false]);
    for (const log of logs) expect(log.chunks).toBeGreaterThan(0);
  });

  it('terminates the helpers of a cancelled run and starts new ones for the next run', async () => {
    const { pool, logs } = pooled();
    expect(await computeMotifs(net, 'net.json', big, control(pool, 2))).toBeNull();
    expect(logs.filter(log => log.stopped).length).toBeGreaterThan(0);
    const before = logs.length;
    const run = await computeMotifs(net, 'net.json', big, control(pool));
    expect(run?.result.z).toEqual(motifSignificance(net, { ...big, biasNode: true }).z);
    // the terminated ones were replaced; no stale answer of the cancelled run reached the new one
    expect(logs.length).toBe(before + logs.slice(0, before).filter(log => log.stopped).length);
  });

  it('terminates a helper that failed instead of keeping it', async () => {
    const { pool, logs } = pooled(0);
    await expect(computeMotifs(net, 'net.json', big, control(pool))).rejects.toThrow('helper out of memory');
    expect(logs[0].stopped).toBe(true);
    const run = await computeMotifs(net, 'net.json', big, control(pool));
    expect(run?.result.z).toEqual(motifSignificance(net, { ...big, biasNode: true }).z);
  });
});

describe('parseMotifForm', () => {
  const form = { samples: '1000', null: 'gnm', seed: '7', chain: 'pairs', biasNode: false };

  it('accepts the defaults and every null model core offers', () => {
    expect(parseMotifForm(form)).toEqual({
      ok: true,
      options: { samples: 1000, null: 'gnm', seed: 7, chain: 'pairs', biasNode: false }
    });
  });

  it('names the field that is wrong', () => {
    expect(parseMotifForm({ ...form, samples: '0' })).toMatchObject({ ok: false, field: 'samples' });
    expect(parseMotifForm({ ...form, samples: '2.5' })).toMatchObject({ ok: false, field: 'samples' });
    expect(parseMotifForm({ ...form, null: 'erdos' })).toMatchObject({
      ok: false,
      field: 'null',
      error: 'unknown null model "erdos"'
    });
    expect(parseMotifForm({ ...form, seed: '-1' })).toMatchObject({ ok: false, field: 'seed' });
    expect(parseMotifForm({ ...form, chain: 'walks' })).toMatchObject({ ok: false, field: 'chain' });
  });
});

describe('InspectorWorkerCore (the worker protocol)', () => {
  function session(): { responses: InspectorResponse[]; send: (r: InspectorRequest) => Promise<void> } {
    const responses: InspectorResponse[] = [];
    const core = new InspectorWorkerCore(r => responses.push(r));
    return { responses, send: r => core.handle(r) };
  }

  it('opens a file and answers with its report', async () => {
    const { responses, send } = session();
    await send({ type: 'open-file', name: 'net.json', bytes: encode(serializeNetwork(sparseNetwork())) });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ type: 'opened', report: { name: 'net.json', sizes: [4, 6, 5, 3] } });
  });

  it('asks for each TF.js shard by its normalised path and budget, and opens the model once they arrive', async () => {
    for (const outcome of ['file', 'file-failed'] as const) {
      const { responses, send } = session();
      const opening = send({
        type: 'open-file',
        name: 'm/model.json',
        bytes: fixture('keras_sequential/model.json'),
        maxMemory: 1_000_000
      });
      const shardNames = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
      for (const [k, p] of shardNames.entries()) {
        await new Promise(resolve => setTimeout(resolve, 0));
        const asked = responses[k];
        expect(asked).toMatchObject({ type: 'need-file', path: p });
        if (asked.type !== 'need-file') throw new Error('expected need-file');
        expect(asked.maxBytes).toBeLessThan(1_000_000);
        if (outcome === 'file') {
          await send({ type: 'file', request: asked.request, bytes: fixture(`keras_sequential/${p}`) });
        } else {
          await send({ type: 'file-failed', request: asked.request, message: 'm/group1-shard1of2.bin: 404' });
          break;
        }
      }
      await opening;
      const last = responses[responses.length - 1];
      expect(last.type).toBe(outcome === 'file' ? 'opened' : 'open-failed');
      if (last.type === 'open-failed') {
        expect(last.message).toBe(
          'm/model.json: cannot read weight shard "group1-shard1of2.bin" (m/group1-shard1of2.bin: 404)'
        );
      }
    }
  });

  it('refuses, through the core reader, a file whose declared sizes exceed the memory budget', async () => {
    const { responses, send } = session();
    await send({
      type: 'open-file',
      name: 'big.safetensors',
      bytes: fixture('sequential_f64.safetensors'),
      maxMemory: 2048
    });
    expect(responses).toHaveLength(1);
    expect(responses[0]).toMatchObject({ type: 'open-failed' });
    if (responses[0].type === 'open-failed') expect(responses[0].message).toMatch(/memory budget/);
  });

  it('reports a malformed file as open-failed, never as an exception', async () => {
    const { responses, send } = session();
    await send({
      type: 'open-file',
      name: 'broken.network.json',
      bytes: encode('{"format": "nnmotifs.network", "version": 1, "layers": []')
    });
    expect(responses).toHaveLength(1);
    expect(responses[0].type).toBe('open-failed');
    if (responses[0].type === 'open-failed') expect(responses[0].message).toMatch(/^broken\.network\.json: /);
  });

  it('runs motifs with progress and a result; a cancel stops the run it names', async () => {
    const { responses, send } = session();
    await send({ type: 'open-file', name: 'net.json', bytes: encode(serializeNetwork(sparseNetwork())) });
    await send({ type: 'motifs', run: 1, options: RUN });
    const run1 = responses.filter(r => 'run' in r && r.run === 1);
    expect(run1.at(-1)?.type).toBe('motifs-done');
    expect(run1.slice(0, -1).every(r => r.type === 'progress')).toBe(true);

    const running = send({ type: 'motifs', run: 2, options: { ...RUN, samples: 100_000 } });
    await new Promise(resolve => setTimeout(resolve, 20));
    await send({ type: 'cancel', run: 2 });
    await running;
    const run2 = responses.filter(r => 'run' in r && r.run === 2);
    expect(run2.at(-1)?.type).toBe('motifs-cancelled');
    const last = run2.filter(r => r.type === 'progress').at(-1);
    expect(last?.type === 'progress' && last.done < 100_000).toBe(true);
  });

  it('refuses a motif run before a network is open', async () => {
    const { responses, send } = session();
    await send({ type: 'motifs', run: 1, options: RUN });
    expect(responses).toEqual([{ type: 'motifs-failed', run: 1, message: 'no network is open' }]);
  });
});
