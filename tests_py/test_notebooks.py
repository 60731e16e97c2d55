"""Executes the example notebooks headlessly with the tslab kernel of the project environment and checks
what they display, against an independent computation in Python."""

from __future__ import annotations

import atexit
import copy
import json
import math
import os
import re
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
FIGURE_MIME = "application/vnd.nnmotifs.figure+json"


def copy_examples(prefix: str) -> Path:
    """A copy of examples/ in a new temporary folder outside the checkout, with no node_modules above it: a
    researcher's own folder. The notebooks run there (and write their files there, not into the checkout)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix)).resolve()
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    assert ROOT.resolve() not in folder.parents, folder
    assert not any((p / "node_modules").exists() for p in [folder, *folder.parents]), f"{folder} is under a node_modules"
    target = folder / "examples"
    shutil.copytree(ROOT / "examples", target, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "node_modules"))
    return target


# Every example notebook test runs the notebooks in tslab from such a copy, once each, and saves them there
# (issue #10: notebooks in any folder; docs/notebooks-anywhere.md).
EXAMPLES = copy_examples("my-research-")


def _require_kernel(name: str) -> None:
    specs = KernelSpecManager().find_kernel_specs()
    if name not in specs:
        pytest.fail(
            f"the {name} kernel is not registered in this Python environment "
            f"({sorted(specs)}); run `npm run setup`"
        )


def execute(path: Path, extra_cells: list[str] = (), kernel: str = "tslab", save: bool = False) -> nbformat.NotebookNode:
    """Runs a notebook (plus extra cells appended in memory only) with a kernel and returns it with outputs;
    with `save`, the executed notebook (without the extra cells) is written back to `path`, as a user saves it."""
    _require_kernel(kernel)
    nb = nbformat.read(path, as_version=4)
    own = len(nb.cells)
    for source in extra_cells:
        nb.cells.append(nbformat.v4.new_code_cell(source))
    client = NotebookClient(
        nb,
        timeout=600,
        kernel_name=kernel,
        allow_errors=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    if save:
        kept = copy.deepcopy(nb)
        kept.cells = kept.cells[:own]
        nbformat.write(kept, path)
    return nb


def figure_kinds(nb: nbformat.NotebookNode) -> list[str]:
    """The kinds of the nnmotifs figures a notebook's outputs hold, in order."""
    return [o["data"][FIGURE_MIME]["meta"]["kind"] for o in figure_outputs(nb)]


def committed_figure_kinds(name: str) -> Counter:
    """The figures the committed notebook examples/<name> shows (its saved outputs)."""
    return Counter(figure_kinds(nbformat.read(ROOT / "examples" / name, as_version=4)))


def assert_saved_with_its_figures(path: Path, expected: Counter | None = None) -> None:
    """The notebook `execute(path, save=True)` wrote holds the figures `expected` names (by default those the
    committed notebook holds)."""
    expected = committed_figure_kinds(path.name) if expected is None else expected
    assert expected, f"no figure expected of {path.name}"
    saved = Counter(figure_kinds(nbformat.read(path, as_version=4)))
    assert saved == expected, (path.name, saved, expected)


def outputs_of(cell: nbformat.NotebookNode) -> list[dict]:
    return [dict(o) for o in cell.get("outputs", [])]


def stdout_of(cell: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("name") == "stdout")


def summary_of(nb: nbformat.NotebookNode) -> dict:
    """The JSON summary a reproduction notebook prints last (a stdout line starting with {"scale")."""
    for cell in nb.cells:
        text = stdout_of(cell).strip()
        if text.startswith('{"scale"'):
            return json.loads(text.splitlines()[-1])
    raise AssertionError("the notebook printed no summary")


def node_strengths(network: dict) -> list[list[float]]:
    """Node strength as defined in shared/research/algorithms.md §2, computed independently of nnmotifs."""
    layers = network["layers"]
    sizes = [len(layers[0]["weights"])] + [len(layer["weights"][0]) for layer in layers]
    strengths = [[0.0] * n for n in sizes]
    for l, layer in enumerate(layers):
        w = layer["weights"]
        mask = layer.get("mask")
        bias = layer.get("bias") or [0.0] * sizes[l + 1]
        for i in range(sizes[l]):
            for j in range(sizes[l + 1]):
                weight = w[i][j] if mask is None or mask[i][j] else 0.0
                strengths[l][i] += weight  # outgoing
                strengths[l + 1][j] += weight  # incoming
        for j in range(sizes[l + 1]):
            strengths[l + 1][j] += bias[j]
    return strengths


def population_sd(values: list[float]) -> float:
    mean = sum(values) / len(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


@pytest.fixture(scope="module")
def quickstart() -> nbformat.NotebookNode:
    return execute(
        EXAMPLES / "quickstart.ipynb",
        extra_cells=[
            "console.log(JSON.stringify(nm.networkToJson(net)));",
            "console.log(JSON.stringify({ ...nm.tfBackend(), node: process.version }));",
        ],
        save=True,
    )


def test_quickstart_runs_without_errors(quickstart):
    for cell in quickstart.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"


def test_quickstart_saved_holds_its_figure(quickstart):
    # The committed quickstart holds no outputs.
    assert_saved_with_its_figures(EXAMPLES / "quickstart.ipynb", Counter(["nodeStrength"]))


def test_quickstart_uses_native_tensorflow_backend(quickstart):
    backend = json.loads(stdout_of(quickstart.cells[-1]).strip().splitlines()[-1])
    if os.environ.get("NNMOTIFS_ALLOW_JS_BACKEND") == "1":
        pytest.skip(f"pure-JS backend allowed by NNMOTIFS_ALLOW_JS_BACKEND=1 (backend: {backend})")
    assert backend["native"] is True, f"tfjs-node binding did not load: {backend.get('reason')}"
    assert backend["backend"] == "tensorflow"


def test_quickstart_kernel_runs_on_the_expected_node(quickstart):
    """`npm test` phases node24/22/26 run this file with a tslab kernel started by that Node (NNMOTIFS_EXPECT_NODE)."""
    backend = json.loads(stdout_of(quickstart.cells[-1]).strip().splitlines()[-1])
    expected = os.environ.get("NNMOTIFS_EXPECT_NODE")
    if expected is None:
        assert backend["node"].startswith("v"), backend
    else:
        assert backend["node"].startswith(f"v{expected}."), f"kernel ran on Node {backend['node']}, expected {expected}"


def figure_outputs(nb: nbformat.NotebookNode) -> list[dict]:
    found = []
    for cell in nb.cells:
        for out in outputs_of(cell):
            if out["output_type"] in ("display_data", "execute_result") and FIGURE_MIME in out.get("data", {}):
                found.append(out)
    return found


def test_quickstart_displays_node_strength_figure_with_the_right_data(quickstart):
    figures = figure_outputs(quickstart)
    assert len(figures) == 1, f"expected one figure bundle, got {len(figures)}"
    bundle = figures[0]["data"]
    assert "text/plain" in bundle and "Node strength" in bundle["text/plain"]
    spec = bundle[FIGURE_MIME]
    assert spec["version"] == 1
    assert spec["meta"]["kind"] == "nodeStrength"
    assert spec["meta"]["exportName"] == "node-strength"
    traces = spec["data"]
    assert [len(t["y"]) for t in traces] == [8, 16, 16, 4]

    network = json.loads(stdout_of(quickstart.cells[-2]).strip().splitlines()[-1])
    assert network["format"] == "nnmotifs.network"
    expected = node_strengths(network)
    for layer, (trace, want) in enumerate(zip(traces, expected)):
        assert trace["y"] == pytest.approx(want, rel=1e-9, abs=1e-12), f"neuron layer {layer}"
        # The legend carries the layer fluctuation Y = population sd of the strengths.
        y = float(re.search(r"Y = ([-0-9.e+]+)", trace["name"]).group(1))
        assert y == pytest.approx(population_sd(want), rel=1e-2)


def test_quickstart_prints_layer_fluctuation(quickstart):
    # tslab prints the value of a cell's last expression on stdout (util.inspect of a string array)
    text = stdout_of(quickstart.cells[3])
    shown = [float(v) for v in re.findall(r"'(-?[0-9.]+)'", text)]
    network = json.loads(stdout_of(quickstart.cells[-2]).strip().splitlines()[-1])
    want = [population_sd(s) for s in node_strengths(network)]
    assert shown == pytest.approx(want, abs=1e-4)
