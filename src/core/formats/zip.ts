/**
 * Reading ZIP archives (what `np.savez`, `torch.save`, `torch.jit.save` and Keras' `.keras` write): the
 * central directory (ZIP64 included), stored and deflated members, sizes and CRC-32 checked. A truncated
 * or corrupt archive fails with the archive and member named, and with what the archive was taken for
 * (`label`: ".npz archive", "PyTorch checkpoint", ...), instead of yielding wrong numbers.
 */
import { Inflate } from 'fflate';
import { NetworkError } from '../validate';
import { MAX_TENSORS } from './budget';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Deflate cannot expand data by more than about 1032:1; a larger claimed size is corruption (or a bomb). */
const MAX_DEFLATE_RATIO = 1032;

/** One entry of the ZIP central directory. */
export interface ZipMember {
  name: string;
  method: number;
  flags: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/**
 * The members of a ZIP archive from its central directory (ZIP64 included), at most `MAX_TENSORS` of them,
 * each owning its own bytes.
 */
export function zipMembers(bytes: Uint8Array, source?: string, label = '.npz archive'): ZipMember[] {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source });
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number): number => view.getUint16(at, true);
  const u32 = (at: number): number => view.getUint32(at, true);
  const u64 = (at: number): number => Number(view.getBigUint64(at, true));
  const looksLikeZip = bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!looksLikeZip)
    fail(
      `not ${/^[aeiou.]/i.test(label) ? 'an' : 'a'} ${label}: it does not start with the ZIP signature "PK"`
    );

  // The end-of-central-directory record sits in the last 22 + 65535 (comment) bytes.
  let eocd = -1;
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - 0xffff; at--) {
    if (u32(at) === EOCD) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) fail(`truncated or corrupt ${label}: the ZIP end-of-central-directory record is missing`);
  let count = u16(eocd + 10);
  let cdOffset = u32(eocd + 16);
  if (eocd >= 20 && u32(eocd - 20) === ZIP64_LOCATOR) {
    const z = u64(eocd - 12);
    if (z + 56 > bytes.length || u32(z) !== ZIP64_EOCD) {
      fail(`corrupt ${label}: the ZIP64 end-of-central-directory record is missing`);
    }
    count = u64(z + 32);
    cdOffset = u64(z + 48);
  }

  if (count > MAX_TENSORS) {
    fail(`the archive lists ${count} members, more than the limit of ${MAX_TENSORS}`);
  }
  const members: ZipMember[] = [];
  let at = cdOffset;
  for (let k = 0; k < count; k++) {
    if (at + 46 > bytes.length || u32(at) !== CENTRAL) {
      fail(`corrupt ${label}: ZIP directory entry ${k} of ${count} is missing or damaged`);
    }
    const nameLength = u16(at + 28);
    const extraLength = u16(at + 30);
    const commentLength = u16(at + 32);
    if (at + 46 + nameLength + extraLength > bytes.length) {
      fail(`corrupt ${label}: ZIP directory entry ${k} runs past the end of the file`);
    }
    const member: ZipMember = {
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
  // Each member must own its bytes: a second entry pointing at the same data (a "ZIP bomb" of overlapping
  // members) is refused before anything is inflated.
  const byOffset = [...members].sort((a, b) => a.localOffset - b.localOffset);
  for (let k = 1; k < byOffset.length; k++) {
    const prev = byOffset[k - 1];
    if (byOffset[k].localOffset < prev.localOffset + 30 + prev.compressedSize) {
      fail(`corrupt ${label}: members "${prev.name}" and "${byOffset[k].name}" share the same bytes`);
    }
  }
  return members;
}

/** The bytes of a member's data in the archive, after checking its local header. */
function memberRaw(
  bytes: Uint8Array,
  member: ZipMember,
  fail: (problem: string) => never,
  label: string
): Uint8Array {
  if (member.flags & 0x1) fail('encrypted ZIP members are not supported');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = member.localOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL) {
    fail(`truncated or corrupt ${label}: the member's local ZIP header is missing`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + member.compressedSize;
  if (end > bytes.length) {
    fail(`truncated ${label}: the member needs bytes up to ${end}, the file has ${bytes.length}`);
  }
  return bytes.subarray(start, end);
}

/** The first `want` bytes of a member (e.g. its `.npy` header), inflating no more than needed. */
export function zipMemberPrefix(
  bytes: Uint8Array,
  member: ZipMember,
  where: string,
  want: number,
  label = '.npz archive'
): Uint8Array {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source: where });
  };
  const raw = memberRaw(bytes, member, fail, label);
  want = Math.min(member.size, want);
  if (member.method !== 8) return raw.subarray(0, want);
  const out = new Uint8Array(want);
  let got = 0;
  const inflater = new Inflate((chunk: Uint8Array) => {
    const n = Math.min(chunk.length, want - got);
    out.set(chunk.subarray(0, n), got);
    got += n;
  });
  try {
    for (let at = 0; at < raw.length && got < want; at += INFLATE_CHUNK) {
      const end = Math.min(raw.length, at + INFLATE_CHUNK);
      inflater.push(raw.subarray(at, end), end === raw.length);
    }
  } catch (err) {
    return fail(`corrupt compressed data (${err instanceof Error ? err.message : String(err)})`);
  }
  return out.subarray(0, got);
}

/**
 * The bytes of a member, inflated in a stream that stops the moment it would pass the size the ZIP
 * directory declares (so a member lying about its size never takes more), CRC-32 checked.
 */
export function zipExtract(
  bytes: Uint8Array,
  member: ZipMember,
  where: string,
  label = '.npz archive'
): Uint8Array {
  const fail = (problem: string): never => {
    throw new NetworkError(problem, { source: where });
  };
  const raw = memberRaw(bytes, member, fail, label);
  let data: Uint8Array;
  if (member.method === 0) {
    if (member.size !== member.compressedSize)
      fail(`corrupt ${label}: stored member with two different sizes`);
    data = raw;
  } else if (member.method === 8) {
    if (member.size > MAX_DEFLATE_RATIO * member.compressedSize + 1024) {
      fail(`corrupt ${label}: ${member.compressedSize} compressed bytes cannot expand to ${member.size}`);
    }
    data = inflateBounded(raw, member.size, fail);
  } else {
    return fail(
      `ZIP compression method ${member.method} is not supported (np.savez stores, np.savez_compressed deflates)`
    );
  }
  if (crc32(data) !== member.crc) fail(`corrupt ${label}: the member fails its CRC-32 check`);
  return data;
}

/** Chunk of compressed input fed to the streaming inflater. */
const INFLATE_CHUNK = 1 << 14;

/**
 * Inflates `raw` into exactly `size` bytes, streaming, with a running count: the moment the output would
 * pass `size` the member is refused, so a member lying about its size never takes more than it declared.
 */
function inflateBounded(raw: Uint8Array, size: number, fail: (problem: string) => never): Uint8Array {
  const out = new Uint8Array(size);
  let written = 0;
  let overflow = false;
  const inflater = new Inflate((chunk: Uint8Array) => {
    if (overflow) return;
    if (written + chunk.length > size) {
      overflow = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let at = 0; at < raw.length && !overflow; at += INFLATE_CHUNK) {
      const end = Math.min(raw.length, at + INFLATE_CHUNK);
      inflater.push(raw.subarray(at, end), end === raw.length);
    }
  } catch (err) {
    return fail(`corrupt compressed data (${err instanceof Error ? err.message : String(err)})`);
  }
  if (overflow) fail(`corrupt compressed data: it expands past the ${size} bytes the ZIP directory declares`);
  if (written !== size) {
    fail(`corrupt compressed data: it expands to ${written} bytes, the ZIP directory says ${size}`);
  }
  return out;
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
