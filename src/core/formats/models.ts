/**
 * One entry point for the model files of other tools (PyTorch checkpoints, ONNX, Keras HDF5 and
 * `.keras`): each reader yields tensors in PyTorch's layout (`<layer>.weight` as out × in, `<layer>.bias`)
 * plus the layer order the file states, and {@link stateDictToNetwork} builds the network from them, so
 * layer choice (`layers`), BatchNorm folding (`foldNorm`) and every message are the same for every format.
 * Pure functions of the file's bytes, shared by the kernel's `loadNetwork`, the CLI and the Inspector.
 */
import type { LayeredNetwork } from '../network';
import { NetworkError } from '../validate';
import { LayerListing, StateDictOptions, listLayers, stateDictToNetwork } from './statedict';
import type { Tensor } from './tensor';
import { kerasArchiveTensors, kerasTensors } from './keras';
import { onnxTensors } from './onnx';
import { parseTorchCheckpoint } from './torch';

/** The model formats read here, as {@link networkFileKind} names them. */
export type ModelFileKind = 'pytorch' | 'onnx' | 'hdf5' | 'keras';

/** Options of {@link modelToNetwork}: those of {@link stateDictToNetwork} plus the byte budget. */
export interface ModelReadOptions extends Omit<StateDictOptions, 'modules' | 'format'> {
  /** Most bytes the decoded tensors may take. Default 2 GiB. */
  maxBytes?: number;
}

/** Tensors in PyTorch's layout, with the layer order (module classes by prefix) when the file states it. */
export interface ModelTensors {
  readonly tensors: ReadonlyMap<string, Tensor>;
  readonly modules: ReadonlyMap<string, string>;
  /** `meta.format` of the network. */
  readonly format: string;
}

/** The reader of each format. */
const READERS = new Map<ModelFileKind, (bytes: Uint8Array, options: ModelReadOptions) => ModelTensors>([
  [
    'pytorch',
    (bytes, options) => {
      const c = parseTorchCheckpoint(bytes, {
        ...(options.source !== undefined ? { source: options.source } : {}),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {})
      });
      return { tensors: c.tensors, modules: c.modules, format: c.format };
    }
  ],
  ['onnx', onnxTensors],
  ['hdf5', (bytes, options) => kerasTensors(bytes, options)],
  ['keras', kerasArchiveTensors]
]);

/**
 * The tensors of a model file in PyTorch's layout.
 *
 * @param bytes - the whole file.
 * @param kind - its format (from {@link networkFileKind}).
 * @param options - `source` for messages, `maxBytes`.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_state_dict.pt as model.pt
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.pt'));
 * modelTensors(bytes, 'pytorch', { source: 'model.pt' }).tensors.get('0.weight')?.shape; // [7, 5]
 * ```
 */
export function modelTensors(
  bytes: Uint8Array,
  kind: ModelFileKind,
  options: ModelReadOptions = {}
): ModelTensors {
  const reader = READERS.get(kind);
  if (reader === undefined) {
    throw new NetworkError(`reading ${kind} files is not supported in this build`, {
      source: options.source
    });
  }
  return reader(bytes, options);
}

/**
 * Reads a model file of another tool as a network of its linear layers.
 *
 * @param bytes - the whole file.
 * @param kind - its format (from {@link networkFileKind}).
 * @param options - `source`, `layers`, `layerOrder`, `foldNorm`, activations, `maxBytes`.
 * @throws {@link NetworkError} naming the file, tensor and what is wrong.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_batchnorm.pt as model.pt
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.pt'));
 * const net = modelToNetwork(bytes, 'pytorch', { source: 'model.pt', foldNorm: true });
 * net.layers.map(l => [l.nIn, l.nOut]); // [[5, 6], [6, 4], [4, 2]]
 * ```
 */
export function modelToNetwork(
  bytes: Uint8Array,
  kind: ModelFileKind,
  options: ModelReadOptions = {}
): LayeredNetwork {
  const read = modelTensors(bytes, kind, options);
  const { maxBytes: _maxBytes, ...rest } = options;
  return stateDictToNetwork(read.tensors, { ...rest, modules: read.modules, format: read.format });
}

/**
 * The layers of a model file: the linear layers that can form the network and what else it holds, with
 * the reason it is left out (see {@link listLayers}).
 *
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_state_dict.pt as model.pt
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('model.pt'));
 * modelLayers(bytes, 'pytorch').filter(l => l.kind === 'linear').map(l => l.name); // ['0', '3', '5']
 * ```
 */
export function modelLayers(
  bytes: Uint8Array,
  kind: ModelFileKind,
  options: ModelReadOptions = {}
): LayerListing[] {
  const read = modelTensors(bytes, kind, options);
  return listLayers(read.tensors, read.modules);
}
