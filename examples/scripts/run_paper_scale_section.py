"""Runs section 6 of examples/motifs-and-sparsity.ipynb alone (the cells tagged `paper-scale-study`): it only
reads the paper-scale study's results, so it takes seconds, while the whole notebook trains networks for
minutes. After copying a new `results.jsonl` into examples/studies/zahn-paper/, refresh the section's
saved outputs with

    .venv/bin/python examples/scripts/run_paper_scale_section.py --write

`NNMOTIFS_ZAHN_RESULTS=DIR` makes the section read another study folder (the tests use this).
"""
from __future__ import annotations

import argparse
import copy
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "motifs-and-sparsity.ipynb"
TAG = "paper-scale-study"
# The section uses `nm` from the notebook's first cell; alone, it needs the import.
SETUP = 'import * as nm from "nnmotifs";'


def section_indices(nb: nbformat.NotebookNode) -> list[int]:
    """Positions of the section's cells in the notebook."""
    found = [i for i, c in enumerate(nb.cells) if TAG in c.get("metadata", {}).get("tags", [])]
    if not found:
        raise SystemExit(f"{NOTEBOOK.name}: no cell is tagged {TAG!r}")
    return found


def run_section(notebook: Path = NOTEBOOK, kernel: str = "tslab", timeout: int = 300) -> nbformat.NotebookNode:
    """Executes the setup cell and the section's cells in the notebook's folder; returns that small notebook
    (cell 0 is the setup cell, then the section's cells in order, with their outputs)."""
    full = nbformat.read(notebook, as_version=4)
    small = nbformat.v4.new_notebook(metadata=copy.deepcopy(full.metadata))
    small.cells = [nbformat.v4.new_code_cell(SETUP)] + [copy.deepcopy(full.cells[i]) for i in section_indices(full)]
    client = NotebookClient(
        small,
        timeout=timeout,
        kernel_name=kernel,
        allow_errors=False,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()
    return small


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="save the section's outputs into the notebook")
    args = parser.parse_args()
    ran = run_section()
    full = nbformat.read(NOTEBOOK, as_version=4)
    for i, cell in zip(section_indices(full), ran.cells[1:]):
        if cell.cell_type == "code":
            full.cells[i].outputs = cell.outputs
            full.cells[i].execution_count = None
    for cell in ran.cells[1:]:
        for out in cell.get("outputs", []):
            if out.get("name") == "stdout":
                print(out["text"], end="")
    if args.write:
        nbformat.write(full, NOTEBOOK)
        print(f"wrote the section's outputs into {NOTEBOOK}")


if __name__ == "__main__":
    main()
