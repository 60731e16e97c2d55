/**
 * Which output nodes can be exported: renderers register their node with an export target, and the
 * toolbar, the context menu and the "export all" command look it up from a DOM node.
 */
import type { IExportTarget } from '../tokens';
import { addExportToolbar, removeExportToolbar } from './toolbar';

const targets = new WeakMap<HTMLElement, IExportTarget>();

/**
 * Marks `node` (a renderer's root) as exportable through `target` and gives it the SVG / PNG / PDF toolbar;
 * call again to replace the target.
 */
export function registerExportTarget(node: HTMLElement, target: IExportTarget): void {
  targets.set(node, target);
  node.dataset.nnmotifsExportable = 'true';
  addExportToolbar(node);
}

/** Forgets the export target of `node` (when the renderer is disposed). */
export function unregisterExportTarget(node: HTMLElement): void {
  targets.delete(node);
  delete node.dataset.nnmotifsExportable;
  removeExportToolbar(node);
}

/** The export target of `node` or of its nearest registered ancestor, if any. */
export function findExportTarget(node: Element | null): IExportTarget | undefined {
  return findExportable(node)?.target;
}

/** The registered node at or above `node` and its export target, if any. */
export function findExportable(
  node: Element | null
): { node: HTMLElement; target: IExportTarget } | undefined {
  for (let el: Element | null = node; el !== null; el = el.parentElement) {
    if (el instanceof HTMLElement) {
      const target = targets.get(el);
      if (target !== undefined) return { node: el, target };
    }
  }
  return undefined;
}
