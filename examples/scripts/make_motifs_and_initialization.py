"""Writes examples/motifs-and-initialization.ipynb (cells only; execute it with nbclient at ci scale to fill the
outputs, e.g. `.venv/bin/python -m jupyter nbconvert --execute --to notebook --inplace`)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

FINDINGS = """## What we found vs what the paper reports

_Written from this notebook's `ci` outputs (summary cell above)._

At `ci` scale (31-20-20-4 ReLU/softmax, SGD with Nesterov momentum 0.6, lr 0.01, batch 20, 10 epochs; 3 networks per initialization on the binary tree, 2 on the independent clusters; 100 colour-preserving switched random networks per census; about 590 coloured 4-node classes occur, of which about 470 vary across the random networks, so ≈ 18.5 classes per network are expected at p < 0.05 by chance alone):

- **Every network learns both tasks** (validation accuracy 1.00 in all 15 networks).
- **No initialization leaves an initial motif fingerprint against this null.** At initialization, 9–19 classes are significant per network for all three initializations, around the ≈ 18.5 expected by chance. This is what one should expect here: RandomNormal and Glorot draw the weights of a layer independently, and the orthogonal matrices' correlations do not show in 4-node subgraphs, so a network is just another sample of its own colour-preserving switching ensemble. *The paper's "sharper initial fingerprint" of orthogonal and Glorot initializations does not reproduce here.* We have not checked whether the paper's FANMOD null kept the random networks layered as ours does (ours switches only within a layer pair); a null that mixes layers would make any layered network look structured at initialization.
- **Learning shapes the topology — from RandomNormal(0, 0.1).** After training, these networks have 30–44 (binary tree) and 25–40 (clusters) significant classes, 1.4–2.4× chance and more than any orthogonal or Glorot network (5–22, i.e. still at chance level). Their mean |ΔZ| over the classes significant before or after training is 2.61–3.13 per network against 1.34–2.55. They also move their weights much more: ‖W_trained − W_init‖ / ‖W_init‖ is 0.70–1.01 against 0.22–0.41, and their share of removed edges after training is 0.76–0.80 (about 0.73 at initialization; 0.70–0.75 for the others after training): the weight distribution grows heavier tails. This is consistent with the small initial weights having to grow to solve the task, while the orthogonal and Glorot weights (σ ≈ 0.20–0.22 against 0.10) change little in 10 epochs.
- **Which motifs grow: coherent bi-parallels.** The classes with the largest ΔZ are bi-parallels (one input, two middle neurons, one output) whose two paths carry the same sign, e.g. all four edges positive (ΔZ +3.8 binary tree, +5.2 clusters for RandomNormal); incomplete or incoherent ones fall. Over all bi-parallel classes, the mean ΔZ of coherent ones is +0.72 to +1.25 and of incoherent ones −0.55 to −0.82 in every RandomNormal network; for orthogonal and Glorot both stay within ±0.4. This echoes the paper's remark that the motifs that emerge resemble those of transduction networks (coherent feed-forward loops), but we found it only for the RandomNormal initialization.
- **Consistency across networks.** On the clusters, the two RandomNormal networks share 13 classes significant with the same sign (over-represented: four all-positive bi-parallels, Z +3.2 to +6.8, and the all-positive bi-fan, Z +4.6 and +3.5; under-represented: six incomplete bi-parallels with positive edges, Z −2.3 to −4.5); orthogonal and Glorot share 1 each. On the binary tree no class is significant with the same sign in all three networks of any initialization.

**In short:** the paper's first finding (learning shapes the final topology, and the initialization biases it strongly) holds at `ci` scale, but in the other direction for the initializations: here the small RandomNormal(0, 0.1) weights develop a clear motif fingerprint, while orthogonal and Glorot networks start and (after 10 epochs) stay at chance level. **Not run here:** `paper` scale (the three architectures, 20 epochs, 10 networks per initialization; about half an hour, estimated), the 5-node census and MNIST."""

cells = []
cells.append(new_markdown_cell("""# Motifs and initialization (Zambra, Testolin & Maritan)

**Question.** Do the connections of a trained multi-layer perceptron organise into network motifs, and does the choice of weight initialization decide which ones?

**Paper.** Zambra, Testolin & Maritan, *Emergence of network motifs in deep neural networks* (Entropy 22, 2020; arXiv 2004.01495): MLPs 31-[20,10]/[20,20]/[30,30]-4 (ReLU, softmax) on two synthetic data sets (binary tree, independent clusters; 31 features, 4 classes, 2000 samples) trained with SGD (lr 0.01, Nesterov momentum 0.6, batch 20, ≤ 20 epochs) from three initializations: RandomNormal(0, 0.1), Orthogonal (gain 1) and Glorot normal. Every weight is turned into one of five edge classes (strong/mild negative, removed, mild/strong positive) from a normal distribution fitted to all weights; FANMOD counts the coloured 4-node subgraphs and compares them with 100 random networks made by colour-preserving edge switching. They report ΔZ = Z_trained − Z_init for the significant (p < 0.05) subgraphs. Finding: *learning shapes the final topology, but it can be strongly biased by the initialization; orthogonal and Glorot initializations leave a sharper initial motif fingerprint that then develops.*

**Method here.** `nm.datasets.binaryTree` / `nm.datasets.independentClusters` generate the data as the authors' generators do; `nm.mlp` draws the three initializations with a seeded generator (Keras' definitions); `nm.train` runs the same SGD. `nm.colourEdges(net, {c: 0.55})` gives the five edge classes (class 0 = edge removed); `nm.subgraphSignificance(net, {size: 4, colours, samples: 100})` counts every weakly connected induced coloured 4-node subgraph (ESU enumeration, FANMOD's default) and draws 100 random networks by colour- and degree-preserving switching *within each layer pair* (so a random network is still a layered MLP); `nm.deltaZ` gives ΔZ. A class is significant when its empirical two-sided p < 0.05.

**Scale.** `ci` (the default): the 31-20-20-4 network only, 10 epochs, 3 networks per initialization on the binary tree and 2 on the clusters, 100 random networks each; about two minutes on 2 cores. `paper`: the three architectures, 20 epochs, 10 networks per initialization and data set (the number of networks is our choice; the paper does not state it), 100 random networks; about half an hour on 2 cores (estimated from the `ci` timings, not run). Set the environment variable `NNMOTIFS_SCALE=paper` before starting the kernel, or edit the next cell."""))
cells.append(new_code_cell("""import * as nm from "nnmotifs";

const scale = process.env.NNMOTIFS_SCALE === "paper" ? "paper" : "ci";
const config = scale === "paper"
  ? { samples: 2000, hidden: [[20, 10], [20, 20], [30, 30]], epochs: 20, nulls: 100,
      seeds: { binaryTree: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], clusters: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] } }
  : { samples: 2000, hidden: [[20, 20]], epochs: 10, nulls: 100,
      seeds: { binaryTree: [1, 2, 3], clusters: [1, 2] } };
({ scale, architectures: config.hidden.map(h => [31, ...h, 4].join("-")), epochs: config.epochs,
   networksPerInit: config.seeds, randomNetworks: config.nulls })"""))
cells.append(new_markdown_cell("""## 1. Data

**Binary tree**: each sample is the 31 node values (±1) of a depth-5 binary tree; a +1 node passes (+1, −1) to its children with probability 0.7, else (−1, +1); a −1 node passes (−1, −1); the class is the pattern of the first 7 nodes (4 patterns). **Independent clusters**: 4 groups of 8/7/9/7 features; a sample of class *k* carries its group's values on group *k* and −1 elsewhere. 2000 samples each, 20 % held out for validation."""))
cells.append(new_code_cell("""const datasets = {
  binaryTree: nm.datasets.binaryTree(config.samples, { seed: 1, validationSplit: 0.2 }),
  clusters: nm.datasets.independentClusters(config.samples, { seed: 1, validationSplit: 0.2 }),
};
const DATASET_NAMES: Record<string, string> = { binaryTree: "binary tree", clusters: "independent clusters" };
Object.fromEntries(Object.entries(datasets).map(([k, d]) => [k, { train: d.xTrain.shape, validation: d.xVal.shape, classes: d.yTrain.shape[1] }]))"""))
cells.append(new_markdown_cell("""## 2. Three initializations and coloured edges

RandomNormal(0, 0.1) has the same spread in every layer; Orthogonal (gain 1) makes the rows or columns of each weight matrix orthonormal (entries ≈ ±1/√fan); Glorot normal has sd √(2/(fan-in + fan-out)) per layer. The same seed draws network *s* of every initialization.

The colouring fits N(μ, σ) to all weights of a network; weights within μ ± σ·√(2 ln(1/0.55)) ≈ μ ± 1.09 σ are *removed* (about 73 % of a normal sample), the rest are mild or strong by their distance to 1.1 × the extreme weight. Below, the thresholds and the share of each class for network 1 of each initialization, before training."""))
cells.append(new_code_cell("""const INITS: { name: string; init: nm.Init }[] = [
  { name: "RandomNormal(0, 0.1)", init: { kind: "normal", sd: 0.1 } },
  { name: "Orthogonal (gain 1)", init: { kind: "orthogonal", gain: 1 } },
  { name: "Glorot normal", init: "glorotNormal" },
];
const COLOUR_NAMES: Record<string, string> = { "-2": "strong −", "-1": "mild −", "0": "removed", "1": "mild +", "2": "strong +" };
/** Share of the network's connections in each edge class. */
function colourShares(net: nm.LayeredNetwork): Record<string, number> {
  const { colours } = nm.colourEdges(net, { c: 0.55 });
  const counts: Record<string, number> = {};
  let n = 0;
  for (const layer of colours) for (const c of layer) { counts[COLOUR_NAMES[String(c)]] = (counts[COLOUR_NAMES[String(c)]] ?? 0) + 1; n++; }
  return Object.fromEntries(Object.values(COLOUR_NAMES).map(k => [k, Number(((counts[k] ?? 0) / n).toFixed(3))]));
}
INITS.map(({ name, init }) => {
  const net = nm.fromModel(nm.mlp([31, ...config.hidden[0], 4], { activation: "relu", outputActivation: "softmax", init: init, seed: 1 }));
  const t = nm.colourEdges(net, { c: 0.55 }).thresholds;
  return { init: name, sigma: Number(t.sigma.toFixed(3)), removedBand: [Number(t.b0.toFixed(3)), Number(t.b1.toFixed(3))], strongBeyond: [Number(t.tn.toFixed(3)), Number(t.tp.toFixed(3))], shares: colourShares(net) };
})"""))
cells.append(new_markdown_cell("""## 3. Train, colour, census before and after training

For every network: colour and census the initial weights, train, colour and census the trained weights. The census counts every weakly connected induced 4-node subgraph class (coloured) in the network and in 100 colour-preserving switched random networks. `chance` is the number of significant classes expected if the network were just another random network: with 100 random networks, p < 0.05 needs the network's count to be among the 2 most extreme of 101 on either side, probability 4/101 for every class whose count varies across the random networks (fewer with ties)."""))
cells.append(new_code_cell("""type Run = {
  dataset: string; hidden: string; init: string; seed: number; valAcc: number;
  weightChange: number; before: nm.SubgraphSignificance; after: nm.SubgraphSignificance;
  dz: Record<string, number>; sharesAfter: Record<string, number>;
};
const ALPHA = 0.05;
const significance = (net: nm.LayeredNetwork) =>
  nm.subgraphSignificance(net, { size: 4, colours: nm.colourEdges(net, { c: 0.55 }).colours, samples: config.nulls, seed: 7 });
/** ‖W_trained − W_init‖ / ‖W_init‖ over all weights. */
function weightChange(a: nm.LayeredNetwork, b: nm.LayeredNetwork): number {
  let d = 0, n = 0;
  a.layers.forEach((layer, l) => layer.weights.forEach((w, k) => { d += (b.layers[l].weights[k] - w) ** 2; n += w * w; }));
  return Math.sqrt(d / n);
}
const runs: Run[] = [];
const started = Date.now();
for (const dataset of Object.keys(datasets) as (keyof typeof datasets)[]) {
  for (const hidden of config.hidden) {
    for (const { name, init } of INITS) {
      for (const seed of config.seeds[dataset]) {
        const model = nm.mlp([31, ...hidden, 4], { activation: "relu", outputActivation: "softmax", init: init, seed: seed });
        const initial = nm.fromModel(model);
        const history = await nm.train(model, datasets[dataset], {
          epochs: config.epochs, batchSize: 20, optimizer: "sgdNesterov", momentum: 0.6, lr: 0.01,
          loss: "categoricalCrossentropy", seed: seed, progress: false
        });
        const trained = nm.fromModel(model);
        model.dispose();
        const before = significance(initial);
        const after = significance(trained);
        runs.push({
          dataset, hidden: [31, ...hidden, 4].join("-"), init: name, seed, valAcc: history.valAcc?.[history.valAcc.length - 1] ?? NaN,
          weightChange: weightChange(initial, trained), before, after, dz: nm.deltaZ(after, before),
          sharesAfter: colourShares(trained)
        });
      }
    }
  }
}
const significant = (s: nm.SubgraphSignificance) => Object.keys(s.classes).filter(k => s.classes[k].p < ALPHA);
const chance = (s: nm.SubgraphSignificance) => (4 / (s.samples + 1)) * Object.values(s.classes).filter(c => c.nullSd > 0).length;
console.log(`${runs.length} networks in ${((Date.now() - started) / 1000).toFixed(0)} s`);
runs.map(r => ({
  data: r.dataset, init: r.init, seed: r.seed, valAcc: Number(r.valAcc.toFixed(3)),
  weightChange: Number(r.weightChange.toFixed(2)), classes: Object.keys(r.after.classes).length,
  significantInit: significant(r.before).length, significantTrained: significant(r.after).length,
  chance: Number(chance(r.before).toFixed(1))
}))"""))
cells.append(new_markdown_cell("""## 4. How many classes are significant, before and after training

Bars: mean over the networks of an initialization (error bars: smallest to largest network); dashed line: the number expected by chance."""))
cells.append(new_code_cell("""const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
for (const dataset of Object.keys(datasets)) {
  const these = runs.filter(r => r.dataset === dataset);
  nm.show.figure(nm.figures.significantClassesFigure(
    INITS.map(({ name }) => ({
      name,
      before: these.filter(r => r.init === name).map(r => significant(r.before).length),
      after: these.filter(r => r.init === name).map(r => significant(r.after).length),
    })),
    { title: `Significant coloured 4-node subgraphs: ${DATASET_NAMES[dataset]}`, chance: mean(these.map(r => chance(r.before))),
      exportName: `significant-classes-${dataset}`, provenance: { dataset, architectures: config.hidden.map(h => [31, ...h, 4].join("-")), epochs: config.epochs, randomNetworks: config.nulls } }
  ));
}"""))
cells.append(new_markdown_cell("""## 5. ΔZ = Z_trained − Z_init

The classes significant (p < 0.05) before or after training in at least one network of the data set; the 15 with the largest mean |ΔZ| for some initialization. Labels: nodes per layer, then the edges (nodes lettered by layer) with their class (`++` strong positive, `+` mild positive, `−` mild negative, `−−` strong negative)."""))
cells.append(new_code_cell("""for (const dataset of Object.keys(datasets)) {
  const these = runs.filter(r => r.dataset === dataset);
  const candidates = [...new Set(these.flatMap(r => [...significant(r.before), ...significant(r.after)]))];
  nm.show.figure(nm.figures.subgraphDeltaZFigure(
    INITS.map(({ name }) => ({ name, deltaZ: these.filter(r => r.init === name).map(r => r.dz) })),
    { classes: candidates, top: 15, title: `ΔZ of coloured 4-node subgraphs: ${DATASET_NAMES[dataset]}`,
      exportName: `subgraph-delta-z-${dataset}`, provenance: { dataset, epochs: config.epochs, randomNetworks: config.nulls } }
  ));
}"""))
cells.append(new_markdown_cell("""### Coherent and incoherent bi-parallels

The classes at the top of these charts are mostly *bi-parallels* (one input, two middle neurons, one output: 1-2-1 with all four edges). Each has two paths from `a` to `d`; the sign of a path is the product of its edges' signs. Below, for every network, the mean ΔZ over all bi-parallel classes whose two paths carry the same sign (*coherent*, like coherent feed-forward loops) and over those whose paths disagree (*incoherent*)."""))
cells.append(new_code_cell("""/** For a complete bi-parallel class (1-2-1, four edges): +1 when both paths a→d have the same sign, −1 when not; 0 for other classes. */
function biParallelCoherence(key: string): number {
  const info = nm.describeSubgraphClass(key);
  const levels = info.levels;
  if (levels === null || info.edges.length !== 4 || [...levels].sort().join() !== "0,1,1,2") return 0;
  const colour = (from: number, to: number) => Math.sign(info.edges.find(e => e.from === from && e.to === to)?.colour ?? 0);
  const source = levels.indexOf(0), sink = levels.indexOf(2);
  const [m1, m2] = [0, 1, 2, 3].filter(p => levels[p] === 1);
  return colour(source, m1) * colour(m1, sink) === colour(source, m2) * colour(m2, sink) ? 1 : -1;
}
/** Mean finite ΔZ of a network over the bi-parallel classes of one coherence. */
const biParallelDeltaZ = (r: Run, coherence: number) =>
  mean(Object.keys(r.dz).filter(k => Number.isFinite(r.dz[k]) && biParallelCoherence(k) === coherence).map(k => r.dz[k]));
runs.map(r => ({ data: r.dataset, init: r.init, seed: r.seed,
  coherent: Number(biParallelDeltaZ(r, 1).toFixed(2)), incoherent: Number(biParallelDeltaZ(r, -1).toFixed(2)) }))"""))
cells.append(new_markdown_cell("""## 6. Summary

Per data set and initialization, one value per network (the numbers the text below quotes; the test of this notebook checks them): validation accuracy, relative weight change, significant classes at initialization and after training, the chance level, mean |ΔZ| over the classes significant before or after, and the classes significant with the same sign of Z in every trained network of the initialization (`consistentTrained`), the share of removed edges after training, and the mean ΔZ of coherent and incoherent bi-parallels."""))
cells.append(new_code_cell("""const round = (x: number, d = 2) => Number(x.toFixed(d));
const summary = {
  scale: scale,
  epochs: config.epochs,
  randomNetworks: config.nulls,
  datasets: Object.fromEntries(Object.keys(datasets).map(dataset => [dataset, Object.fromEntries(INITS.map(({ name }) => {
    const these = runs.filter(r => r.dataset === dataset && r.init === name);
    const sigAfter = these.map(r => new Set(significant(r.after)));
    const consistent = [...sigAfter[0]].filter(k => sigAfter.every(s => s.has(k)) &&
      (these.every(r => r.after.classes[k].z > 0) || these.every(r => r.after.classes[k].z < 0)));
    return [name, {
      valAcc: these.map(r => round(r.valAcc, 3)),
      weightChange: these.map(r => round(r.weightChange)),
      significantInit: these.map(r => significant(r.before).length),
      significantTrained: these.map(r => significant(r.after).length),
      chance: these.map(r => round(chance(r.before), 1)),
      meanAbsDeltaZ: these.map(r => {
        const keys = [...new Set([...significant(r.before), ...significant(r.after)])].filter(k => Number.isFinite(r.dz[k]));
        return round(mean(keys.map(k => Math.abs(r.dz[k]))));
      }),
      consistentTrained: consistent.map(k => `${nm.figures.subgraphClassLabel(k)} (Z ${these.map(r => round(r.after.classes[k].z, 1)).join(", ")})`),
      removedShareTrained: these.map(r => r.sharesAfter["removed"]),
      deltaZCoherentBiParallel: these.map(r => round(biParallelDeltaZ(r, 1))),
      deltaZIncoherentBiParallel: these.map(r => round(biParallelDeltaZ(r, -1))),
    }];
  }))])),
};
console.log(JSON.stringify(summary));"""))
cells.append(new_markdown_cell(FINDINGS))
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
     "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}})
for i, c in enumerate(nb.cells):
    c["id"] = f"initialization-{i}"
nbformat.write(nb, str(Path(__file__).resolve().parents[1] / "motifs-and-initialization.ipynb"))
