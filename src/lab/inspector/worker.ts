/**
 * Entry point of the Network Inspector's Web Worker (bundled by Rspack from
 * `new Worker(new URL('./worker.js', import.meta.url))` in `model.ts`): census, null models and metrics run
 * here, never on JupyterLab's UI thread; motif runs also on helper workers (`null-helper.ts`), one per extra
 * core.
 */
import type { InspectorRequest, InspectorResponse } from './protocol';
import { type HelperPort, InspectorWorkerCore, workerHelper } from './worker-core';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<InspectorRequest>) => void) | null;
  postMessage(message: InspectorResponse): void;
};

// One helper Web Worker per extra core (at most 3): the kernel's nm.motifs counts on every core too.
const extraCores = Math.min(3, Math.max(0, (navigator.hardwareConcurrency || 1) - 1));
const core = new InspectorWorkerCore(
  response => scope.postMessage(response),
  () => performance.now(),
  () =>
    Array.from({ length: extraCores }, () =>
      workerHelper(
        new Worker(new URL('./null-helper.js', import.meta.url), {
          name: 'nnmotifs-inspector-helper'
        }) as unknown as HelperPort // a Worker's listeners take the full MessageEvent/ErrorEvent
      )
    )
);

scope.onmessage = event => void core.handle(event.data);
