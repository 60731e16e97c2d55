/** Reading and writing network files for the subcommands, with errors that name the file. */
import type { LayeredNetwork } from '../core/network';
import { NetworkError } from '../core/validate';
import { loadNetwork, saveNetwork } from '../kernel/files';
import { InputError } from './command';

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

/** Reads any network format `loadNetwork` knows (network JSON, TF.js model.json, .safetensors, .npz). */
export async function readNetwork(file: string | undefined): Promise<LayeredNetwork> {
  if (file === undefined) throw new InputError('missing FILE argument', true);
  try {
    return await loadNetwork(file);
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'read');
  }
}

/** Writes an nnmotifs network file atomically, replacing `file`. */
export async function writeNetwork(net: LayeredNetwork, file: string): Promise<void> {
  try {
    await saveNetwork(net, file, { overwrite: true });
  } catch (err) {
    if (err instanceof NetworkError) throw err;
    throw fileError(file, err, 'write');
  }
}
