"""The quickstart and the Zahn reproduction in Deno's Jupyter kernel (`deno jupyter`, registered by the set-up
beside tslab): same package, same figures, through the Deno display adapter."""

from __future__ import annotations

import json
import os

import pytest

from test_notebooks import EXAMPLES, execute, figure_outputs, outputs_of, stdout_of, summary_of

PROBE = 'console.log(JSON.stringify({ ...nm.tfBackend(), kernel: nm.displayKernel(), deno: typeof Deno }));'


def no_errors(nb):
    for cell in nb.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"


@pytest.fixture(scope="module")
def quickstart():
    return execute(EXAMPLES / "quickstart.ipynb", extra_cells=[PROBE], kernel="deno")


def test_quickstart_runs_in_deno_with_the_deno_adapter_and_native_tensorflow(quickstart):
    no_errors(quickstart)
    probe = json.loads(stdout_of(quickstart.cells[-1]).strip().splitlines()[-1])
    assert probe["deno"] == "object" and probe["kernel"] == "deno", probe
    if os.environ.get("NNMOTIFS_ALLOW_JS_BACKEND") != "1":
        assert probe["native"] is True and probe["backend"] == "tensorflow", probe


def test_quickstart_figure_in_deno(quickstart):
    figures = figure_outputs(quickstart)
    assert len(figures) == 1
    spec = figures[0]["data"]["application/vnd.nnmotifs.figure+json"]
    assert spec["meta"]["kind"] == "nodeStrength"
    assert [len(t["y"]) for t in spec["data"]] == [8, 16, 16, 4]
    assert "Node strength" in figures[0]["data"]["text/plain"]


@pytest.fixture(scope="module")
def sparsity():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "motifs-and-sparsity.ipynb", kernel="deno")


def test_zahn_reproduction_runs_in_deno_and_shows_its_figures(sparsity):
    no_errors(sparsity)
    kinds = [o["data"]["application/vnd.nnmotifs.figure+json"]["meta"]["kind"] for o in figure_outputs(sparsity)]
    assert kinds.count("zVsSparsity") == 2
    assert "motifZScores" in kinds
    assert "pruningCurve" in kinds


def test_zahn_reproduction_in_deno_reaches_the_papers_finding(sparsity):
    summary = summary_of(sparsity)
    assert summary["scale"] == "ci"
    levels = {round(l["sparsity"], 4): l for l in summary["levels"]}
    for motif in ("soDiverging", "soConverging", "biFan"):
        assert levels[0.85]["pairs"][motif] > 2, motif
    assert levels[0.85]["pairs"]["soChain"] < -2


def test_deno_in_a_project_linked_with_one_npm_install(tmp_path):
    """Deno resolves bare imports from the folder's package.json/node_modules only; the README's one line."""
    import shutil
    import subprocess

    from test_notebooks import ROOT

    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "my-notebooks", "private": True}))
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", str(ROOT)], cwd=project, check=True, capture_output=True)
    shutil.copy(EXAMPLES / "quickstart.ipynb", project / "quickstart.ipynb")
    nb = execute(project / "quickstart.ipynb", extra_cells=[PROBE], kernel="deno")
    no_errors(nb)
    assert len(figure_outputs(nb)) == 1
