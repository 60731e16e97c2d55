/**
 * Which output nodes can be exported: renderers register their node with an export target, and the
 * toolbar, the context menu and the "export all" command look it up from a DOM node.
 */
import type { IExportTarget } from '../tokens';

const targets = new WeakMap<HTMLElement, IExportTarget>();

/** Marks `node` (a renderer's root) as exportable through `target`; call again to replace it. */
export function registerExportTarget(node: HTMLElement, target: IExportTarget): void {
  targets.set(node, target);
  node.dataset.nnmotifsExportable = 'true';
}

/** Forgets the export target of `node` (when the renderer is disposed). */
export function unregisterExportTarget(node: HTMLElement): void {
  targets.delete(node);
  delete node.dataset.nnmotifsExportable;
}

/** The export target of `node` or of its nearest registered ancestor, if any. */
export function findExportTarget(node: Element | null): IExportTarget | undefined {
  for (let el: Element | null = node; el !== null; el = el.parentElement) {
    if (el instanceof HTMLElement) {
      const target = targets.get(el);
      if (target !== undefined) return target;
    }
  }
  return undefined;
}
