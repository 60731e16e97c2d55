/**
 * The one guarded reader (core/formats/read.ts) over an in-memory source: format dispatch, shard paths,
 * one file read once, the memory budget, typed lookups and structural limits.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MemoryBudget, MAX_LAYERS, parseMemorySize } from '../../../src/core/formats/budget';
import { parseNpz } from '../../../src/core/formats/npz';
import { memorySource, readNetwork, siblingPath } from '../../../src/core/formats/read';
import { parseSafetensors } from '../../../src/core/formats/safetensors';
import { fixture } from './helpers';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const TINY =
  '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1, -2], [0, 3]], "bias": [0, 1]}]}';

/** An .npy file: header dict as written, then `data`. */
function npy(descr: string, shape: number[], data: Uint8Array = new Uint8Array(0)): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

describe('readNetwork (format table)', () => {
  it('reads the nnmotifs JSON network file, safetensors and npz by content whatever the name', async () => {
    const json = await readNetwork(memorySource('tiny.json', { 'tiny.json': encode(TINY) }));
    expect(json.kind).toBe('network-json');
    expect(Array.from(json.net.layers[0].weights)).toEqual([1, -2, 0, 3]);
    const st = await readNetwork(
      memorySource('upload.bin', { 'upload.bin': fixture('sequential_f64.safetensors') })
    );
    expect(st.kind).toBe('safetensors');
    const npz = await readNetwork(memorySource('weights', { weights: fixture('sequential.npz') }));
    expect(npz.kind).toBe('npz');
    expect(npz.net.layers.map(l => [l.nIn, l.nOut])).toEqual(st.net.layers.map(l => [l.nIn, l.nOut]));
  });

  it('reads a TF.js model.json with its shards from its folder', async () => {
    const files = {
      'm/model.json': fixture('keras_sequential/model.json'),
      'm/group1-shard1of2.bin': fixture('keras_sequential/group1-shard1of2.bin'),
      'm/group1-shard2of2.bin': fixture('keras_sequential/group1-shard2of2.bin')
    };
    const { net, kind } = await readNetwork(memorySource('m/model.json', files));
    expect(kind).toBe('tfjs');
    expect(net.layers.length).toBeGreaterThan(0);
  });

  it('names the file and the problem for files that are not networks', async () => {
    await expect(readNetwork(memorySource('notes.txt', { 'notes.txt': encode('hello') }))).rejects.toThrow(
      'notes.txt: unrecognised file'
    );
    const ragged = '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1], [2, 3]]}]}';
    await expect(readNetwork(memorySource('bad.json', { 'bad.json': encode(ragged) }))).rejects.toThrow(
      /^bad\.json, layer 0: .*ragged/
    );
    await expect(
      readNetwork(memorySource('cut.json', { 'cut.json': encode('{"format": ') }))
    ).rejects.toThrow(/^cut\.json: /);
  });

  it('refuses a shard named twice, or under two spellings of one path', async () => {
    const model = JSON.parse(new TextDecoder().decode(fixture('keras_sequential/model.json'))) as {
      weightsManifest: { paths: string[] }[];
    };
    for (const second of ['group1-shard1of2.bin', './group1-shard1of2.bin']) {
      model.weightsManifest[0].paths = ['group1-shard1of2.bin', second];
      const files = {
        'model.json': encode(JSON.stringify(model)),
        'group1-shard1of2.bin': fixture('keras_sequential/group1-shard1of2.bin')
      };
      await expect(readNetwork(memorySource('model.json', files))).rejects.toThrow(/twice|already read/);
    }
  });

  it('refuses a JSON file larger than its share of the budget, recommending the binary formats', async () => {
    await expect(
      readNetwork(memorySource('big.json', { 'big.json': encode(TINY) }), { maxMemory: 32 * 50 })
    ).rejects.toThrow(/big\.json: the JSON file is .* save large networks as \.safetensors or \.npz/);
    // The same file within the budget reads.
    await expect(
      readNetwork(memorySource('big.json', { 'big.json': encode(TINY) }), { maxMemory: 32 * 200 })
    ).resolves.toBeDefined();
  });
});

describe('siblingPath', () => {
  it('normalises relative paths and decodes URL escapes', () => {
    expect(siblingPath('group1-shard1of1.bin')).toBe('group1-shard1of1.bin');
    expect(siblingPath('weights%20a.bin')).toBe('weights a.bin');
    expect(siblingPath('./w/../w/x.bin')).toBe('w/x.bin');
  });

  it('refuses URLs, absolute paths, drive letters and paths that leave the folder', () => {
    for (const shard of [
      'https://evil.example/w.bin',
      'file:///etc/passwd',
      '/etc/passwd',
      '%2Fetc%2Fpasswd',
      'C:%5Cx',
      '../w.bin',
      'w/../../x.bin',
      '%2E%2E/x.bin',
      ''
    ]) {
      expect(() => siblingPath(shard, 'runs/model.json')).toThrow(
        `runs/model.json: weight shard path "${shard}" points outside the directory of model.json`
      );
    }
  });
});

describe('memory budget and typed lookups', () => {
  it('charges and refuses past the limit, naming what and the limit', () => {
    const budget = new MemoryBudget(1024, 'net.npz');
    budget.charge(800, 'a');
    expect(() => budget.charge(800, 'member "b.npy"')).toThrow(
      /^net\.npz: member "b\.npy" needs 800 B, more than the memory budget of 1 KiB/
    );
    expect(() => budget.charge(Number.NaN, 'x')).toThrow(/memory budget/);
  });

  it('parses --max-memory sizes', () => {
    expect(parseMemorySize('2G')).toBe(2 * 1024 ** 3);
    expect(parseMemorySize('512M')).toBe(512 * 1024 ** 2);
    expect(parseMemorySize('1.5GiB')).toBe(1.5 * 1024 ** 3);
    expect(parseMemorySize('1000')).toBe(1000);
    for (const bad of ['', '0', '-1G', 'lots', '1e9', '2 X']) expect(parseMemorySize(bad)).toBeUndefined();
  });

  it('refuses .npy dtypes that name Object.prototype members instead of reading zeros', () => {
    for (const descr of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      const archive = zipSync({ 'w.npy': npy(descr, [1000, 1000]) }, { level: 0 });
      expect(() => parseNpz(archive, 'probe.npz')).toThrow(`unsupported element type ${descr} (supported`);
    }
  });

  it('refuses safetensors dtypes that name Object.prototype members', () => {
    for (const dtype of ['__proto__', 'constructor', 'toString']) {
      const header = encode(JSON.stringify({ w: { dtype, shape: [2], data_offsets: [0, 8] } }));
      const bytes = new Uint8Array(8 + header.length + 8);
      new DataView(bytes.buffer).setBigUint64(0, BigInt(header.length), true);
      bytes.set(header, 8);
      expect(() => parseSafetensors(bytes, 'p.safetensors')).toThrow(`has dtype ${dtype}, which`);
    }
  });

  it('charges a member before inflating it: a small deflated member declaring 16 MiB is refused', () => {
    const big = npy('<f8', [2 * 1024 * 1024], new Uint8Array(16 * 1024 * 1024));
    const archive = zipSync({ 'w.npy': big }, { level: 1 });
    expect(archive.length).toBeLessThan(1_000_000);
    expect(() => parseNpz(archive, 'bomb.npz', new MemoryBudget(8 * 1024 ** 2, 'bomb.npz'))).toThrow(
      /bomb\.npz: member "w\.npy" \(inflated\) needs 16\.0 MiB, more than the memory budget/
    );
  });

  it('refuses members that share their bytes', () => {
    const data = npy('<f4', [4], new Uint8Array(16));
    const archive = zipSync({ 'a.npy': data }, { level: 0 });
    // Duplicate the central directory entry under another name pointing at the same local header.
    const view = new DataView(archive.buffer);
    const eocd = archive.length - 22;
    const cd = view.getUint32(eocd + 16, true);
    const cdSize = view.getUint32(eocd + 12, true);
    const entry = archive.slice(cd, cd + cdSize);
    entry[46] = 'b'.charCodeAt(0);
    const out = new Uint8Array(cd + 2 * cdSize + 22);
    out.set(archive.subarray(0, cd + cdSize));
    out.set(entry, cd + cdSize);
    out.set(archive.subarray(eocd), cd + 2 * cdSize);
    const o = new DataView(out.buffer);
    o.setUint16(cd + 2 * cdSize + 8, 2, true);
    o.setUint16(cd + 2 * cdSize + 10, 2, true);
    o.setUint32(cd + 2 * cdSize + 12, 2 * cdSize, true);
    expect(() => parseNpz(out, 'overlap.npz')).toThrow(/members "a\.npy" and "b\.npy" share the same bytes/);
  });

  it('refuses a member whose .npy header disagrees with the declared size, before inflating it', () => {
    const archive = zipSync({ 'a.npy': npy('<f4', [1024], new Uint8Array(4096)) }, { level: 6 });
    const view = new DataView(archive.buffer);
    const cd = view.getUint32(archive.length - 22 + 16, true);
    view.setUint32(cd + 24, 200, true); // declared (central) size: 200 bytes
    expect(() => parseNpz(archive, 'liar.npz')).toThrow(
      /liar\.npz:a\.npy: corrupt \.npz archive: the ZIP directory declares 200 bytes, the \.npy header describes 4224/
    );
  });

  it('refuses a member that inflates past its declared size, while streaming', () => {
    const small = npy('<f4', [16], new Uint8Array(64));
    const padded = new Uint8Array(small.length + 1_000_000);
    padded.set(small);
    const archive = zipSync({ 'a.npy': padded }, { level: 6 });
    const view = new DataView(archive.buffer);
    const cd = view.getUint32(archive.length - 22 + 16, true);
    view.setUint32(cd + 24, small.length, true); // declared size matches the header, the data is larger
    expect(() => parseNpz(archive, 'liar.npz')).toThrow(
      `expands past the ${small.length} bytes the ZIP directory declares`
    );
  });

  it('refuses a TF.js topology with more layers than the limit, without recursion', async () => {
    const layers = Array.from({ length: MAX_LAYERS + 1 }, (_, k) => ({
      class_name: 'Dense',
      config: { name: `d${k}`, units: 1 }
    }));
    const model = { modelTopology: { class_name: 'Sequential', config: { layers } }, weightsManifest: [] };
    await expect(
      readNetwork(memorySource('model.json', { 'model.json': encode(JSON.stringify(model)) }))
    ).rejects.toThrow(
      `model.json: modelTopology has ${MAX_LAYERS + 1} layers, more than the limit of ${MAX_LAYERS}`
    );
  });
});
