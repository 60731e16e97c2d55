import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { motifCensus } from '../../src/core/census';
import { parseNetworkJson, serializeNetwork } from '../../src/core/io';
import type { Layer, LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { motifSignificance } from '../../src/core/significance';
import { motifSignificanceParallel } from '../../src/kernel/parallel';
import { ensureLibBuilt } from '../../bench/build-lib.mjs';

const root = resolve(__dirname, '..', '..');
const cli = join(root, 'lib', 'cli', 'main.js');

function fixtureNetwork(seed: number, sizes: number[], density: number): LayeredNetwork {
  const rng = createRng(seed);
  const layers: Layer[] = sizes.slice(0, -1).map((nIn, l) => {
    const nOut = sizes[l + 1];
    const weights = Float64Array.from({ length: nIn * nOut }, () =>
      rng.next() < density ? rng.normal() : 0
    );
    return { nIn, nOut, weights, bias: Float64Array.from({ length: nOut }, () => rng.normal()) };
  });
  return { layers };
}

const run = (args: string[]): { status: number | null; stdout: string; stderr: string } => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
};

let dir: string;
let netFile: string;
const net = fixtureNetwork(3, [6, 12, 10, 3], 0.35);

beforeAll(() => {
  ensureLibBuilt({ log: () => undefined });
  dir = mkdtempSync(join(tmpdir(), 'nnmotifs-cli-'));
  netFile = join(dir, 'net.json');
  writeFileSync(netFile, serializeNetwork(net));
}, 180_000);

describe('motifSignificanceParallel', () => {
  it('gives exactly the single-threaded result for the same seed, whatever the workers and chunks', async () => {
    const options = { samples: 45, seed: 11, biasNode: true, signed: true, chain: 'pairs' } as const;
    const single = motifSignificance(net, options);
    const progress: number[] = [];
    const two = await motifSignificanceParallel(net, {
      ...options,
      workers: 2,
      chunkSize: 7,
      onProgress: d => progress.push(d)
    });
    const three = await motifSignificanceParallel(net, { ...options, workers: 3, chunkSize: 4 });
    expect(JSON.stringify(two)).toBe(JSON.stringify(single));
    expect(JSON.stringify(three)).toBe(JSON.stringify(single));
    expect(progress.at(-1)).toBe(45);
  });

  it('runs every null model in workers like in one thread', async () => {
    for (const model of ['gnm', 'degree', 'sign-shuffle'] as const) {
      const options = { samples: 20, seed: 2, null: model, signed: true } as const;
      const a = await motifSignificanceParallel(net, { ...options, workers: 2, chunkSize: 3 });
      expect(JSON.stringify(a)).toBe(JSON.stringify(motifSignificance(net, options)));
    }
  });
});

describe('nnmotifs CLI', () => {
  it('prints help', () => {
    const r = run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage:/);
    expect(r.stdout).toMatch(/nnmotifs motifs FILE/);
  });

  it('motifs --json reports counts, null mean/sd, z, p and the profile of the library', () => {
    const r = run([
      'motifs',
      netFile,
      '--samples',
      '40',
      '--seed',
      '5',
      '--bias-node',
      '--json',
      '--workers',
      '2'
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(''); // not a terminal and no --progress: no progress lines
    const out = JSON.parse(r.stdout);
    const expected = motifSignificance(net, { samples: 40, seed: 5, biasNode: true });
    expect(out.counts).toEqual(motifCensus(net, { biasNode: true }).counts);
    expect(out.null.mean).toEqual(expected.null.mean);
    expect(out.null.sd).toEqual(expected.null.sd);
    expect(out.null).toMatchObject({ model: 'random-pruning', samples: 40, seed: 5 });
    expect(out.z.biFan).toBeCloseTo(expected.z.biFan, 12);
    expect(out.z.edges).toBeNull(); // NaN: the null keeps the edge count
    expect(Object.keys(out.p)).toEqual(Object.keys(expected.p));
    expect(Object.keys(out.significanceProfile)).toHaveLength(9);
    expect(out.chain).toBe('paths');
  });

  it('motifs prints a readable table, progress on request, and counts only with --samples 0', () => {
    const r = run(['motifs', netFile, '--samples', '30', '--null', 'gnm', '--chain', 'pairs', '--progress']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/null gnm, 30 samples, seed 0; chain pairs/);
    expect(r.stdout).toMatch(/^biParallel\s+\d+/m);
    expect(r.stderr).toMatch(/null samples 30\/30/);
    const counts = run(['motifs', netFile, '--samples', '0', '--json']);
    expect(JSON.parse(counts.stdout).counts).toEqual(motifCensus(net).counts);
  });

  it('exits with 2 and a clear message on bad input', () => {
    const missing = run(['motifs', join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read .*nope\.json: no such file/);
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1, 2]]}, {"weights": [[1], [2], [3]]}]}'
    );
    const malformed = run(['motifs', bad]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toMatch(/bad\.json/);
    expect(malformed.stderr).toMatch(/layer 1/);
    expect(run(['motifs', netFile, '--null', 'banana']).status).toBe(2);
    expect(run(['motifs', netFile, '--samples', '-3']).status).toBe(2);
    expect(run(['motifs', netFile, '--seed']).stderr).toMatch(/^nnmotifs: --seed needs a value$/m);
    expect(run(['metrics', netFile, '--json=yes']).stderr).toMatch(/--json does not take a value/);
    expect(run(['frobnicate']).status).toBe(2);
    expect(run(['motifs', netFile, '--what']).stderr).toMatch(/unknown option --what/);
    expect(run(['rewire', netFile]).stderr).toMatch(/-o OUT/);
  });

  it('refuses out-of-range and malformed numbers with exit 2 and one line, never a stack trace', () => {
    const cases: [string[], RegExp][] = [
      [['--samples', '1e9'], /--samples must be a whole number from 0 to 1000000, got '1e9'/],
      [['--samples', '1000001'], /--samples must be a whole number from 0 to 1000000/],
      [['--samples', '-1'], /--samples must be a whole number/],
      [['--samples', 'many'], /--samples must be a whole number/],
      [['--samples', ''], /--samples must be a whole number/],
      [['--samples', '0x10'], /--samples must be a whole number/],
      [['--samples', '2.5'], /--samples must be a whole number/],
      [['--workers', '0'], /--workers must be a whole number from 1 to 256/],
      [['--workers', '100000'], /--workers must be a whole number from 1 to 256/],
      [['--seed', '99999999999999999999'], /--seed must be a whole number/],
      [['--max-memory', 'lots'], /--max-memory must be a size such as 512M or 4G, got 'lots'/],
      [['--max-memory', '0'], /--max-memory must be a size/]
    ];
    for (const [args, message] of cases) {
      const r = run(['motifs', netFile, ...args]);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(
        r.stderr
          .trim()
          .split('\n')
          .filter(line => !/^Try nnmotifs --help$/.test(line))
      ).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\s+at /);
    }
    const small = run(['metrics', netFile, '--max-memory', '1K']);
    expect(small.status).toBe(2);
    expect(small.stderr).toMatch(/more than the .* the memory budget allows/);
  });

  it('rewire -o refuses an existing file unless --overwrite', () => {
    const out = join(dir, 'exists.json');
    writeFileSync(out, 'keep me');
    const refused = run(['rewire', netFile, '-o', out]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/exists\.json exists already; pass --overwrite to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    expect(run(['rewire', netFile, '-o', out, '--overwrite']).status).toBe(0);
    expect(readFileSync(out, 'utf8')).toMatch(/nnmotifs\.network/);
  });

  it('metrics --json gives per-layer results', () => {
    const r = run(['metrics', netFile, '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.layerSizes).toEqual([6, 12, 10, 3]);
    expect(out.layerFluctuation).toHaveLength(4);
    expect(out.linkWeights).toHaveLength(3);
    // typed arrays come out as JSON arrays, not {"0": …, "1": …}
    expect(Array.isArray(out.nodeStrength[0])).toBe(true);
    expect(out.nodeStrength[0]).toHaveLength(6);
    expect(Array.isArray(out.degrees[1].in)).toBe(true);
    expect(Array.isArray(out.linkWeights[0].histogram.counts)).toBe(true);
    expect(run(['metrics', netFile]).stdout).toMatch(/fluctuation/);
  });

  it('reads PyTorch state_dicts (.safetensors) and TF.js model.json like network files', () => {
    const fixtures = join(root, 'test', 'fixtures', 'interop');
    const expected = JSON.parse(readFileSync(join(fixtures, 'sequential_f64.expected.json'), 'utf8'));
    const r = run(['metrics', join(fixtures, 'sequential_f32.safetensors'), '--json']);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.layerSizes[0]).toBe(expected.inputs[0].length);
    expect(out.layerSizes[out.layerSizes.length - 1]).toBe(expected.outputs[0].length);
    const keras = run([
      'motifs',
      join(fixtures, 'keras_sequential', 'model.json'),
      '--samples',
      '0',
      '--json'
    ]);
    expect(keras.status).toBe(0);
    expect(JSON.parse(keras.stdout).counts.edges).toBeGreaterThan(0);
    const bad = run(['metrics', join(fixtures, 'conv.safetensors')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/conv\.safetensors/);
  });

  it('rewire writes the rewired network atomically, keeping every layer weight multiset', () => {
    const out = join(dir, 'rewired.json');
    const r = run(['rewire', netFile, '-o', out, '--seed', '9']);
    expect(r.status).toBe(0);
    const rewired = parseNetworkJson(readFileSync(out, 'utf8'), out);
    rewired.layers.forEach((layer, l) => {
      const a = Array.from(layer.weights).sort((x, y) => x - y);
      const b = Array.from(net.layers[l].weights).sort((x, y) => x - y);
      expect(a).toEqual(b);
    });
    expect(readdirSync(dir).filter(f => f.endsWith('.tmp'))).toEqual([]);
    // same seed, same file
    const again = join(dir, 'again.json');
    run(['rewire', netFile, '-o', again, '--seed', '9', '--overwrite']);
    expect(readFileSync(again, 'utf8')).toBe(readFileSync(out, 'utf8'));
  });

  it('runs as the package bin (shebang, executable through node)', () => {
    const text = execFileSync(process.execPath, [cli, 'help'], { encoding: 'utf8' });
    expect(text).toMatch(/Usage/);
    expect(readFileSync(cli, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });
});
