import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LayeredNetwork } from '../../src/core/network';
import { createRng } from '../../src/core/random';
import { createNetwork } from '../../src/core/validate';
import { loadNetwork, pathExists, saveNetwork } from '../../src/kernel/files';
import { FIXTURES, expected, forward } from '../core/formats/helpers';
import { randomNetwork } from '../core/helpers/random-network';

const root = mkdtempSync(join(tmpdir(), 'nnmotifs-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
/** A fresh empty directory per test. */
function freshDir(): string {
  const dir = join(root, String(counter++));
  mkdirSync(dir);
  return dir;
}

/** Exact equality, bit for bit (-0 is not 0), of everything a network holds. */
function expectSameNetwork(a: LayeredNetwork, b: LayeredNetwork): void {
  expect(b.layers.length).toBe(a.layers.length);
  a.layers.forEach((la, l) => {
    const lb = b.layers[l];
    expect([lb.nIn, lb.nOut, lb.activation]).toEqual([la.nIn, la.nOut, la.activation]);
    expect(Array.from(lb.weights).every((w, k) => Object.is(w, la.weights[k]))).toBe(true);
    expect(lb.bias === undefined).toBe(la.bias === undefined);
    if (la.bias) expect(Array.from(lb.bias ?? []).every((v, k) => Object.is(v, la.bias?.[k]))).toBe(true);
    expect(lb.mask === undefined ? undefined : Array.from(lb.mask)).toEqual(
      la.mask === undefined ? undefined : Array.from(la.mask)
    );
  });
  expect(b.meta).toEqual(a.meta);
}

const tiny = (w: number) =>
  createNetwork(
    [
      {
        weights: [
          [w, -0],
          [1e-300, -2.5]
        ],
        mask: [
          [1, 0],
          [1, 1]
        ]
      }
    ],
    { meta: { run: w } }
  );

describe('saveNetwork + loadNetwork', () => {
  it('round-trips networks exactly: weights (-0, subnormals), biases, masks, activations, meta', async () => {
    const dir = freshDir();
    for (let seed = 0; seed < 40; seed++) {
      const net = { ...randomNetwork(createRng(seed)), meta: { seed, note: 'pruned level 3' } };
      const file = join(dir, `net-${seed}.json`);
      expect(await saveNetwork(net, file)).toBe(file);
      expectSameNetwork(net, await loadNetwork(file));
    }
    const edge = createNetwork([
      {
        weights: [
          [-0, 5e-324],
          [Number.MAX_VALUE, -1 / 3]
        ],
        bias: [-0, 0.1]
      }
    ]);
    await saveNetwork(edge, join(dir, 'edge.json'));
    expectSameNetwork(edge, await loadNetwork(join(dir, 'edge.json')));
  });

  it('refuses to overwrite unless told to, leaving the existing file untouched', async () => {
    const dir = freshDir();
    const file = join(dir, 'net.json');
    await saveNetwork(tiny(1), file);
    const before = readFileSync(file, 'utf8');
    await expect(saveNetwork(tiny(2), file)).rejects.toThrow(
      `${file}: the file already exists; pass { overwrite: true } to replace it`
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
    await saveNetwork(tiny(2), file, { overwrite: true });
    expect((await loadNetwork(file)).meta).toEqual({ run: 2 });
    expect(readdirSync(dir)).toEqual(['net.json']); // no temporary files left behind
  });

  it('writes nothing when the network is invalid or the directory does not exist', async () => {
    const dir = freshDir();
    const bad: LayeredNetwork = { layers: [{ nIn: 1, nOut: 1, weights: Float64Array.from([NaN]) }] };
    await expect(saveNetwork(bad, join(dir, 'bad.json'))).rejects.toThrow(/layer 0: .*NaN/);
    await expect(saveNetwork(tiny(1), join(dir, 'missing', 'net.json'))).rejects.toThrow(/ENOENT/);
    await expect(saveNetwork(tiny(1), join(dir, 'net.safetensors'))).rejects.toThrow(
      /use a \.json name, not \.safetensors/
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('of concurrent saves to a new path exactly one wins, and the file is that one complete network', async () => {
    const dir = freshDir();
    const file = join(dir, 'race.json');
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map(k => saveNetwork(tiny(k), file)));
    const won = results.map((r, k) => (r.status === 'fulfilled' ? k + 1 : 0)).filter(k => k > 0);
    expect(won).toHaveLength(1);
    expectSameNetwork(tiny(won[0]), await loadNetwork(file));
    expect(readdirSync(dir)).toEqual(['race.json']);
  });

  it('replaces atomically: a reader never sees a half-written file', async () => {
    const dir = freshDir();
    const file = join(dir, 'big.json');
    const big = (v: number) =>
      createNetwork([{ weights: { nIn: 200, nOut: 200, data: new Float64Array(40000).fill(v / 3) } }], {
        meta: { v }
      });
    await saveNetwork(big(0), file);
    let writing = true;
    const writer = (async () => {
      for (let v = 1; v <= 15; v++) await saveNetwork(big(v), file, { overwrite: true });
      writing = false;
    })();
    const seen = new Set<number>();
    while (writing) {
      const net = await loadNetwork(file); // throws on a truncated file
      seen.add(Number(net.meta?.v));
      expect(net.layers[0].weights[39999]).toBe(Number(net.meta?.v) / 3);
    }
    await writer;
    expect((await loadNetwork(file)).meta?.v).toBe(15);
    expect(seen.size).toBeGreaterThan(0);
    expect(readdirSync(dir)).toEqual(['big.json']);
  });
});

describe('loadNetwork recognises formats by content', () => {
  it('PyTorch .safetensors and .npz: forward pass equals torch (options passed through)', async () => {
    const e = expected('sequential_f64');
    for (const file of ['sequential_f64.safetensors', 'sequential_compressed.npz']) {
      const net = await loadNetwork(join(FIXTURES, file), { activation: 'relu' });
      expect(net.layers.map(l => l.activation)).toEqual(['relu', 'relu', undefined]);
      expect(net.meta?.source).toBe(join(FIXTURES, file));
      e.inputs.forEach((x, n) =>
        forward(net, x, 'relu', 'linear').forEach((v, j) => expect(v).toBeCloseTo(e.outputs[n][j], 12))
      );
    }
    const ordered = await loadNetwork(join(FIXTURES, 'explicit_order.safetensors'), {
      layerOrder: ['encoder', 'hidden', 'head']
    });
    expect(ordered.meta?.layerNames).toEqual(['encoder', 'hidden', 'head']);
  });

  it('a Keras/TF.js model.json, reading its shards from its directory', async () => {
    const net = await loadNetwork(join(FIXTURES, 'keras_sequential', 'model.json'));
    expect(net.layers.map(l => [l.nIn, l.nOut, l.activation])).toEqual([
      [5, 6, 'relu'],
      [6, 4, 'tanh'],
      [4, 3, 'softmax']
    ]);
  });

  it('whatever the extension says', async () => {
    const dir = freshDir();
    copyFileSync(join(FIXTURES, 'pruned.safetensors'), join(dir, 'weights.bin'));
    copyFileSync(join(FIXTURES, 'pruned.npz'), join(dir, 'weights.dat'));
    await saveNetwork(tiny(3), join(dir, 'net.json'));
    copyFileSync(join(dir, 'net.json'), join(dir, 'net.txt'));
    expect((await loadNetwork(join(dir, 'weights.bin'))).meta?.layerNames).toEqual(['hidden', 'out']);
    expect((await loadNetwork(join(dir, 'weights.dat'))).layers[0].mask).toBeDefined();
    expectSameNetwork(tiny(3), await loadNetwork(join(dir, 'net.txt')));
  });

  it('names the file and the problem for unreadable input', async () => {
    const dir = freshDir();
    const write = (name: string, bytes: Uint8Array | string): string => {
      writeFileSync(join(dir, name), bytes);
      return join(dir, name);
    };
    const junk = write('junk.xyz', new Uint8Array([1, 2, 3, 4, 5]));
    await expect(loadNetwork(junk)).rejects.toThrow(`${junk}: unrecognised file`);
    const npy = write('w.npy', new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, 0, 0]));
    await expect(loadNetwork(npy)).rejects.toThrow(/a single \.npy array is not a network/);
    // Damaged content with a telling extension gets that format's own message.
    const st = write('cut.safetensors', readFileSync(join(FIXTURES, 'pruned.safetensors')).subarray(0, 4));
    await expect(loadNetwork(st)).rejects.toThrow(`${st}: not a safetensors file: 4 bytes`);
    const json = write('bad.json', '{"format": "nnmotifs.network", "version": 1, "layers": [');
    await expect(loadNetwork(json)).rejects.toThrow(
      new RegExp(`^${json.replace(/[.\\/]/g, '\\$&')}: malformed JSON`)
    );
    const conv = join(FIXTURES, 'conv.safetensors');
    await expect(loadNetwork(conv)).rejects.toThrow(`${conv}: not an MLP: 0.weight has shape [2, 1, 3, 3]`);
  });

  it('refuses model.json shard paths outside its directory and names missing shards', async () => {
    const dir = freshDir();
    const model = JSON.parse(readFileSync(join(FIXTURES, 'keras_sequential', 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    model.weightsManifest[0].paths = ['../secret.bin'];
    const escaping = join(dir, 'escape.json');
    writeFileSync(escaping, JSON.stringify(model));
    await expect(loadNetwork(escaping)).rejects.toThrow(
      `${escaping}: weight shard path "../secret.bin" points outside the directory`
    );
    model.weightsManifest[0].paths = ['group1-shard1of2.bin'];
    const missing = join(dir, 'model.json');
    writeFileSync(missing, JSON.stringify(model));
    await expect(loadNetwork(missing)).rejects.toThrow(
      `${missing}: cannot read weight shard "group1-shard1of2.bin"`
    );
  });
});

describe('loadNetwork is guarded (hostile files)', () => {
  const modelWith = (paths: string[]): string => {
    const model = JSON.parse(readFileSync(join(FIXTURES, 'keras_sequential', 'model.json'), 'utf8')) as {
      weightsManifest: { paths: string[] }[];
    };
    model.weightsManifest[0].paths = paths;
    return JSON.stringify(model);
  };

  it('refuses a shard that is a symlink to a file outside the folder, and reads one that stays inside', async () => {
    const outside = freshDir();
    const secret = join(outside, 'secret.bin');
    copyFileSync(join(FIXTURES, 'keras_sequential', 'group1-shard1of2.bin'), secret);
    const dir = freshDir();
    writeFileSync(join(dir, 'model.json'), modelWith(['group1-shard1of2.bin', 'group1-shard2of2.bin']));
    symlinkSync(secret, join(dir, 'group1-shard1of2.bin'));
    copyFileSync(
      join(FIXTURES, 'keras_sequential', 'group1-shard2of2.bin'),
      join(dir, 'group1-shard2of2.bin')
    );
    await expect(loadNetwork(join(dir, 'model.json'))).rejects.toThrow(
      /weight shard "group1-shard1of2\.bin" resolves to .*secret\.bin, outside the folder of the model/
    );
    // A symlink to a file inside the folder is fine.
    rmSync(join(dir, 'group1-shard1of2.bin'));
    copyFileSync(secret, join(dir, 'real.bin'));
    symlinkSync(join(dir, 'real.bin'), join(dir, 'group1-shard1of2.bin'));
    await expect(loadNetwork(join(dir, 'model.json'))).resolves.toBeDefined();
  });

  it('refuses FIFOs and devices, as the network file or as a shard, without blocking', async () => {
    const dir = freshDir();
    execFileSync('mkfifo', [join(dir, 'fifo.json')]);
    await expect(loadNetwork(join(dir, 'fifo.json'))).rejects.toThrow(
      /fifo\.json: is a FIFO \(named pipe\), not a regular file/
    );
    symlinkSync('/dev/zero', join(dir, 'zero.npz'));
    await expect(loadNetwork(join(dir, 'zero.npz'))).rejects.toThrow(
      /is a character device, not a regular file/
    );
    execFileSync('mkfifo', [join(dir, 'w.bin')]);
    writeFileSync(join(dir, 'model.json'), modelWith(['w.bin']));
    await expect(loadNetwork(join(dir, 'model.json'))).rejects.toThrow(
      /weight shard "w\.bin" is a FIFO \(named pipe\), not a regular file/
    );
  });

  it('refuses one shard file reached under two names (hard link)', async () => {
    const dir = freshDir();
    copyFileSync(join(FIXTURES, 'keras_sequential', 'group1-shard1of2.bin'), join(dir, 'a.bin'));
    linkSync(join(dir, 'a.bin'), join(dir, 'b.bin'));
    writeFileSync(join(dir, 'model.json'), modelWith(['a.bin', 'b.bin']));
    await expect(loadNetwork(join(dir, 'model.json'))).rejects.toThrow(
      /weight shard "b\.bin" is a file already read under another name/
    );
  });

  it('refuses a file over the memory budget before reading it', async () => {
    const file = join(FIXTURES, 'sequential_f64.safetensors');
    await expect(loadNetwork(file, { maxMemory: 100 })).rejects.toThrow(
      /more than the 100 B the memory budget allows/
    );
  });

  it('the next write removes temporary files a killed write left behind, not those of live writers', async () => {
    const dir = freshDir();
    const dead = join(dir, '.net.json.999999999.0123456789ab.tmp');
    const live = join(dir, `.net.json.${process.ppid}.0123456789ab.tmp`);
    writeFileSync(dead, 'half');
    writeFileSync(live, 'in flight');
    await saveNetwork(tiny(1), join(dir, 'net.json'));
    expect(readdirSync(dir).sort()).toEqual([`.net.json.${process.ppid}.0123456789ab.tmp`, 'net.json']);
  });
});

describe('pathExists (the check before writing, shared by saveNetwork and nm.save)', () => {
  it('finds files, folders and links, dangling ones too, and nothing where nothing is', async () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'file.txt'), 'x');
    mkdirSync(join(dir, 'folder'));
    symlinkSync(join(dir, 'gone.txt'), join(dir, 'dangling.txt'));
    expect(await pathExists(join(dir, 'file.txt'))).toBe(true);
    expect(await pathExists(join(dir, 'folder'))).toBe(true);
    // Writing over a dangling link fails (link() says EEXIST), so the early check must see it.
    expect(await pathExists(join(dir, 'dangling.txt'))).toBe(true);
    expect(await pathExists(join(dir, 'gone.txt'))).toBe(false);
    expect(await pathExists(join(dir, 'folder', 'missing', 'deeper'))).toBe(false);
  });
});
