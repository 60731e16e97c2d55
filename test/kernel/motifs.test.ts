import { describe, expect, it, vi } from 'vitest';
import { createRng } from '../../src/core/random';
import { motifSignificance } from '../../src/core/significance';
import { motifs } from '../../src/kernel/motifs';
import { randomNetwork } from '../core/helpers/random-network';

describe('nm.motifs', () => {
  it('equals the single-threaded significance for the same seed and reports progress to the end', async () => {
    const net = randomNetwork(createRng(3), { maxLayers: 3, maxWidth: 6, density: 0.6 });
    const seen: number[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const r = await motifs(net, { samples: 120, seed: 4, workers: 2, onProgress: done => seen.push(done) });
    const lines = log.mock.calls.map(c => String(c[0]));
    log.mockRestore();
    const reference = motifSignificance(net, { samples: 120, seed: 4 });
    expect(JSON.stringify(r)).toBe(JSON.stringify(reference));
    expect(seen[seen.length - 1]).toBe(120);
    // outside a notebook the progress bar is printed; the last line shows completion
    expect(lines[lines.length - 1]).toMatch(/120\/120/);
  });

  it('splits a few samples over the workers one by one (samples: 10 uses every core)', async () => {
    const net = randomNetwork(createRng(5), { maxLayers: 3, maxWidth: 6, density: 0.6 });
    const seen: number[] = [];
    const r = await motifs(net, {
      samples: 10,
      seed: 2,
      workers: 2,
      progress: false,
      onProgress: d => seen.push(d)
    });
    // one progress call per chunk: ten chunks of one sample (before: a single chunk of 10 on one core)
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(JSON.stringify(r)).toBe(JSON.stringify(motifSignificance(net, { samples: 10, seed: 2 })));
  });

  it('equals the single-threaded significance when the calling thread and two workers share fixed chunks', async () => {
    const net = randomNetwork(createRng(11), { maxLayers: 4, maxWidth: 7, density: 0.5 });
    const options = { samples: 61, seed: 6, null: 'gnm', signed: true, biasNode: true } as const;
    const seen: number[] = [];
    const r = await motifs(net, {
      ...options,
      workers: 3,
      chunkSize: 7,
      progress: false,
      onProgress: d => seen.push(d)
    });
    // 9 chunks (8 of 7 samples, one of 5), each reported once whichever thread counted it
    expect(seen).toHaveLength(9);
    expect(seen[seen.length - 1]).toBe(61);
    expect(JSON.stringify(r)).toBe(JSON.stringify(motifSignificance(net, options)));
  });

  it('stays quiet with progress: false', async () => {
    const net = randomNetwork(createRng(8), { maxLayers: 2, maxWidth: 5, density: 0.6 });
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await motifs(net, { samples: 20, workers: 1, progress: false });
    const calls = log.mock.calls.length;
    log.mockRestore();
    expect(calls).toBe(0);
  });

  it("refuses the old option names 'nulls' and 'model', naming 'samples' and 'null'", async () => {
    const net = randomNetwork(createRng(9), { maxLayers: 2, maxWidth: 5, density: 0.6 });
    const old = (o: Record<string, unknown>): Parameters<typeof motifs>[1] =>
      o as Parameters<typeof motifs>[1];
    await expect(motifs(net, old({ nulls: 20, progress: false }))).rejects.toThrow(
      "motifs: there is no option 'nulls'; the number of null samples is the option 'samples'"
    );
    await expect(motifs(net, old({ model: 'gnm', samples: 5, progress: false }))).rejects.toThrow(
      "motifs: there is no option 'model'; the null model is the option 'null'"
    );
  });
});
