/**
 * The memory budget of reading one network file, and the structural limits every reader enforces.
 *
 * A reader charges the budget with what it is about to allocate — the bytes it reads, the bytes a ZIP
 * member inflates to, the doubles a tensor decodes to — *before* allocating it, from the sizes the file
 * declares. A file whose declared sizes exceed the budget is refused with one clear sentence instead of
 * taking the machine's memory.
 */
import { NetworkError } from '../validate';

export { MAX_LAYERS } from '../validate';

/** Default memory budget of reading one network: 2 GiB, sensible on a laptop. */
export const DEFAULT_MAX_MEMORY = 2 * 1024 ** 3;

/** Most tensors (or ZIP members, or TF.js weights) one file may hold. */
export const MAX_TENSORS = 65_536;

/** Most files (TF.js weight shards) one network may be spread over. */
export const MAX_SHARDS = 4096;

/**
 * Bytes of memory one byte of JSON text may take while parsed (the text itself, V8's values, the
 * network's typed arrays): a JSON file larger than `budget / JSON_EXPANSION` is refused before it is read.
 */
export const JSON_EXPANSION = 32;

/**
 * Counts the bytes a reader allocates against a limit and refuses, naming the file and the limit, what
 * would exceed it.
 *
 * @example
 * ```ts
 * const budget = new MemoryBudget(1024, 'net.npz');
 * budget.charge(800, 'member "w.npy"');
 * // budget.charge(800, 'member "b.npy"') now throws: net.npz: member "b.npy" needs 800 bytes, … budget of 1 KiB
 * ```
 */
export class MemoryBudget {
  private usedBytes = 0;

  /**
   * @param limit - bytes the reader may allocate in all (default {@link DEFAULT_MAX_MEMORY}).
   * @param source - the file, named in errors.
   */
  constructor(
    readonly limit: number = DEFAULT_MAX_MEMORY,
    readonly source?: string
  ) {
    if (!(limit > 0) || !Number.isFinite(limit)) {
      throw new RangeError(`the memory budget must be a positive number of bytes, got ${limit}`);
    }
  }

  /** Bytes charged so far. */
  get used(): number {
    return this.usedBytes;
  }

  /** Bytes still allowed. */
  get remaining(): number {
    return Math.max(0, this.limit - this.usedBytes);
  }

  /**
   * Charges `bytes` for `what`, or throws a {@link NetworkError} if that would exceed the limit.
   *
   * @param bytes - what is about to be allocated (may be a declared, untrusted size).
   * @param what - the tensor, member or file, as the message should name it.
   */
  charge(bytes: number, what: string): void {
    if (!(bytes >= 0) || !Number.isFinite(bytes) || this.usedBytes + bytes > this.limit) {
      throw new NetworkError(
        `${what} needs ${formatBytes(bytes)}, more than the memory budget of ${formatBytes(this.limit)} ` +
          `allows (${formatBytes(this.remaining)} left; raise it with --max-memory or the maxMemory option ` +
          'if the file is genuine)',
        { source: this.source }
      );
    }
    this.usedBytes += bytes;
  }

  /** Returns `bytes` to the budget (a buffer that is no longer held). */
  release(bytes: number): void {
    this.usedBytes = Math.max(0, this.usedBytes - bytes);
  }
}

/**
 * A byte count as people read it: `512 B`, `3.2 MiB`, `2 GiB`.
 *
 * @example
 * ```ts
 * formatBytes(2 * 1024 ** 3); // '2 GiB'
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return String(bytes);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let value = bytes;
  let u = 0;
  while (Math.abs(value) >= 1024 && u < units.length - 1) {
    value /= 1024;
    u++;
  }
  const text = Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${text} ${units[u]}`;
}

/**
 * Parses a memory size as a user writes it: bytes (`1000000`) or with a binary suffix `K`, `M`, `G`, `T`
 * (`512M`, `2G`, `1.5GiB`). Returns `undefined` for anything else (including zero and negative sizes).
 *
 * @example
 * ```ts
 * parseMemorySize('2G'); // 2147483648
 * parseMemorySize('lots'); // undefined
 * ```
 */
export function parseMemorySize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (m === null) return undefined;
  const scale = new Map([
    ['', 1],
    ['k', 1024],
    ['m', 1024 ** 2],
    ['g', 1024 ** 3],
    ['t', 1024 ** 4]
  ]).get(m[2].toLowerCase()) as number;
  const bytes = Math.floor(Number(m[1]) * scale);
  return bytes >= 1 && Number.isSafeInteger(bytes) ? bytes : undefined;
}

/**
 * The chunks of a read laid end to end in one new array of `total` bytes (the sum of their lengths, which
 * the reader has already checked against its budget).
 *
 * @example
 * ```ts
 * concatBytes([new Uint8Array([1, 2]), new Uint8Array([3])], 3); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
