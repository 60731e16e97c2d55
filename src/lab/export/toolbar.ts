/**
 * The small SVG / PNG / PDF toolbar on every exportable output. It shows on hover and on keyboard focus
 * (`style/export.css`), and hands the request to the export registry's handler (`registry.ts`).
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import { EXPORT_FORMATS, ExportFormat } from '../../render/preset';

/** Class of the toolbar element. */
export const EXPORT_TOOLBAR_CLASS = 'jp-nnmotifs-ExportToolbar';

/**
 * Adds the export toolbar to an exportable node (once).
 *
 * @param onRequest - what a click on the button of a format does.
 * @param trans - translations of the labels.
 * @example
 * ```ts
 * // example: compile-only, adds buttons to a DOM node of JupyterLab
 * addExportToolbar(node, format => console.log('export as', format), translator.load('nnmotifs'));
 * ```
 */
export function addExportToolbar(
  node: HTMLElement,
  onRequest: (format: ExportFormat) => void,
  trans: TranslationBundle
): void {
  if (node.querySelector(`:scope > .${EXPORT_TOOLBAR_CLASS}`) !== null) return;
  const bar = document.createElement('div');
  bar.className = EXPORT_TOOLBAR_CLASS;
  bar.setAttribute('role', 'toolbar');
  bar.setAttribute('aria-label', trans.__('Export'));
  for (const format of EXPORT_FORMATS) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'jp-nnmotifs-ExportToolbar-button';
    button.dataset.format = format;
    button.textContent = format.toUpperCase();
    const label = trans.__('Export as %1', format.toUpperCase());
    button.setAttribute('aria-label', label);
    button.title = label;
    button.addEventListener('click', event => {
      event.stopPropagation();
      onRequest(format);
    });
    bar.append(button);
  }
  node.append(bar);
}

/** Removes the export toolbar of a node, if it has one. */
export function removeExportToolbar(node: HTMLElement): void {
  node.querySelector(`:scope > .${EXPORT_TOOLBAR_CLASS}`)?.remove();
}
