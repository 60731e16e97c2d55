/**
 * How results are written for people, in one format everywhere (the Inspector's tables, the CLI's text
 * output): whole numbers and values of 1000 or more rounded with digit grouping, others with a fixed
 * number of significant digits, and never exponent notation such as `1.067e+5`.
 */

/**
 * A number for a table: `—` for NaN, `∞`/`-∞`; integers and |x| ≥ 1000 rounded with thousands separators
 * (`106,718`); others with `digits` significant digits (`37.61`, `0.01234`), down to `< 0.0001` in absolute
 * value, which is written `0` for exact zeros and `<0.0001` otherwise.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.formatNumber(106718.4); // '106,718'
 * nm.figures.formatNumber(7803.2); // '7,803'
 * nm.figures.formatNumber(37.613); // '37.61'
 * nm.figures.formatNumber(-0.00004); // '-<0.0001'
 * ```
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return '—';
  if (!Number.isFinite(value)) return value > 0 ? '∞' : '-∞';
  if (Number.isInteger(value) || Math.abs(value) >= 1000) {
    return Math.round(value).toLocaleString('en-US', { maximumFractionDigits: 0 });
  }
  if (Math.abs(value) < 1e-4) return value < 0 ? '-<0.0001' : '<0.0001';
  // toPrecision writes small numbers in plain decimals down to 1e-6; the bound above keeps it there.
  return Number(value.toPrecision(digits)).toString();
}
