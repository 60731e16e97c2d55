/**
 * Which network format a file holds, from its first bytes (and its name when the bytes are too damaged to
 * tell). Shared by the kernel's `loadNetwork` (bytes from disk) and the lab's Network Inspector (bytes from
 * the Jupyter contents API), so both recognise exactly the same files.
 */
import { NetworkError } from '../validate';
import { isLegacyTorch } from './torch';
import { zipMembers } from './zip';

/**
 * The formats nnmotifs reads: the nnmotifs network file, a TF.js layers `model.json`, PyTorch
 * `state_dict`s saved as `.safetensors` or NumPy `.npz`, PyTorch checkpoints (`torch.save` zip or legacy,
 * TorchScript), ONNX models, Keras HDF5 files (`.h5`, `.weights.h5`) and Keras `.keras` archives.
 */
export type NetworkFileKind =
  'network-json' | 'tfjs' | 'safetensors' | 'npz' | 'pytorch' | 'onnx' | 'hdf5' | 'keras';

/**
 * What kind of ZIP archive: a PyTorch checkpoint (`<root>/data.pkl`), a `.keras` archive, else `.npz`;
 * `undefined` when the archive is too damaged to list (the extension decides, then `.npz`).
 */
function zipKind(bytes: Uint8Array): NetworkFileKind | undefined {
  let names: string[];
  try {
    names = zipMembers(bytes, undefined, 'ZIP archive').map(m => m.name);
  } catch {
    return undefined;
  }
  if (names.some(n => /^[^/]+\/data\.pkl$/.test(n))) return 'pytorch';
  if (names.includes('config.json') && names.some(n => n.endsWith('.h5'))) return 'keras';
  return 'npz';
}

/** "PK\x03\x04", "PK\x05\x06": a ZIP archive. */
function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] < 0x10;
}

/** The format by the file's first bytes, if they are conclusive. JSON is reported as `network-json`. */
function sniff(bytes: Uint8Array): NetworkFileKind | undefined {
  // safetensors: 8-byte little-endian header length (its top bytes are 0 for any sane header), then "{".
  // JSON text never holds NUL bytes, so this cannot be mistaken for a JSON file starting with "{".
  if (bytes.length >= 9 && bytes[8] === 0x7b && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) {
    return 'safetensors';
  }
  if (isZip(bytes)) return zipKind(bytes);
  if (isLegacyTorch(bytes)) return 'pytorch';
  // HDF5: the signature \x89HDF\r\n\x1a\n (at 0; user blocks of 512, 1024, ... bytes are not written by Keras).
  if (bytes.length >= 8 && bytes[0] === 0x89 && bytes[1] === 0x48 && bytes[2] === 0x44 && bytes[3] === 0x46) {
    return 'hdf5';
  }
  // ONNX (protobuf ModelProto): field 1 ir_version (varint, 3..15), then another field of the model.
  if (
    bytes.length >= 3 &&
    bytes[0] === 0x08 &&
    bytes[1] >= 3 &&
    bytes[1] <= 15 &&
    [0x12, 0x1a, 0x22, 0x2a, 0x3a, 0x42].includes(bytes[2])
  ) {
    return 'onnx';
  }
  let k = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 byte order mark
  while (
    k < bytes.length &&
    (bytes[k] === 0x20 || bytes[k] === 0x09 || bytes[k] === 0x0a || bytes[k] === 0x0d)
  )
    k++;
  if (bytes[k] === 0x7b) return 'network-json';
  return undefined;
}

function byExtension(name: string): NetworkFileKind | undefined {
  const dot = name.lastIndexOf('.');
  const slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  switch (dot > slash + 1 ? name.slice(dot).toLowerCase() : '') {
    case '.safetensors':
      return 'safetensors';
    case '.npz':
      return 'npz';
    case '.pt':
    case '.pth':
    case '.ckpt':
    case '.bin':
      return 'pytorch';
    case '.onnx':
      return 'onnx';
    case '.h5':
    case '.hdf5':
      return 'hdf5';
    case '.keras':
      return 'keras';
    case '.json':
      return 'network-json';
    default:
      return undefined;
  }
}

/**
 * The format of a network file: by its first bytes, else by its extension. A JSON file is reported as
 * `network-json`; tell a TF.js `model.json` apart with {@link isTfjsModelJson} once the text is decoded.
 *
 * @param bytes - the file's bytes (the first few dozen suffice).
 * @param name - the file name or path, used when the bytes are inconclusive.
 * @returns the format, or `undefined` if neither bytes nor name say (see {@link unrecognisedNetworkFile}).
 * @example
 * ```ts
 * networkFileKind(new TextEncoder().encode('{"format": "nnmotifs.network"}'), 'net.json'); // 'network-json'
 * networkFileKind(new Uint8Array([0x50, 0x4b, 3, 4]), 'weights.bin'); // 'npz'
 * ```
 */
export function networkFileKind(bytes: Uint8Array, name: string): NetworkFileKind | undefined {
  return sniff(bytes) ?? byExtension(name) ?? (isZip(bytes) ? 'npz' : undefined);
}

/**
 * Whether JSON text is a TF.js model.json (has a model topology) rather than an nnmotifs network file.
 * Malformed JSON answers `false`, so the network-file parser reports the syntax error with its position.
 *
 * @example
 * ```ts
 * isTfjsModelJson('{"modelTopology": {}, "weightsManifest": []}'); // true
 * isTfjsModelJson('{"format": "nnmotifs.network", "version": 1, "layers": []}'); // false
 * ```
 */
export function isTfjsModelJson(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && 'modelTopology' in value && !('layers' in value);
  } catch {
    return false;
  }
}

/**
 * The error for a file that is none of the formats {@link networkFileKind} knows, saying what it looks
 * like when that helps (a single NumPy `.npy` array).
 *
 * @param bytes - the file's bytes.
 * @param source - the file name, named in the message.
 * @example
 * ```ts
 * unrecognisedNetworkFile(new Uint8Array([1, 2, 3]), 'notes.txt').message;
 * // 'notes.txt: unrecognised file: expected an nnmotifs network file or TF.js model.json (JSON), .safetensors, .npz, …'
 * ```
 */
export function unrecognisedNetworkFile(bytes: Uint8Array, source: string): NetworkError {
  if (bytes.length >= 6 && bytes[0] === 0x93 && String.fromCharCode(...bytes.subarray(1, 6)) === 'NUMPY') {
    return new NetworkError(
      'a single .npy array is not a network: save the state_dict with np.savez (an .npz of named arrays)',
      { source }
    );
  }
  return new NetworkError(
    'unrecognised file: expected an nnmotifs network file or TF.js model.json (JSON), .safetensors, .npz, ' +
      'a PyTorch checkpoint (.pt/.pth/.bin/.ckpt), ONNX (.onnx) or Keras (.keras/.h5)',
    { source }
  );
}
