/**
 * The Network Inspector's worker side, independent of the worker global: it keeps the open network, answers
 * {@link InspectorRequest}s through `post`, and runs one motif run at a time with cooperative cancellation.
 * `worker.ts` wires it to `self`; the unit tests and the benchmark drive it directly.
 */
import type { LayeredNetwork } from '../../core/network';
import {
  computeMotifs,
  type InspectorSourceKind,
  inspectNetwork,
  type MotifRunOptions,
  networkFromView,
  readNetworkFile
} from './analysis';
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
   */
  constructor(
    private readonly post: (response: InspectorResponse) => void,
    private readonly now: () => number = () => Date.now()
  ) {}

  /** Handles one request. Never rejects: every failure becomes a response. */
  async handle(request: InspectorRequest): Promise<void> {
    switch (request.type) {
      case 'open-file':
        return this.open(request.name, () =>
          readNetworkFile(request.name, request.bytes, paths => this.askShards(paths))
        );
      case 'open-view':
        return this.open(request.name, async () => ({
          net: networkFromView(request.spec, request.name),
          kind: 'network-view' as const
        }));
      case 'shards':
        this.settleShards(shards => shards.resolve(request.shards));
        return;
      case 'shards-failed':
        this.settleShards(shards => shards.reject(new Error(request.message)));
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

  private askShards(paths: readonly string[]): Promise<ReadonlyMap<string, Uint8Array>> {
    if (paths.length === 0) return Promise.resolve(new Map());
    return new Promise((resolve, reject) => {
      this.pendingShards = { resolve, reject };
      this.post({ type: 'need-shards', paths });
    });
  }

  private settleShards(settle: (pending: NonNullable<InspectorWorkerCore['pendingShards']>) => void): void {
    const pending = this.pendingShards;
    this.pendingShards = null;
    if (pending !== null) settle(pending);
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
        now: this.now
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
  private pendingShards: {
    resolve: (shards: ReadonlyMap<string, Uint8Array>) => void;
    reject: (error: Error) => void;
  } | null = null;
}
