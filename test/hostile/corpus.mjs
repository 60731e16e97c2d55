// The hostile corpus: files built to break a reader (bombs, lies, special files, symlinks, prototype
// keys, absurd counts and depths), generated into a folder at test time so no large file is committed.
// Used by test/hostile/hostile.test.ts (expected exit code and message class per probe, CLI, kernel
// and Inspector worker) and bench/hostile.mjs (time and peak RSS per probe).
//
// Each probe: { id, family, file, modes, expect, workerExpect?, args? }
//   file     - the path handed to the reader (relative to the corpus folder)
//   modes    - which paths it runs through: 'cli' (lib/cli/main.js metrics FILE), 'kernel' (loadNetwork),
//              'worker' (the Inspector's worker core, the files a network file names served by the checks
//              of the nnmotifs server extension, jupyterlab_nnmotifs/handlers.py)
//   expect   - { exit: 2, message: RegExp source } for CLI and kernel
//   workerExpect - the same for the worker path when it differs (the server extension words its refusals
//              itself; the worker quotes them)
//   args     - extra CLI arguments (and the matching maxMemory for kernel and worker)
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  readFileSync,
  linkSync,
  mkdirSync,
  openSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync,
  writeSync
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TextEncoder } from 'node:util';
import zlib from 'node:zlib';

const MiB = 1024 * 1024;
const enc = s => new TextEncoder().encode(s);

/** An .npy file: header dict text as given (padded), then data. */
export function npyBytes(headerDict, data = new Uint8Array(0)) {
  let header = headerDict;
  while ((10 + header.length + 1) % 64 !== 0) header += ' ';
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(enc(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

const npyHeader = (descr, shape) =>
  `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;

/**
 * Raw deflate of `prefix` followed by `zeros` zero bytes (a multiple of 4 MiB), built in milliseconds: a
 * 4 MiB run of zeros is deflated once, ending on a byte boundary (sync flush), and repeated; each piece
 * refers only to bytes inside itself, so the pieces concatenate into one valid stream.
 */
function deflateZeros(prefix, zeros) {
  const sync = { level: 9, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  const run = zlib.deflateRawSync(Buffer.alloc(4 * MiB), sync);
  const head = zlib.deflateRawSync(Buffer.from(prefix), sync);
  const tail = zlib.deflateRawSync(Buffer.alloc(0)); // an empty final block
  const pieces = [head, ...Array(Math.ceil(zeros / (4 * MiB))).fill(run), tail];
  return new Uint8Array(Buffer.concat(pieces));
}

let crcTable;
function crc32(data) {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let k = 0; k < data.length; k++) crc = crcTable[(crc ^ data[k]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive written by hand, so sizes can lie. members: { name, data (as stored), method (0|8),
 * size (declared uncompressed), crc, offsetOf? (index of an earlier member whose local header to reuse) }.
 * ZIP64 extra fields when a declared size does not fit 32 bits.
 */
export function zipBytes(members) {
  const chunks = [];
  let offset = 0;
  const locals = [];
  for (const m of members) {
    if (m.offsetOf !== undefined) {
      locals.push(locals[m.offsetOf]);
      continue;
    }
    const name = enc(m.name);
    const h = new DataView(new ArrayBuffer(30));
    h.setUint32(0, 0x04034b50, true);
    h.setUint16(4, 45, true);
    h.setUint16(8, m.method, true);
    h.setUint32(14, m.crc, true);
    h.setUint32(18, Math.min(m.data.length, 0xffffffff), true);
    h.setUint32(22, Math.min(m.size, 0xffffffff), true);
    h.setUint16(26, name.length, true);
    locals.push(offset);
    chunks.push(new Uint8Array(h.buffer), name, m.data);
    offset += 30 + name.length + m.data.length;
  }
  const cdStart = offset;
  members.forEach((m, k) => {
    const name = enc(m.name);
    const big = m.size >= 0xffffffff;
    const extra = big ? new DataView(new ArrayBuffer(12)) : null;
    if (extra) {
      extra.setUint16(0, 1, true);
      extra.setUint16(2, 8, true);
      extra.setBigUint64(4, BigInt(m.size), true);
    }
    const c = new DataView(new ArrayBuffer(46));
    c.setUint32(0, 0x02014b50, true);
    c.setUint16(4, 45, true);
    c.setUint16(6, 45, true);
    c.setUint16(10, m.method, true);
    c.setUint32(16, m.crc, true);
    const src = m.offsetOf !== undefined ? members[m.offsetOf] : m;
    c.setUint32(20, src.data.length, true);
    c.setUint32(24, big ? 0xffffffff : m.size, true);
    c.setUint16(28, name.length, true);
    c.setUint16(30, extra ? 12 : 0, true);
    c.setUint32(42, locals[k], true);
    chunks.push(new Uint8Array(c.buffer), name);
    offset += 46 + name.length;
    if (extra) {
      chunks.push(new Uint8Array(extra.buffer));
      offset += 12;
    }
  });
  const e = new DataView(new ArrayBuffer(22));
  e.setUint32(0, 0x06054b50, true);
  e.setUint16(8, Math.min(members.length, 0xffff), true);
  e.setUint16(10, Math.min(members.length, 0xffff), true);
  e.setUint32(12, offset - cdStart, true);
  e.setUint32(16, cdStart, true);
  chunks.push(new Uint8Array(e.buffer));
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** A ZIP64 end record pair so more than 65535 members can be listed. */
function zip64Many(count) {
  // Many tiny stored members; the EOCD count saturates at 65535, the ZIP64 record gives the real count.
  const members = [];
  const data = npyBytes(npyHeader('<f4', [1]), new Uint8Array(4));
  for (let k = 0; k < count; k++)
    members.push({ name: `m${k}.npy`, data, method: 0, size: data.length, crc: crc32(data) });
  const zip = zipBytes(members);
  const eocd = zip.length - 22;
  const view = new DataView(zip.buffer);
  const cdSize = view.getUint32(eocd + 12, true);
  const cdStart = view.getUint32(eocd + 16, true);
  const z64 = new DataView(new ArrayBuffer(56 + 20));
  z64.setUint32(0, 0x06064b50, true);
  z64.setBigUint64(4, 44n, true);
  z64.setBigUint64(24, BigInt(count), true);
  z64.setBigUint64(32, BigInt(count), true);
  z64.setBigUint64(40, BigInt(cdSize), true);
  z64.setBigUint64(48, BigInt(cdStart), true);
  z64.setUint32(56, 0x07064b50, true);
  z64.setBigUint64(56 + 8, BigInt(eocd), true);
  z64.setUint32(56 + 16, 1, true);
  const out = new Uint8Array(zip.length + 76);
  out.set(zip.subarray(0, eocd));
  out.set(new Uint8Array(z64.buffer), eocd);
  out.set(zip.subarray(eocd), eocd + 76);
  return out;
}

function safetensorsBytes(header, data = new Uint8Array(0)) {
  const h = enc(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}

/** A TF.js layers model.json of Dense layers d0…, with one float32 weight group over `paths`. */
function tfjsModel({ layers = 1, paths = ['w.bin'], weights } = {}) {
  const layerList = Array.from({ length: layers }, (_, k) => ({
    class_name: 'Dense',
    config: { name: `d${k}`, units: 1, activation: 'linear', use_bias: false }
  }));
  return {
    modelTopology: { class_name: 'Sequential', config: { name: 'm', layers: layerList } },
    weightsManifest: [
      {
        paths,
        weights:
          weights ??
          Array.from({ length: layers }, (_, k) => ({
            name: `d${k}/kernel`,
            shape: [1, 1],
            dtype: 'float32'
          }))
      }
    ]
  };
}

const JSON_NET = layers =>
  JSON.stringify({
    format: 'nnmotifs.network',
    version: 1,
    layers: Array.from({ length: layers }, () => ({ weights: [[1]] }))
  });

/** Nested JSON text `[[[…]]]` of the given depth, built without recursion. */
const deepArray = depth => '['.repeat(depth) + ']'.repeat(depth);

// --- model files of other tools: builders -------------------------------------------------------------

const FIXTURES = fileURLToPath(new URL('../fixtures/interop/models/', import.meta.url));

/** Python pickle opcodes, protocol 2 (what torch.save writes), as bytes. */
const pk = {
  proto: () => [0x80, 2],
  global: (module, name) => [...enc('c'), ...enc(`${module}\n${name}\n`)],
  str: text => {
    const b = enc(text);
    return [0x58, b.length & 0xff, (b.length >> 8) & 0xff, (b.length >> 16) & 0xff, b.length >>> 24, ...b];
  },
  /** LONG1: a signed little-endian integer of any size. */
  int: value => {
    let v = BigInt(value);
    const out = [];
    do {
      out.push(Number(v & 0xffn));
      v >>= 8n;
    } while (v !== 0n || (out[out.length - 1] & 0x80) !== 0);
    return [0x8a, out.length, ...out];
  },
  mark: [0x28],
  tuple: [0x74],
  emptyTuple: [0x29],
  emptyList: [0x5d],
  reduce: [0x52],
  binpersid: [0x51],
  setitem: [0x73],
  appends: [0x65],
  newfalse: [0x89],
  stop: [0x2e],
  pop: [0x30],
  emptyDict: [0x7d],
  /** LONG_BINPUT / LONG_BINGET (memo index as u32). */
  put: k => [0x72, k & 0xff, (k >> 8) & 0xff, (k >> 16) & 0xff, k >>> 24],
  get: k => [0x6a, k & 0xff, (k >> 8) & 0xff, (k >> 16) & 0xff, k >>> 24]
};

/** `OrderedDict({name: tensor})` of one float32 tensor of `shape` on storage "0" of `numel` elements. */
function torchStateDictPickle(name, shape, numel) {
  const ordered = [...pk.global('collections', 'OrderedDict'), ...pk.emptyTuple, ...pk.reduce];
  return new Uint8Array([
    ...pk.proto(),
    ...ordered,
    ...pk.str(name),
    ...pk.global('torch._utils', '_rebuild_tensor_v2'),
    ...pk.mark,
    ...pk.mark,
    ...pk.str('storage'),
    ...pk.global('torch', 'FloatStorage'),
    ...pk.str('0'),
    ...pk.str('cpu'),
    ...pk.int(numel),
    ...pk.tuple,
    ...pk.binpersid,
    ...pk.int(0),
    ...pk.mark,
    ...shape.flatMap(d => pk.int(d)),
    ...pk.tuple,
    ...pk.mark,
    ...shape.map((_, k) => shape.slice(k + 1).reduce((a, b) => a * b, 1)).flatMap(d => pk.int(d)),
    ...pk.tuple,
    ...pk.newfalse,
    ...ordered,
    ...pk.tuple,
    ...pk.reduce,
    ...pk.setitem,
    ...pk.stop
  ]);
}

/** A `torch.save` zip archive: `archive/data.pkl`, `archive/data/0` and `archive/version`, stored. */
function torchZip(pickle, storage = new Uint8Array(16)) {
  const member = (name, data) => ({ name, data, method: 0, size: data.length, crc: crc32(data) });
  return zipBytes([
    member('archive/data.pkl', pickle),
    member('archive/data/0', storage),
    member('archive/version', enc('3\n'))
  ]);
}

/** Protobuf: a varint, a varint field, a length-delimited field (field numbers of onnx.proto). */
const pbVarint = v => {
  const out = [];
  for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v % 128) | 0x80);
  out.push(v);
  return out;
};
const pbInt = (no, v) => new Uint8Array([...pbVarint(no * 8), ...pbVarint(v)]);
const pbBytes = (no, bytes) =>
  concatBytes(new Uint8Array([...pbVarint(no * 8 + 2), ...pbVarint(bytes.length)]), bytes);

function concatBytes(...parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An ONNX model (ir_version 8) of one graph: `Gemm` of input x with initializer W (given as bytes). */
function onnxGemm(initializer) {
  const node = concatBytes(
    pbBytes(1, enc('x')),
    pbBytes(1, enc('W')),
    pbBytes(2, enc('y')),
    pbBytes(3, enc('fc')),
    pbBytes(4, enc('Gemm'))
  );
  return concatBytes(pbInt(1, 8), pbBytes(7, concatBytes(pbBytes(1, node), pbBytes(5, initializer))));
}

/**
 * Builds the corpus into `dir` (which must exist and be empty) and returns the probes.
 */
export function buildCorpus(dir) {
  const probes = [];
  const folder = id => {
    const d = join(dir, id);
    mkdirSync(d);
    return d;
  };
  const add = (id, family, file, expect, extra = {}) =>
    probes.push({
      id,
      family,
      file: join(id, file),
      modes: ['cli', 'kernel', 'worker'],
      expect: { exit: 2, message: expect },
      ...extra
    });

  // --- file system: symlinks out, special files, one file under two names -----------------------------
  const outside = folder('outside');
  writeFileSync(join(outside, 'secret.bin'), 'TOP SECRET'.padEnd(4, ' '));
  {
    const d = folder('tfjs_shard_symlink_out');
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: ['w.bin'] })));
    symlinkSync(join(outside, 'secret.bin'), join(d, 'w.bin'));
    // In the lab the nnmotifs server extension resolves the shard's real path the same way.
    add(
      'tfjs_shard_symlink_out',
      'symlink',
      'model.json',
      'weight shard "w\\.bin" resolves to .*outside the folder of the model',
      {
        workerExpect: {
          exit: 2,
          message: 'file "w\\.bin" named by .*model\\.json resolves to .*outside the folder of the model'
        }
      }
    );
  }
  {
    const d = folder('tfjs_shard_dev_zero');
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: ['w.bin'] })));
    symlinkSync('/dev/zero', join(d, 'w.bin'));
    add(
      'tfjs_shard_dev_zero',
      'special file',
      'model.json',
      'weight shard "w\\.bin" resolves to /dev/zero, outside the folder',
      {
        workerExpect: {
          exit: 2,
          message: 'file "w\\.bin" named by .*model\\.json resolves to /dev/zero, outside the folder'
        }
      }
    );
  }
  {
    const d = folder('tfjs_shard_fifo');
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: ['w.bin'] })));
    execFileSync('mkfifo', [join(d, 'w.bin')]);
    add(
      'tfjs_shard_fifo',
      'special file',
      'model.json',
      'weight shard "w\\.bin" is a FIFO \\(named pipe\\), not a regular file',
      {
        workerExpect: {
          exit: 2,
          message: 'file "w\\.bin" named by .*model\\.json is a FIFO \\(named pipe\\), not a regular file'
        }
      }
    );
  }
  {
    const d = folder('network_dev_zero');
    symlinkSync('/dev/zero', join(d, 'net.npz'));
    // The lab opens a network file through JupyterLab's document context: the server serves no device.
    add(
      'network_dev_zero',
      'special file',
      'net.npz',
      'net\\.npz: is a character device, not a regular file',
      { modes: ['cli', 'kernel'] }
    );
  }
  {
    const d = folder('network_fifo');
    execFileSync('mkfifo', [join(d, 'net.json')]);
    add(
      'network_fifo',
      'special file',
      'net.json',
      'net\\.json: is a FIFO \\(named pipe\\), not a regular file',
      { modes: ['cli', 'kernel'] }
    );
  }
  for (const [id, path] of [
    ['tfjs_shard_parent', '../outside/secret.bin'],
    ['tfjs_shard_absolute', '/etc/passwd'],
    ['tfjs_shard_url', 'file:///etc/passwd'],
    ['tfjs_shard_encoded_parent', '%2E%2E%2Foutside%2Fsecret.bin']
  ]) {
    const d = folder(id);
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: [path] })));
    add(id, 'path traversal', 'model.json', 'points outside the directory of model\\.json');
  }
  {
    const d = folder('tfjs_same_shard_many');
    writeFileSync(join(d, 'w.bin'), new Uint8Array(4));
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: Array(4000).fill('w.bin') })));
    add('tfjs_same_shard_many', 'duplicate reference', 'model.json', 'names weight shard "w\\.bin" twice');
  }
  {
    const d = folder('tfjs_shard_hardlinks');
    writeFileSync(join(d, 'a.bin'), new Uint8Array(4));
    linkSync(join(d, 'a.bin'), join(d, 'b.bin'));
    const model = tfjsModel({ layers: 2, paths: ['a.bin', 'b.bin'] });
    writeFileSync(join(d, 'model.json'), JSON.stringify(model));
    add(
      'tfjs_shard_hardlinks',
      'duplicate reference',
      'model.json',
      'weight shard "b\\.bin" is a file already read under another name',
      {
        // The contents API cannot tell two names of one file apart; the bytes then go to the layers they describe.
        modes: ['cli', 'kernel']
      }
    );
  }

  // --- model files of other tools: PyTorch pickles, ONNX, HDF5 ------------------------------------------
  for (const [id, fixture] of [
    ['pt_reduce_system', 'hostile_reduce.pt'],
    ['pt_legacy_reduce_system', 'hostile_legacy.pt']
  ]) {
    const d = folder(id);
    copyFileSync(join(FIXTURES, fixture), join(d, 'm.pt'));
    add(id, 'code execution', 'm.pt', 'posix\\.system, which is not on the allow-list');
  }
  {
    // A tensor of 100 000 × 100 000 float32 (40 GB) on a storage that declares 10^10 elements: 800 bytes.
    const d = folder('pt_huge_tensor');
    writeFileSync(join(d, 'm.pt'), torchZip(torchStateDictPickle('0.weight', [100_000, 100_000], 1e10)));
    add(
      'pt_huge_tensor',
      'absurd size',
      'm.pt',
      'tensor 0\\.weight \\[100000, 100000\\] would bring the data read to \\d+ bytes, over the budget'
    );
  }
  {
    // "Billion laughs": 40 levels of lists holding the previous level 10 times by memo reference (10^40
    // paths through 400 objects): a reader that copies instead of sharing never ends.
    const d = folder('pt_memo_bomb');
    // Held under "model" of a checkpoint dict, where a state_dict is looked for.
    const ops = [
      ...pk.proto(),
      ...pk.emptyDict,
      ...pk.str('model'),
      ...pk.emptyList,
      ...pk.put(0),
      ...pk.pop
    ];
    for (let level = 1; level <= 40; level++) {
      ops.push(...pk.emptyList, ...pk.mark);
      for (let k = 0; k < 10; k++) ops.push(...pk.get(level - 1));
      ops.push(...pk.appends, ...pk.put(level));
      if (level < 40) ops.push(...pk.pop);
    }
    ops.push(...pk.setitem);
    ops.push(...pk.stop);
    writeFileSync(join(d, 'm.pt'), torchZip(new Uint8Array(ops)));
    add(
      'pt_memo_bomb',
      'deep structure',
      'm.pt',
      'no tensors found: the checkpoint holds a dict with keys model'
    );
  }
  {
    // 1 000 000 lists nested in each other (2 MB): no recursion over the pickle's depth.
    const d = folder('pt_deep_nesting');
    const depth = 1_000_000;
    const ops = new Uint8Array(2 + depth + 2 * (depth - 1) + 1);
    ops.set(pk.proto());
    let at = 2;
    for (let k = 0; k < depth; k++) ops[at++] = 0x5d; // EMPTY_LIST
    for (let k = 1; k < depth; k++) ops[at++] = 0x61; // APPEND: the inner list into the one below it
    ops[at++] = 0x2e;
    writeFileSync(join(d, 'm.pt'), torchZip(ops.subarray(0, at)));
    // Refused at the pickle machine's stack limit, after 65,536 of the lists: no time spent on the rest.
    add(
      'pt_deep_nesting',
      'deep structure',
      'm.pt',
      'the pickle holds more than 65536 values on its stack at once'
    );
  }
  {
    // 5000 lists nested the way Python writes them (a list, memoized, holding the next): refused at the
    // nesting limit (1000), deeper than Python's pickler can write.
    const d = folder('pt_nesting_5000');
    const ops = [...pk.proto()];
    for (let k = 0; k < 5000; k++) ops.push(...pk.emptyList, ...pk.put(k));
    for (let k = 1; k < 5000; k++) ops.push(0x61); // APPEND
    ops.push(...pk.stop);
    writeFileSync(join(d, 'm.pt'), torchZip(new Uint8Array(ops)));
    add(
      'pt_nesting_5000',
      'deep structure',
      'm.pt',
      'the pickle nests lists, tuples, dicts or objects more than 1000 levels deep'
    );
  }
  {
    // An initializer of 10^6 × 10^6 float32 whose raw data is 4 bytes.
    const d = folder('onnx_huge_dims');
    const w = concatBytes(
      pbInt(1, 1_000_000),
      pbInt(1, 1_000_000),
      pbInt(2, 1),
      pbBytes(8, enc('W')),
      pbBytes(9, new Uint8Array(4))
    );
    writeFileSync(join(d, 'm.onnx'), onnxGemm(w));
    add(
      'onnx_huge_dims',
      'absurd size',
      'm.onnx',
      'initializer W \\[1000000, 1000000\\] is over the byte budget'
    );
  }
  {
    // An initializer whose data lives in an external file: /etc/passwd (ONNX external data is not read).
    const d = folder('onnx_external_data');
    const w = concatBytes(
      pbInt(1, 2),
      pbInt(1, 2),
      pbInt(2, 1),
      pbBytes(8, enc('W')),
      pbBytes(13, concatBytes(pbBytes(1, enc('location')), pbBytes(2, enc('/etc/passwd')))),
      pbInt(14, 1)
    );
    writeFileSync(join(d, 'm.onnx'), onnxGemm(w));
    add(
      'onnx_external_data',
      'path traversal',
      'm.onnx',
      'keeps its data in an external file, which is not read'
    );
  }
  {
    // A graph of a million empty nodes (2 MB): refused at the protobuf field limit, before nodes are parsed
    // (parsing them took 8 s and 765 MiB).
    const d = folder('onnx_many_nodes');
    const graph = new Uint8Array(2_000_000);
    for (let k = 0; k < graph.length; k += 2) graph[k] = (1 << 3) | 2;
    writeFileSync(join(d, 'm.onnx'), concatBytes(pbInt(1, 8), pbBytes(7, graph)));
    add(
      'onnx_many_nodes',
      'structural limit',
      'm.onnx',
      'a protobuf message of the ONNX file has more than 262144 fields'
    );
  }
  {
    // Keras' own .h5 with the first kernel's dataspace patched to 5 × 2^40 (data: 120 bytes).
    const d = folder('h5_huge_dims');
    const h5 = new Uint8Array(readFileSync(join(FIXTURES, 'keras_mlp.h5')));
    const view = new DataView(h5.buffer);
    if (view.getBigUint64(10608, true) !== 5n || view.getBigUint64(10616, true) !== 6n) {
      throw new Error('keras_mlp.h5 changed: find the dataspace of the first kernel again');
    }
    view.setBigUint64(10616, 2n ** 40n, true);
    writeFileSync(join(d, 'm.h5'), h5);
    add('h5_huge_dims', 'absurd size', 'm.h5', 'm\\.h5: .*(budget|bytes of data for shape|too large)');
  }
  {
    // The same with its data layout switched to chunked (what compressed datasets use).
    const d = folder('h5_chunked');
    const h5 = new Uint8Array(readFileSync(join(FIXTURES, 'keras_mlp.h5')));
    if (h5[10696] !== 3 || h5[10697] !== 1) throw new Error('keras_mlp.h5 changed: find the layout again');
    h5[10697] = 2;
    writeFileSync(join(d, 'm.h5'), h5);
    add('h5_chunked', 'absurd size', 'm.h5', 'chunked \\(or compressed\\) datasets are not supported');
  }
  {
    const d = folder('h5_truncated');
    writeFileSync(join(d, 'm.h5'), readFileSync(join(FIXTURES, 'keras_mlp.h5')).subarray(0, 4096));
    add('h5_truncated', 'absurd size', 'm.h5', 'm\\.h5: .*(truncated|corrupt)');
  }

  // --- ZIP / .npz --------------------------------------------------------------------------------------
  {
    const d = folder('npz_bomb_256m');
    const data = deflateZeros(new Uint8Array(0), 256 * MiB);
    writeFileSync(
      join(d, 'bomb.npz'),
      zipBytes([{ name: 'w.npy', data, method: 8, size: 256 * MiB, crc: 0 }])
    );
    add('npz_bomb_256m', 'zip bomb', 'bomb.npz', 'not a \\.npy array');
  }
  {
    const d = folder('npz_bomb_256m_npy');
    const header = npyBytes(npyHeader('<f4', [8192, 8192]));
    const data = deflateZeros(header, 256 * MiB);
    const size = header.length + 256 * MiB;
    writeFileSync(join(d, 'bomb.npz'), zipBytes([{ name: 'w.npy', data, method: 8, size, crc: 0 }]));
    // A genuine-looking 8192×8192 float32 layer of zeros: a real network size, read under the default
    // 2 GiB budget; refused under a smaller one.
    add('npz_bomb_256m_npy', 'zip bomb', 'bomb.npz', 'memory budget', { args: ['--max-memory', '512M'] });
  }
  {
    const d = folder('npz_declared_4g');
    const header = npyBytes(npyHeader('<f4', [32768, 32768]));
    const data = deflateZeros(header, 4 * MiB);
    const size = header.length + 4 * 1024 * MiB;
    writeFileSync(join(d, 'bomb.npz'), zipBytes([{ name: 'w.npy', data, method: 8, size, crc: 0 }]));
    add(
      'npz_declared_4g',
      'zip bomb',
      'bomb.npz',
      'member "w\\.npy" \\(inflated\\) needs 4\\.0 GiB, more than the memory budget'
    );
  }
  {
    const d = folder('npz_overlap');
    const header = npyBytes(npyHeader('<f4', [4096, 4096]));
    const data = deflateZeros(header, 64 * MiB);
    const size = header.length + 64 * MiB;
    const members = [{ name: 'm0.npy', data, method: 8, size, crc: 0 }];
    for (let k = 1; k < 64; k++)
      members.push({ name: `m${k}.npy`, data, method: 8, size, crc: 0, offsetOf: 0 });
    writeFileSync(join(d, 'overlap.npz'), zipBytes(members));
    add(
      'npz_overlap',
      'zip bomb',
      'overlap.npz',
      'members "m\\d+\\.npy" and "m\\d+\\.npy" share the same bytes'
    );
  }
  {
    const d = folder('npz_size_lie');
    const small = npyBytes(npyHeader('<f4', [16]), new Uint8Array(64));
    const data = deflateZeros(small, 64 * MiB);
    writeFileSync(
      join(d, 'lie.npz'),
      zipBytes([{ name: 'w.npy', data, method: 8, size: small.length, crc: 0 }])
    );
    add('npz_size_lie', 'zip bomb', 'lie.npz', 'expands past the \\d+ bytes the ZIP directory declares');
  }
  for (const descr of ['__proto__', 'constructor', 'toString']) {
    const id = `npz_dtype_${descr.replace(/_/g, '')}`;
    const d = folder(id);
    const member = npyBytes(npyHeader(descr, [1000, 1000]));
    writeFileSync(
      join(d, 'p.npz'),
      zipBytes([{ name: 'w.npy', data: member, method: 0, size: member.length, crc: crc32(member) }])
    );
    add(id, 'prototype key', 'p.npz', `unsupported element type ${descr} \\(supported`);
  }
  {
    const d = folder('npz_many_members');
    writeFileSync(join(d, 'many.npz'), zip64Many(70_000));
    add(
      'npz_many_members',
      'structural limit',
      'many.npz',
      'lists 70000 members, more than the limit of 65536'
    );
  }
  {
    const d = folder('npy_deep_header');
    const member = npyBytes(
      `{'descr': '<f4', 'fortran_order': False, 'shape': ${'('.repeat(20000)}${')'.repeat(20000)}}`
    );
    writeFileSync(
      join(d, 'deep.npz'),
      zipBytes([{ name: 'w.npy', data: member, method: 0, size: member.length, crc: crc32(member) }])
    );
    add('npy_deep_header', 'deep structure', 'deep.npz', 'nesting deeper than 16 levels');
  }

  // --- safetensors ------------------------------------------------------------------------------------
  for (const dtype of ['__proto__', 'constructor', 'toString']) {
    const id = `st_dtype_${dtype.replace(/_/g, '')}`;
    const d = folder(id);
    writeFileSync(
      join(d, 'p.safetensors'),
      safetensorsBytes({ w: { dtype, shape: [2], data_offsets: [0, 8] } }, new Uint8Array(8))
    );
    add(id, 'prototype key', 'p.safetensors', `has dtype ${dtype}, which nnmotifs does not read`);
  }
  {
    const d = folder('st_huge_shape');
    writeFileSync(
      join(d, 'h.safetensors'),
      safetensorsBytes({ w: { dtype: 'F32', shape: [100000, 100000], data_offsets: [0, 40000000000] } })
    );
    add('st_huge_shape', 'absurd size', 'h.safetensors', 'truncated safetensors file');
  }
  {
    const d = folder('st_many_tensors');
    const header = {};
    for (let k = 0; k < 70_000; k++)
      header[`t${k}.weight`] = { dtype: 'F32', shape: [0], data_offsets: [0, 0] };
    writeFileSync(join(d, 'many.safetensors'), safetensorsBytes(header));
    add(
      'st_many_tensors',
      'structural limit',
      'many.safetensors',
      'the header lists more than 65536 tensors'
    );
  }
  {
    const d = folder('st_header_length');
    const bytes = new Uint8Array(64);
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 40n, true);
    bytes[8] = 0x7b;
    writeFileSync(join(d, 'h.safetensors'), bytes);
    add('st_header_length', 'absurd size', 'h.safetensors', 'more than the limit of 100000000');
  }

  // --- JSON: network files and TF.js model.json -------------------------------------------------------
  {
    const d = folder('json_300m_zeros');
    // Sparse: the reader refuses it by its size, before reading; nothing large is written to disk.
    const fd = openSync(join(d, 'zeros.json'), 'w');
    writeSync(fd, '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[0');
    ftruncateSync(fd, 300 * MiB);
    closeSync(fd);
    add(
      'json_300m_zeros',
      'large JSON',
      'zeros.json',
      'the JSON file is 300 MiB, more than the 64 MiB .* save large networks as \\.safetensors or \\.npz'
    );
  }
  {
    const d = folder('json_50k_layers');
    writeFileSync(join(d, 'deep.json'), JSON_NET(50_000));
    add(
      'json_50k_layers',
      'structural limit',
      'deep.json',
      'the file has 50000 layers, more than the limit of 4096'
    );
  }
  {
    const d = folder('json_deep_meta');
    writeFileSync(
      join(d, 'meta.json'),
      `{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1]]}], "meta": {"x": ${deepArray(200_000)}}}`
    );
    add('json_deep_meta', 'deep structure', 'meta.json', '"meta" is nested more than 64 levels deep');
  }
  {
    const d = folder('json_deep_weights');
    writeFileSync(
      join(d, 'w.json'),
      `{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": ${deepArray(200_000)}}]}`
    );
    add('json_deep_weights', 'deep structure', 'w.json', 'layer 0');
  }
  {
    const d = folder('tfjs_50k_layers');
    writeFileSync(
      join(d, 'model.json'),
      JSON.stringify(tfjsModel({ layers: 50_000, paths: [], weights: [] }))
    );
    add(
      'tfjs_50k_layers',
      'structural limit',
      'model.json',
      'modelTopology has 50000 layers, more than the limit of 4096'
    );
  }
  {
    const d = folder('tfjs_many_weights');
    const weights = Array.from({ length: 70_000 }, (_, k) => ({
      name: `d${k}/kernel`,
      shape: [1, 1],
      dtype: 'float32'
    }));
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ layers: 1, paths: [], weights })));
    add(
      'tfjs_many_weights',
      'structural limit',
      'model.json',
      'the weightsManifest lists more than 65536 weights'
    );
  }
  {
    const d = folder('tfjs_deep_inbound');
    let args = '{"config": {"keras_history": ["in", 0, 0]}}';
    args = '['.repeat(100_000) + args + ']'.repeat(100_000);
    const text =
      '{"modelTopology": {"class_name": "Functional", "config": {"name": "f", "input_layers": [["in", 0, 0]], ' +
      '"output_layers": [["d", 0, 0]], "layers": [{"class_name": "InputLayer", "name": "in", "config": {"name": "in"}, "inbound_nodes": []}, ' +
      `{"class_name": "Dense", "name": "d", "config": {"name": "d", "units": 1}, "inbound_nodes": [{"args": ${args}}]}]}}, ` +
      '"weightsManifest": [{"paths": [], "weights": []}]}';
    writeFileSync(join(d, 'model.json'), text);
    add('tfjs_deep_inbound', 'deep structure', 'model.json', 'layer "d": no weight named "d/kernel"');
  }
  {
    const d = folder('tfjs_shard_over_budget');
    const fd = openSync(join(d, 'w.bin'), 'w');
    ftruncateSync(fd, 3 * 1024 * MiB); // sparse 3 GiB
    closeSync(fd);
    writeFileSync(join(d, 'model.json'), JSON.stringify(tfjsModel({ paths: ['w.bin'] })));
    add(
      'tfjs_shard_over_budget',
      'absurd size',
      'model.json',
      'weight shard "w\\.bin" is 3 GiB, more than the',
      {
        workerExpect: { exit: 2, message: 'cannot read weight shard "w\\.bin" \\(.*is 3 GiB, more than the' }
      }
    );
  }
  return probes;
}
