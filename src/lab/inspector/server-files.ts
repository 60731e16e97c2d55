/**
 * How the Network Inspector reads the files a network file names (the weight shards of a TF.js
 * `model.json`): through the nnmotifs server extension (`jupyterlab_nnmotifs/handlers.py`), never through
 * the contents API. The browser cannot resolve symlinks, and the contents API follows them wherever they
 * point; the server extension opens a file only if its real path is inside the real folder of the network
 * file, it is a regular file (no FIFO, device or socket) and its size, known before reading, is within the
 * memory budget.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';
import { concatBytes, formatBytes } from '../../core/formats/budget';
import type { ServerFileReader } from './model';

/** Route of the server extension's handler, below the server's base URL. */
export const REFERENCED_FILE_ROUTE = 'nnmotifs/referenced-file';

/** What the server answered when it refused a file: its JSON `message`, else the HTTP status. */
async function refusal(response: Response): Promise<string> {
  let message = '';
  try {
    const body: unknown = await response.json();
    if (body !== null && typeof body === 'object') {
      const text = (body as { message?: unknown }).message;
      if (typeof text === 'string') message = text;
    }
  } catch {
    // not JSON: a server without the extension answers with a page
  }
  if (response.status === 404 && message === '') {
    return (
      'the Jupyter server does not offer nnmotifs/referenced-file: enable the server extension ' +
      '(jupyter server extension enable jupyterlab_nnmotifs) and restart the server'
    );
  }
  return message !== '' ? message : `the server answered ${response.status} ${response.statusText}`;
}

/**
 * Reads a response body of at most `maxBytes` bytes, stopping as soon as more arrive (a server that sends
 * more than it announced cannot make the Inspector hold more than its budget).
 */
async function boundedBody(response: Response, maxBytes: number, shown: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('Content-Length') ?? NaN);
  const tooLarge = (size: number): Error =>
    new Error(`${shown} is ${formatBytes(size)}, more than the ${formatBytes(maxBytes)} allowed`);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge(declared);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  if (Number.isFinite(declared) && total !== declared) {
    throw new Error(
      `${shown}: the server sent ${total} of ${declared} bytes (the file changed while it was read?)`
    );
  }
  return concatBytes(chunks, total);
}

/**
 * The Inspector's {@link ServerFileReader}: `GET nnmotifs/referenced-file?model=…&path=…&max=…` on the
 * Jupyter server (authenticated like every other request of JupyterLab). Errors carry the server's reason,
 * e.g. `file "w.bin" named by m/model.json resolves to /etc/passwd, outside the folder of the model (…)`.
 *
 * @param settings - the server connection (JupyterLab's `app.serviceManager.serverSettings`).
 * @example
 * ```ts
 * // example: compile-only, needs a Jupyter server with the nnmotifs server extension
 * import { ServerConnection } from '@jupyterlab/services';
 * const read = referencedFileReader(ServerConnection.makeSettings());
 * const shard = await read('runs/tfjs/model.json', 'group1-shard1of1.bin', 64 * 1024 * 1024);
 * ```
 */
export function referencedFileReader(settings: ServerConnection.ISettings): ServerFileReader {
  return async (model, path, maxBytes) => {
    const shown = `${path} (named by ${model})`;
    const query = URLExt.objectToQueryString({ model, path, max: String(Math.max(0, Math.floor(maxBytes))) });
    const url = URLExt.join(settings.baseUrl, REFERENCED_FILE_ROUTE) + query;
    const response = await ServerConnection.makeRequest(url, { method: 'GET', cache: 'no-store' }, settings);
    if (!response.ok) throw new Error(await refusal(response));
    return boundedBody(response, maxBytes, shown);
  };
}
