"""Writes examples/cnt-metrics.ipynb (cells only; execute it with nbclient at ci scale to fill the outputs,
e.g. `.venv/bin/python -m jupyter nbconvert --execute --to notebook --inplace`)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

FINDINGS = """## What we found vs what the paper reports

_Written from this notebook's `ci` outputs; see the summary cell above._

At `ci` scale (300 networks 784-8-10, 100 per std, 4000 training digits, 5 epochs, bins of 0.1; training took about 50 s on 2 cores), from the outputs above:

- **The initialisation std sets most of the accuracy.** Test accuracy with std 0.05: 66–82 % (median 76 %); std 0.5: 25–63 % (median 47 %); std 5: 10–33 % (median 18 %). Five short epochs on 4000 digits are far from the paper's training, but the protocol does what it is meant to do: a wide spread of accuracies to bin.
- **Pooled over all networks, the metrics separate low- from high-accuracy networks, as the paper reports.** The median hidden-layer fluctuation falls from ≈ 113–117 (bins 0.1–0.3) to ≈ 12–14 (0.3–0.6) and ≈ 3.3–3.7 (0.7–0.9). Split at the median accuracy, the fluctuation of every layer tells the two halves apart with AUC 0.94–0.95 (Spearman ρ with accuracy −0.88 to −0.90: the larger the fluctuation, the lower the accuracy). The symmetric KL between bins is 6–20 nats for the hidden-layer node strength and 8.6–25 nats for the fluctuation when the bins come from different stds.
- **But the accuracy bins are, almost, the std groups.** Every bin except 0.6–0.7 takes at least 94 % of its networks from one std, and between bins of the same std the KL is small (node strength 0.07–0.8 nats, fluctuation 0.15–4.6). Within one std the separation mostly vanishes: AUC 0.33–0.68 and |ρ| ≤ 0.40 in every layer. The largest within-std signal is at std 0.05 (hidden-layer fluctuation ρ −0.40, input layer +0.38); at std 0.5 and 5, |ρ| ≤ 0.24. The input-layer fluctuation stays at its initial value σ·√8 (0.14, 1.41, 14.1; measured medians 0.165, 1.42, 14.4): it records the initialisation, not the training.
- **Answer at this scale:** yes, the metrics discriminate low- from high-accuracy networks, but because accuracy and the metrics both follow the initialisation scale; among networks initialised alike they carry at most a weak signal of accuracy. The paper's claim is reproduced in the form it is stated (binned over the whole protocol); whether it holds within one initialisation is not part of it.
- **Not run here:** `paper` scale (≈ 1000 networks, 9000 digits, 10 epochs, bins of 0.025, hidden 8/256/2000)."""

cells = []
cells.append(new_markdown_cell("""# Complex-network metrics of trained networks (La Malfa et al.)

**Question.** Seen as a weighted graph, does a trained network carry the mark of how well it performs? Concretely: do the node-strength and layer-fluctuation distributions of networks with low test accuracy differ from those of networks with high test accuracy?

**Paper.** La Malfa, La Malfa, Nicosia & Latora, *Deep Neural Networks as Complex Networks* (arXiv 2209.05488; CNT). An MLP is a directed weighted graph; the **node strength** of a neuron is the signed sum of its outgoing weights plus its incoming weights and bias, the **layer fluctuation** `Y_l` is the standard deviation of the strengths within a layer. The authors' protocol (from their code): MNIST, one hidden dense layer of 8, 256 or 2000 units and a softmax output, `RandomNormal` initialisation with std ∈ {0.05, 0.5, 5}, SGD with learning rate 0.01, batch 16, 10 epochs, about 1000 runs; networks binned by test accuracy (bins of 0.025), distributions compared with the symmetric Kullback–Leibler divergence between Gaussian KDEs on a 1000-point grid. Their finding: the metrics discriminate low- from high-performing networks.

**Method here.** `nm.trainEnsemble` trains many 784-8-10 networks at once (one batched TF.js model, each network with its own seed, initialisation and batch order); ReLU hidden layer (our choice; the page of the authors' protocol does not fix it). Test accuracy is measured on held-out digits that are never used for training or selection. `nm.nodeStrength`, `nm.layerFluctuation` and `nm.symmetricKL` compute the metrics (no constant +1 on input/output strengths, which changes no fluctuation). Because the initialisation std also sets the scale of the weights, we check whether the separation survives *within* one std.

**Scale.** `ci`: 3 × 100 networks, 4000 training digits, 5 epochs, accuracy bins of 0.1 (about half a minute of training on 2 cores). `paper`: 3 × 333 networks, 9000 training digits (the `mnist` package ships 10 000), 10 epochs, bins of 0.025; set `config.hidden` to 256 or 2000 for the paper's other sizes. Set the environment variable `NNMOTIFS_SCALE=paper` before starting the kernel, or edit the next cell."""))
cells.append(new_code_cell("""import * as nm from "nnmotifs";

const scale = process.env.NNMOTIFS_SCALE === "paper" ? "paper" : "ci";
const config = scale === "paper"
  ? { train: 9000, test: 1000, hidden: 8, stds: [0.05, 0.5, 5], perStd: 333, epochs: 10, binWidth: 0.025, minBin: 5 }
  : { train: 4000, test: 1000, hidden: 8, stds: [0.05, 0.5, 5], perStd: 100, epochs: 5, binWidth: 0.1, minBin: 5 };
({ scale, sizes: `784-${config.hidden}-10`, networks: config.stds.length * config.perStd, epochs: config.epochs, binWidth: config.binWidth })"""))
cells.append(new_markdown_cell("## 1. Data and training\n\nMNIST digits shipped with the `mnist` package (no download), pixels in [0, 1]. The test digits are passed as the evaluation set of `trainEnsemble`: after every epoch each network's accuracy on them is recorded, nothing is selected with it. SGD, learning rate 0.01, batch 16, categorical cross-entropy, as the authors."))
cells.append(new_code_cell("""const digits = nm.datasets.mnist({ train: config.train, test: config.test, seed: 1 });
const data = { x: digits.xTrain, y: digits.yTrain, xVal: digits.xTest, yVal: digits.yTest };
type Run = { std: number; seed: number; accuracy: number; network: nm.LayeredNetwork };
const runs: Run[] = [];
const started = Date.now();
for (const [g, std] of config.stds.entries()) {
  const seeds = Array.from({ length: config.perStd }, (_, i) => 1000 * (g + 1) + i);
  const result = await nm.trainEnsemble([784, config.hidden, 10], data, {
    seeds, init: { kind: "normal", sd: std }, activation: "relu", outputActivation: "softmax",
    epochs: config.epochs, batchSize: 16, optimizer: "sgd", lr: 0.01
  });
  result.networks.forEach((network, i) => {
    const acc = result.histories[i].valAcc as number[];
    runs.push({ std, seed: seeds[i], accuracy: acc[acc.length - 1], network });
  });
}
const trainSeconds = (Date.now() - started) / 1000;
const q = (v: number[], p: number) => { const s = [...v].sort((a, b) => a - b); return s[Math.round(p * (s.length - 1))]; };
config.stds.map(std => {
  const acc = runs.filter(r => r.std === std).map(r => r.accuracy);
  return { std, networks: acc.length, min: q(acc, 0), median: q(acc, 0.5), max: q(acc, 1) };
})"""))
cells.append(new_code_cell("""nm.show.figure(nm.figures.groupedDistributionFigure(
  config.stds.map(std => ({ name: `std ${std}`, values: runs.filter(r => r.std === std).map(r => 100 * r.accuracy) })),
  { title: "Test accuracy per initialisation std", xTitle: "RandomNormal initialisation std", yTitle: "Test accuracy (%)", exportName: "cnt-accuracy-per-std" }));"""))
cells.append(new_markdown_cell("## 2. Metrics binned by test accuracy\n\nNode strength of every neuron (`nm.nodeStrength`) and layer fluctuation `Y_l` per network (`nm.layerFluctuation`), networks grouped by test accuracy. Bins with fewer than `config.minBin` networks are left out of the comparisons."))
cells.append(new_code_cell("""const LAYERS = ["input", "hidden", "output"];
const metrics = runs.map(r => ({ ...r, strength: nm.nodeStrength(r.network), fluctuation: nm.layerFluctuation(r.network) }));
const binOf = (acc: number) => Math.min(Math.floor(acc / config.binWidth + 1e-9), Math.floor(1 / config.binWidth) - 1);
const binLabel = (b: number) => `${(b * config.binWidth).toFixed(scale === "paper" ? 3 : 1)}–${((b + 1) * config.binWidth).toFixed(scale === "paper" ? 3 : 1)}`;
const bins = [...new Set(metrics.map(m => binOf(m.accuracy)))].sort((a, b) => a - b)
  .map(b => ({ bin: b, label: binLabel(b), members: metrics.filter(m => binOf(m.accuracy) === b) }))
  .filter(b => b.members.length >= config.minBin);
bins.map(b => ({ bin: b.label, networks: b.members.length,
  perStd: Object.fromEntries(config.stds.map(s => [`std ${s}`, b.members.filter(m => m.std === s).length])) }))"""))
cells.append(new_code_cell("""nm.show.figure(nm.figures.groupedDistributionFigure(
  bins.map(b => ({ name: b.label, values: b.members.flatMap(m => Array.from(m.strength[1])) })),
  { title: "Hidden-layer node strength per test-accuracy bin", xTitle: "Test accuracy bin", yTitle: "Node strength s (signed sum of weights and bias, a.u.)", exportName: "cnt-hidden-strength-per-bin" }));"""))
cells.append(new_code_cell("""nm.show.figure(nm.figures.groupedDistributionFigure(
  bins.map(b => ({ name: b.label, values: b.members.map(m => m.fluctuation[1]) })),
  { title: "Hidden-layer fluctuation per test-accuracy bin", xTitle: "Test accuracy bin", yTitle: "Layer fluctuation Y (sd of node strength, a.u.)", logY: true, exportName: "cnt-hidden-fluctuation-per-bin" }));"""))
cells.append(new_code_cell("""nm.show.figure(nm.figures.metricVsAccuracyFigure(
  config.stds.map(std => {
    const group = metrics.filter(m => m.std === std);
    return { name: `std ${std}`, x: group.map(m => m.accuracy), y: group.map(m => m.fluctuation[1]) };
  }),
  { title: "Hidden-layer fluctuation against test accuracy, by initialisation std", yTitle: "Layer fluctuation Y (sd of node strength, a.u.)", logY: true, exportName: "cnt-fluctuation-vs-accuracy" }));"""))
cells.append(new_markdown_cell("## 3. Symmetric KL divergence between accuracy bins\n\n`nm.symmetricKL` between the Gaussian KDEs of two bins on a common 1000-point grid (the authors' comparison), for the pooled hidden-layer node strengths and for the per-network hidden-layer fluctuation."))
cells.append(new_code_cell("""const labels = bins.map(b => b.label);
const klStrength = nm.pairwiseSymmetricKL(bins.map(b => b.members.flatMap(m => Array.from(m.strength[1]))));
const klFluctuation = nm.pairwiseSymmetricKL(bins.map(b => b.members.map(m => m.fluctuation[1])));
nm.show.figure(nm.figures.klHeatmapFigure(labels, klStrength, { title: "Symmetric KL between accuracy bins: hidden-layer node strength", axisTitle: "Test accuracy bin", exportName: "cnt-kl-strength" }));
nm.show.figure(nm.figures.klHeatmapFigure(labels, klFluctuation, { title: "Symmetric KL between accuracy bins: hidden-layer fluctuation", axisTitle: "Test accuracy bin", exportName: "cnt-kl-fluctuation" }));"""))
cells.append(new_markdown_cell("## 4. Does the separation survive within one initialisation std?\n\nThe std sets both the weight scale and, largely, the accuracy. So within each std we split the networks at their median accuracy and ask how well each layer's fluctuation tells the two halves apart: the AUC is the probability that a random low-accuracy network has a *larger* fluctuation than a random high-accuracy one (0.5: no separation; 1 or 0: perfect), next to the Spearman rank correlation between fluctuation and accuracy. The same AUC over all networks (split at the overall median) is the pooled view that the bins above take."))
cells.append(new_code_cell("""const ranks = (v: number[]) => { const o = v.map((x, i) => [x, i]).sort((a, b) => a[0] - b[0]); const r = new Array(v.length);
  for (let i = 0; i < o.length;) { let j = i; while (j + 1 < o.length && o[j + 1][0] === o[i][0]) j++; for (let k = i; k <= j; k++) r[o[k][1]] = (i + j) / 2 + 1; i = j + 1; } return r as number[]; };
const spearman = (x: number[], y: number[]) => { const rx = ranks(x), ry = ranks(y), n = x.length, mx = (n + 1) / 2;
  let sxy = 0, sxx = 0, syy = 0; for (let i = 0; i < n; i++) { sxy += (rx[i] - mx) * (ry[i] - mx); sxx += (rx[i] - mx) ** 2; syy += (ry[i] - mx) ** 2; } return sxy / Math.sqrt(sxx * syy); };
const auc = (low: number[], high: number[]) => { let s = 0; for (const a of low) for (const b of high) s += a > b ? 1 : a === b ? 0.5 : 0; return s / (low.length * high.length); };
const separation = (group: typeof metrics) => {
  const cut = q(group.map(m => m.accuracy), 0.5);
  const low = group.filter(m => m.accuracy < cut), high = group.filter(m => m.accuracy >= cut);
  return Object.fromEntries(LAYERS.map((name, l) => [name, {
    auc: auc(low.map(m => m.fluctuation[l]), high.map(m => m.fluctuation[l])),
    spearman: spearman(group.map(m => m.fluctuation[l]), group.map(m => m.accuracy)),
  }]));
};
const pooled = separation(metrics);
const withinStd = config.stds.map(std => ({ std, layers: separation(metrics.filter(m => m.std === std)) }));
const fmt = (s: { auc: number; spearman: number }) => `AUC ${s.auc.toFixed(2)}, ρ ${s.spearman.toFixed(2)}`;
[{ group: "all networks", ...Object.fromEntries(LAYERS.map(n => [n, fmt(pooled[n])])) },
 ...withinStd.map(w => ({ group: `std ${w.std}`, ...Object.fromEntries(LAYERS.map(n => [n, fmt(w.layers[n])])) }))]"""))
cells.append(new_markdown_cell("## 5. Summary\n\nThe numbers the text below quotes (the test of this notebook checks them)."))
cells.append(new_code_cell("""const summary = {
  scale: scale,
  sizes: [784, config.hidden, 10],
  networks: runs.length,
  trainSeconds: Math.round(trainSeconds),
  accuracyPerStd: config.stds.map(std => { const a = runs.filter(r => r.std === std).map(r => r.accuracy); return { std, min: q(a, 0), median: q(a, 0.5), max: q(a, 1) }; }),
  bins: bins.map(b => ({ label: b.label, networks: b.members.length,
    perStd: config.stds.map(s => b.members.filter(m => m.std === s).length),
    medianFluctuation: LAYERS.map((_, l) => q(b.members.map(m => m.fluctuation[l]), 0.5)) })),
  klStrength: klStrength,
  klFluctuation: klFluctuation,
  pooled: pooled,
  withinStd: withinStd,
};
console.log(JSON.stringify(summary));"""))
cells.append(new_markdown_cell(FINDINGS))
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
     "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}})
for i, c in enumerate(nb.cells):
    c["id"] = f"cnt-{i}"
nbformat.write(nb, str(Path(__file__).resolve().parents[1] / "cnt-metrics.ipynb"))
