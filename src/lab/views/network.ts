/**
 * The output renderer of `application/vnd.nnmotifs.network+json`: the network drawn with sigma.js (WebGL)
 * on a graphology graph, in a layered layout or a ForceAtlas2 layout computed in a Web Worker, with motif
 * instances highlighted on demand. Where WebGL is missing it shows the SVG drawing of `networkSvg` instead.
 */
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { Message } from '@lumino/messaging';
import type Graph from 'graphology';
import type FA2LayoutSupervisor from 'graphology-layout-forceatlas2/worker';
import type Sigma from 'sigma';
import type { MotifName } from '../../core/census';
import { layeredLayout, type NodePositions } from '../../render/network-layout';
import type { NetworkViewSpec } from '../../figures/network-spec';
import {
  EDGE_COLOURS,
  edgeSize,
  highlightedEdges,
  networkSvg,
  nodeSize,
  strengthColour
} from '../../render/network-svg';
import { rasterizeSvg } from '../../render/raster';
import { payloadDigest, withStaticImage } from '../staticImage';
import { PRINT_THEME } from '../theming';
import { IExportRegistry, IFigureEnvironment, INetworkInspector } from '../tokens';
import { errorText, MimeView } from './base';

/** The layouts the user can switch between. */
export type NetworkLayoutName = 'layered' | 'forceatlas2';

/** How long ForceAtlas2 runs in its worker after the user picks it, before the layout is frozen. */
const FORCE_ATLAS2_DURATION_MS = 4000;

/**
 * From this many edges on, edges are drawn as 1-pixel lines (sigma's line program, no width encoding) and
 * hidden while the user drags or zooms: software WebGL (no GPU) draws 50 k anti-aliased quads per frame
 * far below interactive rates.
 */
const LARGE_VIEW_EDGES = 20_000;

/** Size of the static image written back into the output, in CSS pixels (the PNG has twice as many). */
const STATIC_IMAGE_SIZE = Object.freeze({ width: 720, height: 480 });

/**
 * What the browser tests and the benchmark read from a drawn view: the root node carries it as
 * `nnmotifsNetworkView` (plain data and functions, no access to the payload's strings as markup).
 */
export interface NetworkViewProbe {
  /** Current node positions in graph coordinates (y up). */
  positions(): NodePositions;
  /** Where node `k` is drawn, in CSS pixels from the top-left of the drawing, or `null` if not drawn. */
  viewportPosition(k: number): { x: number; y: number } | null;
  /** Moves the camera by a fraction of the view (for the panning benchmark). */
  panBy(dx: number, dy: number): void;
}

/** Whether this browser can draw with WebGL (sigma.js needs it). */
function hasWebGL(): boolean {
  try {
    const canvas = document.createElement('canvas');
    return (canvas.getContext('webgl2') ?? canvas.getContext('webgl')) !== null;
  } catch {
    return false;
  }
}

let viewCount = 0;

/**
 * Draws one network-view output. Safe for untrusted outputs: the payload is validated (see
 * `network-payload.ts`), its strings only ever reach the page as text, and errors are shown in the output.
 */
export class NetworkRenderer extends MimeView<NetworkViewSpec> {
  /**
   * @param options - the renderer options from the rendermime registry.
   * @param environment - the shared theme and settings.
   * @param exports - where the view registers for export.
   * @param inspector - the Network Inspector, if installed ("Open in Inspector" button).
   */
  constructor(
    options: IRenderMime.IRendererOptions,
    environment: IFigureEnvironment,
    exports: IExportRegistry,
    inspector: INetworkInspector | null
  ) {
    super(options, environment, exports, 'jp-nnmotifs-Network');
    this._inspector = inspector;
    const id = `jp-nnmotifs-Network-${++viewCount}`;

    this._toolbar.className = 'jp-nnmotifs-Network-toolbar';
    this._layoutSelect.id = `${id}-layout`;
    this._motifSelect.id = `${id}-motif`;
    for (const [value, text] of [
      ['layered', this.trans.__('Layered')],
      ['forceatlas2', this.trans.__('ForceAtlas2 (force-directed)')]
    ]) {
      this._layoutSelect.append(new Option(text, value));
    }
    this._layoutSelect.addEventListener('change', () => {
      void this._setLayout(this._layoutSelect.value === 'forceatlas2' ? 'forceatlas2' : 'layered');
    });
    this._motifSelect.addEventListener('change', () => this._setHighlight(this._motifSelect.value));
    this._inspectButton.type = 'button';
    this._inspectButton.className = 'jp-mod-styled jp-nnmotifs-Network-inspect';
    this._inspectButton.textContent = this.trans.__('Open in Inspector');
    this._inspectButton.addEventListener('click', () => {
      if (this.currentSpec !== null && this._inspector !== null) this._inspector.openView(this.currentSpec);
    });
    this._status.className = 'jp-nnmotifs-Network-status';
    this._status.setAttribute('aria-live', 'polite');
    this._toolbar.append(
      this._label(this.trans.__('Layout'), this._layoutSelect),
      this._layoutSelect,
      this._label(this.trans.__('Highlight motif'), this._motifSelect),
      this._motifSelect,
      this._inspectButton,
      this._status
    );

    this._stage.className = 'jp-nnmotifs-Network-stage';
    this._tooltip.className = 'jp-nnmotifs-Network-tooltip';
    this._tooltip.setAttribute('role', 'tooltip');
    this._tooltip.hidden = true;
    this._stage.append(this._tooltip);
    this._toolbar.hidden = true;
    this._stage.hidden = true;
    this.node.append(this._toolbar, this._stage, this.messageNode);
    const probe: NetworkViewProbe = {
      positions: () => this._positions(),
      viewportPosition: k => this._viewportPosition(k),
      panBy: (dx, dy) => this._panBy(dx, dy)
    };
    Object.defineProperty(this.node, 'nnmotifsNetworkView', { value: probe });
    this.observeResize(this._stage, () => this._sigma?.refresh());
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    // sigma needs a container with a size: a view rendered before it was attached is drawn now.
    if (this.currentSpec !== null && this._sigma === null) void this._draw();
  }

  private _label(text: string, control: HTMLElement): HTMLLabelElement {
    const label = document.createElement('label');
    label.htmlFor = control.id;
    label.textContent = text;
    return label;
  }

  protected onDispose(): void {
    this._teardown();
  }

  protected async render(model: IRenderMime.IMimeModel): Promise<void> {
    this.currentModel = model;
    const payload = model.data[this.mimeType];
    if (payload === this._payload) return;
    this._payload = payload;
    const { validateNetworkPayload } = await import('../network-payload');
    if (payload !== this._payload || this.isDisposed) return;
    const result = validateNetworkPayload(payload);
    if (!result.ok) {
      this.currentDigest = '';
      this.showError(result.error);
      return;
    }
    // Equal content in a new object (our own static-image write, the output re-created): keep the view.
    const digest = payloadDigest(payload);
    if (digest === this.currentDigest && this.currentSpec !== null) return;
    this.currentDigest = digest;
    const spec = result.spec;
    this._teardown();
    this.currentSpec = spec;
    this._layoutName = spec.layout ?? 'layered';
    this._highlight = null;
    this.node.setAttribute('aria-label', spec.meta.title);
    this._layoutSelect.value = this._layoutName;
    this._motifSelect.replaceChildren(new Option(this.trans.__('none'), ''));
    for (const overlay of spec.overlays) this._motifSelect.append(new Option(overlay.label, overlay.motif));
    this._motifSelect.disabled = spec.overlays.length === 0;
    this._inspectButton.hidden = this._inspector === null;
    this.messageNode.hidden = true;
    this._toolbar.hidden = false;
    this._stage.hidden = false;
    // A view made for named motifs opens with the first highlighted (`spec.highlight`).
    this._motifSelect.value = spec.highlight ?? '';
    this._setHighlight(spec.highlight ?? '');
    this.exports.register(this.node, {
      exportName: spec.meta.exportName,
      drawing: () => ({
        kind: 'network',
        spec,
        positions: this._layoutName === 'layered' ? undefined : this._positions(true),
        highlight: this._highlight ?? undefined
      })
    });
    if (this.isAttached) await this._draw();
    this.scheduleStaticImage();
  }

  /** Writes a PNG of the layered drawing into the output for frontends without the extension. */
  protected async writeStaticImage(
    model: IRenderMime.IMimeModel,
    spec: NetworkViewSpec,
    digest: string
  ): Promise<void> {
    try {
      const { width, height } = STATIC_IMAGE_SIZE;
      const svg = networkSvg(spec, {
        widthPx: width,
        heightPx: height,
        fontFamily: PRINT_THEME.fontFamily,
        fontSize: (PRINT_THEME.fontSize * 72) / 96,
        background: PRINT_THEME.background,
        foreground: PRINT_THEME.foreground
      });
      // Twice the CSS size (sharp on HiDPI screens) as a palette PNG: a dense view stays a few hundred kB.
      const png = await rasterizeSvg({ svg, width: width * 2, height: height * 2, indexed: true });
      if (this.isDisposed || payloadDigest(model.data[this.mimeType]) !== digest) return;
      const next = withStaticImage(model, png, digest, STATIC_IMAGE_SIZE, this.mimeType);
      if (next !== null) model.setData(next as IRenderMime.IMimeModel.ISetDataOptions);
    } catch (error) {
      // The view on screen is fine; only the saved fallback is missing.
      console.warn('nnmotifs: could not write the static image of a network view:', errorText(error));
    }
  }

  /** Builds the graph and the sigma renderer (or the SVG fallback) for the current spec. */
  private async _draw(): Promise<void> {
    const spec = this.currentSpec;
    if (spec === null) return;
    if (!hasWebGL()) {
      this._drawFallback();
      return;
    }
    const [{ default: GraphClass }, { default: SigmaClass }, { EdgeLineProgram }] = await Promise.all([
      import('graphology'),
      import('sigma'),
      import('sigma/rendering')
    ]);
    if (spec !== this.currentSpec || this.isDisposed || this._sigma !== null) return;
    const graph = new GraphClass({ type: 'directed', multi: false, allowSelfLoops: false });
    const { x, y } = this._layeredPositions(spec);
    let maxS = 0;
    for (const s of spec.nodes.strength) maxS = Math.max(maxS, s);
    spec.nodes.layer.forEach((_, k) => {
      const t = maxS > 0 ? spec.nodes.strength[k] / maxS : 0;
      graph.addNode(String(k), { x: x[k], y: y[k], size: nodeSize(t, 2.5), color: strengthColour(t) });
    });
    const { source, target, weight } = spec.edges;
    let maxW = 0;
    for (const w of weight) maxW = Math.max(maxW, Math.abs(w));
    for (let e = 0; e < source.length; e++) {
      // A payload may repeat an edge or hold a loop (never made by networkView): the view skips them.
      if (source[e] === target[e] || graph.hasEdge(String(source[e]), String(target[e]))) continue;
      graph.addDirectedEdgeWithKey(String(e), String(source[e]), String(target[e]), {
        size: edgeSize(maxW > 0 ? Math.abs(weight[e]) / maxW : 0, 1.5),
        color: weight[e] < 0 ? EDGE_COLOURS.negative : EDGE_COLOURS.positive,
        weight: Math.abs(weight[e])
      });
    }
    this._graph = graph;
    this._sigma = new SigmaClass(graph, this._stage, {
      renderLabels: false,
      allowInvalidContainer: true,
      defaultEdgeType: 'line',
      ...(source.length >= LARGE_VIEW_EDGES
        ? { hideEdgesOnMove: true, edgeProgramClasses: { line: EdgeLineProgram } }
        : {}),
      zIndex: true,
      nodeReducer: (node, data) => {
        const lit = this._litNodes;
        return lit === null || lit.has(Number(node)) ? data : { ...data, color: this.environment.theme.grid };
      },
      edgeReducer: (edge, data) => {
        const lit = this._litEdges;
        if (lit === null) return data;
        return lit.has(Number(edge))
          ? { ...data, zIndex: 1 }
          : { ...data, color: this.environment.theme.grid, zIndex: 0 };
      }
    });
    this._sigma.on('enterNode', ({ node, event }) => this._showTooltip(Number(node), event.x, event.y));
    this._sigma.on('leaveNode', () => (this._tooltip.hidden = true));
    this._stage.dataset.renderer = 'webgl';
    if (this._layoutName === 'forceatlas2') await this._setLayout('forceatlas2');
    else this.node.dataset.layout = 'layered';
  }

  /** No WebGL: the SVG drawing as an image (an `<img>` never runs what an SVG might contain). */
  private _drawFallback(): void {
    const spec = this.currentSpec;
    if (spec === null) return;
    const theme = this.environment.theme;
    const svg = networkSvg(spec, {
      widthPx: Math.max(320, this._stage.clientWidth),
      heightPx: Math.max(240, this._stage.clientHeight),
      fontFamily: theme.fontFamily,
      fontSize: (theme.fontSize * 72) / 96,
      background: theme.background,
      foreground: theme.foreground,
      highlight: this._highlight ?? undefined
    });
    const img = document.createElement('img');
    img.className = 'jp-nnmotifs-Network-fallback';
    img.alt = spec.meta.title;
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
    this._stage.replaceChildren(img);
    this._stage.dataset.renderer = 'svg';
    this._layoutSelect.disabled = true;
    this._status.textContent = this.trans.__('WebGL is not available here: a static drawing is shown.');
  }

  /** Layered positions in graph coordinates: y up (sigma), columns spread to the stage's aspect. */
  private _layeredPositions(spec: NetworkViewSpec): NodePositions {
    const { x, y } = layeredLayout(spec);
    const aspect = Math.max(1, this._stage.clientWidth / Math.max(1, this._stage.clientHeight));
    return { x: x.map(v => v * aspect), y: y.map(v => 1 - v) };
  }

  private async _setLayout(layout: NetworkLayoutName): Promise<void> {
    this._layoutName = layout;
    this._layoutSelect.value = layout;
    this.node.dataset.layout = layout;
    const graph = this._graph;
    const spec = this.currentSpec;
    this._stopForceAtlas2();
    if (graph === null || spec === null) return;
    if (layout === 'layered') {
      const { x, y } = this._layeredPositions(spec);
      graph.updateEachNodeAttributes(
        (node, attrs) => ({ ...attrs, x: x[Number(node)], y: y[Number(node)] }),
        {
          attributes: ['x', 'y']
        }
      );
      this._status.textContent = '';
      this.node.dataset.layoutState = 'done';
      return;
    }
    const [{ default: Supervisor }, { inferSettings }] = await Promise.all([
      import('graphology-layout-forceatlas2/worker'),
      import('graphology-layout-forceatlas2')
    ]);
    if (this._graph !== graph || this._layoutName !== 'forceatlas2' || this.isDisposed) return;
    try {
      const fa2 = new Supervisor(graph, { settings: inferSettings(graph), getEdgeWeight: 'weight' });
      this._fa2 = fa2;
      fa2.start();
      this.node.dataset.layoutState = 'running';
      this._status.textContent = this.trans.__('ForceAtlas2 is running in a worker…');
      this._fa2Timer = window.setTimeout(() => {
        if (this._fa2 !== fa2) return;
        this._stopForceAtlas2();
        this.node.dataset.layoutState = 'done';
        this._status.textContent = this.trans.__('ForceAtlas2 layout done.');
      }, FORCE_ATLAS2_DURATION_MS);
    } catch (error) {
      this._status.textContent = this.trans.__('ForceAtlas2 could not start (%1)', errorText(error));
      this.node.dataset.layoutState = 'failed';
    }
  }

  private _stopForceAtlas2(): void {
    window.clearTimeout(this._fa2Timer);
    this._fa2?.kill();
    this._fa2 = null;
  }

  private _setHighlight(value: string): void {
    const spec = this.currentSpec;
    const overlay = spec?.overlays.find(o => o.motif === value);
    if (spec === null || overlay === undefined) {
      this._highlight = null;
      this._litEdges = null;
      this._litNodes = null;
    } else {
      this._highlight = overlay.motif;
      this._litEdges = highlightedEdges(spec, overlay.motif);
      this._litNodes = new Set<number>();
      for (const e of this._litEdges) {
        this._litNodes.add(spec.edges.source[e]);
        this._litNodes.add(spec.edges.target[e]);
      }
    }
    this.node.dataset.highlightedEdges = String(this._litEdges?.size ?? 0);
    if (this._sigma !== null) this._sigma.refresh();
    else if (this._stage.dataset.renderer === 'svg') this._drawFallback();
  }

  private _showTooltip(k: number, x: number, y: number): void {
    const spec = this.currentSpec;
    if (spec === null) return;
    const layer = spec.layers[spec.nodes.layer[k]];
    // Text only: the layer name comes from the payload.
    const lines = [
      this.trans.__('neuron %1 of %2', String(spec.nodes.index[k]), layer.name),
      this.trans.__('strength %1', spec.nodes.strength[k].toPrecision(4)),
      this.trans.__('degree %1', String(spec.nodes.degree[k]))
    ];
    this._tooltip.replaceChildren(
      ...lines.map(text => {
        const div = document.createElement('div');
        div.textContent = text;
        return div;
      })
    );
    this._tooltip.style.left = `${x + 12}px`;
    this._tooltip.style.top = `${y + 12}px`;
    this._tooltip.hidden = false;
  }

  /** Node positions in graph coordinates (y up), or y down for the SVG writer. */
  private _positions(yDown = false): NodePositions {
    const graph = this._graph;
    const spec = this.currentSpec;
    if (graph === null || spec === null) return spec === null ? { x: [], y: [] } : layeredLayout(spec);
    const x: number[] = [];
    const y: number[] = [];
    graph.forEachNode((node, attrs) => {
      x[Number(node)] = attrs.x as number;
      y[Number(node)] = yDown ? -(attrs.y as number) : (attrs.y as number);
    });
    return { x, y };
  }

  private _viewportPosition(k: number): { x: number; y: number } | null {
    const graph = this._graph;
    if (this._sigma === null || graph === null || !graph.hasNode(String(k))) return null;
    const attrs = graph.getNodeAttributes(String(k));
    return this._sigma.graphToViewport({ x: attrs.x as number, y: attrs.y as number });
  }

  private _panBy(dx: number, dy: number): void {
    const camera = this._sigma?.getCamera();
    if (camera === undefined) return;
    const state = camera.getState();
    camera.setState({ x: state.x + dx, y: state.y + dy });
  }

  protected onEnvironmentChanged(what: 'theme' | 'settings'): void {
    if (what === 'settings') {
      this.scheduleStaticImage();
      return;
    }
    if (this._sigma !== null) this._sigma.refresh();
    else if (this._stage.dataset.renderer === 'svg') this._drawFallback();
  }

  private _teardown(): void {
    this.cancelStaticImage();
    this._stopForceAtlas2();
    this._sigma?.kill();
    this._sigma = null;
    this._graph = null;
    this._litEdges = null;
    this._litNodes = null;
    this._tooltip.hidden = true;
    this._stage.replaceChildren(this._tooltip);
    delete this._stage.dataset.renderer;
  }

  protected showError(reason: string): void {
    this._teardown();
    this.currentSpec = null;
    this.exports.unregister(this.node);
    this.node.removeAttribute('aria-label');
    this._toolbar.hidden = true;
    this._stage.hidden = true;
    // Text only: the reason may quote payload content.
    this.messageNode.textContent = this.trans.__('This nnmotifs network view cannot be shown: %1', reason);
    this.messageNode.hidden = false;
  }

  private readonly _inspector: INetworkInspector | null;
  private readonly _toolbar = document.createElement('div');
  private readonly _layoutSelect = document.createElement('select');
  private readonly _motifSelect = document.createElement('select');
  private readonly _inspectButton = document.createElement('button');
  private readonly _status = document.createElement('span');
  private readonly _stage = document.createElement('div');
  private readonly _tooltip = document.createElement('div');
  private _payload: unknown = undefined;
  private _layoutName: NetworkLayoutName = 'layered';
  private _highlight: MotifName | null = null;
  private _litEdges: Set<number> | null = null;
  private _litNodes: Set<number> | null = null;
  private _graph: Graph | null = null;
  private _sigma: Sigma | null = null;
  private _fa2: FA2LayoutSupervisor | null = null;
  private _fa2Timer = 0;
}
