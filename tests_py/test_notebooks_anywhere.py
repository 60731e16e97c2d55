"""A notebook in a folder outside the checkout, with no node_modules of its own: `import * as nm from "nnmotifs"`
must resolve (module and type declarations) through the kernel the set-up registered."""

from __future__ import annotations

import json
import shutil
import subprocess

import nbformat
import pytest

from test_notebooks import EXAMPLES, ROOT, execute, figure_kinds, figure_outputs, outputs_of, stdout_of

# Top-level values of TF.js types: tslab emits a declaration for each, which must name `@tensorflow/*` types
# from a folder whose node_modules has none (TS2742 before the launcher served the checkout's packages flat).
TF_VALUES = "const tf = nm.tf();\nconst zeros = tf.zeros([2, 3]);\nconsole.log(JSON.stringify(zeros.shape));"


@pytest.fixture(scope="module")
def elsewhere(tmp_path_factory):
    folder = tmp_path_factory.mktemp("my-research")
    assert ROOT not in folder.resolve().parents, folder
    assert not any((p / "node_modules").exists() for p in [folder, *folder.parents]), "need a folder without node_modules"
    shutil.copy(EXAMPLES / "quickstart.ipynb", folder / "quickstart.ipynb")
    nb = execute(
        folder / "quickstart.ipynb",
        extra_cells=[
            TF_VALUES,
            'console.log(JSON.stringify({ cwd: process.cwd(), resolved: require.resolve("nnmotifs") }));',
        ],
    )
    nbformat.write(nb, folder / "quickstart.ipynb")
    return folder, nb


def test_quickstart_runs_in_a_folder_outside_the_checkout(elsewhere):
    folder, nb = elsewhere
    for cell in nb.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    assert stdout_of(nb.cells[-2]).strip() == "[2,3]"  # values of TF.js types declared and used
    where = stdout_of(nb.cells[-1])
    assert str(folder) in where  # the kernel ran in the notebook's folder
    assert str(ROOT) in where  # and found the checkout's package


def test_the_saved_notebook_holds_the_figure(elsewhere):
    folder, _ = elsewhere
    saved = nbformat.read(folder / "quickstart.ipynb", as_version=4)
    kinds = figure_kinds(saved)
    assert kinds == ["nodeStrength"]


def test_an_existing_notebook_project_uses_it_with_one_npm_install(tmp_path):
    """The README's one line for a project with its own package.json: `npm install <checkout>` (a link)."""
    project = tmp_path / "project"
    project.mkdir()
    (project / "package.json").write_text(json.dumps({"name": "my-notebooks", "private": True}))
    subprocess.run(
        ["npm", "install", "--no-audit", "--no-fund", str(ROOT)], cwd=project, check=True, capture_output=True
    )
    link = project / "node_modules" / "nnmotifs"
    assert link.is_symlink() and link.resolve() == ROOT.resolve()
    shutil.copy(EXAMPLES / "quickstart.ipynb", project / "quickstart.ipynb")
    nb = execute(project / "quickstart.ipynb", extra_cells=[TF_VALUES, "console.log(process.cwd());"])
    for cell in nb.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    assert stdout_of(nb.cells[-2]).strip() == "[2,3]"
    assert stdout_of(nb.cells[-1]).strip() == str(project)
    assert len(figure_outputs(nb)) == 1
