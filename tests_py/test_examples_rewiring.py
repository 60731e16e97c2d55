"""Runs the PA-rewiring notebook (Scabini, De Baets & Bruno) at `ci` scale and checks the findings its text
states, from the numbers it prints."""

from __future__ import annotations

import os

import pytest

from test_notebooks import EXAMPLES, assert_saved_with_its_figures, execute, figure_kinds, outputs_of, summary_of

INITS = ["glorotUniform", "glorotNormal", "heNormal", "orthogonal", "normal (sd 0.05)"]


def overlap(a: dict, b: dict) -> bool:
    return a["lo"] <= b["hi"] and b["lo"] <= a["hi"]


@pytest.fixture(scope="module")
def rewiring():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "pa-rewiring.ipynb", save=True)


@pytest.fixture(scope="module")
def inits(rewiring):
    s = summary_of(rewiring)
    assert s["scale"] == "ci" and s["seeds"] == 20
    assert [i["name"] for i in s["inits"]] == INITS
    return {i["name"]: i for i in s["inits"]}


def test_rewiring_notebook_runs_and_shows_its_figures(rewiring):
    for cell in rewiring.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    kinds = figure_kinds(rewiring)
    assert kinds.count("strengthVariance") == 1
    assert kinds.count("intervals") == 2


def test_rewiring_reduces_strength_variance_for_every_initialisation(inits):
    for name, i in inits.items():
        assert i["valuesKept"], name
        assert i["scoreAfter"] * 8 < i["scoreBefore"], (name, i["scoreBefore"], i["scoreAfter"])
        assert i["maxAfter"] < i["minBefore"], name


def test_no_resolvable_difference_after_the_first_epoch(inits):
    for name, i in inits.items():
        e = i["epoch1"]
        assert overlap(e["plain"], e["rewired"]), name
        assert -0.015 < e["rewired"]["mean"] - e["plain"]["mean"] < 0.035, name


def test_final_accuracy_small_gains_for_glorot_and_he_a_loss_for_small_normal(inits):
    for name in ("glorotUniform", "glorotNormal", "heNormal"):
        f = inits[name]["final"]
        assert 0 < f["rewired"]["mean"] - f["plain"]["mean"] < 0.01, name
        assert overlap(f["plain"], f["rewired"]), name
    f = inits["orthogonal"]["final"]
    assert abs(f["rewired"]["mean"] - f["plain"]["mean"]) < 0.005
    assert overlap(f["plain"], f["rewired"])
    f = inits["normal (sd 0.05)"]["final"]
    assert f["rewired"]["hi"] < f["plain"]["lo"]  # disjoint intervals, rewired lower


def test_initial_score_vs_first_epoch_only_orthogonal_stands_out(inits):
    assert inits["orthogonal"]["scoreVsEpoch1"] < -0.4
    for name in ("glorotUniform", "glorotNormal", "heNormal", "normal (sd 0.05)"):
        assert abs(inits[name]["scoreVsEpoch1"]) < 0.3, name


def test_the_saved_notebook_holds_its_figures(rewiring):
    """Run from a copy outside the checkout and saved there, as a researcher saves it."""
    assert_saved_with_its_figures(EXAMPLES / "pa-rewiring.ipynb")
