/**
 * Networks on disk: loading every format nnmotifs reads and saving the JSON network file atomically.
 */
import { randomBytes } from 'node:crypto';
import { link, lstat, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isTfjsModelJson, networkFileKind, unrecognisedNetworkFile } from '../core/formats/detect';
import { parseNpz } from '../core/formats/npz';
import { parseSafetensors } from '../core/formats/safetensors';
import { StateDictOptions, stateDictToNetwork } from '../core/formats/statedict';
import { tfjsModelToNetwork, tfjsWeightPaths } from '../core/formats/tfjs';
import { parseNetworkJson, serializeNetwork } from '../core/io';
import type { LayeredNetwork } from '../core/network';
import { NetworkError } from '../core/validate';

/** Options of {@link loadNetwork}. They apply to PyTorch `state_dict`s (`.safetensors`, `.npz`) only. */
export type LoadNetworkOptions = Omit<StateDictOptions, 'source'>;

/**
 * Reads a network from a file, recognising the format by its content (and by its extension when the
 * content is too damaged to tell):
 * - the nnmotifs network file (`.json`, `"format": "nnmotifs.network"`),
 * - a TF.js / Keras layers `model.json`, with its weight shards read from the same directory,
 * - a PyTorch `state_dict` of linear layers saved as `.safetensors` or NumPy `.npz`.
 *
 * @param path - the file (for TF.js, the `model.json`).
 * @param options - for `state_dict`s: `layerOrder`, `activation`, `outputActivation`.
 * @throws {@link NetworkError} naming the file and what is wrong (and the layer or tensor when it is in one).
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * await nm.saveNetwork(nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 })), 'mlp.json');
 * const net = await nm.loadNetwork('mlp.json', { activation: 'relu' });
 * net.layers.map(l => [l.nIn, l.nOut]);
 * ```
 */
export async function loadNetwork(path: string, options: LoadNetworkOptions = {}): Promise<LayeredNetwork> {
  const bytes = new Uint8Array(await readFile(path));
  const kind = networkFileKind(bytes, path);
  switch (kind) {
    case 'safetensors':
      return stateDictToNetwork(parseSafetensors(bytes, path), { ...options, source: path });
    case 'npz':
      return stateDictToNetwork(parseNpz(bytes, path), { ...options, source: path });
    case 'network-json':
    case 'tfjs': {
      const text = new TextDecoder().decode(bytes);
      if (kind === 'tfjs' || isTfjsModelJson(text)) return loadTfjs(text, path);
      return parseNetworkJson(text, path);
    }
    case undefined:
      break;
  }
  throw unrecognisedNetworkFile(bytes, path);
}

async function loadTfjs(text: string, path: string): Promise<LayeredNetwork> {
  const dir = dirname(resolve(path));
  const shards = new Map<string, Uint8Array>();
  for (const p of tfjsWeightPaths(text, path)) {
    if (shards.has(p)) continue;
    // tfjs writes shard paths relative to model.json; refuse anything that leaves its directory.
    const file = resolve(dir, decodeURIComponent(p));
    const rel = relative(dir, file);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(p) || isAbsolute(p) || rel.startsWith(`..${sep}`) || rel === '..') {
      throw new NetworkError(`weight shard path "${p}" points outside the directory of model.json`, {
        source: path
      });
    }
    try {
      shards.set(p, new Uint8Array(await readFile(file)));
    } catch (err) {
      throw new NetworkError(
        `cannot read weight shard "${p}" (${err instanceof Error ? err.message : String(err)})`,
        { source: path }
      );
    }
  }
  return tfjsModelToNetwork(text, shards, { source: path });
}

/** Options of {@link saveNetwork}. */
export interface SaveNetworkOptions {
  /** Replace an existing file. Default `false`: saving to an existing path throws and leaves it untouched. */
  overwrite?: boolean;
}

/** Formats nnmotifs reads but does not write: saving JSON under these names would only confuse. */
const FOREIGN_EXTENSIONS = new Set(['.safetensors', '.npz', '.npy', '.bin', '.h5', '.pt', '.pth']);

/**
 * Writes a network (weights, biases, masks, activations, meta) as an nnmotifs network file, atomically:
 * the text goes to a temporary file in the same directory, is flushed to disk, and only then takes the
 * file's name. A crash or error midway leaves either the old file or none, never a half-written one.
 *
 * @param net - the network; it is validated before anything is written.
 * @param path - where to write (conventionally `*.json`).
 * @param options - `overwrite: true` to replace an existing file.
 * @returns the absolute path written.
 * @throws {@link NetworkError} if the network is invalid or the path exists and `overwrite` is not set.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const net = nm.fromModel(nm.mlp([4, 8, 3], { seed: 1 }));
 * await nm.saveNetwork(net, 'pruned-level-3.json');
 * const again = await nm.loadNetwork('pruned-level-3.json'); // equal to net, bit for bit
 * ```
 */
export async function saveNetwork(
  net: LayeredNetwork,
  path: string,
  options: SaveNetworkOptions = {}
): Promise<string> {
  const target = resolve(path);
  if (FOREIGN_EXTENSIONS.has(extname(target).toLowerCase())) {
    throw new NetworkError(
      `saveNetwork writes the JSON network file; use a .json name, not ${extname(target)}`,
      { source: path }
    );
  }
  const text = serializeNetwork(net); // validates first: an invalid network touches nothing on disk
  await writeFileAtomic(target, text, { overwrite: options.overwrite === true, exists: () => exists(path) });
  return target;
}

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Replace an existing file. Default false. */
  overwrite?: boolean;
  /** The error to throw when the file exists and `overwrite` is not set. */
  exists: () => Error;
}

/**
 * Writes a file atomically: the data goes to a temporary file in the same directory, is flushed to disk,
 * and only then takes the file's name. A crash or error midway leaves either the old file or none, never a
 * half-written one; without `overwrite` an existing file is never replaced, even by a concurrent writer.
 *
 * @param target - absolute path of the file; its directory must exist.
 * @param data - text (written as UTF-8) or bytes.
 * @param options - overwrite or not, and the error for an existing file.
 * @example
 * ```ts
 * await writeFileAtomic('a.txt', 'hello', { exists: () => new Error('a.txt exists') });
 * ```
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions
): Promise<void> {
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(tmp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite === true) {
      await rename(tmp, target);
    } else {
      // link() fails if the target exists, so there is no window in which another writer could be clobbered.
      try {
        await link(tmp, target);
      } catch (err) {
        if (errorCode(err) === 'EEXIST') throw options.exists();
        if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'ENOSYS'].includes(errorCode(err) ?? '')) throw err;
        // A file system without hard links: check, then rename (a concurrent writer could still race us).
        if (await pathExists(target)) throw options.exists();
        await rename(tmp, target);
      }
    }
    await syncDirectory(dir);
  } finally {
    // After rename the temporary name is gone; after link (or any failure) it must be removed.
    await unlink(tmp).catch(() => undefined);
  }
}

function exists(path: string): NetworkError {
  return new NetworkError('the file already exists; pass { overwrite: true } to replace it', {
    source: path
  });
}

function errorCode(err: unknown): string | undefined {
  return err !== null && typeof err === 'object' && 'code' in err ? String(err.code) : undefined;
}

async function pathExists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch {
    return false;
  }
}

/** Flushes the directory entry of the rename/link, where the platform allows it (not on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Directories cannot be opened or fsynced on every platform; the data itself is already on disk.
  }
}
