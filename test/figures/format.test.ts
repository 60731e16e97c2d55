import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatNumber } from '../../src/figures/format';

describe('formatNumber', () => {
  it('writes large values grouped and rounded, small ones with 4 significant digits, never with an exponent', () => {
    expect(formatNumber(106718.4)).toBe('106,718');
    expect(formatNumber(7803.2)).toBe('7,803');
    expect(formatNumber(37.613)).toBe('37.61');
    expect(formatNumber(-2.34567)).toBe('−2.346');
    expect(formatNumber(0.00123456)).toBe('0.001235');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(0.00001)).toBe('<0.0001');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(-Infinity)).toBe('−∞');
    expect(formatNumber(-106718.4)).toBe('−106,718');
    expect(formatNumber(-0.00001)).toBe('−<0.0001');
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 }), x => {
        expect(formatNumber(x)).not.toMatch(/e[+-]/);
      })
    );
  });

  it('writes negative values with the minus sign U+2212 (as the figures do), never a hyphen-minus', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, min: -1e12, max: 1e12 }), x => {
        const text = formatNumber(x);
        expect(text).not.toContain('-');
        expect(text.startsWith('\u2212')).toBe(x < 0);
        // Read back (minus and digit grouping undone), the value within its 4 significant digits.
        if (Number.isFinite(x) && Math.abs(x) >= 1e-4) {
          const back = Number(text.replace('\u2212', '-').replace(/,/g, ''));
          expect(Math.abs(back - x)).toBeLessThanOrEqual(Math.max(0.5, 5e-4 * Math.abs(x)));
        }
      })
    );
  });
});
