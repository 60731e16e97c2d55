/**
 * Sends MIME bundles from a tslab notebook to JupyterLab (figures, network views), with display ids so a
 * figure can be updated in place (live training curves).
 */
import { randomBytes } from 'node:crypto';
import { FIGURE_MIME, FigureSpec } from '../figures/spec';

/** A MIME bundle: MIME type → JSON-serialisable payload. Always include `text/plain`. */
export type MimeBundle = Record<string, unknown>;

interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
type WriteDisplayData = (msg: DisplayMessage, update: boolean) => void;

/**
 * The running tslab kernel's `display_data` writer. It lives in tslab's `dist/jupyter.js` module, which
 * must be the instance the kernel itself loaded (a second copy of tslab has none), so it is looked up among
 * the modules already loaded rather than required.
 */
function tslabWriter(): WriteDisplayData | undefined {
  for (const mod of Object.values(require.cache)) {
    const exp = mod?.exports as { lastWriteDisplayData?: unknown } | undefined;
    if (exp && typeof exp.lastWriteDisplayData === 'function') {
      return exp.lastWriteDisplayData as WriteDisplayData;
    }
  }
  return undefined;
}

/**
 * Whether a tslab kernel is running us (its display writer is loaded): there bundles are shown and can be
 * updated in place; in plain Node they only print their text.
 *
 * @example
 * ```ts
 * inNotebook(); // false in a plain Node script
 * ```
 */
export function inNotebook(): boolean {
  return tslabWriter() !== undefined;
}

/** A displayed output that can be replaced in place. */
export interface DisplayHandle {
  /** The Jupyter display id. */
  readonly id: string;
  /** Replaces the displayed bundle (same display id). */
  update(bundle: MimeBundle): void;
}

/**
 * Displays a MIME bundle in the current notebook cell. Outside a tslab kernel (plain Node, the CLI, tests)
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
    const write = tslabWriter();
    if (write === undefined) {
      console.log(b['text/plain']);
      return;
    }
    write({ data: b, metadata: {}, transient: { display_id: id } }, update);
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
