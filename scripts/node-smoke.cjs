#!/usr/bin/env node
// A plain Node script, as a user would write it: trains, prunes and counts motifs (null samples on worker
// threads) with `require('nnmotifs')`, and fails unless the native TensorFlow backend ran. Used by CI on every
// tested Node version (scripts/test-all.mjs, phase node24) and by hand:
//
//   /path/to/node24/bin/node scripts/node-smoke.cjs          prints one JSON line, exit 0 when all is well
//   NNMOTIFS_SMOKE_BACKEND=any node scripts/node-smoke.cjs   accept a fallback backend (wasm, cpu)
'use strict';
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS script, as users write them
const nm = require('nnmotifs');

async function main() {
  const started = Date.now();
  const backend = nm.tfBackend();
  const want = process.env.NNMOTIFS_SMOKE_BACKEND ?? 'tensorflow';
  if (want !== 'any' && backend.backend !== want) {
    throw new Error(`backend is ${backend.backend}, expected ${want}: ${backend.reason ?? ''}`);
  }
  const data = nm.datasets.binaryTree(600, { seed: 1, validationSplit: 0.2 });
  const model = nm.mlp([31, 20, 10, 4], { outputActivation: 'softmax', init: 'glorotNormal', seed: 1 });
  const history = await nm.train(model, data, {
    epochs: 5,
    batchSize: 20,
    optimizer: 'adam',
    lr: 0.01,
    progress: false
  });
  const loss = history.loss;
  if (!(loss.length === 5 && loss[4] < loss[0])) throw new Error(`training did not lower the loss: ${loss}`);

  const pruned = await nm.prune(nm.mlp([31, 20, 10, 4], { outputActivation: 'softmax', seed: 2 }), data, {
    schedule: [0.5, 0.8],
    lr: 0.01,
    batchSize: 20,
    convergence: { minBatches: 20, checkEvery: 10, window: 10, maxBatches: 60 },
    progress: false
  });
  const sparsities = pruned.levels.map(l => Number(l.sparsity.toFixed(3)));
  if (sparsities.length !== 3 || sparsities[2] < 0.75) throw new Error(`pruning levels: ${sparsities}`);

  const net = pruned.levels[2].network; // 80 % pruned: a dense network has no null variance
  const census = await nm.motifs(net, { samples: 40, seed: 1, workers: 2, progress: false });
  const z = Object.values(census.z).filter(Number.isFinite);
  if (z.length === 0) throw new Error('the motif census produced no finite Z-score');

  console.log(
    JSON.stringify({
      node: process.version,
      backend: backend.backend,
      native: backend.native,
      loss: [Number(loss[0].toFixed(4)), Number(loss[4].toFixed(4))],
      sparsities,
      motifsWithZ: z.length,
      seconds: Number(((Date.now() - started) / 1000).toFixed(1))
    })
  );
}

main().then(
  () => process.exit(0),
  error => {
    console.error(`node-smoke FAILED on Node ${process.version}: ${error.stack ?? error}`);
    process.exit(1);
  }
);
