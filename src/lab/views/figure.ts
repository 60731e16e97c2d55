/**
 * The output renderer of `application/vnd.nnmotifs.figure+json`: a plotly.js chart that follows the cell
 * width and the JupyterLab theme, updates in place, and writes a static PNG back into its output. A figure
 * with more points than the screen preview allows is drawn thinned, with a note, and gets no static PNG;
 * exports draw every point.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';
import type { Config, Data, Layout } from 'plotly.js';
import { FigureSpec, JsonObject } from '../../figures/spec';
import { figureExportTarget } from '../export/targets';
import { loadPlotly, Plotly } from '../plotly';
import { payloadDigest, pngFromDataUrl, withStaticImage } from '../staticImage';
import { PRINT_THEME, staticImageSize, themedLayout } from '../theming';
import { IExportRegistry, IFigureEnvironment } from '../tokens';
import { errorText, MimeView } from './base';

/** plotly options that matter for untrusted payloads, shared by the screen chart and the static image. */
const SAFE_CONFIG = {
  // Strings between `$…$` would go to a global MathJax if one exists; payload text stays text.
  typesetMath: false,
  displaylogo: false
} satisfies Partial<Config>;

/**
 * Lets JupyterLab handle input between the steps of drawing a large payload (validation, digest, drawing
 * each walk every value: one task for all of them froze the tab for seconds with a million points).
 */
function nextTask(): Promise<void> {
  return new Promise(resolve => window.setTimeout(resolve, 0));
}

/**
 * Draws one figure output. Safe for untrusted outputs: the payload is validated and its strings sanitized
 * (see `payload.ts`) before plotly sees it, and errors are shown as text in the output, never thrown.
 */
export class FigureRenderer extends MimeView<FigureSpec> {
  /**
   * @param options - the renderer options from the rendermime registry.
   * @param environment - the shared theme and settings.
   * @param exports - where the figure registers for export.
   */
  constructor(
    options: IRenderMime.IRendererOptions,
    environment: IFigureEnvironment,
    exports: IExportRegistry
  ) {
    super(options, environment, exports, 'jp-nnmotifs-Figure');
    this._plotNode.className = 'jp-nnmotifs-Figure-plot';
    this._noteNode.className = 'jp-nnmotifs-Figure-note';
    this._noteNode.hidden = true;
    this.node.append(this._noteNode, this._plotNode, this.messageNode);
    this.observeResize(this.node, () => this._scheduleResize());
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // plotly measures the node: a figure rendered before it was attached is drawn now.
    if (this.currentSpec !== null) void this._requestDraw();
  }

  protected onResize(msg: Widget.ResizeMessage): void {
    super.onResize(msg);
    this._scheduleResize();
  }

  protected onDispose(): void {
    cancelAnimationFrame(this._resizeFrame);
    this._plotly?.purge(this._plotNode);
  }

  protected async render(model: IRenderMime.IMimeModel): Promise<void> {
    this.currentModel = model;
    const payload = model.data[this.mimeType];
    // The very same object again (models that do not copy their data): nothing to redraw.
    if (payload === this._payload) return this._drawing ?? undefined;
    this._payload = payload;
    // zod and the checks load with the first figure, like plotly, to keep JupyterLab's start-up light.
    const [{ validateFigurePayload }, { screenPreview }] = await Promise.all([
      import('../payload'),
      import('../screen-preview')
    ]);
    const superseded = (): boolean => payload !== this._payload || this.isDisposed;
    await nextTask();
    if (superseded()) return; // superseded while loading
    // Outputs of untrusted notebooks may not make the browser fetch anything (images by URL, map tiles).
    const result = validateFigurePayload(payload, undefined, { trusted: model.trusted });
    if (!result.ok) {
      this.currentDigest = '';
      this.showError(result.error);
      return;
    }
    await nextTask();
    if (superseded()) return;
    // Equal content in a new object (our own static-image write, the output re-created): keep the chart.
    const digest = payloadDigest(payload);
    if (digest === this.currentDigest && this.currentSpec !== null) return this._drawing ?? undefined;
    await nextTask();
    if (superseded()) return;
    this.currentDigest = digest;
    this.currentSpec = result.spec;
    // Heavy point clouds are thinned on screen (and in the static PNG) so drawing them cannot freeze the tab.
    const preview = screenPreview(result.spec);
    this._screenSpec = preview.spec;
    const notes: string[] = [];
    if (preview.stride > 1) {
      notes.push(
        this.trans.__(
          'On screen: 1 point in %1 (%2 of %3 points); exports draw all of them.',
          preview.stride,
          preview.shown.toLocaleString(),
          preview.total.toLocaleString()
        )
      );
    }
    // Bars are SVG paths, costlier than points: beyond a few thousand the tallest of each group is drawn.
    if (preview.bars.stride > 1) {
      notes.push(
        this.trans.__(
          'On screen: the tallest bar of every %1 (%2 of %3 bars); exports draw all of them.',
          preview.bars.stride,
          preview.bars.shown.toLocaleString(),
          preview.bars.total.toLocaleString()
        )
      );
    }
    this._noteNode.textContent = notes.join(' ');
    this._noteNode.hidden = notes.length === 0;
    this.node.setAttribute('aria-label', result.spec.meta.title);
    // Export draws the validated spec with the publication preset, not the chart on screen.
    this.exports.register(this.node, figureExportTarget(result.spec));
    await this._requestDraw();
    this.scheduleStaticImage();
  }

  /** Draws the current spec; calls during a draw coalesce into one more draw of the latest spec. */
  private _requestDraw(): Promise<void> {
    this._drawAgain = true;
    if (this._drawing === null) {
      this._drawing = (async () => {
        while (this._drawAgain) {
          this._drawAgain = false;
          await this._drawOnce();
        }
      })().finally(() => {
        this._drawing = null;
      });
    }
    return this._drawing;
  }

  private async _drawOnce(): Promise<void> {
    const spec = this._screenSpec;
    if (spec === null || this.currentSpec === null || this.isDisposed || !this.isAttached) return;
    try {
      const plotly = await loadPlotly();
      // The first figure evaluates plotly's bundle (several MB) in the task that loaded it: drawing is a
      // task of its own, or the two together held the main thread ~5 s under load even for 10 bars.
      await nextTask();
      if (this.isDisposed || spec !== this._screenSpec) return;
      this._plotly = plotly;
      const layout = themedLayout(spec.layout, this.environment.theme, 'screen');
      const config: Partial<Config> = {
        ...SAFE_CONFIG,
        responsive: false, // the ResizeObserver below follows the output width, window or not
        toImageButtonOptions: { filename: spec.meta.exportName, format: 'svg' }
      };
      this.messageNode.hidden = true;
      this._plotNode.hidden = false;
      await plotly.react(this._plotNode, spec.data as unknown as Data[], layout as Partial<Layout>, config);
      this._drawn = true;
    } catch (error) {
      this.showError(this.trans.__('plotly could not draw it (%1)', errorText(error)));
    }
  }

  protected showError(reason: string): void {
    this.currentSpec = null;
    this._screenSpec = null;
    this._noteNode.hidden = true;
    this._drawn = false;
    this.node.removeAttribute('aria-label');
    this.exports.unregister(this.node);
    this._plotly?.purge(this._plotNode);
    this._plotNode.hidden = true;
    // Text only: the reason may quote payload content.
    this.messageNode.textContent = this.trans.__('This nnmotifs figure cannot be shown: %1', reason);
    this.messageNode.hidden = false;
  }

  private _scheduleResize(): void {
    if (this._resizeFrame !== 0) return;
    this._resizeFrame = requestAnimationFrame(() => {
      this._resizeFrame = 0;
      if (!this._drawn || this._plotly === null || !this.isVisible) return;
      if (this._plotNode.clientWidth === 0) return;
      void this._plotly.Plots.resize(this._plotNode);
    });
  }

  protected onEnvironmentChanged(what: 'theme' | 'settings'): void {
    if (what === 'theme') void this._requestDraw();
    else this.scheduleStaticImage();
  }

  protected wantsStaticImage(spec: FigureSpec): boolean {
    // A figure thinned on screen gets no static PNG: writing it reads, copies, validates and digests the
    // whole payload again (the output is set anew), seconds of main thread for a million points.
    return this._screenSpec === spec;
  }

  protected async writeStaticImage(
    model: IRenderMime.IMimeModel,
    spec: FigureSpec,
    digest: string
  ): Promise<void> {
    try {
      const plotly: Plotly = this._plotly ?? (await loadPlotly());
      const size = staticImageSize(spec.layout);
      const layout: JsonObject = themedLayout(spec.layout, PRINT_THEME, 'image');
      const url = await plotly.toImage(
        { data: spec.data as unknown as Data[], layout: layout as Partial<Layout>, config: SAFE_CONFIG },
        { format: 'png', width: size.width, height: size.height, scale: 2 }
      );
      // A newer update arrived while drawing: its own write follows. (Output models hand out a fresh copy
      // of their data on every read, so payloads are compared by digest, not by identity.)
      if (this.isDisposed || digest !== this.currentDigest) return;
      await nextTask();
      if (this.isDisposed || payloadDigest(model.data[this.mimeType]) !== digest) return;
      await nextTask();
      const png = pngFromDataUrl(url);
      const next = png === null ? null : withStaticImage(model, png, digest, size);
      if (next !== null) model.setData(next as IRenderMime.IMimeModel.ISetDataOptions);
    } catch (error) {
      // The chart on screen is fine; only the saved fallback is missing.
      console.warn('nnmotifs: could not write the static image of a figure:', errorText(error));
    }
  }

  private readonly _plotNode = document.createElement('div');
  private readonly _noteNode = document.createElement('div');
  private _payload: unknown = undefined;
  /** What is drawn on screen: {@link MimeView.currentSpec}, or its thinned preview. */
  private _screenSpec: FigureSpec | null = null;
  private _plotly: Plotly | null = null;
  private _drawn = false;
  private _drawing: Promise<void> | null = null;
  private _drawAgain = false;
  private _resizeFrame = 0;
}
