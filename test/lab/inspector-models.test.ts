/**
 * The Inspector's reading path (`readNetworkFile`, run in its Web Worker) on model files of other tools:
 * the same network as the kernel reads, BatchNorm folded, hostile pickles refused with the global named.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeStrength } from '../../src/core/metrics';
import { loadNetwork } from '../../src/kernel/files';
import { readNetworkFile } from '../../src/lab/inspector/analysis';

const DIR = join(__dirname, '..', 'fixtures', 'interop', 'models');
const noShards = async (): Promise<Map<string, Uint8Array>> => new Map();

const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { twin: string; layers?: string[]; foldNorm?: boolean }>;
};

describe('readNetworkFile (Inspector) on PyTorch, ONNX, Keras and TF.js graph files', () => {
  for (const [file, spec] of Object.entries(EXPECTED.fixtures)) {
    if (spec.layers !== undefined) continue; // the Inspector reads all dense layers; no way to choose
    it(`${file}: the node strengths of its .safetensors twin (1e-12 relative; BatchNorm folded)`, async () => {
      const folder = join(DIR, dirname(file));
      const readShards = async (paths: readonly string[]): Promise<Map<string, Uint8Array>> =>
        new Map(paths.map(p => [p, new Uint8Array(readFileSync(join(folder, p)))]));
      const { net } = await readNetworkFile(file, new Uint8Array(readFileSync(join(DIR, file))), readShards);
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

  it('a hostile pickle is refused, naming the global', async () => {
    await expect(
      readNetworkFile('evil.pt', new Uint8Array(readFileSync(join(DIR, 'hostile_reduce.pt'))), noShards)
    ).rejects.toThrow(/^evil\.pt:hostile_reduce\/data\.pkl: the pickle refers to posix\.system/);
  });
});
