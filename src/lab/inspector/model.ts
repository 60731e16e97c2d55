/**
 * State of one Network Inspector: the network's report and the motif run, kept by talking to the
 * Inspector's Web Worker. Views listen to `changed` and draw the state; nothing here touches the DOM.
 */
import { ISignal, Signal } from '@lumino/signaling';
import type { NetworkViewSpec } from '../../figures/network-spec';
import type { FigureSpec } from '../../figures/spec';
import type { MotifSignificance } from '../../core/significance';
import type { InspectorReport, MotifRunOptions } from './analysis';
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

/**
 * Reads a file that the network file `model` (a server path) names, `path` relative to its folder (the
 * weight shards of a TF.js model). Must refuse a file whose real path is outside the model's folder, that
 * is not a regular file, or that is larger than `maxBytes`, *before* fetching its content: the lab's
 * reader asks the nnmotifs server extension, which resolves symlinks (`server-files.ts`).
 */
export type ServerFileReader = (model: string, path: string, maxBytes: number) => Promise<Uint8Array>;

/**
 * Longest a network may take to read before the Inspector stops its worker and shows an error (the
 * guarded reader refuses hostile files in well under a second; this catches anything it misses).
 */
export const INSPECTOR_OPEN_TIMEOUT_MS = 60_000;

/** Creates the Inspector's worker; tests and the benchmark may hand in another. */
export type InspectorWorkerFactory = () => Worker;

/** The bundled worker: the builder (Rspack, like webpack 5) turns this `new Worker(new URL(…))` into a worker chunk of the extension. */
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
    private readonly createWorker: InspectorWorkerFactory = createInspectorWorker
  ) {}

  /** The worker, started when first needed (again after a failed read stopped the previous one). */
  private _ensureWorker(): Worker {
    if (this._worker !== null) return this._worker;
    const worker = this.createWorker();
    worker.onmessage = (event: MessageEvent<InspectorResponse>) => {
      if (worker === this._worker) this._onResponse(event.data);
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      if (worker !== this._worker) return;
      this._stopWorker();
      this._fail(`the Inspector's worker stopped: ${event.message || 'it could not be loaded'}`);
    };
    this._worker = worker;
    return worker;
  }

  /** Terminates the worker (its memory goes with it); the next network starts a fresh one. */
  private _stopWorker(): void {
    this._clearOpenTimer();
    if (this._worker !== null) this._worker.terminate();
    this._worker = null;
  }

  private _clearOpenTimer(): void {
    if (this._openTimer !== null) clearTimeout(this._openTimer);
    this._openTimer = null;
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
  openFile(path: string, bytes: Uint8Array, maxMemory?: number): void {
    this._startOver(path);
    this._send({ type: 'open-file', name: path, bytes, ...(maxMemory === undefined ? {} : { maxMemory }) }, [
      bytes.buffer as ArrayBuffer
    ]);
    this._watchOpen();
  }

  /** Reads the network a network-view output shows. */
  openView(name: string, spec: NetworkViewSpec): void {
    this._startOver(name);
    this._send({ type: 'open-view', name, spec });
    this._watchOpen();
  }

  /** Stops a worker that takes longer than {@link INSPECTOR_OPEN_TIMEOUT_MS} to read the network. */
  private _watchOpen(): void {
    this._clearOpenTimer();
    this._openTimer = setTimeout(() => {
      this._openTimer = null;
      if (this._network.phase !== 'loading') return;
      this._stopWorker();
      this._setNetwork({
        phase: 'error',
        message:
          `${this._path}: reading the network took longer than ${INSPECTOR_OPEN_TIMEOUT_MS / 1000} s; ` +
          "the Inspector's worker was stopped"
      });
    }, INSPECTOR_OPEN_TIMEOUT_MS);
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
    this._stopWorker();
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
    if (!this._disposed) this._ensureWorker().postMessage(request, transfer);
  }

  private _onResponse(response: InspectorResponse): void {
    switch (response.type) {
      case 'need-file':
        void this._sendFile(response.request, response.path, response.maxBytes);
        return;
      case 'opened':
        this._clearOpenTimer();
        this._setNetwork({ phase: 'ready', report: response.report });
        return;
      case 'open-failed':
        // A refused file may have left the worker's heap large: stop it; the next network starts afresh.
        this._stopWorker();
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

  private async _sendFile(request: number, path: string, maxBytes: number): Promise<void> {
    const worker = this._worker;
    try {
      const bytes = await this.readFile(this._path, path, maxBytes);
      if (worker !== this._worker) return; // the read was given up meanwhile
      this._send({ type: 'file', request, bytes }, [bytes.buffer as ArrayBuffer]);
    } catch (error) {
      if (worker !== this._worker) return;
      this._send({ type: 'file-failed', request, message: errorText(error) });
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

  private _worker: Worker | null = null;
  private _openTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly _changed = new Signal<this, void>(this);
  private _network: InspectorNetworkState = { phase: 'loading' };
  private _motifs: MotifRunState = { phase: 'idle' };
  private _path = '';
  private _run = 0;
  private _runOptions: MotifRunOptions | null = null;
  private _disposed = false;
}
