/**
 * State of one Network Inspector: the network's report and the motif run, kept by talking to the
 * Inspector's Web Worker. Views listen to `changed` and draw the state; nothing here touches the DOM.
 */
import { ISignal, Signal } from '@lumino/signaling';
import type { NetworkViewSpec } from '../../figures/network-spec';
import type { FigureSpec } from '../../figures/spec';
import type { MotifSignificance } from '../../core/significance';
import { type InspectorReport, type MotifRunOptions, shardServerPath } from './analysis';
import type { InspectorRequest, InspectorResponse } from './protocol';

/** Where the network is read. */
export type InspectorNetworkState =
  | { readonly phase: 'loading' }
  | { readonly phase: 'ready'; readonly report: InspectorReport }
  | { readonly phase: 'error'; readonly message: string };

/** The motif run. `done`/`total` count null samples. */
export type MotifRunState =
  | { readonly phase: 'idle' }
  | { readonly phase: 'running'; readonly done: number; readonly total: number }
  | {
      readonly phase: 'done';
      readonly options: MotifRunOptions;
      readonly result: MotifSignificance;
      readonly figure: FigureSpec;
    }
  | { readonly phase: 'cancelled'; readonly done: number; readonly total: number }
  | { readonly phase: 'failed'; readonly message: string };

/** Reads a file of the Jupyter server (the weight shards of a TF.js model). */
export type ServerFileReader = (path: string) => Promise<Uint8Array>;

/** Creates the Inspector's worker; tests and the benchmark may hand in another. */
export type InspectorWorkerFactory = () => Worker;

/** The bundled worker: webpack 5 turns this `new Worker(new URL(…))` into a worker chunk of the extension. */
export const createInspectorWorker: InspectorWorkerFactory = () =>
  new Worker(new URL('./worker.js', import.meta.url), { name: 'nnmotifs-inspector' });

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One Inspector's network and motif run. */
export class InspectorModel {
  /**
   * @param readFile - reads server files (TF.js weight shards next to a `model.json`).
   * @param createWorker - default: the bundled Inspector worker.
   */
  constructor(
    private readonly readFile: ServerFileReader,
    createWorker: InspectorWorkerFactory = createInspectorWorker
  ) {
    this._worker = createWorker();
    this._worker.onmessage = (event: MessageEvent<InspectorResponse>) => this._onResponse(event.data);
    this._worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      this._fail(`the Inspector's worker stopped: ${event.message || 'it could not be loaded'}`);
    };
  }

  /** Emits after every change of {@link network} or {@link motifs}. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  get network(): InspectorNetworkState {
    return this._network;
  }

  get motifs(): MotifRunState {
    return this._motifs;
  }

  /** Reads the network from a file's bytes (any format nnmotifs knows); `path` is its server path. */
  openFile(path: string, bytes: Uint8Array): void {
    this._startOver(path);
    this._send({ type: 'open-file', name: path, bytes }, [bytes.buffer as ArrayBuffer]);
  }

  /** Reads the network a network-view output shows. */
  openView(name: string, spec: NetworkViewSpec): void {
    this._startOver(name);
    this._send({ type: 'open-view', name, spec });
  }

  /** Shows an error instead of the network (e.g. the file could not be fetched). */
  showError(message: string): void {
    this._setNetwork({ phase: 'error', message });
  }

  /** Starts a motif run; a run already going is cancelled first. */
  computeMotifs(options: MotifRunOptions): void {
    if (this._network.phase !== 'ready') return;
    this.cancelMotifs();
    this._run++;
    this._runOptions = options;
    this._setMotifs({ phase: 'running', done: 0, total: options.samples });
    this._send({ type: 'motifs', run: this._run, options });
  }

  /** Cancels the running motif run (the worker stops after its current chunk, within about 0.1 s). */
  cancelMotifs(): void {
    if (this._motifs.phase !== 'running') return;
    this._send({ type: 'cancel', run: this._run });
    // Shown as cancelled at once; the worker's confirmation is only bookkeeping.
    this._setMotifs({ phase: 'cancelled', done: this._motifs.done, total: this._motifs.total });
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Stops the worker. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._worker.terminate();
    Signal.clearData(this);
  }

  /** A new network: any motif run is of the old one. */
  private _startOver(path: string): void {
    this.cancelMotifs();
    this._path = path;
    this._motifs = { phase: 'idle' };
    this._setNetwork({ phase: 'loading' });
  }

  private _send(request: InspectorRequest, transfer: Transferable[] = []): void {
    if (!this._disposed) this._worker.postMessage(request, transfer);
  }

  private _onResponse(response: InspectorResponse): void {
    switch (response.type) {
      case 'need-shards':
        void this._sendShards(response.paths);
        return;
      case 'opened':
        this._setNetwork({ phase: 'ready', report: response.report });
        return;
      case 'open-failed':
        this._setNetwork({ phase: 'error', message: response.message });
        return;
      case 'progress':
        if (response.run === this._run && this._motifs.phase === 'running') {
          this._setMotifs({ phase: 'running', done: response.done, total: response.total });
        }
        return;
      case 'motifs-done':
        if (response.run === this._run && this._motifs.phase === 'running' && this._runOptions !== null) {
          this._setMotifs({
            phase: 'done',
            options: this._runOptions,
            result: response.result,
            figure: response.figure
          });
        }
        return;
      case 'motifs-cancelled':
        return;
      case 'motifs-failed':
        if (response.run === this._run) this._setMotifs({ phase: 'failed', message: response.message });
        return;
    }
  }

  private async _sendShards(paths: readonly string[]): Promise<void> {
    try {
      const shards = new Map<string, Uint8Array>();
      for (const p of paths) {
        const serverPath = shardServerPath(this._path, p);
        try {
          shards.set(p, await this.readFile(serverPath));
        } catch (error) {
          throw new Error(`${this._path}: cannot read weight shard "${p}" (${errorText(error)})`);
        }
      }
      this._send({ type: 'shards', shards });
    } catch (error) {
      this._send({ type: 'shards-failed', message: errorText(error) });
    }
  }

  private _fail(message: string): void {
    if (this._network.phase !== 'ready') this._setNetwork({ phase: 'error', message });
    else this._setMotifs({ phase: 'failed', message });
  }

  private _setNetwork(state: InspectorNetworkState): void {
    this._network = state;
    this._changed.emit();
  }

  private _setMotifs(state: MotifRunState): void {
    this._motifs = state;
    this._changed.emit();
  }

  private readonly _worker: Worker;
  private readonly _changed = new Signal<this, void>(this);
  private _network: InspectorNetworkState = { phase: 'loading' };
  private _motifs: MotifRunState = { phase: 'idle' };
  private _path = '';
  private _run = 0;
  private _runOptions: MotifRunOptions | null = null;
  private _disposed = false;
}
