"""A notebook in a folder outside the checkout, with no node_modules of its own: `import * as nm from "nnmotifs"`
must resolve (module and type declarations) through the kernel the set-up registered."""

from __future__ import annotations

import shutil

import nbformat
import pytest

from test_notebooks import EXAMPLES, ROOT, execute, figure_outputs, outputs_of, stdout_of


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my-research")
    assert ROOT not in folder.resolve().parents, folder
    assert not any((p / "node_modules").exists() for p in [folder, *folder.parents]), "need a folder without node_modules"
    shutil.copy(EXAMPLES / "quickstart.ipynb", folder / "quickstart.ipynb")
    nb = execute(
        folder / "quickstart.ipynb",
        extra_cells=['console.log(JSON.stringify({ cwd: process.cwd(), resolved: require.resolve("nnmotifs") }));'],
    )
    nbformat.write(nb, folder / "quickstart.ipynb")
    return folder, nb


def test_quickstart_runs_in_a_folder_outside_the_checkout(elsewhere):
    folder, nb = elsewhere
    for cell in nb.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    where = stdout_of(nb.cells[-1])
    assert str(folder) in where  # the kernel ran in the notebook's folder
    assert str(ROOT) in where  # and found the checkout's package


def test_the_saved_notebook_holds_the_figure(elsewhere):
    folder, _ = elsewhere
    saved = nbformat.read(folder / "quickstart.ipynb", as_version=4)
    kinds = [o["data"]["application/vnd.nnmotifs.figure+json"]["meta"]["kind"] for o in figure_outputs(saved)]
    assert kinds == ["nodeStrength"]
