/**
 * Model files of other tools through the kernel's loadNetwork and the CLI: the same node strengths as the
 * .safetensors twin, and one-line errors with exit code 2 for hostile, truncated or corrupt files.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, type CliIO } from '../../src/cli/main';
import { nodeStrength } from '../../src/core/metrics';
import { listNetworkLayers, loadNetwork } from '../../src/kernel/files';

const DIR = join(__dirname, '..', 'fixtures', 'interop', 'models');
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { twin: string; layers?: string[]; foldNorm?: boolean }>;
};

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIO = { stdout: t => (stdout += t), stderr: t => (stderr += t), stderrIsTTY: false };
  const code = await main(args, io);
  return { code, stdout, stderr };
}

describe('loadNetwork and the CLI read every model fixture as its twin', () => {
  for (const [file, spec] of Object.entries(EXPECTED.fixtures)) {
    it(file, async () => {
      const options = {
        ...(spec.layers ? { layers: spec.layers } : {}),
        ...(spec.foldNorm ? { foldNorm: true } : {})
      };
      const net = await loadNetwork(join(DIR, file), options);
      const twin = await loadNetwork(join(DIR, spec.twin));
      const a = nodeStrength(net);
      const b = nodeStrength(twin);
      a.forEach((layer, l) =>
        layer.forEach((v, k) =>
          expect(Math.abs(v - b[l][k])).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), Math.abs(b[l][k])))
        )
      );
      const flags = [
        ...(spec.layers ? ['--layers', spec.layers.join(',')] : []),
        ...(spec.foldNorm ? ['--fold-norm'] : [])
      ];
      const fromCli = await cli(['metrics', join(DIR, file), '--json', ...flags]);
      const fromTwin = await cli(['metrics', join(DIR, spec.twin), '--json']);
      expect(fromCli.code).toBe(0);
      const strengths = (r: { stdout: string }): number[][] =>
        (JSON.parse(r.stdout) as { nodeStrength: number[][] }).nodeStrength;
      const x = strengths(fromCli);
      const y = strengths(fromTwin);
      x.forEach((layer, l) =>
        layer.forEach((v, k) =>
          expect(Math.abs(v - y[l][k])).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(v), Math.abs(y[l][k])))
        )
      );
    });
  }
});

describe('nnmotifs layers FILE', () => {
  it('lists the dense layers and what was skipped, and why', async () => {
    const r = await cli(['layers', join(DIR, 'torch_batchnorm_module.pt')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 dense layers');
    expect(r.stdout).toMatch(/ {2}0 {2}5 → 6 {2}\(Linear\)/);
    expect(r.stdout).toMatch(
      /skipped:\n {2}1 {2}BatchNorm: folded into the linear layer before it with foldNorm/
    );
    expect(r.stdout).toContain('choose with --layers 0,3,6');
    const listing = await listNetworkLayers(join(DIR, 'torch_transformer.pt'));
    expect(listing.filter(l => l.kind === 'linear').map(l => l.name)).toEqual([
      'linear1',
      'linear2',
      'self_attn.out_proj'
    ]);
  });

  it('--layer-order orders layers whose names do not sort into the forward order', async () => {
    const r = await cli(['metrics', join(DIR, 'torch_state_dict.pt'), '--layer-order', '5,3,0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/layers do not connect: 3\.weight has shape \[3, 7\]/);
  });
});

describe('hostile, truncated and corrupt model files: exit 2 and one line', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nnmotifs-models-'));
  const cut = (name: string, keep: (n: number) => number): string => {
    const bytes = readFileSync(join(DIR, name));
    const out = join(dir, `cut-${name}`);
    writeFileSync(out, bytes.subarray(0, keep(bytes.length)));
    return out;
  };
  const flip = (name: string, at: (n: number) => number): string => {
    const bytes = Buffer.from(readFileSync(join(DIR, name)));
    const k = at(bytes.length);
    bytes[k] ^= 0xff;
    const out = join(dir, `flip-${name}`);
    writeFileSync(out, bytes);
    return out;
  };
  const cases: [string, () => string, RegExp][] = [
    [
      'pickle calling os.system',
      () => join(DIR, 'hostile_reduce.pt'),
      /posix\.system, which is not on the allow-list/
    ],
    ['legacy pickle calling os.system', () => join(DIR, 'hostile_legacy.pt'), /posix\.system/],
    ["a user's class", () => join(DIR, 'torch_custom_class.pt'), /__main__\.Net/],
    [
      'truncated .pt',
      () => cut('torch_state_dict.pt', n => n - 100),
      /truncated or corrupt PyTorch checkpoint \(ZIP\)/
    ],
    ['corrupt .pt member', () => flip('torch_state_dict.pt', () => 200), /corrupt|CRC|pickle/],
    ['truncated legacy .pt', () => cut('torch_legacy.pt', n => n - 7), /truncated legacy checkpoint/],
    [
      'truncated TorchScript',
      () => cut('torch_script.pt', n => n / 2),
      /truncated or corrupt PyTorch checkpoint/
    ],
    ['truncated ONNX', () => cut('mlp.onnx', n => n - 20), /ONNX/],
    ['truncated .keras', () => cut('keras_mlp.keras', n => n - 100), /truncated or corrupt \.keras archive/],
    ['truncated HDF5', () => cut('keras_mlp.h5', n => n / 3), /HDF5/],
    ['corrupt HDF5 (signature)', () => flip('keras_mlp.weights.h5', () => 2), /not an HDF5 file/]
  ];
  for (const [what, file, message] of cases) {
    it(what, async () => {
      const r = await cli(['metrics', file()]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    });
  }
});
