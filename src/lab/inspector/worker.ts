/**
 * Entry point of the Network Inspector's Web Worker (bundled by Rspack from
 * `new Worker(new URL('./worker.js', import.meta.url))` in `model.ts`): census, null models and metrics run
 * here, never on JupyterLab's UI thread.
 */
import type { InspectorRequest, InspectorResponse } from './protocol';
import { InspectorWorkerCore } from './worker-core';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<InspectorRequest>) => void) | null;
  postMessage(message: InspectorResponse): void;
};

const core = new InspectorWorkerCore(
  response => scope.postMessage(response),
  () => performance.now()
);

scope.onmessage = event => void core.handle(event.data);
