/**
 * The `nnmotifs:export` plugin: export commands (palette, context menu, output toolbars, export all).
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ICommandPalette, Notification, showDialog } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator, TranslationBundle } from '@jupyterlab/translation';
import type { Widget } from '@lumino/widgets';
import type { ExportDrawing } from '../../render/drawing';
import { ExportFormat, EXPORT_FORMATS } from '../../render/preset';
import { FIGURE_MIME, NETWORK_MIME } from '../../figures/spec';
import { IExportRegistry, IExportTarget, IFigureEnvironment } from '../tokens';
import { exportView } from './exporter';
import { AskOnConflict, ConflictChoice, joinPath, saveExportedFile } from './files';
import { ExportRegistry } from './registry';
import { figureExportTarget, networkExportTarget } from './targets';

/** Command ids of the export plugin. */
export const EXPORT_COMMANDS = Object.freeze({
  svg: 'nnmotifs:export-svg',
  png: 'nnmotifs:export-png',
  pdf: 'nnmotifs:export-pdf',
  all: 'nnmotifs:export-all',
  panels: 'nnmotifs:export-panels'
});

/** A document widget (notebook) as far as export needs it: its path and its saved-format JSON. */
interface DocumentLike {
  context: { path: string; model: { toJSON(): unknown } };
}

function isDocument(widget: Widget | null | undefined): widget is Widget & DocumentLike {
  const context = (widget as Partial<DocumentLike> | null | undefined)?.context;
  return typeof context?.path === 'string' && typeof context.model?.toJSON === 'function';
}

function dirname(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The outputs of a notebook in nbformat JSON (only what export reads). */
interface NotebookJson {
  cells?: { outputs?: { data?: Record<string, unknown> }[] }[];
}

/**
 * Export targets for every figure and network-view output of a saved-format notebook, drawn from the
 * payloads (cells scrolled out of view may have no renderer). Payloads that fail validation are counted.
 */
async function notebookTargets(
  notebook: NotebookJson
): Promise<{ targets: IExportTarget[]; invalid: number }> {
  const [{ validateFigurePayload }, { validateNetworkPayload }] = await Promise.all([
    import('../payload'),
    import('../network-payload')
  ]);
  const targets: IExportTarget[] = [];
  let invalid = 0;
  for (const cell of notebook.cells ?? []) {
    for (const output of cell.outputs ?? []) {
      const data = output.data ?? {};
      if (FIGURE_MIME in data) {
        const result = validateFigurePayload(data[FIGURE_MIME]);
        if (result.ok) targets.push(figureExportTarget(result.spec));
        else invalid++;
      } else if (NETWORK_MIME in data) {
        const result = validateNetworkPayload(data[NETWORK_MIME]);
        if (result.ok) targets.push(networkExportTarget(result.spec));
        else invalid++;
      }
    }
  }
  return { targets, invalid };
}

/** Distinct export names within one "export all": the second `strength` becomes `strength-2`, … */
function distinctNames(targets: IExportTarget[]): IExportTarget[] {
  const seen = new Map<string, number>();
  return targets.map(target => {
    const count = (seen.get(target.exportName) ?? 0) + 1;
    seen.set(target.exportName, count);
    return count === 1
      ? target
      : { exportName: `${target.exportName}-${count}`, drawing: () => target.drawing() };
  });
}

/** Export commands: the output toolbars, the context menu, the command palette; provides the registry. */
export const exportPlugin: JupyterFrontEndPlugin<IExportRegistry> = {
  id: 'nnmotifs:export',
  description: 'Exports nnmotifs figures and network views as SVG, PNG and PDF for papers.',
  autoStart: true,
  provides: IExportRegistry,
  requires: [IFigureEnvironment],
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    environment: IFigureEnvironment,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): IExportRegistry => {
    const trans: TranslationBundle = (translator ?? nullTranslator).load('nnmotifs');
    const contents = app.serviceManager.contents;

    /** The dialog for an existing file; `forAll` adds "do the same for the remaining files". */
    const askDialog = async (path: string, forAll: boolean): Promise<[ConflictChoice, boolean]> => {
      const result = await showDialog({
        title: trans.__('File already exists'),
        body: trans.__(
          '%1 already exists. Overwrite it, keep both (the new file gets a new name), or cancel?',
          path
        ),
        buttons: [
          Dialog.cancelButton({ label: trans.__('Cancel') }),
          Dialog.okButton({ label: trans.__('Keep both') }),
          Dialog.warnButton({ label: trans.__('Overwrite') })
        ],
        // Enter (and the focused button) must never destroy a file: the default keeps both.
        defaultButton: 1,
        checkbox: forAll ? { label: trans.__('Do the same for the remaining files'), checked: false } : null
      });
      const choice: ConflictChoice = !result.button.accept
        ? 'cancel'
        : result.button.displayType === 'warn'
          ? 'overwrite'
          : 'keepBoth';
      return [choice, result.isChecked === true];
    };

    /** The folder exports of a document go to: the settings' folder next to the notebook. */
    const exportFolder = (documentPath: string): string =>
      joinPath(dirname(documentPath), environment.settings.exportFolder);

    /** The document widget that shows `node`, if any (outputs live in notebooks, consoles, output views). */
    const documentOf = (node: HTMLElement): (Widget & DocumentLike) | undefined => {
      for (const widget of app.shell.widgets('main')) {
        if (isDocument(widget) && widget.node.contains(node)) return widget;
      }
      return undefined;
    };

    const exportNode = async (
      node: HTMLElement,
      target: IExportTarget,
      format: ExportFormat
    ): Promise<void> => {
      try {
        const file = await exportView(target, format, environment.settings.exportPreset);
        const folder = exportFolder(documentOf(node)?.context.path ?? '');
        const path = await saveExportedFile(
          contents,
          folder,
          file,
          async p => (await askDialog(p, false))[0]
        );
        if (path !== null) Notification.success(trans.__('Exported %1', path), { autoClose: 4000 });
      } catch (error) {
        Notification.error(trans.__('Could not export the figure: %1', errorText(error)), {
          autoClose: false
        });
      }
    };

    const registry = new ExportRegistry((node, format) => {
      const found = registry.find(node);
      if (found !== undefined) void exportNode(found.node, found.target, format);
    }, trans);

    /** The output a palette command exports: the first exportable in the active cell, else in the document. */
    const currentExportable = (): ReturnType<IExportRegistry['find']> => {
      const root = app.shell.currentWidget?.node;
      const node =
        root?.querySelector('.jp-mod-active [data-nnmotifs-exportable]') ??
        root?.querySelector('[data-nnmotifs-exportable]') ??
        null;
      return registry.find(node);
    };

    for (const format of EXPORT_FORMATS) {
      const label = trans.__('Export figure as %1', format.toUpperCase());
      app.commands.addCommand(EXPORT_COMMANDS[format], {
        label: args => (args.origin === 'contextMenu' ? label : trans.__('nnmotifs: %1', label)),
        caption: trans.__(
          'Write the figure as %1 into the export folder next to the notebook',
          format.toUpperCase()
        ),
        isEnabled: args =>
          args.origin === 'contextMenu'
            ? app.contextMenuHitTest(n => n.dataset.nnmotifsExportable === 'true') !== undefined
            : currentExportable() !== undefined,
        execute: async args => {
          const node =
            args.origin === 'contextMenu'
              ? app.contextMenuHitTest(n => n.dataset.nnmotifsExportable === 'true')
              : currentExportable()?.node;
          const found = registry.find(node ?? null);
          if (found === undefined) {
            Notification.warning(trans.__('No nnmotifs figure selected to export'), { autoClose: 4000 });
            return;
          }
          await exportNode(found.node, found.target, format);
        }
      });
      app.contextMenu.addItem({
        command: EXPORT_COMMANDS[format],
        args: { origin: 'contextMenu' },
        selector: '[data-nnmotifs-exportable]',
        rank: 20
      });
      palette?.addItem({ command: EXPORT_COMMANDS[format], category: 'nnmotifs' });
    }

    app.commands.addCommand(EXPORT_COMMANDS.all, {
      label: trans.__('nnmotifs: Export all figures of this notebook'),
      caption: trans.__('Write every figure and network view of the notebook in the formats of the settings'),
      isEnabled: () => isDocument(app.shell.currentWidget),
      execute: async () => {
        const widget = app.shell.currentWidget;
        if (!isDocument(widget)) {
          Notification.warning(trans.__('Open a notebook to export its figures'), { autoClose: 4000 });
          return;
        }
        const settings = environment.settings;
        const folder = exportFolder(widget.context.path);
        const { targets, invalid } = await notebookTargets(widget.context.model.toJSON() as NotebookJson);
        const total = targets.length * settings.exportAllFormats.length;
        if (total === 0) {
          Notification.info(trans.__('This notebook has no nnmotifs figures to export'), { autoClose: 4000 });
          return;
        }
        const id = Notification.emit(
          trans.__('Exporting %1 files to %2 …', total, folder || '/'),
          'in-progress',
          {
            autoClose: false
          }
        );
        let written = 0;
        let skipped = 0;
        const failures: string[] = [];
        let remembered: ConflictChoice | null = null;
        const ask: AskOnConflict = async path => {
          if (remembered !== null) return remembered;
          const [choice, forAll] = await askDialog(path, true);
          if (forAll) remembered = choice;
          return choice;
        };
        let done = 0;
        for (const target of distinctNames(targets)) {
          for (const format of settings.exportAllFormats) {
            try {
              const file = await exportView(target, format, settings.exportPreset);
              if ((await saveExportedFile(contents, folder, file, ask)) === null) skipped++;
              else written++;
            } catch (error) {
              failures.push(`${target.exportName}.${format}: ${errorText(error)}`);
            }
            done++;
            Notification.update({
              id,
              message: trans.__('Exporting figures to %1 … %2 of %3', folder || '/', done, total),
              type: 'in-progress',
              autoClose: false
            });
          }
        }
        const summary = [trans.__('Exported %1 files to %2', written, folder || '/')];
        if (skipped > 0) summary.push(trans.__('%1 skipped', skipped));
        if (invalid > 0) summary.push(trans.__('%1 invalid outputs ignored', invalid));
        if (failures.length > 0)
          summary.push(trans.__('%1 failed: %2', failures.length, failures.join('; ')));
        Notification.update({
          id,
          message: summary.join(', '),
          type: failures.length > 0 ? 'error' : 'success',
          autoClose: failures.length > 0 ? false : 6000
        });
      }
    });
    palette?.addItem({ command: EXPORT_COMMANDS.all, category: 'nnmotifs' });

    /** Exportable outputs of the selected cells (the active cell when none is selected), in notebook order. */
    const selectedExportables = (): { node: HTMLElement; target: IExportTarget }[] => {
      const root = app.shell.currentWidget?.node;
      const nodes = Array.from(
        root?.querySelectorAll<HTMLElement>(
          '.jp-Cell.jp-mod-selected [data-nnmotifs-exportable], .jp-Cell.jp-mod-active [data-nnmotifs-exportable]'
        ) ?? []
      );
      return nodes.flatMap(node => {
        const found = registry.find(node);
        return found === undefined || found.node !== node ? [] : [found];
      });
    };

    app.commands.addCommand(EXPORT_COMMANDS.panels, {
      label: args =>
        trans.__(
          'nnmotifs: Export selected figures as one panel figure (%1)',
          String(args.format ?? 'pdf').toUpperCase()
        ),
      caption: trans.__(
        'One file with the figures of the selected cells as panels a, b, c, … of the same size'
      ),
      isEnabled: () => selectedExportables().length > 0,
      execute: async args => {
        const format = EXPORT_FORMATS.find(f => f === args.format) ?? 'pdf';
        const selected = selectedExportables();
        if (selected.length === 0) {
          Notification.warning(trans.__('Select the cells whose figures make the panels'), {
            autoClose: 4000
          });
          return;
        }
        const views = selected.map(s => s.target.drawing()).filter(d => d.kind !== 'panels');
        const target: IExportTarget = {
          exportName: 'panels',
          drawing: () => ({
            kind: 'panels',
            panels: views as Exclude<ExportDrawing, { kind: 'panels' }>[],
            columns: views.length <= 3 ? views.length : 2,
            labels: 'a',
            title: views.map(v => v.spec.meta.title).join(' | ')
          })
        };
        await exportNode(selected[0].node, target, format);
      }
    });
    for (const format of EXPORT_FORMATS) {
      palette?.addItem({ command: EXPORT_COMMANDS.panels, args: { format }, category: 'nnmotifs' });
    }

    return registry;
  }
};
