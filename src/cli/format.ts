/** Output helpers shared by the subcommands: aligned tables and JSON (numbers: figures/format's `formatNumber`). */
import { typedArraysAsArrays } from '../core/study';

/** A plain-text table: first column left-aligned, the others right-aligned. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map(r => r[c].length)));
  const line = (cells: string[]): string =>
    cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ');
  return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

/**
 * JSON text of a result, with typed arrays written as JSON arrays (plain `JSON.stringify` writes
 * `{"0": …, "1": …}`) and non-finite numbers as `null`.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, typedArraysAsArrays, 2) + '\n';
}
