/**
 * The one guarded network reader: every network file nnmotifs opens — from the kernel's `loadNetwork`,
 * the CLI and the lab's Network Inspector — goes through {@link readNetwork}.
 *
 * ## Contract (read this before adding a format)
 *
 * - **Where bytes come from.** The reader never touches a file system: it asks a {@link FileSource} for the
 *   main file (`open(null)`) and for files the main file names (`open('sub/w.bin')`). The path handed to
 *   `open` is already normalised by {@link siblingPath}: relative, `/`-separated, no `.`/`..`/empty
 *   segments, no URL scheme, no absolute path. The source must still check, on the *resolved* file, that it
 *   is a regular file inside the main file's folder (the kernel's source resolves real paths, so a symlink
 *   pointing out is refused; FIFOs, devices and sockets are refused before any read), and report its size
 *   before anything is read. `SourceFile.read()` returns exactly `size` bytes or fails.
 * - **Memory.** One {@link MemoryBudget} per read (default {@link DEFAULT_MAX_MEMORY}, option
 *   `maxMemory`). The reader charges the file sizes; a format charges everything it allocates in proportion
 *   to a size the file declares (inflated members, decoded tensors: 8 bytes per element as `Float64Array`)
 *   *before* allocating it. JSON files are refused above `budget / JSON_EXPANSION` bytes.
 * - **Typed lookups.** Tables keyed by strings from a file are `Map`s (or null-prototype objects); an
 *   unknown key is an error. No `eval`, no pickle execution, no recursion over file-controlled depth.
 * - **Errors.** Every refusal is a {@link NetworkError} whose message names the file (and the tensor,
 *   member or layer) and what to do; the CLI prints it as one line with exit code 2.
 * - **Adding a format** (PyTorch pickle, HDF5/Keras, ONNX, …): add its kind to `NetworkFileKind` and its
 *   magic bytes to `sniff`/`byExtension` in `detect.ts`, then one entry to {@link NETWORK_FORMATS} here: a
 *   {@link NetworkFormat} whose `read(ctx)` parses `ctx.bytes` as a pure function charging `ctx.budget`,
 *   and reads any companion file through `ctx.readSibling(path)` (never through its own I/O).
 */
import type { LayeredNetwork } from '../network';
import { NetworkError } from '../validate';
import { parseNetworkJson } from '../io';
import { DEFAULT_MAX_MEMORY, formatBytes, JSON_EXPANSION, MAX_SHARDS, MemoryBudget } from './budget';
import { networkFileKind, type NetworkFileKind, unrecognisedNetworkFile } from './detect';
import { parseNpz } from './npz';
import { parseSafetensors } from './safetensors';
import { type ModelFileKind, modelLayers, modelToNetwork } from './models';
import { type LayerListing, listLayers, type StateDictOptions, stateDictToNetwork } from './statedict';
import { tfjsModelToNetwork, tfjsWeightPaths } from './tfjs';

/** One file opened by a {@link FileSource}: its size is known before anything is read. */
export interface SourceFile {
  /** Size in bytes, from the opened file (not from its name). */
  readonly size: number;
  /**
   * What the file is underneath its name (e.g. `device:inode`), so one file reached under two names is
   * recognised; `undefined` when the source cannot tell.
   */
  readonly identity?: string;
  /** The first `n` bytes (fewer if the file is shorter). */
  head(n: number): Promise<Uint8Array>;
  /** All `size` bytes; fails if the file holds more or fewer. */
  read(): Promise<Uint8Array>;
  /** Releases the file (idempotent). */
  close(): Promise<void>;
}

/** Where a network's bytes come from (a folder on disk, the Jupyter contents API, memory in tests). */
export interface FileSource {
  /** The main file as messages name it. */
  readonly name: string;
  /**
   * Opens the main file (`null`) or a file next to it (a path from {@link siblingPath}). Must refuse — with
   * an `Error` naming the path — anything that is not a regular file inside the main file's folder once
   * resolved, and anything larger than `maxBytes`, before reading it.
   */
  open(path: string | null, maxBytes: number): Promise<SourceFile>;
}

/** Options of {@link readNetwork}. The state_dict options apply to `.safetensors` and `.npz` only. */
export interface ReadNetworkOptions extends Omit<StateDictOptions, 'source' | 'modules' | 'format'> {
  /** Bytes the reader may allocate (default {@link DEFAULT_MAX_MEMORY}, 2 GiB). */
  maxMemory?: number;
}

/** What a {@link NetworkFormat} gets to read a file. */
export interface FormatContext {
  /** The main file's name, for messages and `meta.source`. */
  readonly name: string;
  /** The main file's bytes (already charged to `budget`). */
  readonly bytes: Uint8Array;
  readonly budget: MemoryBudget;
  readonly options: ReadNetworkOptions;
  /**
   * Reads a file the main file names, relative to its folder (as written in the file; it is normalised and
   * checked here). Each file may be read once: a second reference to the same file is refused.
   */
  readSibling(path: string): Promise<Uint8Array>;
}

/** One format of the reader's table. */
export interface NetworkFormat {
  /** Largest main file this format reads under `budget` (default: the budget itself). */
  maxFileBytes?(budget: MemoryBudget): number;
  /** Reads the network (and says which kind it turned out to be, e.g. a JSON file that is a TF.js model). */
  read(ctx: FormatContext): Promise<{ net: LayeredNetwork; kind: NetworkFileKind }>;
}

const jsonFormat: NetworkFormat = {
  maxFileBytes: budget => Math.floor(budget.limit / JSON_EXPANSION),
  async read(ctx) {
    const text = new TextDecoder().decode(ctx.bytes);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      // parseNetworkJson reports the syntax error with its line and column.
      return { net: parseNetworkJson(text, ctx.name), kind: 'network-json' };
    }
    if (value !== null && typeof value === 'object' && 'modelTopology' in value && !('layers' in value)) {
      const paths = tfjsWeightPaths(value, ctx.name);
      if (paths.length > MAX_SHARDS) {
        throw new NetworkError(
          `the weightsManifest names ${paths.length} weight shards, more than the limit of ${MAX_SHARDS}`,
          { source: ctx.name }
        );
      }
      const shards = new Map<string, Uint8Array>();
      for (const p of paths) {
        if (shards.has(p)) {
          throw new NetworkError(`the weightsManifest names weight shard "${p}" twice`, { source: ctx.name });
        }
        shards.set(p, await ctx.readSibling(p));
      }
      return {
        net: tfjsModelToNetwork(value, shards, { source: ctx.name, budget: ctx.budget }),
        kind: 'tfjs'
      };
    }
    value = undefined; // let the first parse go before the network file parser makes its own
    return { net: parseNetworkJson(text, ctx.name), kind: 'network-json' };
  }
};

const stateDict =
  (parse: typeof parseSafetensors): NetworkFormat['read'] =>
  async ctx => {
    const { maxMemory: _unused, ...options } = ctx.options;
    void _unused;
    const tensors = parse(ctx.bytes, ctx.name, ctx.budget);
    return {
      net: stateDictToNetwork(tensors, { ...options, source: ctx.name }),
      kind: parse === parseNpz ? 'npz' : 'safetensors'
    };
  };

/**
 * The model files of other tools (PyTorch, ONNX, Keras): `models.ts` reads them as pure functions of the
 * bytes, with what is left of the budget as their byte limit.
 */
function modelFormat(kind: ModelFileKind): NetworkFormat {
  return {
    async read(ctx) {
      const { maxMemory: _unused, ...options } = ctx.options;
      void _unused;
      const net = modelToNetwork(ctx.bytes, kind, {
        ...options,
        source: ctx.name,
        maxBytes: ctx.budget.remaining
      });
      return { net, kind };
    }
  };
}

/** The formats {@link readNetwork} reads, by the kind `detect.ts` recognises. */
export const NETWORK_FORMATS: ReadonlyMap<NetworkFileKind, NetworkFormat> = new Map<
  NetworkFileKind,
  NetworkFormat
>([
  ['network-json', jsonFormat],
  ['tfjs', jsonFormat],
  ['safetensors', { read: stateDict(parseSafetensors) }],
  ['npz', { read: stateDict(parseNpz) }],
  ['pytorch', modelFormat('pytorch')],
  ['onnx', modelFormat('onnx')],
  ['hdf5', modelFormat('hdf5')],
  ['keras', modelFormat('keras')]
]);

/** Bytes read to recognise a format (leading whitespace of JSON included). */
const HEAD_BYTES = 4096;

/**
 * A path written inside a network file (a TF.js shard path: relative, maybe URL-encoded) as the
 * normalised relative path a {@link FileSource} opens: `/`-separated, no `.`/`..`/empty segments.
 * Refuses URLs, absolute paths, drive letters and paths that leave the folder of the main file.
 *
 * @param path - as written in the file.
 * @param source - the main file, named in the error.
 * @throws {@link NetworkError} naming the main file and the path.
 * @example
 * ```ts
 * siblingPath('./weights%20a.bin', 'model.json'); // 'weights a.bin'
 * // siblingPath('../secret', 'model.json') throws: points outside the directory of model.json
 * ```
 */
export function siblingPath(path: string, source?: string): string {
  const outside = (): never => {
    throw new NetworkError(`weight shard path "${path}" points outside the directory of model.json`, {
      source
    });
  };
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\')) outside();
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Not URL-encoded after all: use the path as written.
  }
  if (
    /^[a-z]:/i.test(decoded) ||
    decoded.startsWith('/') ||
    decoded.startsWith('\\') ||
    decoded.includes('\0')
  ) {
    outside();
  }
  const parts: string[] = [];
  for (const part of decoded.split(/[/\\]/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) outside();
      parts.pop();
    } else parts.push(part);
  }
  if (parts.length === 0) outside();
  return parts.join('/');
}

/** Opens and reads the main file of `source` after recognising its format and checking its size. */
async function readMainFile(
  source: FileSource,
  options: ReadNetworkOptions
): Promise<{ bytes: Uint8Array; kind: NetworkFileKind; format: NetworkFormat; budget: MemoryBudget }> {
  const name = source.name;
  const budget = new MemoryBudget(options.maxMemory ?? DEFAULT_MAX_MEMORY, name);
  const main = await source.open(null, budget.limit);
  let bytes: Uint8Array;
  let format: NetworkFormat;
  let kind: NetworkFileKind | undefined;
  try {
    const head = await main.head(Math.min(HEAD_BYTES, main.size));
    kind = networkFileKind(head, name);
    const found = kind === undefined ? undefined : NETWORK_FORMATS.get(kind);
    if (found === undefined) throw unrecognisedNetworkFile(head, name);
    format = found;
    const max = format.maxFileBytes?.(budget) ?? budget.limit;
    if (main.size > max) {
      throw new NetworkError(
        kind === 'network-json' || kind === 'tfjs'
          ? `the JSON file is ${formatBytes(main.size)}, more than the ${formatBytes(max)} a JSON network may ` +
              `take under the memory budget of ${formatBytes(budget.limit)} (parsing JSON takes many times its ` +
              'size): save large networks as .safetensors or .npz, which are read in bounded memory, or raise ' +
              '--max-memory / the maxMemory option'
          : `the file is ${formatBytes(main.size)}, more than the memory budget of ${formatBytes(budget.limit)} ` +
              '(raise it with --max-memory or the maxMemory option if the file is genuine)',
        { source: name }
      );
    }
    budget.charge(main.size, 'the file');
    bytes = await main.read();
  } finally {
    await main.close();
  }
  return { bytes, kind: kind as NetworkFileKind, format, budget };
}

/**
 * Reads a network from a {@link FileSource} in any format of {@link NETWORK_FORMATS}, recognised by its
 * first bytes (then by its name), within a memory budget.
 *
 * @param source - the main file and access to the files next to it.
 * @param options - `maxMemory` (bytes, default 2 GiB) and, for state_dicts, `layerOrder`, `activation`,
 *   `outputActivation`.
 * @returns the network and the format it was read from.
 * @throws {@link NetworkError} naming the file and what is wrong; errors of the source (file missing, not a
 *   regular file, outside the folder) as they come, wrapped with the file's name when they are not already
 *   {@link NetworkError}s.
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const text = '{"format": "nnmotifs.network", "version": 1, "layers": [{"weights": [[1, -2]]}]}';
 * const { net, kind } = await nm.readNetwork(nm.memorySource('tiny.json', { 'tiny.json': new TextEncoder().encode(text) }));
 * kind; // 'network-json'
 * ```
 */
export async function readNetwork(
  source: FileSource,
  options: ReadNetworkOptions = {}
): Promise<{ net: LayeredNetwork; kind: NetworkFileKind }> {
  const name = source.name;
  const { bytes, format, budget } = await readMainFile(source, options);
  const seen = new Set<string>();
  const ctx: FormatContext = {
    name,
    bytes,
    budget,
    options,
    readSibling: async written => {
      const path = siblingPath(written, name);
      if (seen.has(`path:${path}`)) {
        throw new NetworkError(`"${written}" names a file that is already read (${path})`, { source: name });
      }
      seen.add(`path:${path}`);
      let file: SourceFile;
      try {
        file = await source.open(path, budget.remaining);
      } catch (err) {
        if (err instanceof NetworkError) throw err;
        throw new NetworkError(`cannot read weight shard "${written}" (${errorText(err)})`, { source: name });
      }
      try {
        if (file.identity !== undefined) {
          if (seen.has(`id:${file.identity}`)) {
            throw new NetworkError(`weight shard "${written}" is a file already read under another name`, {
              source: name
            });
          }
          seen.add(`id:${file.identity}`);
        }
        budget.charge(file.size, `weight shard "${written}"`);
        return await file.read();
      } catch (err) {
        if (err instanceof NetworkError) throw err;
        throw new NetworkError(`cannot read weight shard "${written}" (${errorText(err)})`, { source: name });
      } finally {
        await file.close();
      }
    }
  };
  return format.read(ctx);
}

/**
 * The layers of a weight file read through `source` (the same guards as {@link readNetwork}): the linear
 * layers that can form the network and what else the file holds, with the reason each is left out.
 *
 * @param source - where the file's bytes come from.
 * @param options - `maxMemory`.
 * @throws {@link NetworkError} for network and TF.js files (their layers are fixed by the file).
 */
export async function readNetworkLayers(
  source: FileSource,
  options: Pick<ReadNetworkOptions, 'maxMemory'> = {}
): Promise<LayerListing[]> {
  const { bytes, kind, budget } = await readMainFile(source, options);
  switch (kind) {
    case 'safetensors':
      return listLayers(parseSafetensors(bytes, source.name, budget));
    case 'npz':
      return listLayers(parseNpz(bytes, source.name, budget));
    case 'pytorch':
    case 'onnx':
    case 'hdf5':
    case 'keras':
      return modelLayers(bytes, kind, { source: source.name, maxBytes: budget.remaining });
    default:
      throw new NetworkError(
        'layers are listed for weight files (PyTorch, ONNX, Keras, .safetensors, .npz)',
        { source: source.name }
      );
  }
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * A {@link FileSource} over files held in memory (tests, a browser that already has the bytes). Paths are
 * those {@link siblingPath} gives, relative to the main file's folder.
 *
 * @param name - the main file's name (a key of `files`).
 * @param files - file contents by name.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/models/tfjs_graph as m
 * import * as nm from 'nnmotifs';
 * const { readFile } = await import('node:fs/promises');
 * const files = {
 *   'model.json': new Uint8Array(await readFile('m/model.json')),
 *   'group1-shard1of1.bin': new Uint8Array(await readFile('m/group1-shard1of1.bin'))
 * };
 * const { net } = await nm.readNetwork(nm.memorySource('model.json', files)); // a TF.js graph model
 * net.layers.length; // 3
 * ```
 */
export function memorySource(
  name: string,
  files: ReadonlyMap<string, Uint8Array> | Readonly<Record<string, Uint8Array>>
): FileSource {
  const table = files instanceof Map ? files : new Map(Object.entries(files));
  const slash = name.lastIndexOf('/');
  const dir = slash < 0 ? '' : name.slice(0, slash + 1);
  return {
    name,
    open: async (path, maxBytes) => {
      const key = path === null ? name : dir + path;
      const bytes = table.get(key);
      if (bytes === undefined) throw new Error(`no such file ${key}`);
      return bytesFile(bytes, key, maxBytes);
    }
  };
}

/**
 * A {@link SourceFile} over bytes already in memory, refused if larger than `maxBytes`.
 *
 * @example
 * ```ts
 * const file = bytesFile(new Uint8Array(8), 'w.bin', 1024);
 * file.size; // 8
 * ```
 */
export function bytesFile(bytes: Uint8Array, name: string, maxBytes: number): SourceFile {
  if (bytes.length > maxBytes) {
    throw new NetworkError(
      `the file is ${formatBytes(bytes.length)}, more than the ${formatBytes(maxBytes)} the memory budget leaves`,
      { source: name }
    );
  }
  return {
    size: bytes.length,
    head: async n => bytes.subarray(0, n),
    read: async () => bytes,
    close: async () => undefined
  };
}
