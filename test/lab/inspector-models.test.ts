/**
 * The Inspector's reading path (`readNetworkFile`, run in its Web Worker) on model files of other tools:
 * the same network as the kernel reads, BatchNorm folded, hostile pickles refused with the global named.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeStrength } from '../../src/core/metrics';
import { loadNetwork } from '../../src/kernel/files';
import { readNetworkFile } from '../../src/lab/inspector/analysis';

const DIR = join(__dirname, '..', 'fixtures', 'interop', 'models');
const noShards = async (): Promise<Map<string, Uint8Array>> => new Map();

describe('readNetworkFile (Inspector) on PyTorch, ONNX and Keras files', () => {
  for (const [file, kind] of [
    ['torch_module.pt', 'pytorch'],
    ['torch_script.pt', 'pytorch'],
    ['torch_batchnorm_eps_module.pt', 'pytorch'],
    ['mlp.onnx', 'onnx'],
    ['keras_mlp.keras', 'keras'],
    ['keras_batchnorm.h5', 'hdf5']
  ] as const) {
    it(`${file}: the kernel's network (BatchNorm folded)`, async () => {
      const { net, kind: read } = await readNetworkFile(
        file,
        new Uint8Array(readFileSync(join(DIR, file))),
        noShards
      );
      expect(read).toBe(kind);
      const kernel = await loadNetwork(join(DIR, file), { foldNorm: true });
      expect(nodeStrength(net).map(a => Array.from(a))).toEqual(nodeStrength(kernel).map(a => Array.from(a)));
    });
  }

  it('a hostile pickle is refused, naming the global', async () => {
    await expect(
      readNetworkFile('evil.pt', new Uint8Array(readFileSync(join(DIR, 'hostile_reduce.pt'))), noShards)
    ).rejects.toThrow(/^evil\.pt:hostile_reduce\/data\.pkl: the pickle refers to posix\.system/);
  });
});
