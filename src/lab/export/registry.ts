/**
 * Which output nodes can be exported ({@link IExportRegistry}): renderers register their node with an
 * export target, and the toolbar, the context menu and the "export all" command look it up from a DOM
 * node. One registry per JupyterLab page, made and provided by the export plugin.
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import type { ExportFormat } from '../../render/preset';
import type { IExportRegistry, IExportTarget } from '../tokens';
import { addExportToolbar, removeExportToolbar } from './toolbar';

/** What a click on a toolbar button of `node` does. */
export type ExportRequestHandler = (node: HTMLElement, format: ExportFormat) => void;

/** The export registry of one page: targets by node, and the toolbar every registered node gets. */
export class ExportRegistry implements IExportRegistry {
  /**
   * @param onRequest - handles the toolbar buttons (the export plugin exports the view).
   * @param trans - translations of the toolbar labels.
   */
  constructor(
    private readonly onRequest: ExportRequestHandler,
    private readonly trans: TranslationBundle
  ) {}

  register(node: HTMLElement, target: IExportTarget): void {
    this._targets.set(node, target);
    node.dataset.nnmotifsExportable = 'true';
    addExportToolbar(node, format => this.onRequest(node, format), this.trans);
  }

  unregister(node: HTMLElement): void {
    this._targets.delete(node);
    delete node.dataset.nnmotifsExportable;
    removeExportToolbar(node);
  }

  find(node: Element | null): { node: HTMLElement; target: IExportTarget } | undefined {
    for (let el: Element | null = node; el !== null; el = el.parentElement) {
      if (el instanceof HTMLElement) {
        const target = this._targets.get(el);
        if (target !== undefined) return { node: el, target };
      }
    }
    return undefined;
  }

  private readonly _targets = new WeakMap<HTMLElement, IExportTarget>();
}
