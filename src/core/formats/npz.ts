/**
 * Reading NumPy `.npz` archives (`np.savez`, `np.savez_compressed`): a ZIP file whose `<name>.npy` members
 * are arrays.
 *
 * The ZIP central directory is read here (ZIP64 included: NumPy writes ZIP64 headers) so that every
 * member's size and CRC-32 are checked; deflate is fflate's. A truncated or corrupt archive fails with the
 * archive and member named instead of yielding wrong numbers.
 */
import { inflateSync } from 'fflate';
import { NetworkError } from '../validate';
import { parseNpy } from './npy';
import { Tensor, TensorMap, asBytes } from './tensor';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Deflate cannot expand data by more than about 1032:1; a larger claimed size is corruption (or a bomb). */
const MAX_DEFLATE_RATIO = 1032;

interface Member {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

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
 * // example: compile-only, reads a file written by NumPy
 * const bytes = new Uint8Array(await (await import('node:fs/promises')).readFile('weights.npz'));
 * const arrays = parseNpz(bytes, 'weights.npz');
 * [...arrays.keys()]; // ['net.0.weight', 'net.0.bias', ...]
 * ```
 */
export function parseNpz(input: Uint8Array | ArrayBuffer, source?: string): TensorMap {
  const bytes = asBytes(input);
  const out = new Map<string, Tensor>();
  for (const member of centralDirectory(bytes, source)) {
    if (!member.name.endsWith('.npy')) continue;
    const where = `${source ?? 'archive'}:${member.name}`;
    const data = extract(bytes, member, where);
    out.set(member.name.slice(0, -'.npy'.length), parseNpy(data, where));
  }
  return out;
}

function centralDirectory(bytes: Uint8Array, source?: string): Member[] {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const looksLikeZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!looksLikeZip) fail('not an .npz archive: it does not start with the ZIP signature "PK"');

  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail('truncated or corrupt .npz archive: the ZIP end-of-central-directory record is missing');
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  if (eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) {
    const z = u64(eocd - 12);
    if (z + 56 > bytes.length || u32(z) !== ZIP64_EOCD) {
      fail('corrupt .npz archive: the ZIP64 end-of-central-directory record is missing');
    }
    count = u64(z + 32);
    cdOffset = u64(z + 48);
  }

  const members: Member[] = [];
  let at = cdOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) {
      fail(`corrupt .npz archive: ZIP directory entry ${k} of ${count} is missing or damaged`);
    }
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    if (at + 46 + nameLength + extraLength > bytes.length) {
      fail(`corrupt .npz archive: ZIP directory entry ${k} runs past the end of the file`);
    }
    const member: Member = {
      name: new TextDecoder().decode(bytes.subarray(at + 46, at + 46 + nameLength)),
      flags: u16(at + 8),
      method: u16(at + 10),
      crc: u32(at + 16),
      compressedSize: u32(at + 20),
      size: u32(at + 24),
      localOffset: u32(at + 42)
    };
    // ZIP64 extra field: 64-bit values for exactly those fields that hold 0xFFFFFFFF, in this order.
    let e = at + 46 + nameLength;
    const extraEnd = e + extraLength;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const length = u16(e + 2);
      if (id === 0x0001) {
        let p = e + 4;
        if (member.size === 0xffffffff) [member.size, p] = [u64(p), p + 8];
        if (member.compressedSize === 0xffffffff) [member.compressedSize, p] = [u64(p), p + 8];
        if (member.localOffset === 0xffffffff) member.localOffset = u64(p);
      }
      e += 4 + length;
    }
    members.push(member);
    at = extraEnd + commentLength;
  }
  return members;
}

function extract(bytes: Uint8Array, member: Member, where: string): Uint8Array {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source: where });
  };
  if (member.flags & 0x1) fail('encrypted ZIP members are not supported');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = member.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) {
    fail("truncated or corrupt .npz archive: the member's local ZIP header is missing");
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + member.compressedSize;
  if (end > bytes.length) {
    fail(`truncated .npz archive: the member needs bytes up to ${end}, the file has ${bytes.length}`);
  }
  const raw = bytes.subarray(start, end);
  let data: Uint8Array;
  if (member.method === 0) {
    if (member.size !== member.compressedSize)
      fail('corrupt .npz archive: stored member with two different sizes');
    data = raw;
  } else if (member.method === 8) {
    if (member.size > MAX_DEFLATE_RATIO * member.compressedSize + 1024) {
      fail(`corrupt .npz archive: ${member.compressedSize} compressed bytes cannot expand to ${member.size}`);
    }
    try {
      data = inflateSync(raw, { out: new Uint8Array(member.size) });
    } catch (err) {
      return fail(`corrupt compressed data (${err instanceof Error ? err.message : String(err)})`);
    }
    if (data.length !== member.size) {
      fail(
        `corrupt compressed data: it expands to ${data.length} bytes, the ZIP directory says ${member.size}`
      );
    }
  } else {
    return fail(
      `ZIP compression method ${member.method} is not supported (np.savez stores, np.savez_compressed deflates)`
    );
  }
  if (crc32(data) !== member.crc) fail('corrupt .npz archive: the member fails its CRC-32 check');
  return data;
}

let crcTable: Uint32Array | undefined;

/** CRC-32 (ISO-HDLC, as in ZIP) of `data`. */
function crc32(data: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let k = 0; k < data.length; k++) crc = crcTable[(crc ^ data[k]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
