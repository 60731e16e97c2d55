/**
 * The Network Inspector's view: labelled tabs (Structure, Metrics, Sparsity, Motifs) that draw an
 * {@link InspectorModel}. Figures are the extension's own figure renderer; text goes in as text, never HTML.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { IRenderMime } from '@jupyterlab/rendermime-interfaces';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { Panel, TabPanel, Widget } from '@lumino/widgets';
import { NULL_MODELS } from '../../core/nulls';
import { FIGURE_MIME, type FigureSpec, NETWORK_MIME } from '../../figures/spec';
import { type InspectorReport, motifTableRows } from './analysis';
import type { InspectorModel, MotifRunState } from './model';
import { CHAIN_CONVENTIONS, parseMotifForm } from './protocol';

/** CSS class of the Inspector (its parts are `jp-nnmotifs-Inspector-<part>`). */
export const INSPECTOR_CLASS = 'jp-nnmotifs-Inspector';

type Attributes = Record<string, string | number | boolean>;

/** A DOM element with attributes and children; strings become text nodes. */
function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  element.append(...children);
  return element;
}

function part(name: string): string {
  return `${INSPECTOR_CLASS}-${name}`;
}

/**
 * A payload drawn by one of the extension's MIME renderers, as an untrusted output model: the renderers
 * validate it as they do notebook outputs and write nothing back.
 */
function rendererWidget(rendermime: IRenderMimeRegistry, mimeType: string, payload: object): Widget {
  const renderer = rendermime.createRenderer(mimeType);
  const model: IRenderMime.IMimeModel = {
    trusted: false,
    data: { [mimeType]: payload as IRenderMime.IMimeModel['data'][string] },
    metadata: {},
    setData: () => undefined
  };
  void renderer.renderModel(model);
  return renderer;
}

/** A figure spec drawn by the extension's figure renderer. */
function figureWidget(spec: FigureSpec, rendermime: IRenderMimeRegistry): Widget {
  return rendererWidget(rendermime, FIGURE_MIME, spec);
}

function percent(fraction: number): string {
  return `${(100 * fraction).toFixed(1)} %`;
}

/** A table with a caption, column headers and rows of text. */
function table(
  caption: string,
  headers: readonly string[],
  rows: readonly (readonly string[])[]
): HTMLTableElement {
  return h(
    'table',
    { class: part('table') },
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map(text => h('th', { scope: 'col' }, text)))),
    h(
      'tbody',
      {},
      ...rows.map(row =>
        h('tr', {}, ...row.map((text, k) => (k === 0 ? h('th', { scope: 'row' }, text) : h('td', {}, text))))
      )
    )
  );
}

function nodeWidget(node: HTMLElement, className: string): Widget {
  const widget = new Widget({ node });
  widget.addClass(className);
  return widget;
}

/** Options of {@link InspectorPanel}. */
export interface InspectorPanelOptions {
  readonly model: InspectorModel;
  /** Draws the figures and the network view (with the nnmotifs renderers registered in it). */
  readonly rendermime: IRenderMimeRegistry;
  readonly translator?: ITranslator;
}

/** The Inspector's content: a status line and the four tabs. */
export class InspectorPanel extends Panel {
  constructor(options: InspectorPanelOptions) {
    super();
    this.model = options.model;
    this._translator = options.translator ?? nullTranslator;
    this._rendermime = options.rendermime;
    this._trans = this._translator.load('nnmotifs');
    this.addClass(INSPECTOR_CLASS);
    this._status = h('div', { class: part('status'), role: 'status', 'aria-live': 'polite' });
    this.addWidget(nodeWidget(this._status, part('statusBar')));
    this._tabs.addClass(part('tabs'));
    this._tabs.tabBar.addClass(part('tabBar'));
    this.addWidget(this._tabs);
    this.model.changed.connect(this._update, this);
    this._update();
  }

  /** The model drawn. */
  readonly model: InspectorModel;

  dispose(): void {
    if (this.isDisposed) return;
    this.model.changed.disconnect(this._update, this);
    this.model.dispose();
    super.dispose();
  }

  private _update(): void {
    const trans = this._trans;
    const state = this.model.network;
    this._status.classList.toggle(part('error'), state.phase === 'error');
    this._status.setAttribute('role', state.phase === 'error' ? 'alert' : 'status');
    switch (state.phase) {
      case 'loading':
        this._status.textContent = trans.__('Reading the network…');
        this._showReport(null);
        return;
      case 'error':
        this._status.textContent = trans.__('This network cannot be inspected: %1', state.message);
        this._showReport(null);
        return;
      case 'ready':
        this._status.textContent = trans.__(
          '%1 — %2 neurons in %3 layers, %4 connections',
          state.report.name,
          state.report.sizes.reduce((s, n) => s + n, 0).toLocaleString(),
          state.report.sizes.length,
          state.report.totals.edges.toLocaleString()
        );
        this._showReport(state.report);
        this._motifTab?.render(this.model.motifs);
    }
  }

  /** Builds the tabs of a new report (or removes them). */
  private _showReport(report: InspectorReport | null): void {
    if (report === this._report) return;
    this._report = report;
    for (const widget of [...this._tabs.widgets]) widget.dispose();
    this._motifTab = null;
    if (report === null) {
      this._tabs.hide();
      return;
    }
    this._tabs.show();
    const trans = this._trans;
    const view =
      report.view !== null
        ? rendererWidget(this._rendermime, NETWORK_MIME, report.view)
        : nodeWidget(
            h(
              'p',
              {},
              trans.__(
                'The network has %1 live connections: too many to draw here.',
                report.totals.liveEdges.toLocaleString()
              )
            ),
            part('noView')
          );
    this._tabs.addWidget(this._tab(trans.__('Structure'), 'structure', [this._structure(report), view]));
    this._tabs.addWidget(
      this._tab(trans.__('Metrics'), 'metrics', [
        figureWidget(report.figures.strength, this._rendermime),
        figureWidget(report.figures.fluctuation, this._rendermime),
        figureWidget(report.figures.linkWeights, this._rendermime)
      ])
    );
    this._tabs.addWidget(
      this._tab(trans.__('Sparsity'), 'sparsity', [
        figureWidget(report.figures.sparsity, this._rendermime),
        this._sparsityTable(report)
      ])
    );
    this._motifTab = new MotifTab(this.model, trans, this._rendermime);
    this._motifTab.title.label = trans.__('Motifs');
    this._tabs.addWidget(this._motifTab);
    this._motifTab.render(this.model.motifs);
    this._tabs.currentIndex = 0;
  }

  private _tab(label: string, name: string, widgets: Widget[]): Panel {
    const tab = new Panel();
    tab.addClass(part('tab'));
    tab.addClass(part(name));
    tab.title.label = label;
    widgets.forEach(w => tab.addWidget(w));
    return tab;
  }

  private _structure(report: InspectorReport): Widget {
    const trans = this._trans;
    const { totals } = report;
    const summary = h(
      'dl',
      { class: part('summary') },
      h('dt', {}, trans.__('Source')),
      h('dd', {}, `${report.name} (${report.kind})`),
      h('dt', {}, trans.__('Layer sizes')),
      h('dd', { class: part('sizes') }, report.sizes.join(' – ')),
      h('dt', {}, trans.__('Connections')),
      h(
        'dd',
        { class: part('edges') },
        trans.__(
          '%1 of %2 (density %3)',
          totals.edges.toLocaleString(),
          totals.possible.toLocaleString(),
          percent(totals.possible > 0 ? totals.edges / totals.possible : 0)
        )
      ),
      h('dt', {}, trans.__('Live connections')),
      h(
        'dd',
        { class: part('liveEdges') },
        trans.__('%1 after removing ghost and dead neurons', totals.liveEdges.toLocaleString())
      )
    );
    const neurons = table(
      trans.__('Neuron layers'),
      [trans.__('Layer'), trans.__('Neurons'), trans.__('Live neurons')],
      report.sizes.map((n, l) => [
        report.neuronLayerNames[l],
        n.toLocaleString(),
        report.liveNeurons[l].toLocaleString()
      ])
    );
    const layers = table(
      trans.__('Weight layers'),
      [
        trans.__('Layer'),
        trans.__('Shape'),
        trans.__('Connections'),
        trans.__('Live'),
        trans.__('Density'),
        trans.__('Activation'),
        trans.__('Bias')
      ],
      report.layers.map(l => [
        l.name,
        `${l.nIn} × ${l.nOut}`,
        l.edges.toLocaleString(),
        l.liveEdges.toLocaleString(),
        percent(l.density),
        l.activation ?? '—',
        l.hasBias ? trans.__('yes') : trans.__('no')
      ])
    );
    return nodeWidget(h('div', {}, summary, neurons, layers), part('structureText'));
  }

  private _sparsityTable(report: InspectorReport): Widget {
    const trans = this._trans;
    return nodeWidget(
      table(
        trans.__('Sparsity per weight layer'),
        [trans.__('Layer'), trans.__('Pruned'), trans.__('Connections kept')],
        report.layers.map(l => [
          l.name,
          percent(1 - l.density),
          `${l.edges.toLocaleString()} / ${l.possible.toLocaleString()}`
        ])
      ),
      part('sparsityText')
    );
  }

  private readonly _translator: ITranslator;
  private readonly _rendermime: IRenderMimeRegistry;
  private readonly _trans: TranslationBundle;
  private readonly _status: HTMLDivElement;
  private readonly _tabs = new TabPanel();
  private _report: InspectorReport | null = null;
  private _motifTab: MotifTab | null = null;
}

/** The Motifs tab: the form, the progress of a run with its Cancel button, and the result. */
class MotifTab extends Panel {
  constructor(model: InspectorModel, trans: TranslationBundle, rendermime: IRenderMimeRegistry) {
    super();
    this.model = model;
    this.trans = trans;
    this.rendermime = rendermime;
    this._cancel = h('button', { type: 'button', class: 'jp-mod-styled jp-mod-reject' }, trans.__('Cancel'));
    this._progress = h('progress', {
      class: part('progress'),
      'aria-label': trans.__('Null samples computed'),
      max: 1,
      value: 0
    });
    this.addClass(part('tab'));
    this.addClass(part('motifs'));
    const field = (label: string, control: HTMLElement): HTMLLabelElement =>
      h('label', { class: part('field') }, h('span', {}, label), control);
    this._form = h(
      'form',
      { class: part('form'), 'aria-label': trans.__('Motif census settings') },
      field(trans.__('Nulls'), this._samples),
      field(trans.__('Null model'), this._null),
      field(trans.__('Seed'), this._seed),
      field(trans.__('Chains'), this._chain),
      h('label', { class: part('check') }, this._biasNode, h('span', {}, trans.__('Bias node'))),
      this._compute
    );
    this._form.addEventListener('submit', event => {
      event.preventDefault();
      this._submit();
    });
    this._cancel.addEventListener('click', () => this.model.cancelMotifs());
    const run = h('div', { class: part('run') }, this._progress, this._percent, this._cancel);
    this.addWidget(nodeWidget(h('div', {}, this._form, run, this._message), part('motifControls')));
    this._result.addClass(part('motifResult'));
    this.addWidget(this._result);
  }

  /** Draws the state of the run. */
  render(state: MotifRunState): void {
    const trans = this.trans;
    const running = state.phase === 'running';
    this._cancel.disabled = !running;
    this._compute.textContent = running ? trans.__('Restart') : trans.__('Compute');
    this._message.classList.toggle(part('error'), state.phase === 'failed');
    this.node.dataset.state = state.phase;
    if (state.phase === 'running' || state.phase === 'cancelled') {
      this._progress.max = state.total;
      this._progress.value = state.done;
      this._progress.hidden = false;
      this._percent.textContent = trans.__(
        '%1 % (%2 of %3 nulls)',
        Math.floor((100 * state.done) / state.total),
        state.done.toLocaleString(),
        state.total.toLocaleString()
      );
    } else if (state.phase !== 'done') {
      this._progress.hidden = true;
      this._percent.textContent = '';
    }
    switch (state.phase) {
      case 'idle':
        this._message.textContent = trans.__('Set the null model and press Compute.');
        break;
      case 'running':
        this._message.textContent = trans.__('Computing in the background…');
        break;
      case 'cancelled':
        this._message.textContent = trans.__('Cancelled after %1 of %2 nulls.', state.done, state.total);
        break;
      case 'failed':
        this._message.textContent = trans.__('The motif census failed: %1', state.message);
        break;
      case 'done':
        this._progress.max = state.options.samples;
        this._progress.value = state.options.samples;
        this._percent.textContent = trans.__('100 % (%1 nulls)', state.options.samples.toLocaleString());
        this._message.textContent = trans.__(
          'Done: %1 nulls (%2, seed %3).',
          state.options.samples,
          state.options.null,
          state.options.seed
        );
        break;
    }
    if (state.phase === 'done' && state !== this._shown) this._showResult(state);
    if (state.phase === 'running' && this._shown !== null) this._showResult(null);
  }

  private _submit(): void {
    const parsed = parseMotifForm({
      samples: this._samples.value,
      null: this._null.value,
      seed: this._seed.value,
      chain: this._chain.value,
      biasNode: this._biasNode.checked
    });
    for (const control of [this._samples, this._null, this._seed, this._chain])
      control.removeAttribute('aria-invalid');
    if (!parsed.ok) {
      const control = {
        samples: this._samples,
        null: this._null,
        seed: this._seed,
        chain: this._chain,
        biasNode: this._biasNode
      }[parsed.field];
      control.setAttribute('aria-invalid', 'true');
      control.focus();
      this._message.textContent = this.trans.__('Check the form: %1', parsed.error);
      this._message.classList.add(part('error'));
      return;
    }
    this.model.computeMotifs(parsed.options);
  }

  private _showResult(state: Extract<MotifRunState, { phase: 'done' }> | null): void {
    this._shown = state;
    for (const widget of [...this._result.widgets]) widget.dispose();
    if (state === null) return;
    const trans = this.trans;
    const { result } = state;
    this._result.addWidget(figureWidget(state.figure, this.rendermime));
    const rows = motifTableRows(result);
    this._result.addWidget(
      nodeWidget(
        table(
          trans.__('Motif counts against %1 %2 nulls', state.options.samples, state.options.null),
          [trans.__('Motif'), trans.__('Count'), trans.__('Null mean ± sd'), trans.__('Z'), trans.__('p')],
          rows
        ),
        part('motifTable')
      )
    );
  }

  private readonly _samples = h('input', {
    type: 'number',
    min: 1,
    step: 1,
    value: 1000,
    required: true,
    class: 'jp-mod-styled'
  });
  private readonly _null = h(
    'select',
    { class: 'jp-mod-styled' },
    ...NULL_MODELS.map(m => h('option', { value: m }, m))
  );
  private readonly _seed = h('input', {
    type: 'number',
    min: 0,
    step: 1,
    value: 0,
    required: true,
    class: 'jp-mod-styled'
  });
  private readonly _chain = h(
    'select',
    { class: 'jp-mod-styled' },
    ...CHAIN_CONVENTIONS.map(c => h('option', { value: c }, c))
  );
  private readonly _biasNode = h('input', { type: 'checkbox' });
  private readonly _compute = h('button', { type: 'submit', class: 'jp-mod-styled jp-mod-accept' });
  private readonly model: InspectorModel;
  private readonly trans: TranslationBundle;
  private readonly rendermime: IRenderMimeRegistry;
  private readonly _cancel: HTMLButtonElement;
  private readonly _progress: HTMLProgressElement;
  private readonly _percent = h('span', { class: part('percent'), 'aria-live': 'polite' });
  private readonly _message = h('p', { class: part('message'), role: 'status' });
  private readonly _form: HTMLFormElement;
  private readonly _result = new Panel();
  private _shown: Extract<MotifRunState, { phase: 'done' }> | null = null;
}
