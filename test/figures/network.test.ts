import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOTIF_NAMES, motifCensus } from '../../src/core/census';
import { liveEdges } from '../../src/core/live';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { networkView } from '../../src/figures/network';
import { layeredLayout } from '../../src/render/network-layout';
import { NETWORK_VIEW_MAX_EDGES, type NetworkViewSpec } from '../../src/figures/network-spec';
import { EDGE_COLOURS, escapeXml, networkSvg, strengthColour } from '../../src/render/network-svg';
import { arbNetwork, randomNetwork } from '../core/helpers/random-network';

const W = (rows: number[][]) => ({
  nIn: rows.length,
  nOut: rows[0].length,
  weights: Float64Array.from(rows.flat())
});

const SVG_OPTIONS = { widthPx: 600, heightPx: 400, fontFamily: 'Arial', fontSize: 9, background: '#ffffff' };

/**
 * A small XML well-formedness check: tags nest and close, attribute values are quoted and hold no `<`,
 * every `&` starts an entity, text holds no `<`. Returns the element names in document order.
 */
function parseXml(text: string): string[] {
  const names: string[] = [];
  const stack: string[] = [];
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const token = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/g;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = token.exec(body)) !== null) {
    consumed += m[0].length;
    const [, close, name, attrs, selfClose, textPart, stray] = m;
    if (stray !== undefined) throw new Error(`stray "<" at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    const checkAmp = (s: string): void => {
      if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(s)) throw new Error(`bare "&" in ${s.slice(0, 60)}`);
    };
    if (textPart !== undefined) {
      checkAmp(textPart);
      if (stack.length === 0 && textPart.trim() !== '') throw new Error('text outside the root element');
      continue;
    }
    checkAmp(attrs ?? '');
    if (close === '/') {
      if (stack.pop() !== name) throw new Error(`</${name}> closes the wrong element`);
    } else {
      names.push(name);
      if (selfClose !== '/') stack.push(name);
    }
  }
  if (consumed !== body.length) throw new Error('unparsed input');
  if (stack.length > 0) throw new Error(`unclosed <${stack.join('>, <')}>`);
  return names;
}

describe('networkView', () => {
  it('keeps live neurons and live edges with signed weights, strength and degree', () => {
    // hidden neuron 1 has no input (a ghost): its edge to the output and the neuron itself are dropped
    const net: LayeredNetwork = {
      layers: [
        W([
          [1, 0],
          [-2, 0]
        ]),
        W([[0.5], [3]])
      ]
    };
    const spec = networkView(net, { motifs: ['soConverging'] });
    expect(spec.nodes).toEqual({
      layer: [0, 0, 1, 2],
      index: [0, 1, 0, 0],
      strength: [1, 2, 3.5, 0.5],
      degree: [1, 1, 3, 1]
    });
    expect(spec.edges).toEqual({ source: [0, 1, 2], target: [2, 2, 3], weight: [1, -2, 0.5] });
    expect(spec.layers).toEqual([
      { name: 'input', size: 2 },
      { name: 'hidden 1', size: 2 },
      { name: 'output', size: 1 }
    ]);
    expect(spec.overlays).toEqual([
      { motif: 'soConverging', label: '2nd-order converging (1)', total: 1, instances: [[0, 1]] }
    ]);
    expect(spec.meta.kind).toBe('networkView');
    expect(spec.meta.exportName).toBe('network');
  });

  it('has overlays whose totals are the census counts and whose instances are edges of the view', () => {
    const rng = createRng(5);
    for (let trial = 0; trial < 30; trial++) {
      const net = randomNetwork(rng);
      const spec = networkView(net, { motifs: MOTIF_NAMES, maxInstances: 7, chain: 'pairs' });
      const census = motifCensus(net, { chain: 'pairs' });
      expect(spec.overlays.map(o => o.total)).toEqual(MOTIF_NAMES.map(m => census.counts[m]));
      expect(spec.edges.source.length).toBe(census.counts.edges);
      for (const overlay of spec.overlays) {
        expect(overlay.instances.length).toBe(Math.min(7, overlay.total));
        for (const instance of overlay.instances)
          for (const e of instance) expect(e >= 0 && e < spec.edges.source.length).toBe(true);
        if (overlay.total > 7) expect(overlay.label).toMatch(/\(7 of [\d ]+ shown\)$/);
      }
    }
  });

  it('maps every instance edge to the view edge with the same endpoints', () => {
    fc.assert(
      fc.property(arbNetwork(), fc.constantFrom(...MOTIF_NAMES), (net, motif) => {
        const spec = networkView(net, { motifs: [motif], maxInstances: 20 });
        const live = liveEdges(net);
        // every edge of the view is live, and joins neurons of adjacent layers
        spec.edges.source.forEach((s, e) => {
          const t = spec.edges.target[e];
          const l = spec.nodes.layer[s];
          expect(spec.nodes.layer[t]).toBe(l + 1);
          const k = spec.nodes.index[s] * net.layers[l].nOut + spec.nodes.index[t];
          expect(live.masks[l][k]).toBe(1);
          expect(spec.edges.weight[e]).toBe(net.layers[l].weights[k]);
        });
        // degree and strength are the sums over the edges
        const degree = spec.nodes.layer.map(() => 0);
        spec.edges.source.forEach((s, e) => {
          degree[s]++;
          degree[spec.edges.target[e]]++;
        });
        expect(spec.nodes.degree).toEqual(degree);
      })
    );
  });

  it('refuses a network with more live edges than a view can draw, and mismatched layer names', () => {
    const n = Math.ceil(Math.sqrt(NETWORK_VIEW_MAX_EDGES + 1));
    const big: LayeredNetwork = { layers: [{ nIn: n, nOut: n, weights: new Float64Array(n * n).fill(1) }] };
    expect(() => networkView(big)).toThrow(/live edges, more than a view can draw \(2 000 000\)/);
    const small: LayeredNetwork = { layers: [W([[1]])] };
    expect(() => networkView(small, { layerNames: ['a'] })).toThrow(/2 neuron layers but 1 layer names/);
  });
});

describe('layeredLayout', () => {
  it('puts each layer in its own column, neurons in order from the top, centred', () => {
    const spec = networkView({
      layers: [
        W([
          [1, 1, 1],
          [1, 1, 1]
        ])
      ]
    });
    const { x, y } = layeredLayout(spec);
    expect(x).toEqual([0, 0, 1, 1, 1]);
    // 3 rows at most: steps of 1/3, the 2-neuron column centred on 0.5
    expect(y.map(v => Math.round(v * 600) / 600)).toEqual(
      [1 / 3, 2 / 3, 1 / 6, 1 / 2, 5 / 6].map(v => Math.round(v * 600) / 600)
    );
    expect(layeredLayout(spec)).toEqual({ x, y });
  });
});

describe('networkSvg', () => {
  const spec = (): NetworkViewSpec =>
    networkView(
      {
        layers: [
          W([
            [1, -1],
            [0.5, 2]
          ]),
          W([[1], [-1]])
        ]
      },
      { motifs: ['biFan', 'soChain'] }
    );

  it('draws one line per edge, one circle per node, a label per layer, in well-formed XML', () => {
    const svg = networkSvg(spec(), SVG_OPTIONS);
    const names = parseXml(svg);
    expect(names[0]).toBe('svg');
    expect(names.filter(n => n === 'line')).toHaveLength(6);
    expect(names.filter(n => n === 'circle')).toHaveLength(5);
    expect(names.filter(n => n === 'text')).toHaveLength(4); // title + 3 layer names
    expect(svg).toContain(`stroke="${EDGE_COLOURS.negative}"`);
    expect(svg).toContain(`stroke="${EDGE_COLOURS.positive}"`);
    expect(svg).toContain('width="600" height="400"');
  });

  it('escapes hostile layer names, titles and fonts', () => {
    const hostile = spec();
    hostile.layers[0].name = '<script>alert(1)</script>';
    hostile.meta.title = 'a & b <img src=x onerror=alert(1)>';
    const svg = networkSvg(hostile, { ...SVG_OPTIONS, fontFamily: '"><script>x</script>' });
    expect(() => parseXml(svg)).not.toThrow();
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeXml(`<&>"'`)).toBe('&lt;&amp;&gt;&quot;&apos;');
  });

  it('highlights the instances of a motif over the dimmed rest, and uses given positions', () => {
    const view = spec();
    const svg = networkSvg(view, { ...SVG_OPTIONS, highlight: 'biFan' });
    expect(svg.match(/stroke-opacity="0.95"/g)).toHaveLength(4);
    expect(svg.match(/stroke-opacity="0.08"/g)).toHaveLength(2);
    const positions = { x: [0, 1, 2, 3, 4], y: [0, 0, 0, 0, 0] };
    const flat = networkSvg(view, { ...SVG_OPTIONS, positions });
    // all nodes on one horizontal line, spread over the width; no layer names (not a layered layout)
    const cys = [...flat.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map(m => m[1]);
    expect(new Set(cys).size).toBe(1);
    expect(parseXml(flat).filter(n => n === 'text')).toHaveLength(1);
  });

  it('colours strength on a scale from dark to bright', () => {
    expect(strengthColour(0)).toBe('#440154');
    expect(strengthColour(1)).toBe('#fde725');
    expect(strengthColour(NaN)).toBe('#440154');
    expect(strengthColour(0.5)).toBe('#21918c');
  });
});
