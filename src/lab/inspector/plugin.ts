/**
 * The Network Inspector plugin: file types for network files, the "Network Inspector" document widget
 * factory, the commands that open it (from the file browser, the palette, or a network-view output) and
 * layout restoration.
 *
 * Which files open in the Inspector by default (double-click): `*.safetensors`, `*.npz`, `*.network.json`,
 * PyTorch checkpoints (`*.pt`, `*.pth`, `*.ckpt`), ONNX (`*.onnx`), Keras (`*.keras`, `*.h5`, `*.hdf5`) and
 * files named `model.json` (the TF.js convention). `pytorch_model.bin` opens with "Open With" (a `.bin` is
 * as often a TF.js weight shard). Any other `.json` opens as before; the Inspector is
 * offered for it in "Open With" and in the file browser's context menu.
 */
import { ILayoutRestorer, JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget, WidgetTracker } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { IRenderMimeRegistry } from '@jupyterlab/rendermime';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import type { NetworkViewSpec } from '../../figures/network-spec';
import { INetworkInspector } from '../tokens';
import { INSPECTOR_FACTORY, type InspectorDocument, InspectorFactory } from './factory';
import { InspectorModel, type ServerFileReader } from './model';
import { referencedFileReader } from './server-files';
import { InspectorPanel } from './widget';

/** Command ids. */
export const InspectorCommandIDs = {
  /** Opens a file (`args.path`, else the file selected in the file browser) in the Inspector. */
  open: 'nnmotifs:open-inspector',
  /** Opens a network-view payload (`args.payload`, `args.title`) in an Inspector not backed by a file. */
  openPayload: 'nnmotifs:inspect-network-payload'
} as const;

/** File types the Inspector reads, with whether it is their default viewer. */
const NETWORK_FILE_TYPES = [
  {
    name: 'nnmotifs-safetensors',
    displayName: 'safetensors weights',
    extensions: ['.safetensors'],
    mimeTypes: ['application/octet-stream'],
    fileFormat: 'base64' as const
  },
  {
    name: 'nnmotifs-npz',
    displayName: 'NumPy .npz arrays',
    extensions: ['.npz'],
    mimeTypes: ['application/zip'],
    fileFormat: 'base64' as const
  },
  {
    name: 'nnmotifs-pytorch',
    displayName: 'PyTorch checkpoint',
    extensions: ['.pt', '.pth', '.ckpt'],
    mimeTypes: ['application/octet-stream'],
    fileFormat: 'base64' as const
  },
  {
    name: 'nnmotifs-onnx',
    displayName: 'ONNX model',
    extensions: ['.onnx'],
    mimeTypes: ['application/octet-stream'],
    fileFormat: 'base64' as const
  },
  {
    name: 'nnmotifs-keras',
    displayName: 'Keras model',
    extensions: ['.keras', '.h5', '.hdf5'],
    mimeTypes: ['application/octet-stream'],
    fileFormat: 'base64' as const
  },
  {
    name: 'nnmotifs-network',
    displayName: 'nnmotifs network',
    extensions: ['.network.json'],
    mimeTypes: ['application/json'],
    fileFormat: 'text' as const
  },
  {
    name: 'nnmotifs-tfjs-model',
    displayName: 'TF.js model',
    extensions: [],
    pattern: '^model\\.json$',
    mimeTypes: ['application/json'],
    fileFormat: 'text' as const
  }
];

/** JupyterLab's own file type of `.json` files: the Inspector is offered for them, not their default. */
const JSON_FILE_TYPE = 'json';

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isNetworkViewSpec(value: unknown): value is NetworkViewSpec {
  if (value === null || typeof value !== 'object') return false;
  const spec = value as Partial<NetworkViewSpec>;
  return Array.isArray(spec.layers) && typeof spec.nodes === 'object' && typeof spec.edges === 'object';
}

/** Opens network files and network-view outputs in the Network Inspector; provides INetworkInspector. */
export const inspectorPlugin: JupyterFrontEndPlugin<INetworkInspector> = {
  id: 'nnmotifs:inspector',
  description: 'The Network Inspector: structure, metrics, sparsity and motifs of network files.',
  autoStart: true,
  provides: INetworkInspector,
  requires: [IRenderMimeRegistry],
  optional: [ITranslator, ICommandPalette, IDefaultFileBrowser, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    rendermime: IRenderMimeRegistry,
    translator: ITranslator | null,
    palette: ICommandPalette | null,
    browser: IDefaultFileBrowser | null,
    restorer: ILayoutRestorer | null
  ): INetworkInspector => {
    const trans = (translator ?? nullTranslator).load('nnmotifs');
    // Files a network file names are read through the nnmotifs server extension, which resolves symlinks.
    const readFile: ServerFileReader = referencedFileReader(app.serviceManager.serverSettings);

    for (const fileType of NETWORK_FILE_TYPES) {
      app.docRegistry.addFileType({ ...fileType, contentType: 'file' });
    }
    const factory = new InspectorFactory(
      {
        name: INSPECTOR_FACTORY,
        label: trans.__('Network Inspector'),
        fileTypes: [...NETWORK_FILE_TYPES.map(t => t.name), JSON_FILE_TYPE],
        defaultFor: NETWORK_FILE_TYPES.map(t => t.name),
        modelName: 'base64',
        readOnly: true,
        translator: translator ?? nullTranslator
      },
      readFile,
      rendermime
    );
    app.docRegistry.addWidgetFactory(factory);

    const tracker = new WidgetTracker<InspectorDocument>({ namespace: 'nnmotifs-inspector' });
    factory.widgetCreated.connect((_, widget) => {
      widget.context.pathChanged.connect(() => void tracker.save(widget));
      void tracker.add(widget);
    });
    if (restorer !== null) {
      void restorer.restore(tracker, {
        command: 'docmanager:open',
        args: widget => ({ path: widget.context.path, factory: INSPECTOR_FACTORY }),
        name: widget => widget.context.path
      });
    }

    /** The file the command acts on: `args.path`, else the first file selected in the file browser. */
    const targetPath = (args: ReadonlyPartialJSONObject): string | null => {
      if (typeof args.path === 'string' && args.path !== '') return args.path;
      for (const item of browser?.selectedItems() ?? []) if (item.type === 'file') return item.path;
      return null;
    };
    app.commands.addCommand(InspectorCommandIDs.open, {
      label: trans.__('Open in Network Inspector'),
      caption: trans.__('Show the structure, metrics, sparsity and motifs of a network file'),
      isEnabled: args => targetPath(args) !== null,
      execute: async args => {
        const path = targetPath(args);
        if (path === null) return;
        return app.commands.execute('docmanager:open', { path, factory: INSPECTOR_FACTORY });
      }
    });

    let payloadCount = 0;
    /** The network view shown in a side panel (Notebook 7), replaced by the next one. */
    let sidePanelView: MainAreaWidget | null = null;
    app.commands.addCommand(InspectorCommandIDs.openPayload, {
      label: trans.__('Open Network View in Inspector'),
      execute: args => {
        const payload: unknown = args.payload;
        const title = typeof args.title === 'string' && args.title !== '' ? args.title : null;
        const model = new InspectorModel(readFile);
        const content = new InspectorPanel({ model, rendermime, translator: translator ?? nullTranslator });
        const widget = new MainAreaWidget({ content });
        const payloadTitle: unknown = isNetworkViewSpec(payload)
          ? (payload.meta as unknown as { title?: unknown } | undefined)?.title
          : undefined;
        const name =
          title ??
          (typeof payloadTitle === 'string' && payloadTitle !== '' ? payloadTitle : trans.__('Network view'));
        widget.id = `nnmotifs-inspector-view-${++payloadCount}`;
        widget.title.label = trans.__('Inspector: %1', name);
        widget.title.closable = true;
        widget.addClass('jp-nnmotifs-InspectorDocument');
        if (isNetworkViewSpec(payload)) {
          try {
            model.openView(name, payload);
          } catch (error) {
            model.showError(errorText(error));
          }
        } else model.showError(trans.__('%1: the output holds no network view', name));
        app.shell.add(widget, 'main');
        if (widget.parent === null) {
          // Notebook 7's shell keeps one widget in its main area (the notebook) and ignores any other: the
          // view goes to its right side panel there, one at a time.
          sidePanelView?.dispose();
          sidePanelView = widget;
          app.shell.add(widget, 'right', { rank: 1000 });
        }
        app.shell.activateById(widget.id);
      }
    });

    // Binary network files and network JSON: the Inspector is their first context-menu entry. Any .json
    // gets it too (the file may be a network saved without the .network.json suffix).
    for (const name of [...NETWORK_FILE_TYPES.map(t => t.name), JSON_FILE_TYPE]) {
      app.contextMenu.addItem({
        command: InspectorCommandIDs.open,
        selector: `.jp-DirListing-item[data-file-type="${name}"]`,
        rank: 3
      });
    }
    palette?.addItem({ command: InspectorCommandIDs.open, category: 'nnmotifs' });
    // Network-view outputs show an "Open in Inspector" button that calls this (through the token).
    return {
      openView: payload =>
        void app.commands.execute(InspectorCommandIDs.openPayload, {
          payload: payload as unknown as ReadonlyPartialJSONObject
        })
    };
  }
};
