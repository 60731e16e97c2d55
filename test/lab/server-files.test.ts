/**
 * The Inspector's reader of referenced files (`src/lab/inspector/server-files.ts`) against a fake server:
 * the request it makes, the server's refusals passed on as they are worded, and the byte limit enforced
 * on what the server sends (announced or not). The server side is tested in tests_py/test_handlers.py.
 */
import { ServerConnection } from '@jupyterlab/services';
import { describe, expect, it } from 'vitest';
import { REFERENCED_FILE_ROUTE, referencedFileReader } from '../../src/lab/inspector/server-files';

/** A server that answers every request with `respond(url)`; the URLs asked are kept in `asked`. */
function fakeServer(respond: (url: URL) => Response): { settings: ServerConnection.ISettings; asked: URL[] } {
  const asked: URL[] = [];
  const settings = ServerConnection.makeSettings({
    baseUrl: 'http://localhost:8888/lab%40x/',
    wsUrl: 'ws://localhost:8888/lab%40x/',
    token: 'secret-token',
    fetch: (input: RequestInfo | URL) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      asked.push(url);
      return Promise.resolve(respond(url));
    }
  });
  return { settings, asked };
}

/** A body sent in chunks without a Content-Length (as a chunked response is). */
function streamed(chunks: Uint8Array[]): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    }
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/octet-stream' } });
}

describe('referencedFileReader', () => {
  it('asks the server extension for the file, relative to the model, with the byte limit', async () => {
    const bytes = Uint8Array.from({ length: 300 }, (_, k) => k % 251);
    const { settings, asked } = fakeServer(
      () => new Response(bytes, { headers: { 'Content-Length': String(bytes.length) } })
    );
    const read = referencedFileReader(settings);
    const got = await read('runs/my model/model.json', 'shards/group1-shard1of1.bin', 4096);
    expect(Array.from(got)).toEqual(Array.from(bytes));
    expect(asked).toHaveLength(1);
    expect(asked[0].pathname).toBe(`/lab%40x/${REFERENCED_FILE_ROUTE}`);
    expect(asked[0].searchParams.get('model')).toBe('runs/my model/model.json');
    expect(asked[0].searchParams.get('path')).toBe('shards/group1-shard1of1.bin');
    expect(asked[0].searchParams.get('max')).toBe('4096');
  });

  it("passes the server's refusal on as it is worded", async () => {
    const message =
      'file "w.bin" named by m/model.json resolves to /etc/passwd, outside the folder of the model (/srv/m)';
    const { settings } = fakeServer(
      () =>
        new Response(JSON.stringify({ message, reason: null }), {
          status: 403,
          headers: { 'Content-Type': 'application/json' }
        })
    );
    await expect(referencedFileReader(settings)('m/model.json', 'w.bin', 100)).rejects.toThrow(message);
  });

  it('says the server extension is missing when the route does not exist', async () => {
    const { settings } = fakeServer(() => new Response('<html>404</html>', { status: 404 }));
    await expect(referencedFileReader(settings)('m/model.json', 'w.bin', 100)).rejects.toThrow(
      /does not offer nnmotifs\/referenced-file: enable the server extension/
    );
  });

  it('refuses an announced size over the limit before reading the body', async () => {
    let pulled = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled++;
        controller.enqueue(new Uint8Array(1024));
      }
    });
    const { settings } = fakeServer(
      () => new Response(body, { headers: { 'Content-Length': String(3 * 1024 ** 3) } })
    );
    await expect(referencedFileReader(settings)('m/model.json', 'w.bin', 2048)).rejects.toThrow(
      'w.bin (named by m/model.json) is 3 GiB, more than the 2 KiB allowed'
    );
    expect(pulled).toBeLessThanOrEqual(1); // at most what the stream buffers on its own
  });

  it('stops reading a body that grows past the limit (no or a false Content-Length)', async () => {
    const chunk = new Uint8Array(1000);
    const { settings } = fakeServer(() => streamed([chunk, chunk, chunk, chunk]));
    await expect(referencedFileReader(settings)('m/model.json', 'w.bin', 2500)).rejects.toThrow(
      /is 2\.9 KiB, more than the 2\.4 KiB allowed/
    );
    const exact = fakeServer(() => streamed([chunk, chunk]));
    expect((await referencedFileReader(exact.settings)('m/model.json', 'w.bin', 2000)).length).toBe(2000);
  });
});
