/**
 * The small SVG / PNG / PDF toolbar on every exportable output. It shows on hover and on keyboard focus
 * (`style/export.css`), and hands the request to the export plugin, which knows the contents manager and
 * the settings (MIME renderers get no dependency injection, so the two meet in this module).
 */
import { nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import { EXPORT_FORMATS, ExportFormat } from '../../figures/export-preset';

/** Handles a click on a toolbar button: export the view whose node holds the toolbar. */
export type ExportRequestHandler = (node: HTMLElement, format: ExportFormat) => void;

let requestHandler: ExportRequestHandler | null = null;
let trans: TranslationBundle = nullTranslator.load('nnmotifs');

/**
 * Connects the toolbars to the export plugin (called once when it activates).
 *
 * @param handler - what a button click does.
 * @param bundle - the translations of the button labels.
 * @example
 * ```ts
 * setExportRequestHandler((node, format) => console.log('export', node, format), translator.load('nnmotifs'));
 * ```
 */
export function setExportRequestHandler(handler: ExportRequestHandler, bundle: TranslationBundle): void {
  requestHandler = handler;
  trans = bundle;
}

/** Class of the toolbar element. */
export const EXPORT_TOOLBAR_CLASS = 'jp-nnmotifs-ExportToolbar';

/**
 * Adds the export toolbar to an exportable node (once).
 *
 * @example
 * ```ts
 * addExportToolbar(node);
 * ```
 */
export function addExportToolbar(node: HTMLElement): void {
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
      if (requestHandler === null) {
        console.warn('nnmotifs: export is not available (the nnmotifs:export plugin is not active)');
        return;
      }
      requestHandler(node, format);
    });
    bar.append(button);
  }
  node.append(bar);
}

/** Removes the export toolbar of a node, if it has one. */
export function removeExportToolbar(node: HTMLElement): void {
  node.querySelector(`:scope > .${EXPORT_TOOLBAR_CLASS}`)?.remove();
}
