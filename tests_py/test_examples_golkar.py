"""Runs the emergent-structure notebook (Golkar's Unstructured Recursive Network) at `ci` scale and checks
the findings its text states, from the numbers it prints."""

from __future__ import annotations

import os

import pytest

from test_notebooks import EXAMPLES, assert_saved_with_its_figures, execute, figure_kinds, outputs_of, summary_of

PLAIN = "local data, no regulator"
LOCAL_L1 = "local data, L1"
FAR_L1 = "far-pair data, L1"
FAR_LOCALITY = "far-pair data, L1 + locality"


@pytest.fixture(scope="module")
def emergent():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "emergent-structure.ipynb", save=True)


@pytest.fixture(scope="module")
def settings(emergent):
    s = summary_of(emergent)
    assert s["scale"] == "ci" and s["seeds"] == 3 and s["recursionSteps"] == 3
    assert [x["name"] for x in s["settings"]] == [PLAIN, LOCAL_L1, FAR_L1, FAR_LOCALITY]
    return {x["name"]: x for x in s["settings"]}


def test_emergent_notebook_runs_and_shows_its_figures(emergent):
    for cell in emergent.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    kinds = figure_kinds(emergent)
    assert kinds.count("urnWeights") == 1
    assert kinds.count("intervals") == 2
    assert kinds.count("urnStructureEvolution") == 1


def test_every_setting_learns_the_task_and_locality_on_far_pairs_costs_task_loss(settings):
    assert max(settings[PLAIN]["relValLoss"]) < 0.01
    for name in (LOCAL_L1, FAR_L1):
        assert max(settings[name]["relValLoss"]) < 0.05, name
    assert 0.05 < min(settings[FAR_LOCALITY]["relValLoss"]) < 0.25
    assert min(settings[FAR_LOCALITY]["relValLoss"]) > 2 * max(settings[FAR_L1]["relValLoss"])


def test_without_a_regulator_the_urn_stays_dense_and_non_local(settings):
    plain = settings[PLAIN]
    assert min(plain["initialMass90"]) > 0.6 and min(plain["initialSpan"]) > 0.9
    assert min(plain["mass90"]) > 0.5
    assert min(plain["span"]) > 0.75


def test_l1_makes_a_sparse_structure_whose_locality_follows_the_data(settings):
    for name in (LOCAL_L1, FAR_L1):
        assert max(settings[name]["mass90"]) < 0.05, name
    assert max(settings[LOCAL_L1]["span"]) < 0.35  # local receptive fields from local data
    assert min(settings[FAR_L1]["span"]) > 0.65  # non-local from far-pair data, same regulators
    assert min(settings[FAR_L1]["span"]) - max(settings[LOCAL_L1]["span"]) > 0.3


def test_the_locality_regulator_overrides_the_data_and_builds_a_deeper_structure(settings):
    far, forced = settings[FAR_L1], settings[FAR_LOCALITY]
    assert max(forced["span"]) < 0.55
    assert min(far["span"]) - max(forced["span"]) > 0.2
    assert min(forced["mass90"]) > 2 * max(far["mass90"])  # sparsity traded for locality
    # local features first, combined at the next step: mass moves from reused input neurons to other -> other
    assert forced["blocks"]["otherToOther"] > 3 * far["blocks"]["otherToOther"]
    assert far["blocks"]["intoInputs"] > 0.3 > 0.2 > forced["blocks"]["intoInputs"]


def test_structure_keeps_evolving_after_the_task_is_learnt_only_with_the_locality_regulator(settings):
    """Lifetime evolution: with L1 alone the sparsest state is the final one; with the locality regulator the
    network first becomes very sparse, then grows connections back."""
    for name in (LOCAL_L1, FAR_L1):
        for final, sparsest in zip(settings[name]["mass90"], settings[name]["sparsestMass90"]):
            assert final < 1.25 * sparsest, name
    forced = settings[FAR_LOCALITY]
    for final, sparsest in zip(forced["mass90"], forced["sparsestMass90"]):
        assert sparsest < 0.05 and final > 2.5 * sparsest


def test_the_saved_notebook_holds_its_figures(emergent):
    """Run from a copy outside the checkout and saved there, as a researcher saves it."""
    assert_saved_with_its_figures(EXAMPLES / "emergent-structure.ipynb")
