/**
 * The life cycle the nnmotifs output renderers share (the plotly figure view and the sigma network view):
 * the error node, the environment and resize connections, a `renderModel` that shows errors instead of
 * throwing, the `spec` on display, the scheduling of the static PNG written back into the output, and a
 * dispose that lets go of all of them and of the export registration.
 * What a view draws, and how, stays in the view.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';
import { hasStaticImage } from '../staticImage';
import { IExportRegistry, IFigureEnvironment } from '../tokens';

/** Quiet time after the last update before the static image is drawn (live training updates often). */
const STATIC_IMAGE_DELAY_MS = 800;

/** The message of a caught error, or the thrown value as text. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * An output renderer for one nnmotifs MIME type, showing a validated `Spec`. Subclasses implement
 * {@link MimeView.render}, {@link MimeView.showError}, {@link MimeView.onEnvironmentChanged} and
 * {@link MimeView.writeStaticImage}, append {@link MimeView.messageNode} where their error text belongs,
 * and release their own resources in {@link MimeView.onDispose}.
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
    this.cancelStaticImage();
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

  /** Draws the static PNG of `spec` and stores it in `model` if its payload still has `digest`. */
  protected abstract writeStaticImage(
    model: IRenderMime.IMimeModel,
    spec: Spec,
    digest: string
  ): Promise<void>;

  /** Whether `spec` gets a static PNG at all (the base: always). */
  protected wantsStaticImage(_spec: Spec): boolean {
    return true;
  }

  /**
   * Writes the static PNG once the updates settle (see staticImage.ts), unless the output already has it,
   * the setting is off, or the output is untrusted.
   */
  protected scheduleStaticImage(): void {
    this.cancelStaticImage();
    const model = this.currentModel;
    const spec = this.currentSpec;
    const digest = this.currentDigest;
    // Untrusted outputs are left as they are: opening someone's notebook must not modify it.
    if (model === null || spec === null || !model.trusted || !this.environment.settings.staticImage) return;
    if (!this.wantsStaticImage(spec) || hasStaticImage(model, digest, this.mimeType)) return;
    this._imageTimer = window.setTimeout(() => {
      void this.writeStaticImage(model, spec, digest);
    }, STATIC_IMAGE_DELAY_MS);
  }

  /** Drops a static image scheduled and not yet begun. */
  protected cancelStaticImage(): void {
    window.clearTimeout(this._imageTimer);
  }

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
  /** The model last rendered. */
  protected currentModel: IRenderMime.IMimeModel | null = null;
  /** The digest of the payload on display (`payloadDigest`), or `''`. */
  protected currentDigest = '';

  private _environmentChanged(_: IFigureEnvironment, what: 'theme' | 'settings'): void {
    this.onEnvironmentChanged(what);
  }

  private _resizeObserver: ResizeObserver | null = null;
  private _imageTimer = 0;
}
