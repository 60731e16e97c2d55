/**
 * Sends MIME bundles from a notebook kernel to the frontend (figures, network views, progress), with display
 * ids so an output can be updated in place (live training curves, progress bars). Kernel-neutral: one
 * adapter per kernel, found at display time —
 * - tslab: registered by the kernel launcher the set-up installs (`lib/kernel/tslab-kernel.js`), the one place
 *   that knows how tslab writes display messages;
 * - Deno (`deno jupyter`): its public `Deno.jupyter.broadcast`;
 * - anything else (plain Node, the CLI, tests): no adapter, bundles print their `text/plain`.
 */
import { randomBytes } from 'node:crypto';
import { FIGURE_MIME, FigureSpec } from '../figures/spec';
import { DenoIopubBarrier, kernelIopub } from './deno-iopub';

/** A MIME bundle: MIME type → JSON-serialisable payload. Always include `text/plain`. */
export type MimeBundle = Record<string, unknown>;

/** The content of a Jupyter `display_data` / `update_display_data` message. */
export interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}

/** How one kernel sends display messages. */
export interface DisplayAdapter {
  /** The kernel's name, e.g. `tslab` or `deno`. */
  readonly kernel: string;
  /** Sends `display_data`, or `update_display_data` when `update` is true. */
  send(message: DisplayMessage, update: boolean): void;
}

/** Where a kernel launcher registers its adapter (a global, so every copy of nnmotifs in the kernel sees it). */
const ADAPTER_KEY = Symbol.for('nnmotifs.display-adapter');

/**
 * Registers the display adapter of the running kernel (`undefined` removes it). Called by kernel launchers;
 * notebooks do not need it.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.registerDisplayAdapter({ kernel: 'mine', send: (message, update) => console.log(update, message.data) });
 * ```
 */
export function registerDisplayAdapter(adapter: DisplayAdapter | undefined): void {
  (globalThis as Record<symbol, unknown>)[ADAPTER_KEY] = adapter;
}

interface DenoJupyter {
  broadcast(msgType: string, content: Record<string, unknown>): Promise<void> | undefined;
}

/** One per process: Deno's `broadcast` and the IOPub watch displays go through (started when nnmotifs loads). */
let denoSender: { jupyter: DenoJupyter; barrier: DenoIopubBarrier | undefined } | undefined;

/**
 * Deno's kernel, through its public API (reading `Deno.jupyter` outside a kernel throws). `broadcast` only
 * queues the message (Deno 2.9 returns nothing to await), so each display is sent through
 * {@link DenoIopubBarrier}, which returns once the kernel has published it: a display that ends a cell is
 * then on IOPub before the cell's `idle` (docs/notebooks-anywhere.md, "Limits").
 */
function denoAdapter(): DisplayAdapter | undefined {
  const deno = (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno;
  if (deno === undefined) return undefined;
  let jupyter: DenoJupyter | undefined;
  try {
    jupyter = deno.jupyter;
  } catch {
    return undefined;
  }
  if (typeof jupyter?.broadcast !== 'function') return undefined;
  if (denoSender?.jupyter !== jupyter) denoSender = { jupyter, barrier: undefined };
  const sender = denoSender;
  sender.barrier ??= new DenoIopubBarrier((msgType, content) => {
    // Documented as returning a Promise; Deno 2.9 returns nothing.
    Promise.resolve(sender.jupyter.broadcast(msgType, content)).catch((err: unknown) =>
      console.error(`nnmotifs: display failed: ${String(err)}`)
    );
  }, kernelIopub());
  const barrier = sender.barrier;
  return {
    kernel: 'deno',
    send: (message, update) => {
      barrier.publish(update ? 'update_display_data' : 'display_data', { ...message });
    }
  };
}

// In Deno's kernel, start watching IOPub when nnmotifs loads, so that the first display finds the watch ready.
if ((globalThis as { Deno?: unknown }).Deno !== undefined) denoAdapter();

function currentAdapter(): DisplayAdapter | undefined {
  const registered = (globalThis as Record<symbol, unknown>)[ADAPTER_KEY] as DisplayAdapter | undefined;
  return registered ?? denoAdapter();
}

/**
 * The notebook kernel whose display adapter is in use (`tslab`, `deno`), or `undefined` outside a kernel.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.displayKernel(); // 'tslab' in the set-up's notebooks, undefined in a plain Node script
 * ```
 */
export function displayKernel(): string | undefined {
  return currentAdapter()?.kernel;
}

/**
 * In Deno's kernel, whether each display is seen on the kernel's IOPub channel before the call returns (so a
 * display that ends a cell cannot arrive after the cell is idle); `undefined` before the first display and
 * outside Deno. See docs/notebooks-anywhere.md, "Limits".
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.show.figure(nm.figures.nodeStrengthFigure([new Float64Array([1, 2])]));
 * nm.denoDisplaysWatched(); // true in `deno jupyter` on Linux, undefined in a plain Node script
 * ```
 */
export function denoDisplaysWatched(): boolean | undefined {
  return denoSender?.barrier?.watching;
}

/**
 * Whether a notebook kernel with a display adapter runs us: there bundles are shown and can be updated in
 * place; in plain Node they only print their text.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * nm.inNotebook(); // false in a plain Node script
 * ```
 */
export function inNotebook(): boolean {
  return currentAdapter() !== undefined;
}

/** A displayed output that can be replaced in place. */
export interface DisplayHandle {
  /** The Jupyter display id. */
  readonly id: string;
  /** Replaces the displayed bundle (same display id). */
  update(bundle: MimeBundle): void;
}

/**
 * Displays a MIME bundle in the current notebook cell. Outside a notebook kernel (plain Node, the CLI, tests)
 * it prints the bundle's `text/plain` to stdout instead.
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const h = nm.displayBundle({ 'text/plain': 'step 1' });
 * h.update({ 'text/plain': 'step 2' });
 * ```
 */
export function displayBundle(bundle: MimeBundle, displayId?: string): DisplayHandle {
  const id = displayId ?? randomBytes(8).toString('hex');
  const send = (b: MimeBundle, update: boolean): void => {
    if (typeof b['text/plain'] !== 'string') {
      throw new TypeError(
        'displayBundle: every bundle needs a text/plain string for frontends without the extension'
      );
    }
    const adapter = currentAdapter();
    if (adapter === undefined) {
      console.log(b['text/plain']);
      return;
    }
    adapter.send({ data: b, metadata: {}, transient: { display_id: id } }, update);
  };
  send(bundle, false);
  return { id, update: b => send(b, true) };
}

/** Plain-text rendering of a figure for frontends without the extension. */
export function figureText(spec: FigureSpec): string {
  const traces = spec.data.map(t => `  - ${String(t.name ?? t.type ?? 'trace')}`);
  return [`[nnmotifs figure] ${spec.meta.title} (${spec.meta.kind})`, ...traces].join('\n');
}

/** The MIME bundle of a figure. */
export function figureBundle(spec: FigureSpec): MimeBundle {
  return { [FIGURE_MIME]: spec, 'text/plain': figureText(spec) };
}

/** A displayed figure that can be replaced in place. */
export interface FigureHandle {
  readonly id: string;
  /** The figure on display (the latest update), e.g. for `nm.save(handle, 'figures/x.pdf')`. */
  readonly spec: FigureSpec;
  update(spec: FigureSpec): void;
}

/**
 * Displays a figure spec as an `application/vnd.nnmotifs.figure+json` bundle (drawn by the nnmotifs
 * JupyterLab extension with plotly.js).
 *
 * @example
 * ```ts
 * import * as nm from 'nnmotifs';
 * const fig = nm.showFigure(nm.figures.nodeStrengthFigure([new Float64Array([1, 2])]));
 * fig.update(nm.figures.nodeStrengthFigure([new Float64Array([1, 3])])); // redraws the same output
 * ```
 */
export function showFigure(spec: FigureSpec): FigureHandle {
  const handle = displayBundle(figureBundle(spec));
  let current = spec;
  return {
    id: handle.id,
    get spec(): FigureSpec {
      return current;
    },
    update: s => {
      handle.update(figureBundle(s));
      current = s;
    }
  };
}
