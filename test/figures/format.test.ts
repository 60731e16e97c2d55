import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/figures/format';

describe('formatNumber', () => {
  it('writes large values grouped and rounded, small ones with 4 significant digits, never with an exponent', () => {
    expect(formatNumber(106718.4)).toBe('106,718');
    expect(formatNumber(7803.2)).toBe('7,803');
    expect(formatNumber(37.613)).toBe('37.61');
    expect(formatNumber(-2.34567)).toBe('-2.346');
    expect(formatNumber(0.00123456)).toBe('0.001235');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.00001)).toBe('<0.0001');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(-Infinity)).toBe('-∞');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), x => {
        expect(formatNumber(x)).not.toMatch(/e[+-]/);
      })
    );
  });
});
