/**
 * The export fonts in the browser: the files the package ships in `fonts/`, bundled by Rspack as assets
 * and fetched on the first export (not with JupyterLab).
 */
import type { FontFiles } from '../../render/drawing';

/** Asset URLs of the shipped fonts, by file name (`new URL(…, import.meta.url)` makes Rspack emit them). */
function fontUrls(): Record<string, URL> {
  return {
    'LiberationSans-Regular.ttf': new URL('../../../fonts/LiberationSans-Regular.ttf', import.meta.url),
    'LiberationSans-Bold.ttf': new URL('../../../fonts/LiberationSans-Bold.ttf', import.meta.url),
    'LiberationSerif-Regular.ttf': new URL('../../../fonts/LiberationSerif-Regular.ttf', import.meta.url),
    'LiberationSerif-Bold.ttf': new URL('../../../fonts/LiberationSerif-Bold.ttf', import.meta.url)
  };
}

let loading: Promise<FontFiles> | null = null;

function toBase64(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * The export fonts' files as base64, fetched once; a failed fetch is retried on the next export.
 *
 * @example
 * ```ts
 * // example: compile-only, fetches the font files from the JupyterLab server
 * const fonts = await loadExportFonts(); // { 'LiberationSans-Regular.ttf': 'AAEAAA…', … }
 * ```
 */
export function loadExportFonts(): Promise<FontFiles> {
  if (loading === null) {
    const current = (async () => {
      const files: Record<string, string> = {};
      await Promise.all(
        Object.entries(fontUrls()).map(async ([file, url]) => {
          const response = await fetch(url);
          if (!response.ok) throw new Error(`could not load the export font ${file} (${response.status})`);
          files[file] = toBase64(await response.arrayBuffer());
        })
      );
      return files;
    })();
    loading = current;
    current.catch(() => {
      if (loading === current) loading = null;
    });
  }
  return loading;
}
