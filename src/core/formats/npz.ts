/**
 * Reading NumPy `.npz` archives (`np.savez`, `np.savez_compressed`): a ZIP file whose `<name>.npy` members
 * are arrays.
 *
 * The ZIP central directory is read here (ZIP64 included: NumPy writes ZIP64 headers) so that every
 * member's size and CRC-32 are checked; deflate is fflate's. A truncated or corrupt archive fails with the
 * archive and member named instead of yielding wrong numbers.
 */
import { NetworkError } from '../validate';
import { MemoryBudget } from './budget';
import { NPY_MAX_PREFIX_BYTES, npyLayout, parseNpy } from './npy';
import { Tensor, TensorMap, asBytes, shapeText } from './tensor';
import { zipExtract, zipMemberPrefix, zipMembers } from './zip';

/**
 * Reads every array of an `.npz` archive.
 *
 * @param input - the whole archive.
 * @param source - the file name, used in error messages (members are named `archive.npz:member.npy`).
 * @param budget - memory the reader may allocate: every member's declared size is charged before it is
 *   inflated, and its decoded doubles before they are decoded (default: a fresh 2 GiB budget).
 * @returns the arrays by member name without `.npy` (`np.savez(f, fc1_weight=w)` gives `fc1_weight`), in
 *   archive order; members that are not `.npy` files are left out.
 * @throws {@link NetworkError} naming the archive (and member) and what is wrong: not a ZIP archive,
 *   truncated archive, unsupported compression or encryption, CRC mismatch, members that share bytes or
 *   names, more than {@link MAX_TENSORS} members, a member that inflates past its declared size, a budget
 *   exceeded, and everything {@link parseNpy} rejects.
 * @example
 * ```ts
 * // example: files test/fixtures/interop/sequential.npz as weights.npz
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('weights.npz'));
 * const arrays = parseNpz(bytes, 'weights.npz');
 * [...arrays.keys()]; // ['0.weight', '0.bias', '2.weight', ...]
 * ```
 */
export function parseNpz(
  input: Uint8Array | ArrayBuffer,
  source?: string,
  budget: MemoryBudget = new MemoryBudget(undefined, source)
): TensorMap {
  const bytes = asBytes(input);
  const out = new Map<string, Tensor>();
  // zipMembers refuses members sharing bytes; the same name twice is refused below.
  const members = zipMembers(bytes, source);
  for (const member of members) {
    if (!member.name.endsWith('.npy')) continue;
    const where = `${source ?? 'archive'}:${member.name}`;
    const key = member.name.slice(0, -'.npy'.length);
    if (out.has(key)) throw new NetworkError(`the archive holds member "${member.name}" twice`, { source });
    // The member's .npy header, from its first bytes, must describe exactly the size the ZIP directory
    // declares: a member of zeros, or one whose header disagrees, is refused before it is inflated.
    const layout = npyLayout(zipMemberPrefix(bytes, member, where, NPY_MAX_PREFIX_BYTES), where);
    if (layout.dataStart + layout.needed !== member.size) {
      throw new NetworkError(
        `corrupt .npz archive: the ZIP directory declares ${member.size} bytes, the .npy header describes ` +
          `${layout.dataStart + layout.needed}`,
        { source: where }
      );
    }
    // Both the inflated bytes and the doubles they decode to must fit before anything is inflated.
    const decoded = layout.count * 8 * (layout.header.fortranOrder ? 2 : 1);
    budget.charge(member.size, `member "${member.name}" (inflated)`);
    budget.charge(decoded, `member "${member.name}" ${shapeText(layout.header.shape)} (decoded)`);
    budget.release(decoded); // charged again by parseNpy when it decodes
    const data = zipExtract(bytes, member, where);
    out.set(key, parseNpy(data, where, budget));
    if (data.buffer !== bytes.buffer) budget.release(member.size); // the inflated bytes are dropped now
  }
  return out;
}
