/**
 * Scratch memory of the census: every array a count needs, kept between calls so counting thousands of null
 * samples of one shape allocates nothing large.
 */

/**
 * Reusable scratch memory for `countMotifGraph` (`census.ts`): arrays grow to the largest size asked for and are
 * then reused, so counting many graphs of the same shape allocates nothing large.
 *
 * @example
 * ```ts
 * const ws = new CensusWorkspace(); // pass to countMotifGraph for every null sample
 * ```
 */
export class CensusWorkspace {
  private readonly i32: Int32Array[] = [];
  private readonly u8: Uint8Array[] = [];
  /** Last stamp handed out by {@link CensusWorkspace.nextStamp}. */
  private epoch = 0;

  /** An Int32Array of at least `n` entries for `slot` (contents unspecified). */
  int32(slot: number, n: number): Int32Array {
    let a = this.i32[slot];
    if (a === undefined || a.length < n) {
      a = new Int32Array(Math.max(n, 1));
      this.i32[slot] = a;
      if (slot === STAMP) this.epoch = 0;
    }
    return a;
  }

  /** A Uint8Array of at least `n` entries for `slot` (contents unspecified). */
  uint8(slot: number, n: number): Uint8Array {
    let a = this.u8[slot];
    if (a === undefined || a.length < n) {
      a = new Uint8Array(Math.max(n, 1));
      this.u8[slot] = a;
    }
    return a;
  }

  /** A fresh stamp value for the shared stamp array (never equal to a value already stored in it). */
  nextStamp(stamp: Int32Array): number {
    if (this.epoch >= 0x3fffffff) {
      stamp.fill(0);
      this.epoch = 0;
    }
    return ++this.epoch;
  }
}

// Workspace slots: per layer l, slot l * PER_LAYER + kind; shared slots from SHARED upwards.
export const PER_LAYER = 8;

export const OUT_DEG = 0;

export const IN_DEG = 1;

export const CSC_PTR = 2;

export const CSC_IDX = 3;

export const ROW_BITS = 4;

export const COL_BITS = 5;

export const SORTED_IDX = 6;

export const CSC_NEG = 0; // uint8 slots: per layer l * PER_LAYER + kind

export const SORTED_NEG = 1;

export const STAMP = 1 << 20;

export const COUNTER = STAMP + 1;

export const REACH2 = STAMP + 2;

export const REACH3 = STAMP + 3;

export const TOUCHED = STAMP + 4;
