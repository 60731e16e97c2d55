/**
 * Which network format a file holds, from its first bytes (and its name when the bytes are too damaged to
 * tell). Shared by the kernel's `loadNetwork` (bytes from disk) and the lab's Network Inspector (bytes from
 * the Jupyter contents API), so both recognise exactly the same files.
 */
import { NetworkError } from '../validate';

/**
 * The formats nnmotifs reads: the nnmotifs network file, a TF.js layers `model.json`, and PyTorch
 * `state_dict`s saved as `.safetensors` or NumPy `.npz`.
 */
export type NetworkFileKind = 'network-json' | 'tfjs' | 'safetensors' | 'npz';

/** The format by the file's first bytes, if they are conclusive. JSON is reported as `network-json`. */
function sniff(bytes: Uint8Array): NetworkFileKind | undefined {
  // safetensors: 8-byte little-endian header length (its top bytes are 0 for any sane header), then "{".
  // JSON text never holds NUL bytes, so this cannot be mistaken for a JSON file starting with "{".
  if (bytes.length >= 9 && bytes[8] === 0x7b && bytes[5] === 0 && bytes[6] === 0 && bytes[7] === 0) {
    return 'safetensors';
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] < 0x10) return 'npz'; // "PK\x03\x04", "PK\x05\x06"
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
  return sniff(bytes) ?? byExtension(name);
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
 * // 'notes.txt: unrecognised file: expected an nnmotifs network file or TF.js model.json (JSON), .safetensors or .npz'
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
    'unrecognised file: expected an nnmotifs network file or TF.js model.json (JSON), .safetensors or .npz',
    { source }
  );
}
