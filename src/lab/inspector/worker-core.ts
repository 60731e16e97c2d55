/**
 * The Network Inspector's worker side, independent of the worker global: it keeps the open network, answers
 * {@link InspectorRequest}s through `post`, and runs one motif run at a time with cooperative cancellation.
 * `worker.ts` wires it to `self`; the unit tests and the benchmark drive it directly.
 */
import { bytesFile, type FileSource, readNetwork } from '../../core/formats/read';
import type { LayeredNetwork } from '../../core/network';
import {
  computeMotifs,
  type InspectorSourceKind,
  inspectNetwork,
  type MotifRunOptions,
  networkFromView,
  type NullHelper
} from './analysis';
import type { HelperResult, HelperStart } from './null-helper';
import type { InspectorRequest, InspectorResponse } from './protocol';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Lets queued messages (a `cancel`) be handled between two chunks of a motif run. */
function nextTask(): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, 0));
}

/** Handles the Inspector's requests for one network. */
export class InspectorWorkerCore {
  /**
   * @param post - sends a response to the Inspector.
   * @param now - clock in milliseconds (chunk sizing of motif runs).
   * @param helpers - helper threads for one motif run (see `computeMotifs`); none by default.
   */
  constructor(
    private readonly post: (response: InspectorResponse) => void,
    private readonly now: () => number = () => Date.now(),
    private readonly helpers: () => NullHelper[] = () => []
  ) {}

  /** Handles one request. Never rejects: every failure becomes a response. */
  async handle(request: InspectorRequest): Promise<void> {
    switch (request.type) {
      case 'open-file':
        return this.open(request.name, () =>
          // BatchNorm is folded (the Inspector has no options to ask): the network is the model's own map.
          readNetwork(this.source(request.name, request.bytes), {
            foldNorm: true,
            ...(request.maxMemory === undefined ? {} : { maxMemory: request.maxMemory })
          })
        );
      case 'open-view':
        return this.open(request.name, async () => ({
          net: networkFromView(request.spec, request.name),
          kind: 'network-view' as const
        }));
      case 'file':
        this.settleFile(request.request, pending => pending.resolve(request.bytes));
        return;
      case 'file-failed':
        this.settleFile(request.request, pending => pending.reject(new Error(request.message)));
        return;
      case 'motifs':
        return this.motifs(request.run, request.options);
      case 'cancel':
        this.cancelled.add(request.run);
        return;
    }
  }

  private async open(
    name: string,
    read: () => Promise<{ net: LayeredNetwork; kind: InspectorSourceKind }>
  ): Promise<void> {
    try {
      const { net, kind } = await read();
      const report = inspectNetwork(net, name, kind);
      this.net = net;
      this.name = name;
      this.post({ type: 'opened', report });
    } catch (error) {
      this.post({ type: 'open-failed', message: errorText(error) });
    }
  }

  /**
   * The core reader's file source inside the worker: the main file is the bytes the Inspector sent; every
   * other file is asked of the Inspector, which reads it through the Jupyter contents API (checking its
   * size against `maxBytes` before fetching it).
   */
  private source(name: string, bytes: Uint8Array): FileSource {
    return {
      name,
      open: async (path, maxBytes) => {
        if (path === null) return bytesFile(bytes, name, maxBytes);
        const data = await new Promise<Uint8Array>((resolve, reject) => {
          const request = ++this.fileRequests;
          this.pendingFiles.set(request, { resolve, reject });
          this.post({ type: 'need-file', request, path, maxBytes });
        });
        return bytesFile(data, path, maxBytes);
      }
    };
  }

  private settleFile(
    request: number,
    settle: (pending: { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }) => void
  ): void {
    const pending = this.pendingFiles.get(request);
    this.pendingFiles.delete(request);
    if (pending !== undefined) settle(pending);
  }

  private async motifs(run: number, options: MotifRunOptions): Promise<void> {
    const net = this.net;
    if (net === null) {
      this.post({ type: 'motifs-failed', run, message: 'no network is open' });
      return;
    }
    try {
      const outcome = await computeMotifs(net, this.name, options, {
        onProgress: (done, total) => this.post({ type: 'progress', run, done, total }),
        shouldStop: async () => {
          await nextTask();
          return this.cancelled.has(run);
        },
        now: this.now,
        helpers: this.helpers
      });
      if (outcome === null) this.post({ type: 'motifs-cancelled', run });
      else this.post({ type: 'motifs-done', run, ...outcome });
    } catch (error) {
      this.post({ type: 'motifs-failed', run, message: errorText(error) });
    } finally {
      this.cancelled.delete(run);
    }
  }

  private net: LayeredNetwork | null = null;
  private name = '';
  private readonly cancelled = new Set<number>();
  private fileRequests = 0;
  private readonly pendingFiles = new Map<
    number,
    { resolve: (bytes: Uint8Array) => void; reject: (error: Error) => void }
  >();
}

/** What {@link workerHelper} needs of a Web Worker (a structural type, so tests can pass a stand-in). */
export interface HelperPort {
  postMessage(message: HelperStart | { start: number; samples: number }): void;
  onmessage: ((event: { data: HelperResult }) => void) | null;
  onerror: ((event: { message?: string }) => void) | null;
  terminate(): void;
}

/**
 * A {@link NullHelper} over a Web Worker running `null-helper.ts`: chunks are answered in the order sent.
 *
 * @example
 * ```ts
 * // in the Inspector's worker: workerHelper(new Worker(new URL('./null-helper.js', import.meta.url)))
 * let stopped = false;
 * const helper = workerHelper({ onmessage: null, onerror: null, postMessage: () => undefined, terminate: () => (stopped = true) });
 * helper.stop(); // stopped === true
 * ```
 */
export function workerHelper(port: HelperPort): NullHelper {
  const pending: { resolve: (values: Float64Array) => void; reject: (error: Error) => void }[] = [];
  const failAll = (message: string): void => {
    for (const p of pending.splice(0)) p.reject(new Error(message));
  };
  port.onmessage = event => {
    const p = pending.shift();
    if (p === undefined) return;
    const result = event.data;
    if ('error' in result) p.reject(new Error(result.error));
    else p.resolve(result.values);
  };
  port.onerror = event => failAll(`null helper failed: ${event.message ?? 'unknown error'}`);
  return {
    start: run => port.postMessage(run),
    count: (start, samples) =>
      new Promise<Float64Array>((resolve, reject) => {
        pending.push({ resolve, reject });
        port.postMessage({ start, samples });
      }),
    stop: () => {
      port.terminate();
      failAll('null helper stopped');
    }
  };
}
