/**
 * The Network Inspector as a document: a widget factory for network files, whose documents read the file
 * as base64 through the Jupyter contents API and hand its bytes to the Inspector's worker.
 */
import type { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ABCWidgetFactory, DocumentRegistry, DocumentWidget } from '@jupyterlab/docregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { DEFAULT_MAX_MEMORY, formatBytes } from '../../core/formats/budget';
import { decodeBase64 } from './analysis';
import { InspectorModel, type ServerFileReader } from './model';
import { InspectorPanel } from './widget';

/** Name of the widget factory (the "Open With" entry). */
export const INSPECTOR_FACTORY = 'Network Inspector';

/** An Inspector of one network file. */
export type InspectorDocument = DocumentWidget<InspectorPanel, DocumentRegistry.IModel>;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Creates Inspectors for network files. Use the `base64` model: every format is read as bytes. */
export class InspectorFactory extends ABCWidgetFactory<InspectorDocument, DocumentRegistry.IModel> {
  /**
   * @param options - the widget factory options (name, file types, `modelName: 'base64'`, …).
   * @param readFile - reads other server files (TF.js weight shards).
   * @param rendermime - draws the Inspector's figures and network view.
   */
  constructor(
    options: DocumentRegistry.IWidgetFactoryOptions<InspectorDocument>,
    private readonly readFile: ServerFileReader,
    private readonly rendermime: IRenderMimeRegistry
  ) {
    super(options);
  }

  protected createNewWidget(context: DocumentRegistry.IContext<DocumentRegistry.IModel>): InspectorDocument {
    const translator: ITranslator = this.translator ?? nullTranslator;
    const model = new InspectorModel(this.readFile);
    const content = new InspectorPanel({ model, rendermime: this.rendermime, translator });
    const widget = new DocumentWidget({ content, context, translator });
    widget.addClass('jp-nnmotifs-InspectorDocument');
    const load = (): void => {
      if (model.isDisposed) return;
      try {
        const text = context.model.toString();
        // Base64 holds 3 bytes per 4 characters: refuse a file over the reader's budget before decoding it.
        if (text.length > (DEFAULT_MAX_MEMORY / 3) * 4 + 4) {
          throw new Error(
            `${context.path}: the file is larger than the memory budget of ${formatBytes(DEFAULT_MAX_MEMORY)}`
          );
        }
        model.openFile(context.path, decodeBase64(text, context.path));
      } catch (error) {
        model.showError(errorText(error));
      }
    };
    context.ready
      .then(() => {
        load();
        // A revert (the file changed on disk and was reloaded) brings new bytes: read them again.
        context.model.contentChanged.connect(load);
      })
      .catch((error: unknown) => model.showError(`${context.path}: ${errorText(error)}`));
    return widget;
  }
}
