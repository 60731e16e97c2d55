/**
 * The static PNG the renderer writes back into a figure output, so a saved notebook shows the figure where
 * the extension is absent (GitHub, nbviewer, JupyterLab without nnmotifs).
 *
 * Choice: the PNG is drawn from the payload alone — {@link PRINT_THEME}, the layout's size or the default,
 * never the screen theme or the cell width — and the output metadata records a digest of the payload it was
 * drawn from (`metadata[FIGURE_MIME].staticImage`). A render whose payload digest matches the recorded one
 * and whose output already has `image/png` writes nothing, so re-rendering, resizing, switching the theme or
 * reopening a saved notebook neither loops nor marks the notebook dirty. DOM-free for the unit tests.
 */
import { FIGURE_MIME } from '../figures/spec';

/** The parts of an output model the write-back reads and writes (a subset of `IRenderMime.IMimeModel`). */
export interface OutputBundle {
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: Readonly<Record<string, unknown>>;
}

/** JSON text with object keys sorted, so the digest does not depend on key order. */
function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_key, item: unknown) => {
      if (item === null || typeof item !== 'object' || Array.isArray(item)) return item;
      const sorted: Record<string, unknown> = {};
      for (const key of Object.keys(item).sort()) sorted[key] = (item as Record<string, unknown>)[key];
      return sorted;
    }) ?? ''
  );
}

/**
 * A short, stable digest of a payload (53-bit cyrb53 hash of its JSON text with sorted keys, in base 36).
 * Key order is ignored because Jupyter saves notebooks with sorted keys: the payload read back from a saved
 * notebook must digest like the one the kernel sent.
 *
 * @param payload - the figure payload as it is in the output (object or JSON text).
 * @returns e.g. `'1k3v9xq2m7a'`; equal payloads give equal digests.
 */
export function payloadDigest(payload: unknown): string {
  const text = canonicalJson(typeof payload === 'string' ? parseOrKeep(payload) : payload);
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

function parseOrKeep(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function figureMetadata(output: OutputBundle, mime: string): Record<string, unknown> {
  const entry = output.metadata[mime];
  return typeof entry === 'object' && entry !== null && !Array.isArray(entry)
    ? (entry as Record<string, unknown>)
    : {};
}

/**
 * Whether the output already carries the static image of the payload with this digest.
 *
 * @param output - the output's data and metadata.
 * @param digest - {@link payloadDigest} of the payload now in the output.
 * @param mime - the MIME type whose metadata records the digest (the network view has its own).
 */
export function hasStaticImage(output: OutputBundle, digest: string, mime: string = FIGURE_MIME): boolean {
  return typeof output.data['image/png'] === 'string' && figureMetadata(output, mime).staticImage === digest;
}

/**
 * The data and metadata to store with the image added, or `null` when the output already holds exactly
 * this image for this payload (nothing to write).
 *
 * @param output - the output's current data and metadata.
 * @param png - the image as base64 PNG (no `data:` prefix).
 * @param digest - {@link payloadDigest} of the payload the image was drawn from.
 * @param size - the image's size in CSS pixels (frontends show the 2x PNG at this size).
 * @param mime - the MIME type whose metadata records the digest (the network view has its own).
 */
export function withStaticImage(
  output: OutputBundle,
  png: string,
  digest: string,
  size: { width: number; height: number },
  mime: string = FIGURE_MIME
): { data: Record<string, unknown>; metadata: Record<string, unknown> } | null {
  if (output.data['image/png'] === png && figureMetadata(output, mime).staticImage === digest) return null;
  return {
    data: { ...output.data, 'image/png': png },
    metadata: {
      ...output.metadata,
      'image/png': { width: size.width, height: size.height },
      [mime]: { ...figureMetadata(output, mime), staticImage: digest }
    }
  };
}

/**
 * The base64 part of a `data:image/png;base64,…` URL as plotly's `toImage` returns it.
 *
 * @param dataUrl - a data URL.
 * @returns the base64 text, or `null` if the URL is not a base64 PNG.
 */
export function pngFromDataUrl(dataUrl: string): string | null {
  const prefix = 'data:image/png;base64,';
  return dataUrl.startsWith(prefix) && dataUrl.length > prefix.length ? dataUrl.slice(prefix.length) : null;
}
