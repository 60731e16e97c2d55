"""Runs the motifs-and-initialization notebook (Zambra, Testolin & Maritan) at `ci` scale and checks the
findings its "What we found" section states, from the summary it prints (not only that it ran)."""

from __future__ import annotations

import os
from statistics import mean

import pytest

from test_notebooks import EXAMPLES, assert_saved_with_its_figures, execute, figure_kinds, outputs_of, summary_of

NORMAL = "RandomNormal(0, 0.1)"
OTHERS = ["Orthogonal (gain 1)", "Glorot normal"]
DATASETS = ["binaryTree", "clusters"]


@pytest.fixture(scope="module")
def notebook():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "motifs-and-initialization.ipynb", save=True)


@pytest.fixture(scope="module")
def summary(notebook) -> dict:
    found = summary_of(notebook)
    assert found["scale"] == "ci"
    assert set(found["datasets"]) == set(DATASETS)
    return found["datasets"]


def test_notebook_runs_and_shows_its_figures(notebook):
    for cell in notebook.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    kinds = figure_kinds(notebook)
    assert kinds.count("significantClasses") == 2
    assert kinds.count("subgraphDeltaZ") == 2


def test_every_network_learns_the_task(summary):
    for dataset in DATASETS:
        for init, s in summary[dataset].items():
            assert min(s["valAcc"]) >= 0.95, (dataset, init, s["valAcc"])


def test_no_initialization_has_an_initial_fingerprint_beyond_chance(summary):
    """The paper's sharper initial fingerprint of orthogonal and Glorot does not reproduce: at initialization
    every network has about as many significant classes as chance gives."""
    for dataset in DATASETS:
        for init, s in summary[dataset].items():
            for count, chance in zip(s["significantInit"], s["chance"]):
                assert count <= 1.25 * chance, (dataset, init, count, chance)


def test_learning_from_random_normal_develops_a_fingerprint(summary):
    for dataset in DATASETS:
        normal = summary[dataset][NORMAL]
        for before, after, chance in zip(normal["significantInit"], normal["significantTrained"], normal["chance"]):
            assert after > before and after > 1.25 * chance, (dataset, before, after, chance)
        others = [c for init in OTHERS for c in summary[dataset][init]["significantTrained"]]
        assert min(normal["significantTrained"]) > max(others), (dataset, normal["significantTrained"], others)


def test_orthogonal_and_glorot_stay_near_chance_after_training(summary):
    for dataset in DATASETS:
        for init in OTHERS:
            s = summary[dataset][init]
            assert mean(s["significantTrained"]) <= 1.25 * mean(s["chance"]), (dataset, init, s)


def test_random_normal_moves_its_weights_and_z_scores_more(summary):
    for dataset in DATASETS:
        normal = summary[dataset][NORMAL]
        for init in OTHERS:
            other = summary[dataset][init]
            assert min(normal["weightChange"]) > max(other["weightChange"]), (dataset, init)
            assert mean(normal["meanAbsDeltaZ"]) > mean(other["meanAbsDeltaZ"]), (dataset, init)
            assert mean(normal["removedShareTrained"]) > mean(other["removedShareTrained"]), (dataset, init)


def test_coherent_bi_parallels_grow_and_incoherent_ones_fall_from_random_normal(summary):
    for dataset in DATASETS:
        normal = summary[dataset][NORMAL]
        assert min(normal["deltaZCoherentBiParallel"]) > 0.5, (dataset, normal)
        assert max(normal["deltaZIncoherentBiParallel"]) < -0.4, (dataset, normal)
        for init in OTHERS:
            s = summary[dataset][init]
            for value in s["deltaZCoherentBiParallel"] + s["deltaZIncoherentBiParallel"]:
                assert abs(value) < 0.5, (dataset, init, value)


def test_consistency_of_the_trained_fingerprint(summary):
    """Clusters: the RandomNormal networks share many same-sign significant classes, the others about one;
    binary tree: none is shared by all three networks of any initialization."""
    clusters = summary["clusters"]
    assert len(clusters[NORMAL]["consistentTrained"]) >= 5
    for init in OTHERS:
        assert len(clusters[init]["consistentTrained"]) < len(clusters[NORMAL]["consistentTrained"]) / 3
    for init, s in summary["binaryTree"].items():
        assert s["consistentTrained"] == [], (init, s["consistentTrained"])


def test_fanmod_null_makes_every_untrained_network_look_structured(summary):
    """Against FANMOD's whole-graph switching the untrained networks have hundreds of significant classes and
    mean |Z| around 3, while against the layered null the same networks look like samples of it (~0.8)."""
    for dataset in DATASETS:
        for init, s in summary[dataset].items():
            for classes in s["fanmodClassesInNulls"]:
                assert classes > 10 * 600, (dataset, init, classes)
            for count, chance in zip(s["fanmodSignificantInit"], s["chance"]):
                assert count > 10 * chance, (dataset, init, count, chance)
            for fanmod, layered in zip(s["fanmodMeanAbsZInit"], s["layeredMeanAbsZInit"]):
                assert fanmod > 2.5 and layered < 1.0, (dataset, init, fanmod, layered)


def test_fanmod_null_gives_glorot_the_sharpest_initial_fingerprint_not_orthogonal(summary):
    for dataset in DATASETS:
        normal = summary[dataset][NORMAL]["fanmodMeanAbsZInit"]
        orthogonal = summary[dataset]["Orthogonal (gain 1)"]["fanmodMeanAbsZInit"]
        glorot = summary[dataset]["Glorot normal"]
        assert min(glorot["fanmodMeanAbsZInit"]) > max(normal + orthogonal), (dataset, glorot, normal, orthogonal)
        others = [
            c for init in (NORMAL, "Orthogonal (gain 1)") for c in summary[dataset][init]["fanmodSignificantInit"]
        ]
        assert min(glorot["fanmodSignificantInit"]) > max(others), (dataset, glorot, others)
        assert min(normal) <= min(orthogonal) and max(orthogonal) <= max(normal), (dataset, normal, orthogonal)


def test_fanmod_null_hides_the_training_effect_from_random_normal(summary):
    """RandomNormal's mean |Z| under FANMOD's null rises on the binary tree but falls on the clusters, whereas
    against the layered null it rises in every network (the fingerprint learning develops)."""
    tree = summary["binaryTree"][NORMAL]
    clusters = summary["clusters"][NORMAL]
    assert all(b > a for a, b in zip(tree["fanmodMeanAbsZInit"], tree["fanmodMeanAbsZTrained"])), tree
    assert all(b < a for a, b in zip(clusters["fanmodMeanAbsZInit"], clusters["fanmodMeanAbsZTrained"])), clusters
    for s in (tree, clusters):
        assert all(b > a for a, b in zip(s["layeredMeanAbsZInit"], s["layeredMeanAbsZTrained"])), s


def test_the_saved_notebook_holds_its_figures(notebook):
    """Run from a copy outside the checkout and saved there, as a researcher saves it."""
    assert_saved_with_its_figures(EXAMPLES / "motifs-and-initialization.ipynb")
