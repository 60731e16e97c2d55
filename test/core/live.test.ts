import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { liveEdges, motifGraph } from '../../src/core/live';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { arbNetwork, randomNetwork } from './helpers/random-network';

/** Dense layer from nested rows (0 = no edge). */
const dense = (rows: number[][], bias?: number[]): Layer => ({
  nIn: rows.length,
  nOut: rows[0].length,
  weights: Float64Array.from(rows.flat()),
  ...(bias === undefined ? {} : { bias: Float64Array.from(bias) })
});

/**
 * Reference: repeat "remove out-edges of every non-input node without in-edges, remove in-edges of every
 * non-output node without out-edges" over an explicit edge set until nothing changes.
 */
function naiveLive(
  net: LayeredNetwork,
  biasNode: boolean
): { w: boolean[][][]; b: (boolean[] | undefined)[] } {
  const L = net.layers.length;
  const w = net.layers.map(layer =>
    Array.from({ length: layer.nIn }, (_, i) =>
      Array.from(
        { length: layer.nOut },
        (_, j) =>
          (layer.mask === undefined || layer.mask[i * layer.nOut + j] !== 0) &&
          layer.weights[i * layer.nOut + j] !== 0
      )
    )
  );
  const b = net.layers.map(layer =>
    biasNode && layer.bias !== undefined ? Array.from(layer.bias, v => v !== 0) : undefined
  );
  const hasIn = (k: number, j: number): boolean =>
    w[k - 1].some(row => row[j]) || (b[k - 1] !== undefined && (b[k - 1] as boolean[])[j]);
  const hasOut = (k: number, j: number): boolean => w[k][j].some(x => x);
  for (let changed = true; changed;) {
    changed = false;
    for (let k = 1; k < L; k++) {
      for (let j = 0; j < net.layers[k].nIn; j++) {
        if (!hasIn(k, j) && hasOut(k, j)) {
          w[k][j].fill(false);
          changed = true;
        }
        if (!hasOut(k, j) && hasIn(k, j)) {
          for (const row of w[k - 1]) row[j] = false;
          const bk = b[k - 1];
          if (bk !== undefined) bk[j] = false;
          changed = true;
        }
      }
    }
  }
  return { w, b };
}

describe('liveEdges', () => {
  it('removes the out-edges of a ghost and the in-edges of a dead neuron', () => {
    // hidden 0 is fed and feeds the output; hidden 1 has no input (ghost); hidden 2 feeds nothing (dead)
    const net = { layers: [dense([[1, 0, 2]]), dense([[3], [4], [0]])] };
    const live = liveEdges(net);
    expect(Array.from(live.masks[0])).toEqual([1, 0, 0]);
    expect(Array.from(live.masks[1])).toEqual([1, 0, 0]);
    expect(Array.from(live.live[1])).toEqual([1, 0, 0]);
    expect(Array.from(live.live[0])).toEqual([1]);
    expect(Array.from(live.live[2])).toEqual([1]);
  });

  it('propagates ghosts forward and dead neurons backward across layers', () => {
    const net = {
      layers: [
        dense([[0, 1]]),
        dense([
          [1, 0],
          [0, 1]
        ]),
        dense([[1], [0]])
      ]
    };
    // input feeds hidden1[1] only; hidden1[0] is a ghost -> hidden2[0] a ghost; hidden2[1] is dead -> hidden1[1] dead
    const live = liveEdges(net);
    expect(live.masks.map(m => Array.from(m))).toEqual([
      [0, 0],
      [0, 0, 0, 0],
      [0, 0]
    ]);
  });

  it('counts a bias edge as an input only with biasNode, and a dead neuron loses its bias edge', () => {
    const net = { layers: [dense([[0, 1]], [5, 6]), dense([[1], [0]])] };
    expect(Array.from(liveEdges(net).masks[1])).toEqual([0, 0]);
    const withBias = liveEdges(net, { biasNode: true });
    expect(Array.from(withBias.masks[1])).toEqual([1, 0]);
    expect(Array.from(withBias.biasMasks[0] as Uint8Array)).toEqual([1, 0]);
    expect(withBias.liveBias[0]).toBe(1);
  });

  it('does not crash on an output neuron without inputs (the authors index past the last layer there)', () => {
    const net = { layers: [dense([[1, 0]])] };
    const live = liveEdges(net);
    expect(Array.from(live.masks[0])).toEqual([1, 0]);
    expect(Array.from(live.live[1])).toEqual([1, 0]);
  });

  it('keeps every existing edge with pruneDeadGhost: false', () => {
    const net = { layers: [dense([[0, 1]]), dense([[1], [0]])] };
    expect(liveEdges(net, { pruneDeadGhost: false }).masks.map(m => Array.from(m))).toEqual([
      [0, 1],
      [1, 0]
    ]);
  });

  it('equals the naive fixed point on many random networks', () => {
    const rng = createRng(11);
    for (let n = 0; n < 400; n++) {
      const net = randomNetwork(rng, { maxLayers: 5, maxWidth: 5 });
      for (const biasNode of [false, true]) {
        const live = liveEdges(net, { biasNode });
        const ref = naiveLive(net, biasNode);
        net.layers.forEach((_layer, l) => {
          expect(Array.from(live.masks[l], x => x !== 0)).toEqual(ref.w[l].flat());
          const bm = live.biasMasks[l];
          expect(bm === undefined ? undefined : Array.from(bm, x => x !== 0)).toEqual(ref.b[l]);
        });
      }
    }
  });

  it('leaves no hidden neuron with edges on one side only (property)', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.boolean(), (net, biasNode) => {
        const live = liveEdges(net, { biasNode });
        for (let k = 1; k < net.layers.length; k++) {
          const prev = net.layers[k - 1];
          const next = net.layers[k];
          for (let j = 0; j < next.nIn; j++) {
            let inc = live.biasMasks[k - 1]?.[j] ?? 0;
            for (let i = 0; i < prev.nIn; i++) inc += live.masks[k - 1][i * prev.nOut + j];
            let out = 0;
            for (let c = 0; c < next.nOut; c++) out += live.masks[k][j * next.nOut + c];
            if (inc > 0 !== out > 0) return false;
            if (inc > 0 !== (live.live[k][j] === 1)) return false;
          }
        }
        return true;
      })
    );
  });
});

describe('motifGraph', () => {
  it('adds the bias node as the last row and keeps signs', () => {
    const g = motifGraph({ layers: [dense([[1, -2]], [-3, 0])] }, { biasNode: true });
    const [layer] = g.layers;
    expect(layer.nRows).toBe(2);
    expect(layer.nReal).toBe(1);
    expect(Array.from(layer.rowPtr)).toEqual([0, 2, 3]);
    expect(Array.from(layer.colIdx)).toEqual([0, 1, 0]);
    expect(Array.from(layer.neg)).toEqual([0, 1, 1]);
  });

  it('has no bias row without biasNode or without a bias', () => {
    const net = { layers: [dense([[1, -2]], [3, 4]), dense([[1], [1]])] };
    expect(motifGraph(net).layers.map(l => l.nRows)).toEqual([1, 2]);
    expect(motifGraph(net, { biasNode: true }).layers.map(l => l.nRows)).toEqual([2, 2]);
  });
});
