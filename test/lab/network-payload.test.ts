import { describe, expect, it } from 'vitest';
import { networkView } from '../../src/figures/network';
import { validateNetworkPayload } from '../../src/lab/network-payload';

const good = (): Record<string, unknown> =>
  JSON.parse(
    JSON.stringify(
      networkView(
        {
          layers: [
            { nIn: 2, nOut: 2, weights: Float64Array.of(1, -1, 0.5, 2) },
            { nIn: 2, nOut: 1, weights: Float64Array.of(1, -1) }
          ]
        },
        { motifs: ['biFan', 'soChain'] }
      )
    )
  ) as Record<string, unknown>;

const errorOf = (payload: unknown): string => {
  const result = validateNetworkPayload(payload);
  if (result.ok) throw new Error('expected the payload to be refused');
  return result.error;
};

describe('validateNetworkPayload', () => {
  it('accepts what networkView builds, also as JSON text, and keeps hostile strings as text', () => {
    const payload = good();
    const result = validateNetworkPayload(payload);
    expect(result.ok && result.spec).toEqual(payload);
    const hostile = good();
    (hostile.layers as { name: string }[])[0].name = '<script>alert(1)</script>';
    const parsed = validateNetworkPayload(JSON.stringify(hostile));
    expect(parsed.ok && parsed.spec.layers[0].name).toBe('<script>alert(1)</script>');
  });

  it('checks the biases a view carries: one entry per weight layer, one value per neuron', () => {
    const withBias = { ...good(), biases: [[0.5, -1], null] };
    const result = validateNetworkPayload(withBias);
    expect(result.ok && result.spec.biases).toEqual([[0.5, -1], null]);
    expect(errorOf({ ...good(), biases: [[0.5, -1]] })).toBe(
      'biases has 1 entries, expected 2 (one per weight layer)'
    );
    expect(errorOf({ ...good(), biases: [[0.5], null] })).toBe('biases[0] has 1 values, expected 2');
    expect(errorOf({ ...good(), biases: [[0.5, 'x'], null] })).toMatch(/^biases\[0\]/);
  });

  it('names what is wrong: types, lengths, indices, numbers, versions', () => {
    expect(errorOf(42)).toMatch(/a number, expected an object/);
    expect(errorOf({ ...good(), version: 2 })).toMatch(/made by a newer nnmotifs/);
    expect(errorOf({ ...good(), layers: 'three' })).toMatch(/^layers: /);
    const p1 = good();
    (p1.edges as { target: unknown[] }).target.pop();
    expect(errorOf(p1)).toMatch(/edges.target has 5 entries but edges.source has 6/);
    const p2 = good();
    (p2.edges as { source: unknown[] }).source[3] = 99;
    expect(errorOf(p2)).toMatch(/edges.source\[3\] = 99 is not an integer in \[0, 5\)/);
    const p3 = good();
    (p3.edges as { weight: unknown[] }).weight[0] = 'heavy';
    expect(errorOf(p3)).toMatch(/edges.weight\[0\] is not a finite number/);
    const p4 = good();
    (p4.overlays as { instances: number[][] }[])[0].instances[0][0] = 6;
    expect(errorOf(p4)).toMatch(/overlays\[0\].instances\[0\]\[0\] = 6/);
    const p5 = good();
    (p5.overlays as { motif: string }[])[0].motif = 'triangle';
    expect(errorOf(p5)).toMatch(/overlays\[0\].motif/);
    expect(errorOf('{"version": 1,')).toMatch(/not valid JSON/);
  });

  it('refuses absurd sizes before walking them', () => {
    const huge = good();
    // a 10 M edge claim: sparse arrays cost nothing to build but would take seconds to walk
    const claim = new Array<number>(10_000_000);
    huge.edges = { source: claim, target: claim, weight: claim };
    expect(errorOf(huge)).toMatch(/edges.source has 10000000 entries; a view holds at most 2000000 edges/);
  });
});

describe('highlight (the motif a view opens with)', () => {
  it('is the first motif the caller named, kept by validation, dropped when it names no overlay', () => {
    const payload = good();
    expect(payload.highlight).toBe('biFan');
    const result = validateNetworkPayload(payload);
    expect(result.ok && result.spec.highlight).toBe('biFan');
    const stray = validateNetworkPayload({ ...payload, highlight: 'toChain' });
    expect(stray.ok && stray.spec.highlight).toBeUndefined();
    expect(errorOf({ ...payload, highlight: 'nonsense' })).toMatch(/highlight/);
    const plain = networkView({ layers: [{ nIn: 1, nOut: 1, weights: Float64Array.of(1) }] });
    expect(plain.highlight).toBeUndefined();
  });
});
