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

/**
 * Lets queued messages (a `cancel`) be handled between two chunks of a motif run. Through a message
 * channel, not `setTimeout(0)`: browsers clamp nested timeouts to 4 ms, which idled this thread 4 ms per
 * chunk while a run's first chunks are a fraction of a millisecond.
 */
function nextTask(): Promise<void> {
  if (typeof MessageChannel !== 'function') return new Promise(resolve => setTimeout(resolve, 0));
  return new Promise(resolve => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      channel.port2.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
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
 * With `keep`, `stop()` at the end of a run that left nothing in flight and saw no error hands the helper to
 * `keep` instead of terminating it (see {@link HelperPool}); otherwise it terminates the worker, whose late
 * answers would belong to the old run.
 *
 * @example
 * ```ts
 * // in the Inspector's worker: workerHelper(new Worker(new URL('./null-helper.js', import.meta.url)))
 * let stopped = false;
 * const helper = workerHelper({ onmessage: null, onerror: null, postMessage: () => undefined, terminate: () => (stopped = true) });
 * helper.stop(); // stopped === true
 * ```
 */
export function workerHelper(port: HelperPort, keep?: () => void): NullHelper {
  const pending: { resolve: (values: Float64Array) => void; reject: (error: Error) => void }[] = [];
  let broken = false;
  const failAll = (message: string): void => {
    for (const p of pending.splice(0)) p.reject(new Error(message));
  };
  port.onmessage = event => {
    const p = pending.shift();
    if (p === undefined) return;
    const result = event.data;
    if ('error' in result) {
      broken = true;
      p.reject(new Error(result.error));
    } else p.resolve(result.values);
  };
  port.onerror = event => {
    broken = true;
    failAll(`null helper failed: ${event.message ?? 'unknown error'}`);
  };
  return {
    start: run => port.postMessage(run),
    count: (start, samples) =>
      new Promise<Float64Array>((resolve, reject) => {
        pending.push({ resolve, reject });
        port.postMessage({ start, samples });
      }),
    stop: () => {
      if (keep !== undefined && pending.length === 0 && !broken) {
        keep();
        return;
      }
      port.terminate();
      failAll('null helper stopped');
    }
  };
}

/**
 * Helper threads kept from one motif run to the next (the Inspector's worker holds one pool): starting a Web
 * Worker, loading its script and optimising its code cost a run ~0.1–0.2 s, more than a whole 1000-null run
 * of the moth network takes on two cores. A helper whose run finished cleanly goes back to the pool, warm;
 * one stopped mid-run (cancelled, failed) is terminated and replaced by a new one at the next run.
 *
 * @example
 * ```ts
 * let opened = 0;
 * const pool = new HelperPool(1, () => (opened++, { onmessage: null, onerror: null, postMessage: () => undefined, terminate: () => undefined }));
 * pool.take()[0].stop(); // a clean end: back to the pool
 * pool.take(); // the same helper again: opened === 1
 * ```
 */
export class HelperPool {
  private readonly idle: NullHelper[] = [];

  /**
   * @param size - helpers per run (the extra cores).
   * @param open - starts one helper worker.
   */
  constructor(
    private readonly size: number,
    private readonly open: () => HelperPort
  ) {}

  /** Starts the helpers that are not running yet, so that a run does not wait for their scripts. */
  prestart(): void {
    while (this.idle.length < this.size) this.idle.push(this.create());
  }

  /** The helpers of one run: the kept ones, and new ones for the rest. */
  take(): NullHelper[] {
    this.prestart();
    return this.idle.splice(0);
  }

  private create(): NullHelper {
    const port = this.open();
    const helper = workerHelper(port, () => {
      // the pool may have been refilled while this helper was out (prestart during a run)
      if (this.idle.length < this.size) this.idle.push(helper);
      else port.terminate();
    });
    return helper;
  }
}
