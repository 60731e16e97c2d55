/**
 * ONNX models (`torch.onnx.export`, tf2onnx): the initializers and the graph's dense chain — `Gemm`
 * nodes, or `MatMul` followed by `Add` — give the linear layers, their order (the graph's node order,
 * which ONNX requires to be topological) and their orientation (`transB`). tf2onnx's Keras exports: a
 * BatchNormalization reduced to a per-unit `Mul` + `Add` right after a dense layer is read as a BatchNorm
 * (folded with `foldNorm`), `Identity` nodes are passed through, and any other constant `Add`/`Sub`/`Mul`/`Div`
 * on a dense layer's output is refused, naming the node. Read by a small protobuf
 * wire-format decoder of the few messages needed (ModelProto → GraphProto → NodeProto, TensorProto,
 * AttributeProto): no recursion on the file's nesting (subgraphs of control-flow nodes are not entered),
 * every length checked against the data, tensor sizes checked against the byte budget before decoding.
 */
import { NetworkError } from '../validate';
import { MAX_TENSORS } from './budget';
import type { ModelReadOptions, ModelTensors } from './models';
import { DTYPE_BYTES, Tensor, TensorDtype, decodeLittleEndian, shapeText } from './tensor';

/** ONNX TensorProto.DataType → dtype. */
const ONNX_DTYPES = new Map<number, TensorDtype>([
  [1, 'float32'],
  [2, 'uint8'],
  [3, 'int8'],
  [4, 'uint16'],
  [5, 'int16'],
  [6, 'int32'],
  [7, 'int64'],
  [9, 'bool'],
  [10, 'float16'],
  [11, 'float64'],
  [12, 'uint32'],
  [13, 'uint64'],
  [16, 'bfloat16']
]);

/** BatchNormalization's inputs after X, by the names PyTorch gives them. */
const BATCHNORM_INPUTS = ['', 'weight', 'bias', 'running_mean', 'running_var'];

/** One field of a protobuf message: its number, wire type and value (varint) or bytes (length-delimited). */
interface Field {
  no: number;
  wire: number;
  varint: bigint;
  bytes: Uint8Array;
}

/**
 * Most fields one protobuf message of an ONNX file may have. A graph has a few per node (the node, its
 * value_info); tensor data is packed into one field. A file of a million empty fields (2 MB) would cost
 * seconds and hundreds of MB in parsed fields.
 */
export const MAX_ONNX_FIELDS = 2 ** 18;

/** Most nodes an ONNX graph may have (a dense network needs a few per layer, at most 4096 layers). */
export const MAX_ONNX_NODES = 65_536;

/** The fields of one message, in order. Throws on truncation, unknown wire types or too many fields. */
function fields(msg: Uint8Array, fail: (problem: string) => never): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= msg.length) fail('truncated or corrupt ONNX file: a protobuf varint runs past the end');
      if (shift > 63n) fail('corrupt ONNX file: a protobuf varint is longer than 10 bytes');
      const b = msg[at++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return v;
    }
  };
  while (at < msg.length) {
    if (out.length >= MAX_ONNX_FIELDS) {
      fail(
        `a protobuf message of the ONNX file has more than ${MAX_ONNX_FIELDS} fields (at byte ${at} of ` +
          `${msg.length}); no model needs that many, so the file is not read further`
      );
    }
    const key = varint();
    const no = Number(key >> 3n);
    const wire = Number(key & 7n);
    const empty = new Uint8Array(0);
    switch (wire) {
      case 0:
        out.push({ no, wire, varint: varint(), bytes: empty });
        break;
      case 1:
        if (at + 8 > msg.length) fail('truncated ONNX file: a 64-bit protobuf field runs past the end');
        out.push({ no, wire, varint: 0n, bytes: msg.subarray(at, at + 8) });
        at += 8;
        break;
      case 2: {
        const n = varint();
        if (n > BigInt(msg.length - at)) {
          fail(`truncated or corrupt ONNX file: a field of ${n} bytes runs past the end of its message`);
        }
        out.push({ no, wire, varint: 0n, bytes: msg.subarray(at, at + Number(n)) });
        at += Number(n);
        break;
      }
      case 5:
        if (at + 4 > msg.length) fail('truncated ONNX file: a 32-bit protobuf field runs past the end');
        out.push({ no, wire, varint: 0n, bytes: msg.subarray(at, at + 4) });
        at += 4;
        break;
      default:
        fail(`corrupt ONNX file: protobuf wire type ${wire} (not an ONNX model, or a damaged one)`);
    }
  }
  return out;
}

const utf8 = new TextDecoder();

interface OnnxTensor {
  name: string;
  dims: number[];
  dtype: TensorDtype;
  raw?: Uint8Array;
  /** Packed float_data / double_data / int32_data / int64_data. */
  packed?: { field: number; bytes: Uint8Array[] };
  external: boolean;
}

interface OnnxNode {
  op: string;
  name: string;
  inputs: string[];
  outputs: string[];
  ints: Map<string, number>;
  floats: Map<string, number>;
}

function parseTensorProto(msg: Uint8Array, fail: (problem: string) => never): OnnxTensor {
  const t: OnnxTensor = { name: '', dims: [], dtype: 'float32', external: false };
  let type = 1;
  const packed: Uint8Array[] = [];
  let packedField = 0;
  for (const f of fields(msg, fail)) {
    if (f.no === 1) {
      if (f.wire === 0) t.dims.push(Number(f.varint));
      else for (const v of packedVarints(f.bytes, fail)) t.dims.push(Number(v));
    } else if (f.no === 2) type = Number(f.varint);
    else if (f.no === 8) t.name = utf8.decode(f.bytes);
    else if (f.no === 9) t.raw = f.bytes;
    else if (f.no === 13 || (f.no === 14 && f.varint === 1n)) t.external = true;
    else if (f.no === 4 || f.no === 5 || f.no === 7 || f.no === 10) {
      packedField = f.no;
      packed.push(f.wire === 2 ? f.bytes : f.bytes);
    }
  }
  const dtype = ONNX_DTYPES.get(type);
  if (dtype === undefined) fail(`initializer ${t.name}: ONNX data type ${type} is not supported`);
  t.dtype = dtype as TensorDtype;
  if (packed.length > 0) t.packed = { field: packedField, bytes: packed };
  return t;
}

function packedVarints(bytes: Uint8Array, fail: (problem: string) => never): bigint[] {
  const out: bigint[] = [];
  let at = 0;
  while (at < bytes.length) {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      if (at >= bytes.length || shift > 63n) fail('corrupt ONNX file: a packed varint is damaged');
      const b = bytes[at++];
      v |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) break;
    }
    out.push(BigInt.asIntN(64, v));
  }
  return out;
}

function parseNode(msg: Uint8Array, fail: (problem: string) => never): OnnxNode {
  const node: OnnxNode = { op: '', name: '', inputs: [], outputs: [], ints: new Map(), floats: new Map() };
  for (const f of fields(msg, fail)) {
    if (f.no === 1) node.inputs.push(utf8.decode(f.bytes));
    else if (f.no === 2) node.outputs.push(utf8.decode(f.bytes));
    else if (f.no === 3) node.name = utf8.decode(f.bytes);
    else if (f.no === 4) node.op = utf8.decode(f.bytes);
    else if (f.no === 5) {
      let name = '';
      let i: number | undefined;
      let fl: number | undefined;
      for (const a of fields(f.bytes, fail)) {
        if (a.no === 1) name = utf8.decode(a.bytes);
        else if (a.no === 3 && a.wire === 0) i = Number(BigInt.asIntN(64, a.varint));
        else if (a.no === 2 && a.wire === 5)
          fl = new DataView(a.bytes.buffer, a.bytes.byteOffset, 4).getFloat32(0, true);
      }
      if (i !== undefined) node.ints.set(name, i);
      if (fl !== undefined) node.floats.set(name, fl);
    }
  }
  return node;
}

/**
 * Reads the dense chain of an ONNX model as tensors in PyTorch's layout (`<layer>.weight` out × in).
 *
 * @param bytes - the `.onnx` file.
 * @param options - `source` for messages, `maxBytes`.
 * @throws {@link NetworkError} naming the file, the node or initializer and what is wrong: truncated or
 *   corrupt protobuf, external data (not read: it would be another file), a transposed input, a dense
 *   node whose weight is not an initializer, a constant applied to a dense output that is neither a bias
 *   nor a per-unit scale and shift, no dense layers at all.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/mlp.onnx as mlp.onnx
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('mlp.onnx'));
 * onnxTensors(bytes, { source: 'mlp.onnx' }).tensors.get('0.weight')?.shape; // [7, 5]
 * ```
 */
export function onnxTensors(bytes: Uint8Array, options: ModelReadOptions = {}): ModelTensors {
  const { source } = options;
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const model = fields(bytes, fail);
  const graphField = model.find(f => f.no === 7 && f.wire === 2);
  if (graphField === undefined || !model.some(f => f.no === 1 && f.wire === 0)) {
    fail('not an ONNX model: no ir_version or graph (truncated, or not an ONNX file)');
  }
  const initializers = new Map<string, OnnxTensor>();
  const nodes: OnnxNode[] = [];
  const graph = fields((graphField as Field).bytes, fail);
  // Counted before any node or initializer is parsed (each costs objects and maps).
  let nodeCount = 0;
  let initializerCount = 0;
  for (const f of graph) {
    if (f.no === 1) nodeCount++;
    else if (f.no === 5) initializerCount++;
  }
  if (nodeCount > MAX_ONNX_NODES) {
    fail(
      `the ONNX graph has more than ${MAX_ONNX_NODES} nodes (${nodeCount}); no dense network needs that many`
    );
  }
  if (initializerCount > MAX_TENSORS) {
    fail(`the ONNX graph has more than ${MAX_TENSORS} initializers (${initializerCount}), the tensor limit`);
  }
  for (const f of graph) {
    if (f.no === 5) {
      const t = parseTensorProto(f.bytes, fail);
      initializers.set(t.name, t);
    } else if (f.no === 1) nodes.push(parseNode(f.bytes, fail));
  }
  let budget = options.maxBytes ?? 2 * 1024 ** 3;
  const decode = (t: OnnxTensor, what: string): Tensor => {
    if (t.external)
      fail(`${what}: initializer ${t.name} keeps its data in an external file, which is not read`);
    let count = 1;
    for (const d of t.dims) {
      if (!Number.isSafeInteger(d) || d < 0)
        fail(`initializer ${t.name}: dimension ${d} is not a whole number ≥ 0`);
      count *= d;
    }
    if (!Number.isSafeInteger(count)) fail(`initializer ${t.name}: shape ${shapeText(t.dims)} is too large`);
    budget -= 8 * count;
    if (budget < 0) fail(`initializer ${t.name} ${shapeText(t.dims)} is over the byte budget`);
    if (t.raw !== undefined) {
      if (t.raw.length !== count * DTYPE_BYTES[t.dtype]) {
        fail(
          `initializer ${t.name}: ${t.raw.length} bytes of data for shape ${shapeText(t.dims)} (${t.dtype})`
        );
      }
      return { dtype: t.dtype, shape: t.dims, data: decodeLittleEndian(t.raw, 0, t.dtype, count) };
    }
    const out = new Float64Array(count);
    let k = 0;
    for (const chunk of t.packed?.bytes ?? []) {
      if (t.packed?.field === 4 || t.packed?.field === 10) {
        const size = t.packed.field === 4 ? 4 : 8;
        if (chunk.length % size !== 0 || k + chunk.length / size > count)
          fail(`initializer ${t.name}: data does not fit its shape`);
        const v = new DataView(chunk.buffer, chunk.byteOffset, chunk.length);
        for (let at = 0; at < chunk.length; at += size)
          out[k++] = size === 4 ? v.getFloat32(at, true) : v.getFloat64(at, true);
      } else {
        for (const v of packedVarints(chunk, fail)) {
          if (k >= count) fail(`initializer ${t.name}: data does not fit its shape`);
          out[k++] = Number(v);
        }
      }
    }
    if (k !== count) fail(`initializer ${t.name}: ${k} values for shape ${shapeText(t.dims)}`);
    return { dtype: t.dtype, shape: t.dims, data: out };
  };

  // Dense layers in node order (ONNX requires nodes in topological order); whether they connect is
  // checked by their shapes when the network is built.
  const tensors = new Map<string, Tensor>();
  const modules = new Map<string, string>();
  const usedAsBias = new Set<number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, k) =>
    n.inputs.forEach(i => {
      const list = consumers.get(i);
      if (list === undefined) consumers.set(i, [k]);
      else list.push(k);
    })
  );
  const layerName = (weight: string, node: OnnxNode, k: number): string =>
    weight.endsWith('.weight')
      ? weight.slice(0, -'.weight'.length)
      : node.name !== ''
        ? node.name
        : `node${k}`;
  /** The name a value goes by after pass-through Identity nodes (tf2onnx writes some). */
  const through = (value: string): string => {
    for (let hops = 0; hops < nodes.length; hops++) {
      const next = consumers.get(value) ?? [];
      if (next.length !== 1 || nodes[next[0]].op !== 'Identity') return value;
      usedAsBias.add(next[0]);
      value = nodes[next[0]].outputs[0];
    }
    return value;
  };
  /** The only consumer of `value`, when it is `op` of `value` and an initializer. */
  const constantOp = (
    value: string,
    op: string,
    after: number
  ): { at: number; init: OnnxTensor } | undefined => {
    const next = consumers.get(value) ?? [];
    if (next.length !== 1 || next[0] <= after || nodes[next[0]].op !== op) return undefined;
    const other = nodes[next[0]].inputs.find(i => i !== value);
    const init = initializers.get(other ?? '');
    return init === undefined ? undefined : { at: next[0], init };
  };
  let dense = 0;
  nodes.forEach((node, k) => {
    if (usedAsBias.has(k)) return;
    const where = `node ${node.name || k} (${node.op})`;
    if (node.op === 'Gemm' || node.op === 'MatMul') {
      const [, b, c] = node.inputs;
      const w = initializers.get(b ?? '');
      if (w === undefined) {
        if (node.op === 'Gemm')
          fail(
            `${where}: its weight ${b} is not an initializer (weights computed in the graph are not read)`
          );
        return; // a MatMul of two activations (attention): not a dense layer
      }
      if (w.dims.length !== 2) fail(`${where}: weight ${w.name} has shape ${shapeText(w.dims)}, not 2-D`);
      if ((node.ints.get('transA') ?? 0) !== 0)
        fail(`${where}: transA = 1 (a transposed input) is not a dense layer`);
      const transB = node.op === 'Gemm' && (node.ints.get('transB') ?? 0) === 1;
      const alpha = node.op === 'Gemm' ? (node.floats.get('alpha') ?? 1) : 1;
      const beta = node.op === 'Gemm' ? (node.floats.get('beta') ?? 1) : 1;
      const weight = decode(w, where);
      // PyTorch layout: out × in. Gemm with transB holds B as out × in already; else B is in × out.
      const [rows, cols] = weight.shape;
      const outIn = new Float64Array(rows * cols);
      if (transB) for (let q = 0; q < outIn.length; q++) outIn[q] = alpha * weight.data[q];
      else
        for (let i = 0; i < rows; i++)
          for (let o = 0; o < cols; o++) outIn[o * rows + i] = alpha * weight.data[i * cols + o];
      const nOut = transB ? rows : cols;
      const nIn = transB ? cols : rows;
      let name = layerName(w.name, node, k);
      if (tensors.has(`${name}.weight`)) fail(`${where}: weight ${w.name} is used by two dense nodes`);
      tensors.set(`${name}.weight`, { dtype: weight.dtype, shape: [nOut, nIn], data: outIn });
      modules.set(name, node.op === 'Gemm' ? 'Gemm' : 'MatMul');
      let biasInit = node.op === 'Gemm' ? initializers.get(c ?? '') : undefined;
      let out = through(node.outputs[0]);
      if (node.op === 'MatMul') {
        // MatMul then Add(initializer): the bias.
        const next = constantOp(out, 'Add', k);
        if (next !== undefined) {
          biasInit = next.init;
          usedAsBias.add(next.at);
          out = through(nodes[next.at].outputs[0]);
        }
      }
      if (biasInit !== undefined && !w.name.endsWith('.weight') && biasInit.name.endsWith('.bias')) {
        // torch's MatMul weights are unnamed (onnx::MatMul_18); the bias keeps the module's name.
        const renamed = biasInit.name.slice(0, -'.bias'.length);
        if (!modules.has(renamed)) {
          tensors.set(`${renamed}.weight`, tensors.get(`${name}.weight`) as Tensor);
          tensors.delete(`${name}.weight`);
          modules.delete(name);
          modules.set(renamed, 'MatMul');
          name = renamed;
        }
      }
      if (biasInit !== undefined) {
        const bias = decode(biasInit, where);
        if (bias.data.length !== nOut) {
          fail(`${where}: bias ${biasInit.name} has shape ${shapeText(bias.shape)}, expected [${nOut}]`);
        }
        tensors.set(`${name}.bias`, { dtype: bias.dtype, shape: [nOut], data: bias.data.map(v => beta * v) });
      }
      // tf2onnx writes a Keras BatchNormalization as the affine map TensorFlow reduced it to: Mul by
      // g = γ / √(var + ε), then Add of β − mean·g (1-D initializers). Kept as a BatchNorm with mean 0,
      // var 1, ε 0 (so folding gives exactly W' = diag(g) W, b' = g b + shift), listed or folded as any.
      const scale = constantOp(out, 'Mul', k);
      if (scale !== undefined && scale.init.dims.length === 1 && scale.init.dims[0] === nOut) {
        usedAsBias.add(scale.at);
        out = through(nodes[scale.at].outputs[0]);
        const shift = constantOp(out, 'Add', k);
        const normName = nodes[scale.at].name.replace(/\/[^/]*$/, '') || `Mul_${scale.at}`;
        const at = `node ${nodes[scale.at].name || scale.at} (Mul)`;
        tensors.set(`${normName}.weight`, decode(scale.init, at));
        if (shift !== undefined && shift.init.dims.length === 1 && shift.init.dims[0] === nOut) {
          usedAsBias.add(shift.at);
          out = through(nodes[shift.at].outputs[0]);
          tensors.set(
            `${normName}.bias`,
            decode(shift.init, `node ${nodes[shift.at].name || shift.at} (Add)`)
          );
        }
        tensors.set(`${normName}.running_mean`, {
          dtype: 'float32',
          shape: [nOut],
          data: new Float64Array(nOut)
        });
        tensors.set(`${normName}.running_var`, {
          dtype: 'float32',
          shape: [nOut],
          data: new Float64Array(nOut).fill(1)
        });
        tensors.set(`${normName}.eps`, { dtype: 'float32', shape: [], data: Float64Array.of(0) });
        modules.set(normName, 'BatchNormalization (Mul, Add)');
      }
      // Anything else that changes the dense layer's output by a constant is not understood: refuse it
      // rather than read a different network.
      for (const j of consumers.get(out) ?? []) {
        const op = nodes[j].op;
        if (!['Add', 'Sub', 'Mul', 'Div'].includes(op)) continue;
        const constant = nodes[j].inputs.find(i => i !== out && initializers.has(i));
        if (constant !== undefined) {
          fail(
            `node ${nodes[j].name || j} (${op}) applies constant ${constant} ${shapeText(initializers.get(constant)?.dims ?? [])} to the output of ${where}; only a bias Add and a per-unit Mul (+ Add) of ${nOut} values are read as part of a dense layer`
          );
        }
      }
      dense++;
    } else if (node.op !== 'Constant') {
      // Other nodes with weights (BatchNormalization, Conv, ...) are listed, not used (BatchNorm: folded
      // with foldNorm, its inputs named as PyTorch names them).
      const params = node.op === 'BatchNormalization' ? BATCHNORM_INPUTS : undefined;
      node.inputs.forEach((input, j) => {
        const init = initializers.get(input);
        if (init === undefined || j === 0) return;
        const named = /^(.*)\.weight$/.exec(node.inputs[1] ?? '');
        const name = named !== null ? named[1] : node.name !== '' ? node.name : `${node.op}_${k}`;
        tensors.set(`${name}.${params?.[j] ?? `input${j}`}`, decode(init, where));
        modules.set(name, node.op);
      });
      const eps = node.floats.get('epsilon');
      if (params !== undefined && eps !== undefined) {
        const named = /^(.*)\.weight$/.exec(node.inputs[1] ?? '');
        const name = named !== null ? named[1] : node.name !== '' ? node.name : `${node.op}_${k}`;
        tensors.set(`${name}.eps`, { dtype: 'float32', shape: [], data: Float64Array.of(eps) });
      }
    }
  });
  if (dense === 0)
    fail('no dense layers: the ONNX graph has no Gemm or MatMul node with an initializer weight');
  return { tensors, modules, format: 'onnx' };
}
