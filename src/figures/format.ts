/**
 * How results are written for people, in one format everywhere (the Inspector's tables, the CLI's text
 * output): whole numbers and values of 1000 or more rounded with digit grouping, others with a fixed
 * number of significant digits, never exponent notation such as `1.067e+5`, and negative values with the
 * minus sign U+2212 (`−1.071`) as the figures' tick labels write them.
 */

/** The minus sign of numbers written for people (U+2212, as plotly writes negative tick labels). */
export const MINUS = '\u2212';

/**
 * A number for a table: `—` for NaN, `∞`/`−∞`; integers and |x| ≥ 1000 rounded with thousands separators
 * (`106,718`); others with `digits` significant digits (`37.61`, `0.01234`), down to `< 0.0001` in absolute
 * value, which is written `0` for exact zeros and `<0.0001` otherwise. Negative values start with the
 * minus sign U+2212 ({@link MINUS}), like the figures' tick labels (not a hyphen-minus: parse with
 * `Number(text.replace('−', '-'))`).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.figures.formatNumber(106718.4); // '106,718'
 * nm.figures.formatNumber(7803.2); // '7,803'
 * nm.figures.formatNumber(37.613); // '37.61'
 * nm.figures.formatNumber(-1.0713); // '−1.071'
 * nm.figures.formatNumber(-0.00004); // '−<0.0001'
 * ```
 */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return '—';
  const sign = value < 0 ? MINUS : '';
  const size = Math.abs(value);
  if (!Number.isFinite(value)) return `${sign}∞`;
  if (Number.isInteger(value) || size >= 1000) {
    return `${sign}${Math.round(size).toLocaleString('en-US', { maximumFractionDigits: 0 })}`;
  }
  if (size < 1e-4) return `${sign}<0.0001`;
  // toPrecision writes small numbers in plain decimals down to 1e-6; the bound above keeps it there.
  return `${sign}${Number(size.toPrecision(digits)).toString()}`;
}
