/**
 * Networks on disk: loading every format nnmotifs reads and saving the JSON network file atomically.
 */
import { randomBytes } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { link, lstat, open, readdir, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import { formatBytes } from '../core/formats/budget';
import {
  type FileSource,
  readNetwork,
  readNetworkLayers,
  type ReadNetworkOptions,
  type SourceFile
} from '../core/formats/read';
import type { LayerListing } from '../core/formats/statedict';
import { serializeNetwork } from '../core/io';
import type { LayeredNetwork } from '../core/network';
import { NetworkError } from '../core/validate';

/**
 * Options of {@link loadNetwork}: `maxMemory` (bytes the reader may allocate, default 2 GiB) for every
 * format; `layers`, `layerOrder`, `foldNorm`, `activation`, `outputActivation` for PyTorch `state_dict`s
 * (`.safetensors`, `.npz`) and the model files of other tools (PyTorch checkpoints, ONNX, Keras).
 */
export type LoadNetworkOptions = ReadNetworkOptions;

/**
 * Reads a network from a file, recognising the format by its content (and by its extension when the
 * content is too damaged to tell):
 * - the nnmotifs network file (`.json`, `"format": "nnmotifs.network"`),
 * - a TF.js / Keras layers `model.json`, with its weight shards read from the same directory,
 * - a PyTorch `state_dict` of linear layers saved as `.safetensors` or NumPy `.npz`,
 * - a PyTorch checkpoint (`torch.save` zip or legacy, TorchScript; `.pt`, `.pth`, `.bin`, `.ckpt`), read
 *   as data by an allow-list pickle reader (nothing in the file is run),
 * - an ONNX model, a Keras `.keras` archive or HDF5 file (`.h5`, `.weights.h5`).
 *
 * Reading is guarded (see docs/security.md): only regular files are read (FIFOs, devices and sockets are
 * refused before they are opened for reading), weight shards must resolve — symlinks followed — to files
 * inside the folder of `model.json`, and everything the file makes the reader allocate is checked against
 * a memory budget (`maxMemory`, default 2 GiB) before it is allocated.
 *
 * @param path - the file (for TF.js, the `model.json`).
 * @param options - `maxMemory`; for weight files: `layers`, `layerOrder`, `foldNorm`, `activation`,
 *   `outputActivation`.
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
  return (await readNetwork(folderSource(path), options)).net;
}

/**
 * The layers of a weight file: the linear layers that can form the network (with `nIn`, `nOut`) and what
 * else it holds, with the reason each is left out. What `nnmotifs layers FILE` prints; choose from it with
 * `loadNetwork(path, { layers: [...] })`. Read with the same guards as {@link loadNetwork}.
 *
 * @param path - a `.safetensors`, `.npz`, PyTorch checkpoint, ONNX or Keras file.
 * @param options - `maxMemory`.
 * @throws {@link NetworkError} for other formats (their layers are fixed by the file) and unreadable files.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/torch_batchnorm.pt as model.pt
 * import * as nm from 'nnmotifs';
 * (await nm.listNetworkLayers('model.pt')).filter(l => l.kind === 'linear').map(l => l.name); // ['0', '3', '6']
 * ```
 */
export async function listNetworkLayers(
  path: string,
  options: Pick<LoadNetworkOptions, 'maxMemory'> = {}
): Promise<LayerListing[]> {
  return readNetworkLayers(folderSource(path), options);
}

/**
 * The {@link FileSource} of a network file on disk: the file itself and the files next to it, each opened
 * only if it is a regular file (not a FIFO, device, socket or directory: checked before opening, and again
 * on the opened handle), no larger than the reader allows, and — for files the network file names — whose
 * real path (symlinks resolved) is inside the real folder of the network file.
 *
 * @param path - the network file (e.g. a TF.js `model.json`).
 * @example
 * ```ts
 * // example: files test/fixtures/interop/keras_sequential as runs/tfjs
 * import * as nm from 'nnmotifs';
 * const { net, kind } = await nm.readNetwork(nm.folderSource('runs/tfjs/model.json'), { maxMemory: 2 ** 30 });
 * ```
 */
export function folderSource(path: string): FileSource {
  const main = resolve(path);
  const folder = dirname(main);
  return {
    name: path,
    open: async (relative, maxBytes) => {
      if (relative === null) return openRegularFile(main, path, maxBytes, path);
      const shown = `weight shard "${relative}"`;
      const fail = (problem: string): never => {
        throw new NetworkError(`${shown} ${problem}`, { source: path });
      };
      let realFolder: string;
      let real: string;
      try {
        realFolder = await realpath(folder);
        real = await realpath(join(folder, ...relative.split('/')));
      } catch (err) {
        throw new Error(describeFsError(err)); // the reader names the shard: cannot read weight shard "…" (…)
      }
      if (!real.startsWith(realFolder.endsWith(sep) ? realFolder : realFolder + sep)) {
        fail(
          `resolves to ${real}, outside the folder of the model (${realFolder}); files reached through ` +
            'symlinks that point out of the folder are refused'
        );
      }
      return openRegularFile(real, shown, maxBytes, path, true);
    }
  };
}

/** What a file-system entry is, in words. */
function entryKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function describeFsError(err: unknown): string {
  const code = errorCode(err);
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ELOOP') return 'too many levels of symbolic links';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Opens `path` for reading if it is a regular file of at most `maxBytes`: `stat` first (a FIFO is never
 * opened: opening one blocks), then open non-blocking and `fstat` the handle (the file checked is the file
 * read), and reads exactly the size `fstat` gave.
 */
async function openRegularFile(
  path: string,
  shown: string,
  maxBytes: number,
  source: string,
  noFollow = false
): Promise<SourceFile> {
  const fail = (problem: string): never => {
    throw new NetworkError(shown === source ? problem : `${shown} ${problem}`, { source });
  };
  // stat first so a FIFO is never opened (opening one for reading blocks until a writer comes); the file
  // may still be swapped before open, so the handle is opened non-blocking and fstat decides.
  const before = await stat(path); // ENOENT, EACCES… reach the caller as they are
  if (!before.isFile()) {
    fail(`is ${entryKind(before)}, not a regular file: nnmotifs reads network files only`);
  }
  const tooLarge = (size: number): string =>
    `is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} the memory budget allows (raise it ` +
    'with --max-memory or the maxMemory option if the file is genuine)';
  if (before.size > maxBytes) fail(tooLarge(before.size));
  const flags =
    constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (noFollow ? (constants.O_NOFOLLOW ?? 0) : 0);
  const handle = await open(path, flags);
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  try {
    const st = await handle.stat();
    if (!st.isFile()) fail(`is ${entryKind(st)}, not a regular file: nnmotifs reads network files only`);
    if (st.size > maxBytes) fail(tooLarge(st.size));
    const size = st.size;
    return {
      size,
      identity: `${st.dev}:${st.ino}`,
      head: async n => {
        const buffer = new Uint8Array(Math.min(n, size));
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
        return buffer.subarray(0, bytesRead);
      },
      read: async () => {
        const buffer = new Uint8Array(size);
        let at = 0;
        while (at < size) {
          const { bytesRead } = await handle.read(buffer, at, size - at, at);
          if (bytesRead === 0) fail(`shrank while it was read (${at} of ${size} bytes)`);
          at += bytesRead;
        }
        const { bytesRead } = await handle.read(new Uint8Array(1), 0, 1, size);
        if (bytesRead !== 0) fail(`grew while it was read (more than ${size} bytes)`);
        return buffer;
      },
      close
    };
  } catch (err) {
    await close();
    throw err;
  }
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
  await removeStaleTemporaries(dir, basename(target));
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

/**
 * Removes the temporary files an earlier write of `name` left behind when its process was killed midway
 * (`.<name>.<pid>.<random>.tmp` whose process no longer runs). A live writer's file is left alone.
 */
async function removeStaleTemporaries(dir: string, name: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch {
    return;
  }
  const prefix = `.${name}.`;
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry.slice(prefix.length));
    if (m === null) continue;
    const pid = Number(m[1]);
    // This process's own temporaries belong to writes in flight; a live process's too.
    if (pid === process.pid || processIsAlive(pid)) continue;
    await unlink(join(dir, entry)).catch(() => undefined);
  }
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return errorCode(err) === 'EPERM'; // exists, owned by someone else
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

/**
 * Whether anything stands at `path`: a file, a folder, or a link (even one whose target is gone, since
 * writing there would fail too). The check the atomic writer and `nm.save` make before writing.
 *
 * @param path - the path to look at.
 * @returns `true` when `lstat` finds an entry there.
 * @example
 * ```ts
 * await writeFileAtomic('a.txt', 'hello', { exists: () => new Error('a.txt exists') });
 * console.log(await pathExists('a.txt'), await pathExists('b.txt')); // true false
 * ```
 */
export async function pathExists(path: string): Promise<boolean> {
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
