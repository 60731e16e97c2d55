/**
 * What the figure and network-view payload validators share: reading the payload into a plain object,
 * and turning every failure into one sentence for the output area.
 */
import type { z } from 'zod';

/** A problem with a payload, worded for the user. */
export class PayloadError extends Error {}

/** `null`, `an array`, `a string`, … for messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** `data[0].marker.color` from a path; `the payload` for the empty path. */
export function pathText(path: readonly (string | number)[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
  }
  return out === '' ? 'the payload' : out;
}

/** The first three problems zod found, each with its path. */
export function formatIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map(
      issue => `${pathText(issue.path.map(p => (typeof p === 'symbol' ? String(p) : p)))}: ${issue.message}`
    )
    .join('; ');
}

/**
 * The payload as an object: JSON text is parsed first (some frontends hand bundles over as text), after a
 * size check. Anything but an object is refused before zod walks it (zod's recursion is not bounded).
 *
 * @throws {@link PayloadError} or the `SyntaxError` of `JSON.parse`; {@link payloadErrorText} words both.
 * @example
 * ```ts
 * payloadObject('{"version": 1}', 1e6); // { version: 1 }
 * ```
 */
export function payloadObject(payload: unknown, maxTextLength: number): Record<string, unknown> {
  let value = payload;
  if (typeof value === 'string') {
    if (value.length > maxTextLength) throw new PayloadError('the payload text is too large');
    value = JSON.parse(value) as unknown;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PayloadError(`the payload is ${describe(value)}, expected an object`);
  }
  return value as Record<string, unknown>;
}

/** Refuses a payload version other than `current` (`what` is e.g. `figure`). */
export function checkVersion(what: string, version: number, current: number): void {
  if (version === current) return;
  throw new PayloadError(
    version > current
      ? `${what} version ${version} was made by a newer nnmotifs; this extension reads version ${current}`
      : `unknown ${what} version ${version}`
  );
}

/** One sentence for any error a validator met. */
export function payloadErrorText(error: unknown): string {
  if (error instanceof PayloadError) return error.message;
  if (error instanceof SyntaxError) return `the payload is not valid JSON (${error.message})`;
  if (error instanceof RangeError) return 'the payload is too large or too deeply nested';
  return error instanceof Error ? error.message : String(error);
}
