/**
 * The static PNG the lab writes into a notebook for a network view: drawn by the one rasterizer at twice
 * the CSS size (sharp on HiDPI screens) as a palette PNG, so a dense view stays under 300 kB.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { networkView } from '../../src/figures/network';
import { closeSaveBrowser, exportPage } from '../../src/kernel/save';
import type { PageRenderer } from '../../src/render/drawing';
import { networkSvg } from '../../src/render/network-svg';
import { indexedPng } from '../../src/render/png';

afterAll(() => closeSaveBrowser());

/** A dense MLP like an MNIST classifier's first layers. */
function denseNetwork(sizes: number[], seed: number): LayeredNetwork {
  const rng = createRng(seed);
  const layers = sizes.slice(1).map((out, l) => {
    const n = sizes[l];
    const weights = new Float64Array(n * out);
    for (let i = 0; i < weights.length; i++) weights[i] = rng.normal() * 0.3;
    return { nIn: n, nOut: out, weights };
  });
  return { layers };
}

async function inPage<T, A>(fn: (renderer: PageRenderer, arg: A) => Promise<T>, arg: A): Promise<T> {
  const page = await exportPage();
  return page.evaluate(
    async ({ source, arg }) => {
      const { nnmotifsRender } = globalThis as unknown as { nnmotifsRender: PageRenderer };
      // The test's own function, sent as text.
      const run = new Function(`return (${source})`)() as (r: PageRenderer, a: unknown) => Promise<T>;
      return run(nnmotifsRender, arg);
    },
    { source: fn.toString(), arg: arg as unknown }
  ) as Promise<T>;
}

describe('indexedPng', () => {
  it('writes a valid PNG whose pixels decode to the input colours', async () => {
    const width = 3;
    const height = 2;
    const rgba = new Uint8Array([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 10, 20, 30, 128
    ]);
    const png = indexedPng(rgba, width, height);
    const decoded = await inPage((r, b64: string) => r.decodePng(b64), Buffer.from(png).toString('base64'));
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    // Opaque pixels come back exactly; the half-transparent one within the 5-bit binning.
    expect(Array.from(decoded.rgba).slice(0, 20)).toEqual(Array.from(rgba.slice(0, 20)));
    expect(Math.abs(decoded.rgba[23] - 128)).toBeLessThanOrEqual(8);
    expect(() => indexedPng(rgba, 4, 2)).toThrow(/24 bytes for a 4 × 2 RGBA image/);
  });
});

describe('static image of a network view', () => {
  it('is at most 300 kB at 2× for a dense 784-64-10 network, and close to the full-colour drawing', async () => {
    const net = denseNetwork([784, 64, 10], 3);
    const spec = networkView(net, { motifs: [] });
    const svg = networkSvg(spec, {
      widthPx: 720,
      heightPx: 480,
      fontFamily: 'sans-serif',
      fontSize: 9,
      background: '#ffffff'
    });
    const request = { svg, width: 1440, height: 960 };
    const [indexed, full] = await Promise.all([
      inPage((r, q: typeof request) => r.rasterize({ ...q, indexed: true }), request),
      inPage((r, q: typeof request) => r.rasterize(q), request)
    ]);
    const kB = (b64: string): number => Math.round((b64.length * 3) / 4 / 1024);
    console.log(
      `network static image (${spec.edges.source.length} edges, 1440 × 960): palette ${kB(indexed)} kB, RGBA ${kB(full)} kB`
    );
    expect(kB(indexed)).toBeLessThanOrEqual(300);
    // Compared in the page: the pixel arrays are millions of numbers.
    const compared = await inPage(
      async (r, pair: { indexed: string; full: string }) => {
        const [a, b] = await Promise.all([r.decodePng(pair.indexed), r.decodePng(pair.full)]);
        let diff = 0;
        for (let i = 0; i < a.rgba.length; i++) diff += Math.abs(a.rgba[i] - b.rgba[i]);
        return { width: a.width, height: a.height, meanDiff: diff / a.rgba.length };
      },
      { indexed, full }
    );
    expect([compared.width, compared.height]).toEqual([1440, 960]);
    expect(compared.meanDiff).toBeLessThan(3);
  }, 120_000);
});
