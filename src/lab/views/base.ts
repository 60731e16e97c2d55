/**
 * The life cycle the nnmotifs output renderers share (the plotly figure view and the sigma network view):
 * the error node, the environment and resize connections, a `renderModel` that shows errors instead of
 * throwing, the `spec` on display, and a dispose that lets go of all of them and of the export registration.
 * What a view draws, and how, stays in the view.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { IExportRegistry, IFigureEnvironment } from '../tokens';

/** The message of a caught error, or the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An output renderer for one nnmotifs MIME type, showing a validated `Spec`. Subclasses implement
 * {@link MimeView.render}, {@link MimeView.showError} and {@link MimeView.onEnvironmentChanged}, append
 * {@link MimeView.messageNode} where their error text belongs, and release their own resources in
 * {@link MimeView.onDispose}.
 */
export abstract class MimeView<Spec> extends Widget implements IRenderMime.IRenderer {
  /**
   * @param options - the renderer options from the rendermime registry.
   * @param environment - the shared theme and settings.
   * @param exports - where the view registers for export.
   * @param className - the CSS class of the view's root node.
   */
  constructor(
    options: IRenderMime.IRendererOptions,
    environment: IFigureEnvironment,
    exports: IExportRegistry,
    className: string
  ) {
    super();
    this.mimeType = options.mimeType;
    this.environment = environment;
    this.exports = exports;
    this.trans = ((options.translator as ITranslator | undefined) ?? nullTranslator).load('nnmotifs');
    this.addClass(className);
    this.messageNode.className = 'jp-nnmotifs-Figure-error';
    this.messageNode.setAttribute('role', 'alert');
    this.messageNode.hidden = true;
    environment.changed.connect(this._environmentChanged, this);
  }

  /**
   * Renders (or re-renders in place) the payload in `model`. Resolves when it is drawn or an error is
   * shown; never rejects.
   */
  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    try {
      await this.render(model);
    } catch (error) {
      this.showError(errorText(error));
    }
  }

  /** The validated payload on display, or `null` while none is (nothing rendered yet, or an error). */
  get spec(): Spec | null {
    return this.currentSpec;
  }

  dispose(): void {
    if (this.isDisposed) return;
    this._resizeObserver?.disconnect();
    this.environment.changed.disconnect(this._environmentChanged, this);
    this.onDispose();
    this.exports.unregister(this.node);
    super.dispose();
  }

  /** Validates and draws the payload of `model`; may throw (the error is then shown). */
  protected abstract render(model: IRenderMime.IMimeModel): Promise<void>;

  /** Clears the drawing and shows `reason` (which may quote the payload: text only) in the message node. */
  protected abstract showError(reason: string): void;

  /** Follows a change of the JupyterLab theme or of the nnmotifs settings. */
  protected abstract onEnvironmentChanged(what: 'theme' | 'settings'): void;

  /** Releases what the view holds beyond the base (timers, drawing libraries); called once, by dispose. */
  protected abstract onDispose(): void;

  /** Calls `callback` whenever `target` changes size, until the view is disposed (one target per view). */
  protected observeResize(target: Element, callback: () => void): void {
    this._resizeObserver = new ResizeObserver(callback);
    this._resizeObserver.observe(target);
  }

  /** The MIME type this renderer was created for. */
  protected readonly mimeType: string;
  /** The shared theme and settings. */
  protected readonly environment: IFigureEnvironment;
  /** Where the view registers for export. */
  protected readonly exports: IExportRegistry;
  /** The `nnmotifs` translation bundle. */
  protected readonly trans: TranslationBundle;
  /** The error text (`role="alert"`), hidden while the view draws; the subclass places it. */
  protected readonly messageNode = document.createElement('div');
  /** What {@link MimeView.spec} returns. */
  protected currentSpec: Spec | null = null;

  private _environmentChanged(_: IFigureEnvironment, what: 'theme' | 'settings'): void {
    this.onEnvironmentChanged(what);
  }

  private _resizeObserver: ResizeObserver | null = null;
}
