/**
 * Reading and writing network files for the subcommands, with errors that name the file, and the options
 * every command that reads a network accepts (`--layers`, `--layer-order`, `--fold-norm`, `--max-memory`).
 */
import { DEFAULT_MAX_MEMORY, formatBytes, parseMemorySize } from '../core/formats/budget';
import type { LayeredNetwork } from '../core/network';
import { NetworkError } from '../core/validate';
import { type LoadNetworkOptions, loadNetwork, saveNetwork } from '../kernel/files';
import { type CommandArgs, flag, InputError, type OptionSpec, stringOption } from './command';

/** `--max-memory`: every command that reads a file. */
export const MEMORY_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  'max-memory': {
    type: 'string',
    value: 'SIZE',
    help:
      `memory the file reader may use, e.g. 512M, 4G (default ${formatBytes(DEFAULT_MAX_MEMORY)}); ` +
      'files whose declared sizes need more are refused before anything is allocated'
  }
};

/** Options of every command that reads a network: layer selection of weight files, and `--max-memory`. */
export const READ_OPTIONS: Readonly<Record<string, OptionSpec>> = {
  layers: {
    type: 'string',
    value: 'A,B,...',
    help: "the linear layers that form the network, first to last (see nnmotifs layers FILE; * matches any characters: 'blocks.0.mlp.*')"
  },
  'layer-order': {
    type: 'string',
    value: 'A,B,...',
    help: 'the order of all linear layers, when their names do not sort into it'
  },
  'fold-norm': { type: 'boolean', help: 'fold each BatchNorm into the linear layer before it' },
  ...MEMORY_OPTIONS
};

/** `--max-memory` in bytes (default {@link DEFAULT_MAX_MEMORY}). */
export function maxMemoryOption(args: CommandArgs): number {
  const v = stringOption(args, 'max-memory');
  if (v === undefined) return DEFAULT_MAX_MEMORY;
  const bytes = parseMemorySize(v);
  if (bytes === undefined) throw new InputError(`--max-memory must be a size such as 512M or 4G, got '${v}'`);
  return bytes;
}

/** `--layers`, `--layer-order`, `--fold-norm`, `--max-memory` as `loadNetwork` options. */
export function loadOptions(args: CommandArgs): LoadNetworkOptions {
  const list = (name: string): string[] | undefined => {
    const v = stringOption(args, name);
    if (v === undefined) return undefined;
    const names = v.split(',').map(x => x.trim());
    if (names.some(x => x === '')) {
      throw new InputError(`--${name} needs comma-separated layer names, e.g. --${name} fc1,fc2,head`);
    }
    return names;
  };
  const layers = list('layers');
  const layerOrder = list('layer-order');
  return {
    ...(layers !== undefined ? { layers } : {}),
    ...(layerOrder !== undefined ? { layerOrder } : {}),
    ...(flag(args, 'fold-norm') ? { foldNorm: true } : {}),
    maxMemory: maxMemoryOption(args)
  };
}

/** Turns a file-system error into a message that names the file and what is wrong. */
export function fileError(file: string, err: unknown, verb: string): InputError {
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT'
      ? 'no such file or directory'
      : code === 'EISDIR'
        ? 'is a directory'
        : code === 'EEXIST'
          ? 'exists already'
          : code === 'EACCES'
            ? 'permission denied'
            : String((err as Error).message);
  return new InputError(`cannot ${verb} ${file}: ${why}`);
}

/**
 * Reads any network format `loadNetwork` knows (network JSON, TF.js, .safetensors, .npz, PyTorch, ONNX,
 * Keras), with the command's {@link READ_OPTIONS}.
 */
export async function readNetwork(file: string | undefined, args: CommandArgs): Promise<LayeredNetwork> {
  if (file === undefined) throw new InputError('missing FILE argument', true);
  const options = loadOptions(args);
  try {
    return await loadNetwork(file, options);
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'read');
  }
}

/** Writes an nnmotifs network file atomically; an existing `file` is replaced only with `overwrite`. */
export async function writeNetwork(net: LayeredNetwork, file: string, overwrite: boolean): Promise<void> {
  try {
    await saveNetwork(net, file, { overwrite });
  } catch (err) {
    if (err instanceof NetworkError && /already exists/.test(err.message)) {
      throw new InputError(`${file} exists already; pass --overwrite to replace it`);
    }
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'write');
  }
}
