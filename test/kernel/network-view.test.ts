import { afterEach, describe, expect, it, vi } from 'vitest';
import * as nm from '../../src/kernel/index';
import { NETWORK_MIME } from '../../src/figures/spec';
import type { NetworkViewSpec } from '../../src/figures/network-spec';

const net: nm.LayeredNetwork = {
  layers: [
    { nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0.5, 2) },
    { nIn: 2, nOut: 1, weights: Float64Array.of(1, -1) }
  ],
  meta: { source: 'tiny.json' }
};

afterEach(() => {
  nm.registerDisplayAdapter(undefined);
  vi.restoreAllMocks();
});

describe('show.network', () => {
  it('sends the network MIME bundle with a text/plain summary in a notebook', () => {
    const sent: { data: Record<string, unknown> }[] = [];
    // A stand-in kernel: display.ts sends through the registered adapter, as in tslab or Deno.
    nm.registerDisplayAdapter({ kernel: 'tslab', send: msg => sent.push(msg) });
    nm.show.network(net, { motifs: ['biFan'], title: 'Tiny' });
    expect(sent).toHaveLength(1);
    const spec = sent[0].data[NETWORK_MIME] as NetworkViewSpec;
    expect(spec.meta).toMatchObject({ kind: 'networkView', title: 'Tiny' });
    expect(spec.meta.provenance.network).toBe('tiny.json');
    expect(spec.edges.weight).toEqual([1, -1, 0.5, 2, 1, -1]);
    expect(spec.overlays.map(o => [o.motif, o.total])).toEqual([['biFan', 1]]);
    expect(sent[0].data['text/plain']).toMatch(
      /^\[nnmotifs network\] Tiny: 5 live neurons, 6 live edges in 3 layers/
    );
  });

  it('prints the summary outside a notebook, and networkView is exported for custom displays', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    nm.show.network(net);
    expect(log).toHaveBeenCalledWith(expect.stringContaining('bi-fan (1)'));
    expect(nm.figures.networkView(net).nodes.layer).toEqual([0, 0, 1, 1, 2]);
  });
});
