"""Runs the paper-reproduction notebooks at `ci` scale and checks the qualitative findings their text
states, from the numbers they print (not only that they ran)."""

from __future__ import annotations

import os

import pytest

from test_notebooks import EXAMPLES, assert_saved_with_its_figures, execute, figure_kinds, outputs_of, summary_of

MOTIFS_POSITIVE = ["soDiverging", "soConverging", "toDiverging", "toConverging", "biFan", "biParallel"]
CHAINS = ["soChain", "toChain"]


@pytest.fixture(scope="module")
def sparsity():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "motifs-and-sparsity.ipynb", save=True)


def test_sparsity_notebook_runs_and_shows_its_figures(sparsity):
    for cell in sparsity.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    kinds = figure_kinds(sparsity)
    assert kinds.count("zVsSparsity") == 2
    assert "motifZScores" in kinds
    assert "pruningCurve" in kinds


def test_performance_falls_sharply_past_a_critical_sparsity(sparsity):
    summary = summary_of(sparsity)
    assert summary["scale"] == "ci"
    for run in summary["optimal"]:
        assert run["sparsity"] is not None and run["sparsity"] >= 0.75, run


def test_motif_signs_at_high_sparsity_match_the_paper(sparsity):
    """The paper: diverging, converging, bi-fan, bi-parallel over-represented; chains (as connected pairs)
    under-represented at the optimally sparse level."""
    levels = {round(l["sparsity"], 4): l for l in summary_of(sparsity)["levels"]}
    for sparsity_level in (0.75, 0.85, 0.9):
        pairs = levels[sparsity_level]["pairs"]
        for motif in MOTIFS_POSITIVE:
            assert pairs[motif] > 2, (sparsity_level, motif, pairs[motif])
        for motif in CHAINS:
            assert pairs[motif] < -2, (sparsity_level, motif, pairs[motif])


def test_diverging_z_grows_with_sparsity_then_falls(sparsity):
    levels = {round(l["sparsity"], 4): l["pairs"] for l in summary_of(sparsity)["levels"]}
    for motif in ("soDiverging", "toDiverging", "biFan"):
        assert levels[0.5][motif] < levels[0.85][motif], motif
        assert levels[0.95][motif] < levels[0.9][motif], motif


def test_chain_z_is_positive_when_chains_are_counted_as_paths(sparsity):
    """The finding the notebook states about the chain convention."""
    levels = {round(l["sparsity"], 4): l for l in summary_of(sparsity)["levels"]}
    for sparsity_level in (0.75, 0.85, 0.9):
        assert levels[sparsity_level]["paths"]["soChain"] > 2


def test_the_saved_notebook_holds_its_figures(sparsity):
    """Run from a copy outside the checkout and saved there, as a researcher saves it."""
    assert_saved_with_its_figures(EXAMPLES / "motifs-and-sparsity.ipynb")
