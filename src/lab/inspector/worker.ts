/**
 * Entry point of the Network Inspector's Web Worker (bundled by Rspack from
 * `new Worker(new URL('./worker.js', import.meta.url))` in `model.ts`): census, null models and metrics run
 * here, never on JupyterLab's UI thread; motif runs also on helper workers (`null-helper.ts`), one per extra
 * core, kept in a {@link HelperPool} from run to run.
 */
import type { InspectorRequest, InspectorResponse } from './protocol';
import { type HelperPort, HelperPool, InspectorWorkerCore } from './worker-core';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<InspectorRequest>) => void) | null;
  postMessage(message: InspectorResponse): void;
};

// One helper Web Worker per extra core (at most 3): the kernel's nm.motifs counts on every core too. They are
// kept between motif runs and started when a network opens, so a run pays neither their start nor cold code.
const extraCores = Math.min(3, Math.max(0, (navigator.hardwareConcurrency || 1) - 1));
const helpers = new HelperPool(
  extraCores,
  () =>
    new Worker(new URL('./null-helper.js', import.meta.url), {
      name: 'nnmotifs-inspector-helper'
    }) as unknown as HelperPort // a Worker's listeners take the full MessageEvent/ErrorEvent
);
const core = new InspectorWorkerCore(
  response => scope.postMessage(response),
  () => performance.now(),
  () => helpers.take()
);

scope.onmessage = event => {
  if (event.data.type === 'open-file' || event.data.type === 'open-view') helpers.prestart();
  void core.handle(event.data);
};
