/**
 * Reading NumPy `.npz` archives (`np.savez`, `np.savez_compressed`): a ZIP file whose `<name>.npy` members
 * are arrays.
 *
 * The ZIP central directory is read here (ZIP64 included: NumPy writes ZIP64 headers) so that every
 * member's size and CRC-32 are checked; deflate is fflate's. A truncated or corrupt archive fails with the
 * archive and member named instead of yielding wrong numbers.
 */
import { parseNpy } from './npy';
import { Tensor, TensorMap, asBytes } from './tensor';
import { zipExtract, zipMembers } from './zip';

/**
 * Reads every array of an `.npz` archive.
 *
 * @param input - the whole archive.
 * @param source - the file name, used in error messages (members are named `archive.npz:member.npy`).
 * @returns the arrays by member name without `.npy` (`np.savez(f, fc1_weight=w)` gives `fc1_weight`), in
 *   archive order; members that are not `.npy` files are left out.
 * @throws {@link NetworkError} naming the archive (and member) and what is wrong: not a ZIP archive,
 *   truncated archive, unsupported compression or encryption, CRC mismatch, and everything
 *   {@link parseNpy} rejects.
 * @example
 * ```ts
 * const arrays = parseNpz(bytes, 'weights.npz');
 * [...arrays.keys()]; // ['net.0.weight', 'net.0.bias', ...]
 * ```
 */
export function parseNpz(input: Uint8Array | ArrayBuffer, source?: string): TensorMap {
  const bytes = asBytes(input);
  const out = new Map<string, Tensor>();
  for (const member of zipMembers(bytes, source)) {
    if (!member.name.endsWith('.npy')) continue;
    const where = `${source ?? 'archive'}:${member.name}`;
    const data = zipExtract(bytes, member, where);
    out.set(member.name.slice(0, -'.npy'.length), parseNpy(data, where));
  }
  return out;
}
