/**
 * Model files written by the real tools (test/fixtures/interop/make_model_fixtures.py: torch 2.15, Keras
 * 3.15, tf_keras 2.21, torch.onnx.export, tf2onnx 1.17): each must give the same network — and so the same node
 * strengths — as its `.safetensors` twin, written by safetensors from the same tensors.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_TENSORS } from '../../../src/core/formats/budget';
import { networkFileKind } from '../../../src/core/formats/detect';
import { modelLayers, modelToNetwork, type ModelFileKind } from '../../../src/core/formats/models';
import { MAX_ONNX_FIELDS, MAX_ONNX_NODES, onnxTensors } from '../../../src/core/formats/onnx';
import {
  MAX_PICKLE_DEPTH,
  MAX_PICKLE_OBJECTS,
  MAX_PICKLE_STACK,
  unpickle
} from '../../../src/core/formats/pickle';
import { parseSafetensors } from '../../../src/core/formats/safetensors';
import { stateDictToNetwork } from '../../../src/core/formats/statedict';
import { tfjsModelToNetwork, tfjsWeightPaths } from '../../../src/core/formats/tfjs';
import { parseTorchCheckpoint } from '../../../src/core/formats/torch';
import { nodeStrength } from '../../../src/core/metrics';
import { NetworkError } from '../../../src/core/validate';
import type { LayeredNetwork } from '../../../src/core/network';
import { FIXTURES } from './helpers';

const DIR = join(FIXTURES, 'models');
const EXPECTED = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
  fixtures: Record<string, { twin: string; layers?: string[]; foldNorm?: boolean }>;
};

function latin1(text: string): Uint8Array {
  return Uint8Array.from(text, c => c.charCodeAt(0));
}

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(DIR, name)));
}

function twin(name: string): LayeredNetwork {
  return stateDictToNetwork(parseSafetensors(bytesOf(name), name), { source: name });
}

/** Relative difference, 0 for equal values (both zero included). */
function relative(a: number, b: number): number {
  return a === b ? 0 : Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export function expectSameStrengths(net: LayeredNetwork, reference: LayeredNetwork): void {
  expect(net.layers.map(l => [l.nIn, l.nOut])).toEqual(reference.layers.map(l => [l.nIn, l.nOut]));
  const a = nodeStrength(net);
  const b = nodeStrength(reference);
  let worst = 0;
  a.forEach((layer, l) => layer.forEach((v, k) => (worst = Math.max(worst, relative(v, b[l][k])))));
  expect(worst).toBeLessThanOrEqual(1e-12);
  // And the weights themselves, not only their sums.
  net.layers.forEach((layer, l) =>
    layer.weights.forEach((w, k) =>
      expect(relative(w, reference.layers[l].weights[k])).toBeLessThanOrEqual(1e-12)
    )
  );
}

describe('model files of other tools give the node strengths of their .safetensors twin (1e-12 relative)', () => {
  it('tfjs_graph/model.json (TF.js graph model converted from a Keras SavedModel by tensorflowjs)', () => {
    const text = readFileSync(join(DIR, 'tfjs_graph', 'model.json'), 'utf8');
    const shards = new Map(tfjsWeightPaths(text).map(p => [p, bytesOf(`tfjs_graph/${p}`)]));
    const net = tfjsModelToNetwork(text, shards, { source: 'model.json' });
    expect(net.meta?.format).toBe('tfjs-graph-model');
    expectSameStrengths(net, twin(EXPECTED.fixtures['tfjs_graph/model.json'].twin));
  });

  for (const [file, spec] of Object.entries(EXPECTED.fixtures)) {
    if (file.endsWith('model.json')) continue; // read with its shards, above
    const kind = networkFileKind(bytesOf(file), file) as ModelFileKind;
    const supported = ['pytorch', 'onnx', 'hdf5', 'keras'].includes(kind);
    it(`${file} (${kind})`, () => {
      expect(supported).toBe(true);
      const net = modelToNetwork(bytesOf(file), kind, {
        source: file,
        ...(spec.layers ? { layers: spec.layers } : {}),
        ...(spec.foldNorm ? { foldNorm: true } : {})
      });
      expectSameStrengths(net, twin(spec.twin));
    });
  }
});

describe('PyTorch checkpoints', () => {
  it('recognises zip, legacy and TorchScript layouts by content, whatever the extension', () => {
    for (const f of ['torch_state_dict.pt', 'torch_legacy.pt', 'torch_script.pt', 'torch_lightning.ckpt']) {
      expect(networkFileKind(bytesOf(f), 'renamed.npz')).toBe('pytorch');
    }
    expect(parseTorchCheckpoint(bytesOf('torch_legacy.pt')).format).toBe('pytorch-legacy');
    expect(parseTorchCheckpoint(bytesOf('torch_script.pt')).format).toBe('torchscript');
    expect(parseTorchCheckpoint(bytesOf('torch_lightning.ckpt')).path).toBe('state_dict');
    expect(parseTorchCheckpoint(bytesOf('torch_model_key.pth')).path).toBe('model');
  });

  it('reads a whole-module save as data: module classes by prefix, in registration order', () => {
    const c = parseTorchCheckpoint(bytesOf('torch_module.pt'), { source: 'torch_module.pt' });
    expect([...c.modules]).toEqual([
      ['', 'Sequential'],
      ['0', 'Linear'],
      ['1', 'ReLU'],
      ['2', 'Dropout'],
      ['3', 'Linear'],
      ['4', 'ReLU'],
      ['5', 'Linear']
    ]);
    expect([...c.tensors.keys()]).toEqual(['0.weight', '0.bias', '3.weight', '3.bias', '5.weight', '5.bias']);
  });

  it('lists dense layers and what was skipped, and why', () => {
    const listing = modelLayers(bytesOf('torch_transformer.pt'), 'pytorch');
    const byName = new Map(listing.map(l => [l.name, l]));
    expect(byName.get('linear1')).toMatchObject({ kind: 'linear', nIn: 8, nOut: 16 });
    expect(byName.get('linear2')).toMatchObject({ kind: 'linear', nIn: 16, nOut: 8 });
    expect(byName.get('norm1')?.kind).toBe('norm');
    expect(byName.get('self_attn')?.reason).toMatch(/not a linear layer \(in_proj_weight, in_proj_bias\)/);
    const bn = modelLayers(bytesOf('torch_batchnorm_module.pt'), 'pytorch');
    expect(bn.map(l => `${l.name}:${l.kind}:${l.moduleClass}`)).toEqual([
      '0:linear:Linear',
      '1:batchnorm:BatchNorm1d',
      '3:linear:Linear',
      '4:batchnorm:BatchNorm1d',
      '6:linear:Linear'
    ]);
  });

  it('a BatchNorm is an error naming it unless folded or left out with layers', () => {
    expect(() => modelToNetwork(bytesOf('torch_batchnorm.pt'), 'pytorch', { source: 'bn.pt' })).toThrow(
      /^bn\.pt: 1 is a BatchNorm \(1\.weight \[6\], .*\): pass foldNorm: true/
    );
    const net = modelToNetwork(bytesOf('torch_batchnorm.pt'), 'pytorch', { layers: ['0', '3', '6'] });
    expect(net.meta?.skipped).toEqual([
      '1: BatchNorm: folded into the linear layer before it with foldNorm, else left out',
      '4: BatchNorm: folded into the linear layer before it with foldNorm, else left out'
    ]);
    const folded = modelToNetwork(bytesOf('torch_batchnorm.pt'), 'pytorch', { foldNorm: true });
    expect(folded.meta?.foldedNorms).toEqual(['1 into 0', '4 into 3']);
  });

  it('layers patterns: * selects the matching linear layers in file order (a transformer MLP block)', () => {
    const bytes = bytesOf('torch_transformer.pt');
    const byPattern = modelToNetwork(bytes, 'pytorch', { layers: ['linear*'] });
    expect(byPattern.meta?.layerNames).toEqual(['linear1', 'linear2']);
    expectSameStrengths(byPattern, twin('transformer_mlp.twin.safetensors'));
    expect(() => modelToNetwork(bytes, 'pytorch', { source: 't.pt', layers: ['mlp.*'] })).toThrow(
      /^t\.pt: layers pattern "mlp\.\*" matches no linear layer/
    );
  });

  it('layers must name linear layers of the file', () => {
    const bytes = bytesOf('torch_transformer.pt');
    expect(() => modelToNetwork(bytes, 'pytorch', { source: 't.pt', layers: ['linear1', 'norm1'] })).toThrow(
      /^t\.pt: layers names "norm1", which is not a linear layer: a normalization layer \(normalises each sample/
    );
    expect(() => modelToNetwork(bytes, 'pytorch', { source: 't.pt', layers: ['fc'] })).toThrow(
      /layers names "fc", but the file has no such layer \(linear layers: linear1, linear2, self_attn\.out_proj\)/
    );
  });
});

describe('hostile pickles are refused without running anything', () => {
  const marker = '/tmp/nnmotifs-pwned';

  it('a __reduce__ calling os.system (zip and legacy layouts): refused, naming the global', () => {
    for (const f of ['hostile_reduce.pt', 'hostile_legacy.pt']) {
      expect(() => parseTorchCheckpoint(bytesOf(f), { source: f })).toThrow(
        new RegExp(
          `^${f.replace('.', '\\.')}.*: the pickle refers to posix\\.system, which is not on the allow-list`
        )
      );
    }
    expect(existsSync(marker)).toBe(false);
  });

  it("a user's own class (whole-module save of __main__.Net) is refused, naming it", () => {
    expect(() => parseTorchCheckpoint(bytesOf('torch_custom_class.pt'), { source: 'c.pt' })).toThrow(
      /the pickle refers to __main__\.Net, which is not on the allow-list/
    );
  });

  it('globals outside the allow-list are refused at GLOBAL and STACK_GLOBAL, before any call', () => {
    // pickle.dumps(eval) with protocol 2 and 4 spelled out: GLOBAL "builtins eval" / STACK_GLOBAL.
    const g = latin1('\x80\x02cbuiltins\neval\nq\x00.');
    expect(() => unpickle(g, { source: 'p' })).toThrow(/builtins\.eval, which is not on the allow-list/);
    const sg = new Uint8Array([
      0x80,
      4,
      0x8c,
      8,
      ...new TextEncoder().encode('builtins'),
      0x8c,
      4,
      ...new TextEncoder().encode('exec'),
      0x93,
      0x2e
    ]);
    expect(() => unpickle(sg)).toThrow(/builtins\.exec/);
    // torch.nn.functional.relu may be referred to (a module attribute) but never called.
    expect(() =>
      unpickle(latin1('\x80\x02ctorch.nn.functional\nrelu\nK\x01\x85R.'), { source: 'p' })
    ).toThrow(/^p: the pickle calls torch\.nn\.functional\.relu, which is data, not a function/);
    // torch.nn classes are data, not functions: a REDUCE with one only builds an object.
    const cls = latin1('\x80\x02ctorch.nn.modules.linear\nLinear\n)R.');
    expect(unpickle(cls).value).toMatchObject({ kind: 'object', cls: 'torch.nn.modules.linear.Linear' });
  });

  it('refuses huge integers (LONG4) instead of spending quadratic time on them', () => {
    const huge = new Uint8Array(5 + 1_000_000 + 1);
    huge.set([0x8b, 0x40, 0x42, 0x0f, 0x00]); // LONG4 of 1 000 000 bytes
    huge[huge.length - 1] = 0x2e;
    expect(() => unpickle(huge, { source: 'p' })).toThrow(/^p: the pickle holds an integer of 1000000 bytes/);
  });

  describe('structural limits: absurd pickles are refused early, in time that does not grow with them', () => {
    /** `depth` lists nested in each other the way Python's pickler writes them: all lists, then APPENDs. */
    const nestedLists = (depth: number): Uint8Array => {
      const ops = new Uint8Array(2 + 2 * depth);
      ops.set([0x80, 2]);
      ops.fill(0x5d, 2, 2 + depth); // EMPTY_LIST
      ops.fill(0x61, 2 + depth, 1 + 2 * depth); // APPEND
      ops[ops.length - 1] = 0x2e;
      return ops;
    };
    /** `depth` lists nested top-down through the memo: the stack never holds more than two values. */
    const nestedThroughMemo = (depth: number): Uint8Array => {
      const ops = [0x80, 2, 0x5d, 0x94]; // the outermost list, memo 0
      for (let k = 1; k < depth; k++) {
        const get = [0x6a, (k - 1) & 0xff, ((k - 1) >> 8) & 0xff, ((k - 1) >> 16) & 0xff, 0];
        ops.push(...get, 0x5d, 0x94, 0x61, 0x30); // GET k-1, a new list (memo k) appended to it, POP
      }
      ops.push(0x2e);
      return new Uint8Array(ops);
    };
    const depthOf = (v: unknown): number => {
      let d = 0;
      for (let x = v; Array.isArray(x); x = x[0]) d++;
      return d;
    };

    it(`nesting: up to ${MAX_PICKLE_DEPTH} levels read, one more refused naming the limit and the file`, () => {
      expect(MAX_PICKLE_DEPTH).toBe(1000);
      expect(depthOf(unpickle(nestedLists(MAX_PICKLE_DEPTH)).value)).toBe(MAX_PICKLE_DEPTH);
      expect(() => unpickle(nestedLists(MAX_PICKLE_DEPTH + 1), { source: 'deep.pt' })).toThrow(
        /^deep\.pt: the pickle nests lists, tuples, dicts or objects more than 1000 levels deep/
      );
      // Nesting built from the outside in, through the memo (not how Python writes it), is bounded by the
      // object limit instead; nothing walks it recursively: as a dict key it becomes text without recursion.
      const chain = nestedThroughMemo(100_000);
      const keyed = new Uint8Array([
        0x80,
        2,
        0x7d,
        ...chain.subarray(2, -1),
        0x30,
        0x6a,
        0,
        0,
        0,
        0,
        0x4e,
        0x73,
        0x2e
      ]);
      const map = unpickle(keyed).value as Map<unknown, unknown>;
      expect([...map.keys()]).toEqual(['[list]']);
      // The memo bomb (40 levels, each list holding the one below 10 times) is shallow: it is read.
      const bomb = [0x80, 2, 0x5d, 0x94, 0x30];
      for (let level = 1; level <= 40; level++) {
        bomb.push(0x5d, 0x28);
        for (let k = 0; k < 10; k++) bomb.push(0x68, level - 1);
        bomb.push(0x65, 0x94, 0x30);
      }
      bomb.push(0x68, 40, 0x2e);
      expect(depthOf(unpickle(new Uint8Array(bomb)).value)).toBe(41);
    });

    it(`the stack: ${MAX_PICKLE_STACK} values at once at most, refused as soon as there are more`, () => {
      expect(MAX_PICKLE_STACK).toBe(65_536);
      // A tuple of MAX_PICKLE_STACK - 1 items (MARK, items, TUPLE) is read.
      const tuple = (n: number): Uint8Array => {
        const ops = new Uint8Array(2 + 1 + n + 2);
        ops.set([0x80, 2, 0x28]);
        ops.fill(0x4e, 3, 3 + n); // NONE
        ops.set([0x74, 0x2e], 3 + n);
        return ops;
      };
      expect((unpickle(tuple(MAX_PICKLE_STACK - 1)).value as unknown[]).length).toBe(MAX_PICKLE_STACK - 1);
      expect(() => unpickle(tuple(MAX_PICKLE_STACK), { source: 't.pt' })).toThrow(
        /^t\.pt: the pickle holds more than 65536 values on its stack at once/
      );
      // A million nested lists (the hostile corpus' pt_deep_nesting) stop at the limit, long before the end.
      const deep = nestedLists(1_000_000);
      let thrown: unknown;
      try {
        unpickle(deep, { source: 'm.pt' });
      } catch (e) {
        thrown = e;
      }
      expect(thrown).toBeInstanceOf(NetworkError);
      expect(String((thrown as Error).message)).toMatch(
        /^m\.pt: .*more than 65536 values on its stack at once at byte 65539/
      );
    });

    it(`objects: at most ${MAX_PICKLE_OBJECTS} lists, tuples, dicts and objects (maxObjects lowers it)`, () => {
      expect(MAX_PICKLE_OBJECTS).toBe(2 ** 20);
      // A flat list of n empty lists: n + 1 containers.
      const flat = (n: number): Uint8Array => {
        const ops = new Uint8Array(2 + 1 + 2 * n + 1);
        ops.set([0x80, 2, 0x5d]);
        for (let k = 0; k < n; k++) ops.set([0x5d, 0x61], 3 + 2 * k);
        ops[ops.length - 1] = 0x2e;
        return ops;
      };
      expect((unpickle(flat(9), { maxObjects: 10 }).value as unknown[]).length).toBe(9);
      expect(() => unpickle(flat(10), { source: 'f.pt', maxObjects: 10 })).toThrow(
        /^f\.pt: the pickle builds more than 10 lists, tuples, dicts and objects/
      );
      // Genuine checkpoints are far from the limits.
      for (const f of [
        'torch_state_dict.pt',
        'torch_module.pt',
        'torch_transformer_module.pt',
        'torch_legacy.pt'
      ])
        expect(parseTorchCheckpoint(bytesOf(f), { source: f }).tensors.size).toBeGreaterThan(0);
    });
  });

  it('truncated and corrupt checkpoints: one clear error', () => {
    const whole = bytesOf('torch_state_dict.pt');
    expect(() => parseTorchCheckpoint(whole.subarray(0, whole.length - 30), { source: 'cut.pt' })).toThrow(
      /^cut\.pt: truncated or corrupt PyTorch checkpoint \(ZIP\)/
    );
    const legacy = bytesOf('torch_legacy.pt');
    expect(() => parseTorchCheckpoint(legacy.subarray(0, legacy.length - 10), { source: 'cut.pt' })).toThrow(
      /^cut\.pt: truncated legacy checkpoint/
    );
    expect(() => parseTorchCheckpoint(legacy.subarray(0, 40), { source: 'cut.pt' })).toThrow(
      /^cut\.pt: .*truncated pickle/
    );
  });

  it('refuses tensors over the byte budget before decoding them', () => {
    expect(() =>
      parseTorchCheckpoint(bytesOf('torch_state_dict.pt'), { source: 's.pt', maxBytes: 100 })
    ).toThrow(/^s\.pt: .* over the budget of 100 bytes/);
  });
});

describe('ONNX', () => {
  it('structural limits: too many nodes, initializers or fields are refused before they are parsed', () => {
    expect([MAX_ONNX_NODES, MAX_ONNX_FIELDS]).toEqual([65_536, 2 ** 18]);
    /** A graph of `n` empty messages as field `no` (2 bytes each). */
    const many = (no: number, n: number): Uint8Array => {
      const graph = new Uint8Array(2 * n);
      for (let k = 0; k < n; k++) graph.set([(no << 3) | 2, 0], 2 * k);
      return concat(varintField(1, 8), field(7, graph));
    };
    const read = (bytes: Uint8Array): unknown => onnxTensors(bytes, { source: 'm.onnx' });
    // At the limits the file is read (and has no dense layer); one more is refused, naming the limit.
    expect(() => read(many(1, MAX_ONNX_NODES))).toThrow(/^m\.onnx: no dense layers/);
    expect(() => read(many(1, MAX_ONNX_NODES + 1))).toThrow(
      /^m\.onnx: the ONNX graph has more than 65536 nodes/
    );
    expect(() => read(many(5, MAX_TENSORS + 1))).toThrow(
      /^m\.onnx: the ONNX graph has more than 65536 initializers/
    );
    // A million nodes (2 MB): refused at the field limit of the graph message, before any node is parsed.
    expect(() => read(many(1, 1_000_000))).toThrow(
      /^m\.onnx: a protobuf message of the ONNX file has more than 262144 fields/
    );
    expect(() => read(many(15, MAX_ONNX_FIELDS + 1))).toThrow(/more than 262144 fields/);
    expect(() => read(many(15, MAX_ONNX_FIELDS - 1))).toThrow(/^m\.onnx: no dense layers/);
  });

  it('lists Gemm/MatMul layers in node order and BatchNormalization as a BatchNorm', () => {
    expect(modelLayers(bytesOf('batchnorm.onnx'), 'onnx').map(l => `${l.name}:${l.kind}`)).toEqual([
      '0:linear',
      '1:batchnorm',
      '3:linear',
      '4:batchnorm',
      '6:linear'
    ]);
    expect(
      modelLayers(bytesOf('mlp_matmul.onnx'), 'onnx').map(
        l => `${l.name}:${l.moduleClass}:${l.nIn}x${l.nOut}`
      )
    ).toEqual(['0:MatMul:5x7', '3:MatMul:7x3', '5:MatMul:3x2']);
  });

  it('reads tf2onnx graphs: MatMul + Add per Dense layer, a BatchNorm reduced to Mul + Add listed as a BatchNorm', () => {
    expect(
      modelLayers(bytesOf('keras_tf2onnx.onnx'), 'onnx').map(l => `${l.name}:${l.kind}:${l.nIn}x${l.nOut}`)
    ).toEqual([
      'sequential_1/hidden_1/MatMul:linear:5x6',
      'sequential_1/hidden2_1/MatMul:linear:6x4',
      'sequential_1/out_1/MatMul:linear:4x3'
    ]);
    const layers = modelLayers(bytesOf('keras_tf2onnx_batchnorm.onnx'), 'onnx');
    expect(layers.map(l => `${l.name}:${l.kind}`)).toEqual([
      'sequential_1_1/d1_1/MatMul:linear',
      'sequential_1_1/bn1_1/batchnorm:batchnorm',
      'sequential_1_1/d2_1/MatMul:linear'
    ]);
    // Without foldNorm it is refused as any BatchNorm; chosen around, the linear layers stay unfolded.
    const bytes = bytesOf('keras_tf2onnx_batchnorm.onnx');
    expect(() => modelToNetwork(bytes, 'onnx', { source: 'k.onnx' })).toThrow(
      /^k\.onnx: sequential_1_1\/bn1_1\/batchnorm is a BatchNorm .*pass foldNorm: true/
    );
    const plain = modelToNetwork(bytes, 'onnx', {
      source: 'k.onnx',
      layers: ['sequential_1_1/d1_1/MatMul', 'sequential_1_1/d2_1/MatMul']
    });
    const folded = twin('keras_tf2onnx_batchnorm_folded.twin.safetensors');
    expect(plain.meta?.skipped).toEqual([
      'sequential_1_1/bn1_1/batchnorm: BatchNorm: folded into the linear layer before it with foldNorm, else left out'
    ]);
    expect(relative(plain.layers[1].weights[0], folded.layers[1].weights[0])).toBe(0);
    expect(relative(plain.layers[0].weights[0], folded.layers[0].weights[0])).toBeGreaterThan(1e-6);
  });

  it('follows Identity nodes and refuses a constant applied to a dense output it does not understand', () => {
    const x = 'x';
    const identityThenBias = onnxModel(
      [
        node('MatMul', 'mm', [x, 'W'], ['h']),
        node('Identity', 'id', ['h'], ['h2']),
        node('Add', 'bias', ['h2', 'b'], ['y'])
      ],
      [init('W', [2, 3], [1, 2, 3, 4, 5, 6]), init('b', [3], [0.5, -1, 2])]
    );
    const net = modelToNetwork(identityThenBias, 'onnx', { source: 'i.onnx' });
    expect(net.layers[0].weights).toEqual(Float64Array.of(1, 2, 3, 4, 5, 6));
    expect(net.layers[0].bias).toEqual(Float64Array.of(0.5, -1, 2));
    const scaled = onnxModel(
      [
        node('MatMul', 'mm', [x, 'W'], ['h']),
        node('Add', 'bias', ['h', 'b'], ['h2']),
        node('Mul', 'times_two', ['h2', 's'], ['y'])
      ],
      [init('W', [2, 3], [1, 2, 3, 4, 5, 6]), init('b', [3], [0.5, -1, 2]), init('s', [], [2])]
    );
    expect(() => modelToNetwork(scaled, 'onnx', { source: 's.onnx' })).toThrow(
      /^s\.onnx: node times_two \(Mul\) applies constant s \[\] to the output of node mm \(MatMul\)/
    );
  });

  it('truncated and corrupt protobuf: one clear error naming the file', () => {
    const whole = bytesOf('mlp.onnx');
    for (const cut of [whole.length - 1, whole.length - 50, 40]) {
      expect(() => modelToNetwork(whole.subarray(0, cut), 'onnx', { source: 'm.onnx' })).toThrow(
        /^m\.onnx: (truncated or corrupt ONNX file|truncated ONNX file|not an ONNX model|initializer)/
      );
    }
    expect(() => modelToNetwork(new Uint8Array([0x08, 0x09, 0x0f]), 'onnx', { source: 'm.onnx' })).toThrow(
      /^m\.onnx: corrupt ONNX file: protobuf wire type 7/
    );
  });
});

/** Protobuf bytes of a tiny ONNX model (ir_version 8, one graph), for graphs no converter writes. */
function onnxModel(nodes: Uint8Array[], initializers: Uint8Array[]): Uint8Array {
  const graph = concat(...nodes.map(n => field(1, n)), ...initializers.map(t => field(5, t)));
  return concat(varintField(1, 8), field(7, graph));
}

function node(op: string, name: string, inputs: string[], outputs: string[]): Uint8Array {
  const text = (s: string): Uint8Array => new TextEncoder().encode(s);
  return concat(
    ...inputs.map(i => field(1, text(i))),
    ...outputs.map(o => field(2, text(o))),
    field(3, text(name)),
    field(4, text(op))
  );
}

function init(name: string, dims: number[], values: number[]): Uint8Array {
  const raw = new Uint8Array(new Float32Array(values).buffer);
  return concat(
    ...dims.map(d => varintField(1, d)),
    varintField(2, 1),
    field(8, new TextEncoder().encode(name)),
    field(9, raw)
  );
}

function varint(v: number): number[] {
  const out: number[] = [];
  for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v % 128) | 0x80);
  out.push(v);
  return out;
}

function varintField(no: number, v: number): Uint8Array {
  return Uint8Array.from([...varint(no * 8), ...varint(v)]);
}

function field(no: number, bytes: Uint8Array): Uint8Array {
  return concat(Uint8Array.from([...varint(no * 8 + 2), ...varint(bytes.length)]), bytes);
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

describe('damaged model files fail with a NetworkError, never another exception', () => {
  const files = [
    'torch_state_dict.pt',
    'torch_legacy.pt',
    'torch_script.pt',
    'torch_module.pt',
    'mlp.onnx',
    'keras_tf2onnx_batchnorm.onnx',
    'keras_mlp.h5',
    'tf_keras_mlp.h5',
    'keras_mlp.weights.h5',
    'keras_mlp.keras'
  ];
  for (const file of files) {
    it(`${file}: truncated at 64 points and with 300 single bytes flipped`, () => {
      const whole = bytesOf(file);
      const kind = networkFileKind(whole, file) as ModelFileKind;
      const attempt = (bytes: Uint8Array): void => {
        try {
          modelToNetwork(bytes, kind, { source: file, maxBytes: 1 << 24 });
        } catch (err) {
          expect(err).toBeInstanceOf(NetworkError);
          expect((err as Error).message.startsWith(file)).toBe(true);
        }
      };
      for (let k = 1; k <= 64; k++) attempt(whole.subarray(0, Math.floor((whole.length * k) / 65)));
      let seed = 12345;
      for (let k = 0; k < 300; k++) {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        const copy = whole.slice();
        copy[seed % copy.length] ^= 1 + (seed % 255);
        attempt(copy);
      }
    });
  }
});
