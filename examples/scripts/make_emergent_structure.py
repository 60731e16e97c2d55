"""Writes examples/emergent-structure.ipynb (cells only; execute it with nbclient at ci scale to fill the
outputs, e.g. `.venv/bin/python -m jupyter nbconvert --execute --to notebook --inplace`)."""
from pathlib import Path

import nbformat
from nbformat.v4 import new_notebook, new_markdown_cell, new_code_cell

FINDINGS = """## What we found vs what the paper reports

_Written from this notebook's `ci` outputs; see the summary cell above._

At `ci` scale (`S = 41` neurons: 16 inputs on a line, 24 others, 1 output; `T = 3` recursion steps; 2000 Adam steps; 3 seeds per setting; training of the 12 URNs took about 70 s on 2 cores), from the outputs above:

- **No regulator → a dense, unstructured network (the "fully connected" case).** The task is learnt almost exactly (validation MSE / var(y) = 0.0004 for every seed), and `W` stays dense: the mass-90 fraction goes only from 0.64–0.65 at initialisation to 0.59–0.61, the receptive-field span from 0.94–0.97 to 0.82–0.90 (1 = no locality).
- **L1 → a sparse network, and the data decide whether it is local.** With the same L1 strength, about 30 of the 1681 connections carry 90 % of the weight mass (mass-90 fraction 0.017–0.018 on local data, 0.015–0.023 on far-pair data) and the task is still learnt (MSE / var 0.004–0.026 and 0.002–0.028). On **local data** the receptive fields become local (span 0.19–0.27: neurons read neighbouring inputs) without any locality term; on **far-pair data** they stay wide (span 0.74–0.79: neurons read the pairs that lie half the line apart). Same URN, same loss, different data → different structure, as the paper states.
- **A locality regulator overrides the data and builds depth.** On far-pair data, adding the locality term makes the receptive fields local again (span 0.27–0.44) at a price in task loss (MSE / var 0.10–0.12, 3.5–50× the L1-only runs) and sparsity (mass-90 fraction 0.09–0.18). The weight mass moves from input neurons that are reused as hidden units (48 % → 8 % of Σ|W|) to connections between non-input neurons (5 % → 29 %) and into the output (6 % → 30 %): neurons read local pieces on the first step and other neurons combine them later, a deeper, locally connected structure. The relative strengths of data and regulators choose the structure, which is the paper's central claim; we show it for the two regulators we implemented.
- **Lifetime structure evolution.** The structure forms during training: with L1 the mass-90 fraction falls from 0.64 to ≈ 0.06 within 300 steps and the locality of the local-data runs keeps sharpening until ≈ 1000 steps (span 0.95 → 0.53 at step 300 → 0.22). With the locality regulator the network first becomes very sparse (≈ 0.03 at step 500) and then grows connections back (0.12 at step 2000) while staying local — the structure keeps changing after the task is learnt.
- **The URN reuses its input neurons.** Because input neurons are not clamped, in the L1 runs 46–48 % of the weight mass goes *into* input neurons: after the first step they serve as hidden units. Self-loops (the recursion's form of a residual connection) carry only 0.2–2.4 % of the mass in every setting: **we did not see residual structures emerge** at this scale, nor did we vary depth or width; the paper reports residual networks of different depths and widths.
- **Not verified:** we could not read the paper's full text, so its exact update rule, regulators (e.g. any ordering or depth regulator), data sets, sizes and figures are not reproduced; this notebook checks the claim in the abstract with our own minimal version. `paper` scale (`S = 97`, `T = 4`, 6000 steps, 10 seeds) was not run here."""

cells = []
cells.append(new_markdown_cell("""# Emergent structure in an Unstructured Recursive Network (Golkar)

**Question.** If a network starts without any architecture — one pool of neurons, every neuron connected to every other — does training with a loss made of a task term and a few *regulators* make a recognisable structure emerge, and does *which* structure emerges depend on the structure of the data and on which regulators are on?

**Paper.** Siavash Golkar, *Emergent Structures and Lifetime Structure Evolution in Artificial Neural Networks* (arXiv 1911.11691, 2019). It introduces the **Unstructured Recursive Network (URN)**: a vector `N` of `S` neurons whose first `d_in` entries hold the input (the rest start at zero) and one dense `S × S` weight matrix `W` applied recursively. It reports that fully connected, locally connected and residual networks of different depths and widths emerge from the same URN under gradient descent on one general loss, where the structure of the data and the relative strengths of regulator terms (derived from the network's symmetries and the geometry of the input) decide which structure emerges.

**What we could read, and what we could not.** From this environment only the paper's abstract and a third-party summary were reachable, not its full text. The URN state (`N` of size `S`, first `d_in` entries = input, rest zero, one dense `W`) is from those sources. **Everything else below — the exact update, where the output is read, the activation, the form and strength of each regulator, the data, the sizes and the measures — is our own choice**, made in the paper's spirit; none of it is verified against the paper, and the numbers here are not the paper's experiments.

**What is implemented here** (all in this notebook, TF.js through `nm.tf()`):

- **URN update.** `N₀ = (x, 0, …, 0)` with `x ∈ ℝ^{d_in}`; for `t = 1 … T−1`: `N_t = tanh(W N_{t−1} + b)`; the prediction is the last `d_out` entries of `W N_{T−1} + b` (linear last step). Neurons are ordered: `d_in` input neurons (input neuron `j` sits at position `p_j = j` on a line), then `H` other neurons, then `d_out` output neurons. Input neurons are *not* clamped: after the first step they are ordinary neurons that the network may reuse.
- **Loss.** `L = MSE(ŷ, y) + λ₁ Σ_ij |W_ij| + λ_loc Σ_i Σ_{j,k < d_in} |W_ij| |W_ik| |p_j − p_k|`. The **L1 (sparsity) regulator** prices every connection. The **locality regulator** prices a neuron for reading inputs that lie far apart in the input's geometry; it uses the positions of the input neurons only, so it keeps the permutation symmetry of the non-input neurons (no neuron is given a position it did not earn).
- **Data.** `x` uniform in `[−1, 1]^{d_in}`; the target is a sum over `d_in/2` disjoint input pairs, `y = Σ_(a,b) tanh(2 (x_a − x_b)) / √(d_in/2)`. In the **local** data set the pairs are neighbours on the line, `(0,1), (2,3), …`; in the **far-pair** data set they are half the line apart, `(0, d_in/2), (1, d_in/2+1), …`. Both have identical statistics; only the geometry of the dependence differs.
- **Training.** Adam (learning rate 0.01), mini-batches of 256 from a fixed training set, `W` initialised `N(0, 1/S)` with a seeded stream (`nm.createRng`), `b = 0`. The validation loss is measured on held-out samples and reported relative to the variance of `y`.

**Measures of structure** (from `|W|`):

- **Sparsity** — the *mass-90 fraction*: the smallest fraction of the `S²` connections that carries 90 % of `Σ|W_ij|` (dense Gaussian-like `W` ≈ 0.6; a few strong connections → near 0).
- **Locality** — the *receptive-field span*: for every neuron, the mean distance `|p_j − p_k|` between two of its input connections drawn with probability ∝ `|W_ij| |W_ik|`, averaged over neurons with weights ∝ their input mass and divided by the same quantity for uniform weights (1 = no locality; a neuron reading one neighbour pair scores 0.5 / 5.3 ≈ 0.09 for `d_in = 16`).
- **Block masses** — where the weight mass sits: input → other neurons, other → other, other → output, input → output, into input neurons (reuse of input neurons after the first step), and self-loops (`W_ii`, a neuron carrying its own value to the next step, the recursion's form of a residual connection).

**Settings.** Four data/regulator settings, several seeds each: *local data, no regulator*; *local data, L1*; *far-pair data, L1*; *far-pair data, L1 + locality*.

**Scale.** `ci`: `d_in = 16`, `H = 24`, `d_out = 1` (`S = 41`), `T = 3`, 2000 steps, 3 seeds per setting (about a minute of training, 1.5 minutes for the whole notebook, on 2 cores). `paper`: `d_in = 32`, `H = 64` (`S = 97`), `T = 4`, 6000 steps, 10 seeds per setting (estimated 15–25 minutes on 2 cores from timed 600-step runs; not run for this notebook) — larger and longer, **not** the paper's own sizes, which we could not read; the regulator strengths are the same and may need retuning at that size. Set the environment variable `NNMOTIFS_SCALE=paper` before starting the kernel, or edit the next cell."""))
cells.append(new_code_cell("""import * as nm from "nnmotifs";

const tf = nm.tf();
const scale = process.env.NNMOTIFS_SCALE === "paper" ? "paper" : "ci";
const config = scale === "paper"
  ? { dIn: 32, hidden: 64, dOut: 1, steps: 4, trainSteps: 6000, seeds: 10, train: 4096, val: 2048, batch: 256, lr: 0.01, recordEvery: 200 }
  : { dIn: 16, hidden: 24, dOut: 1, steps: 3, trainSteps: 2000, seeds: 3, train: 2048, val: 1024, batch: 256, lr: 0.01, recordEvery: 100 };
const S = config.dIn + config.hidden + config.dOut;
type Setting = { name: string; data: "local" | "far"; l1: number; locality: number };
const SETTINGS: Setting[] = [
  { name: "local data, no regulator", data: "local", l1: 0, locality: 0 },
  { name: "local data, L1", data: "local", l1: 1e-3, locality: 0 },
  { name: "far-pair data, L1", data: "far", l1: 1e-3, locality: 0 },
  { name: "far-pair data, L1 + locality", data: "far", l1: 1e-3, locality: 1e-3 },
];
({ scale, backend: nm.tfBackend().backend, neurons: S, recursionSteps: config.steps, trainSteps: config.trainSteps, seeds: config.seeds })"""))
cells.append(new_markdown_cell("## 1. Data, the URN and its loss\n\nThe data sets, the recursive forward pass and the loss with its two regulators, exactly as stated above."))
cells.append(new_code_cell("""/** Input pairs the target depends on: neighbours (local) or half the line apart (far). */
const pairsOf = (data: "local" | "far", dIn: number): [number, number][] => Array.from({ length: dIn / 2 },
  (_, k) => (data === "local" ? [2 * k, 2 * k + 1] : [k, k + dIn / 2]) as [number, number]);

function makeData(data: "local" | "far", n: number, seed: number) {
  const rng = nm.createRng(seed);
  const pairs = pairsOf(data, config.dIn);
  const x = new Float32Array(n * config.dIn), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < config.dIn; j++) x[i * config.dIn + j] = 2 * rng.next() - 1;
    let v = 0;
    for (const [a, b] of pairs) v += Math.tanh(2 * (x[i * config.dIn + a] - x[i * config.dIn + b]));
    y[i] = v / Math.sqrt(pairs.length);
  }
  return { x: tf.tensor2d(x, [n, config.dIn]), y: tf.tensor1d(y) };
}

type Tensor = ReturnType<typeof tf.zeros>;
/** T recursive applications of W to N₀ = (x, 0…0); tanh on every step but the last; the last d_out entries. */
function urnForward(W: Tensor, b: Tensor, x: Tensor): Tensor {
  const n = x.shape[0];
  let state = tf.concat([x, tf.zeros([n, S - config.dIn])], 1);
  for (let t = 0; t < config.steps; t++) {
    const pre = tf.add(tf.matMul(state, W, false, true), b);
    state = t < config.steps - 1 ? tf.tanh(pre) : pre;
  }
  return state.slice([0, S - config.dOut], [n, config.dOut]).reshape([n]);
}

/** |p_j − p_k| between input neurons (positions 0 … d_in−1 on a line). */
const inputDistance = tf.tensor2d(Array.from({ length: config.dIn * config.dIn },
  (_, i) => Math.abs(Math.floor(i / config.dIn) - (i % config.dIn))), [config.dIn, config.dIn]);

function urnLoss(W: Tensor, b: Tensor, x: Tensor, y: Tensor, setting: Setting): Tensor {
  let loss = tf.losses.meanSquaredError(y, urnForward(W, b, x)) as Tensor;
  const absW = tf.abs(W);
  if (setting.l1 > 0) loss = loss.add(absW.sum().mul(setting.l1));
  if (setting.locality > 0) {
    const fromInputs = absW.slice([0, 0], [S, config.dIn]);
    loss = loss.add(tf.matMul(fromInputs, inputDistance).mul(fromInputs).sum().mul(setting.locality));
  }
  return loss;
}
({ localPairs: JSON.stringify(pairsOf("local", config.dIn).slice(0, 3)), farPairs: JSON.stringify(pairsOf("far", config.dIn).slice(0, 3)) })"""))
cells.append(new_markdown_cell("## 2. Measures of structure\n\nComputed from `|W|` in plain TypeScript (row `i` = the neuron a connection goes to, column `j` = the neuron it comes from)."))
cells.append(new_code_cell("""/** Smallest fraction of connections that carries 90 % of Σ|W|. */
function mass90Fraction(w: Float32Array): number {
  const a = Array.from(w, Math.abs).sort((p, q) => q - p);
  const total = a.reduce((s, v) => s + v, 0);
  let acc = 0, k = 0;
  while (acc < 0.9 * total) acc += a[k++];
  return k / a.length;
}

/** Mass-weighted mean distance between two input connections of a neuron, relative to uniform weights. */
function receptiveFieldSpan(w: Float32Array): number {
  const d = config.dIn;
  const uniform = (d * d - 1) / (3 * d); // E|j − k| for j, k uniform on 0 … d−1
  let spanMass = 0, inputMass = 0;
  for (let i = 0; i < S; i++) {
    let mass = 0, pairMass = 0;
    for (let j = 0; j < d; j++) {
      const aj = Math.abs(w[i * S + j]);
      mass += aj;
      for (let k = 0; k < d; k++) pairMass += aj * Math.abs(w[i * S + k]) * Math.abs(j - k);
    }
    if (mass > 0) { spanMass += pairMass / mass; inputMass += mass; }
  }
  return spanMass / inputMass / uniform;
}

/** Fraction of Σ|W| in each block of the neuron order (input | other | output). */
function blockMasses(w: Float32Array) {
  const h0 = config.dIn, h1 = config.dIn + config.hidden;
  const total = w.reduce((s, v) => s + Math.abs(v), 0);
  const block = (r0: number, r1: number, c0: number, c1: number) => {
    let s = 0;
    for (let i = r0; i < r1; i++) for (let j = c0; j < c1; j++) s += Math.abs(w[i * S + j]);
    return s / total;
  };
  let selfLoops = 0;
  for (let i = 0; i < S; i++) selfLoops += Math.abs(w[i * S + i]) / total;
  return { inputToOther: block(h0, h1, 0, h0), otherToOther: block(h0, h1, h0, h1), otherToOutput: block(h1, S, h0, h1),
    inputToOutput: block(h1, S, 0, h0), intoInputs: block(0, h0, 0, S), selfLoops: selfLoops };
}
const check = new Float32Array(S * S).fill(1);
({ uniformMass90: mass90Fraction(check).toFixed(2), uniformSpan: receptiveFieldSpan(check).toFixed(2) })"""))
cells.append(new_markdown_cell("## 3. Training every setting\n\nSame seeds across settings: seed `s` gives the same initial `W` and the same training inputs in every setting (the far-pair and local targets differ). Structure measures are recorded along training (`recordEvery` steps) to follow how the structure evolves over the network's lifetime."))
cells.append(new_code_cell("""type Run = { setting: string; seed: number; relValLoss: number; mass90: number; span: number;
  blocks: ReturnType<typeof blockMasses>; weights: Float32Array; trace: { step: number; mass90: number; span: number }[] };

function trainUrn(setting: Setting, seed: number): Run {
  const train = makeData(setting.data, config.train, seed), val = makeData(setting.data, config.val, seed + 10_000);
  const rng = nm.createRng(seed);
  const W = tf.variable(tf.tensor2d(Float32Array.from({ length: S * S }, () => rng.normal() / Math.sqrt(S)), [S, S]));
  const b = tf.variable(tf.zeros([S]));
  const optimizer = tf.train.adam(config.lr);
  const trace: Run["trace"] = [];
  const record = (step: number) => { const w = W.dataSync() as Float32Array; trace.push({ step: step, mass90: mass90Fraction(w), span: receptiveFieldSpan(w) }); };
  record(0);
  for (let step = 1; step <= config.trainSteps; step++) {
    const start = ((step - 1) * config.batch) % config.train;
    optimizer.minimize(() => tf.tidy(() => urnLoss(W, b,
      train.x.slice([start, 0], [config.batch, config.dIn]), train.y.slice([start], [config.batch]), setting)) as ReturnType<typeof tf.scalar>);
    if (step % config.recordEvery === 0) record(step);
  }
  const relValLoss = tf.tidy(() => (tf.losses.meanSquaredError(val.y, urnForward(W, b, val.x)) as Tensor)
    .div(tf.moments(val.y).variance).dataSync()[0]);
  const weights = Float32Array.from(W.dataSync());
  tf.dispose([train.x, train.y, val.x, val.y, W, b]);
  optimizer.dispose();
  return { setting: setting.name, seed: seed, relValLoss: relValLoss, mass90: mass90Fraction(weights), span: receptiveFieldSpan(weights),
    blocks: blockMasses(weights), weights: weights, trace: trace };
}

const seeds = Array.from({ length: config.seeds }, (_, i) => i + 1);
const started = Date.now();
const runs: Run[] = [];
for (const setting of SETTINGS) for (const seed of seeds) runs.push(trainUrn(setting, seed));
const trainSeconds = (Date.now() - started) / 1000;
const runsOf = (name: string) => runs.filter(r => r.setting === name);
const range = (v: number[], digits = 3) => `${Math.min(...v).toFixed(digits)}–${Math.max(...v).toFixed(digits)}`;
console.log(`trained ${runs.length} URNs in ${trainSeconds.toFixed(0)} s`);
SETTINGS.map(s => { const r = runsOf(s.name); return { setting: s.name, relValLoss: range(r.map(x => x.relValLoss), 4),
  mass90: range(r.map(x => x.mass90)), span: range(r.map(x => x.span)) }; })"""))
cells.append(new_markdown_cell("## 4. The learned weight matrices\n\n`|W|` of seed 1 in every setting. Rows: the neuron a connection goes to; columns: where it comes from; lines separate input | other | output neurons. The non-input, non-output neurons are interchangeable (the URN has no order among them), so for display only they are relabelled — rows and columns together, which leaves the network unchanged — by the mean position of the inputs they read (`Σ_j |W_ij| p_j / Σ_j |W_ij|`): local receptive fields then line up as a band."))
cells.append(new_code_cell("""function displayOrder(w: Float32Array): number[] {
  const centre = (i: number) => { let m = 0, c = 0; for (let j = 0; j < config.dIn; j++) { const a = Math.abs(w[i * S + j]); m += a; c += a * j; } return m > 0 ? c / m : config.dIn; };
  const others = Array.from({ length: config.hidden }, (_, k) => config.dIn + k).sort((p, q) => centre(p) - centre(q));
  return [...Array.from({ length: config.dIn }, (_, j) => j), ...others, ...Array.from({ length: config.dOut }, (_, k) => S - config.dOut + k)];
}
function weightHeatmaps(picked: Run[]): nm.figures.FigureSpec {
  const layout: nm.figures.JsonObject = { title: { text: `Learned |W| of the URN (S = ${S}, T = ${config.steps}), seed 1` },
    grid: { rows: 1, columns: picked.length, pattern: "independent" }, height: 420, width: 380 * picked.length,
    margin: { t: 90, r: 20, b: 60, l: 50 }, annotations: [], shapes: [] };
  const data = picked.map((run, k) => {
    const order = displayOrder(run.weights);
    const z = order.map(i => order.map(j => Math.abs(run.weights[i * S + j])));
    const axis = k === 0 ? "" : String(k + 1);
    layout[`xaxis${axis}`] = { title: { text: "from neuron" }, showticklabels: false, constrain: "domain" };
    layout[`yaxis${axis}`] = { autorange: "reversed", showticklabels: false, scaleanchor: `x${axis}` };
    (layout.annotations as nm.figures.JsonObject[]).push({ text: run.setting, xref: `x${axis} domain`, yref: `y${axis} domain`,
      x: 0.5, y: 1.02, xanchor: "center", yanchor: "bottom", showarrow: false, font: { size: 12 } });
    for (const cut of [config.dIn - 0.5, config.dIn + config.hidden - 0.5]) {
      (layout.shapes as nm.figures.JsonObject[]).push({ type: "line", xref: `x${axis}`, yref: `y${axis}`, x0: cut, x1: cut, y0: -0.5, y1: S - 0.5, line: { width: 1, color: "#888" } },
        { type: "line", xref: `x${axis}`, yref: `y${axis}`, x0: -0.5, x1: S - 0.5, y0: cut, y1: cut, line: { width: 1, color: "#888" } });
    }
    return { type: "heatmap", z: z, xaxis: `x${axis}`, yaxis: `y${axis}`, colorscale: "Greys", reversescale: false,
      showscale: k === picked.length - 1, hovertemplate: "to %{y}, from %{x}: %{z:.3f}<extra></extra>" } as nm.figures.JsonObject;
  });
  return { version: 1, data: data, layout: layout,
    meta: { kind: "urnWeights", title: "Learned |W| of the URN", exportName: "urn-weights",
      provenance: { neurons: S, steps: config.steps, trainSteps: config.trainSteps, seed: 1, settings: picked.map(r => r.setting) } } };
}
nm.show.figure(weightHeatmaps(SETTINGS.map(s => runsOf(s.name)[0])));"""))
cells.append(new_markdown_cell("## 5. Structure per setting, over seeds\n\nMeans with `mean ± 1.96·sd/√n` over the seeds (with 3 seeds the intervals are rough; the individual values are in the summary)."))
cells.append(new_code_cell("""const settingNames = SETTINGS.map(s => s.name);
nm.show.figure(nm.figures.intervalFigure(settingNames, [
  { name: "sparsity: mass-90 fraction", samples: settingNames.map(n => runsOf(n).map(r => r.mass90)) },
  { name: "locality: receptive-field span", samples: settingNames.map(n => runsOf(n).map(r => r.span)) },
], { title: "Emergent sparsity and locality (lower = sparser / more local)", yTitle: "fraction (1 = unstructured)", xTitle: "Data and regulators",
     exportName: "urn-structure", provenance: { neurons: S, steps: config.steps, seeds: config.seeds } }));
nm.show.figure(nm.figures.intervalFigure(settingNames, [
  { name: "validation MSE / var(y)", samples: settingNames.map(n => runsOf(n).map(r => r.relValLoss)) },
], { title: "Task loss left by each setting", yTitle: "validation MSE / var(y)", xTitle: "Data and regulators",
     exportName: "urn-task-loss", provenance: { neurons: S, steps: config.steps, seeds: config.seeds } }));"""))
cells.append(new_markdown_cell("## 6. Lifetime structure evolution\n\nThe two measures along training, mean over seeds, one line per setting: the structure is not fixed at the start, it forms (and, for locality, is chosen) during training."))
cells.append(new_code_cell("""function evolutionFigure(): nm.figures.FigureSpec {
  const meanTrace = (name: string, key: "mass90" | "span") => { const r = runsOf(name);
    return r[0].trace.map((_, t) => r.reduce((s, run) => s + run.trace[t][key], 0) / r.length); };
  const steps = runs[0].trace.map(p => p.step);
  const data = SETTINGS.flatMap((s, k) => (["mass90", "span"] as const).map(key => ({
    type: "scatter", mode: "lines", name: s.name, legendgroup: s.name, showlegend: key === "mass90",
    x: steps, y: meanTrace(s.name, key), xaxis: key === "mass90" ? "x" : "x2", yaxis: key === "mass90" ? "y" : "y2",
    line: { color: nm.figures.PALETTE[k] } } as nm.figures.JsonObject)));
  return { version: 1, data: data,
    layout: { title: { text: "Structure along training (mean over seeds)" }, grid: { rows: 1, columns: 2, pattern: "independent" },
      xaxis: { title: { text: "training step" } }, xaxis2: { title: { text: "training step" } },
      yaxis: { title: { text: "sparsity: mass-90 fraction" }, rangemode: "tozero" }, yaxis2: { title: { text: "locality: receptive-field span" }, rangemode: "tozero" },
      legend: { orientation: "h", y: -0.25 }, margin: { t: 60, r: 20, b: 120, l: 70 } },
    meta: { kind: "urnStructureEvolution", title: "Structure along training", exportName: "urn-structure-evolution",
      provenance: { neurons: S, steps: config.steps, seeds: config.seeds, recordEvery: config.recordEvery } } };
}
nm.show.figure(evolutionFigure());"""))
cells.append(new_markdown_cell("## 7. Where the weight mass sits\n\nMean over seeds of the block masses (fractions of `Σ|W|`)."))
cells.append(new_code_cell("""const meanOf = (v: number[]) => v.reduce((a, c) => a + c, 0) / v.length;
const blockNames = Object.keys(runs[0].blocks) as (keyof Run["blocks"])[];
const blockTable = SETTINGS.map(s => Object.fromEntries([["setting", s.name],
  ...blockNames.map(k => [k, meanOf(runsOf(s.name).map(r => r.blocks[k])).toFixed(3)])]));
blockTable"""))
cells.append(new_markdown_cell("## 8. Summary\n\nThe numbers the text below quotes (the test of this notebook checks them)."))
cells.append(new_code_cell("""const summary = {
  scale: scale,
  neurons: S,
  dIn: config.dIn,
  recursionSteps: config.steps,
  trainSteps: config.trainSteps,
  seeds: config.seeds,
  trainSeconds: Math.round(trainSeconds),
  settings: SETTINGS.map(s => { const r = runsOf(s.name); return {
    name: s.name, data: s.data, l1: s.l1, locality: s.locality,
    relValLoss: r.map(x => x.relValLoss), mass90: r.map(x => x.mass90), span: r.map(x => x.span),
    initialMass90: r.map(x => x.trace[0].mass90), initialSpan: r.map(x => x.trace[0].span),
    sparsestMass90: r.map(x => Math.min(...x.trace.map(p => p.mass90))),
    blocks: Object.fromEntries(blockNames.map(k => [k, meanOf(r.map(x => x.blocks[k]))])),
  }; }),
};
console.log(JSON.stringify(summary));"""))
cells.append(new_markdown_cell(FINDINGS))
nb = new_notebook(cells=cells, metadata={"kernelspec": {"name": "tslab", "display_name": "TypeScript", "language": "typescript"},
     "language_info": {"name": "typescript", "file_extension": ".ts", "mimetype": "text/typescript"}})
for i, c in enumerate(nb.cells):
    c["id"] = f"emergent-{i}"
nbformat.write(nb, str(Path(__file__).resolve().parents[1] / "emergent-structure.ipynb"))
