/**
 * The Inspector's reading path on model files of other tools: its Web Worker reads every file through the
 * core reader with BatchNorm folded (`readNetwork(source, { foldNorm: true })`), which must give the same
 * network as the kernel reads; hostile pickles are refused with the global named, as an `open-failed`
 * answer of the worker.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeStrength } from '../../src/core/metrics';
import { memorySource, readNetwork } from '../../src/core/formats/read';
import { loadNetwork } from '../../src/kernel/files';
import type { InspectorResponse } from '../../src/lab/inspector/protocol';
import { InspectorWorkerCore } from '../../src/lab/inspector/worker-core';

const DIR = join(__dirname, '..', 'fixtures', 'interop', 'models');

const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { twin: string; layers?: string[]; foldNorm?: boolean }>;
};

describe('the Inspector reader on PyTorch, ONNX, Keras and TF.js graph files', () => {
  for (const [file, spec] of Object.entries(EXPECTED.fixtures)) {
    if (spec.layers !== undefined) continue; // the Inspector reads all dense layers; no way to choose
    it(`${file}: the node strengths of its .safetensors twin (1e-12 relative; BatchNorm folded)`, async () => {
      const folder = join(DIR, dirname(file));
      const files = new Map<string, Uint8Array>([[file, new Uint8Array(readFileSync(join(DIR, file)))]]);
      const base = dirname(file) === '.' ? '' : `${dirname(file)}/`;
      for (const shard of ['group1-shard1of1.bin', 'group1-shard1of2.bin', 'group1-shard2of2.bin']) {
        try {
          files.set(base + shard, new Uint8Array(readFileSync(join(folder, shard))));
        } catch {
          // not every model has shards
        }
      }
      const { net } = await readNetwork(memorySource(file, files), { foldNorm: true });
      const twin = await loadNetwork(join(DIR, spec.twin));
      const a = nodeStrength(net);
      const b = nodeStrength(twin);
      expect(a.map(x => x.length)).toEqual(b.map(x => x.length));
      a.forEach((layer, l) =>
        layer.forEach((v, k) =>
          expect(Math.abs(v - b[l][k])).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), Math.abs(b[l][k])))
        )
      );
    });
  }

  it('the worker opens a PyTorch checkpoint and refuses a hostile pickle, naming the global', async () => {
    const responses: InspectorResponse[] = [];
    const core = new InspectorWorkerCore(r => responses.push(r));
    await core.handle({
      type: 'open-file',
      name: 'model.pt',
      bytes: new Uint8Array(readFileSync(join(DIR, 'torch_state_dict.pt')))
    });
    expect(responses.at(-1)?.type).toBe('opened');
    await core.handle({
      type: 'open-file',
      name: 'evil.pt',
      bytes: new Uint8Array(readFileSync(join(DIR, 'hostile_reduce.pt')))
    });
    const last = responses.at(-1);
    expect(last?.type).toBe('open-failed');
    if (last?.type === 'open-failed') {
      expect(last.message).toMatch(/^evil\.pt:hostile_reduce\/data\.pkl: the pickle refers to posix\.system/);
    }
  });
});
