"""Runs the CNT-metrics notebook (La Malfa et al.) at `ci` scale and checks the findings its text states,
from the numbers it prints."""

from __future__ import annotations

import math
import os

import pytest

from test_notebooks import EXAMPLES, assert_saved_with_its_figures, execute, figure_kinds, outputs_of, summary_of

STDS = [0.05, 0.5, 5]
LAYERS = ["input", "hidden", "output"]


@pytest.fixture(scope="module")
def cnt():
    os.environ.pop("NNMOTIFS_SCALE", None)  # ci scale
    return execute(EXAMPLES / "cnt-metrics.ipynb", save=True)


@pytest.fixture(scope="module")
def summary(cnt):
    s = summary_of(cnt)
    assert s["scale"] == "ci"
    assert s["networks"] == 300 and s["sizes"] == [784, 8, 10]
    return s


def pure_bins(summary) -> list[tuple[int, int]]:
    """(bin index, std index) of the bins with at least 90 % of their networks from one std."""
    out = []
    for k, b in enumerate(summary["bins"]):
        top = max(range(len(STDS)), key=lambda g: b["perStd"][g])
        if b["perStd"][top] >= 0.9 * b["networks"]:
            out.append((k, top))
    return out


def test_cnt_notebook_runs_and_shows_its_figures(cnt):
    for cell in cnt.cells:
        for out in outputs_of(cell):
            assert out["output_type"] != "error", f"{out.get('ename')}: {out.get('evalue')}"
    kinds = figure_kinds(cnt)
    assert kinds.count("groupedDistribution") == 3
    assert kinds.count("klHeatmap") == 2
    assert "metricVsAccuracy" in kinds


def test_accuracy_falls_with_the_initialisation_std(summary):
    medians = [a["median"] for a in summary["accuracyPerStd"]]
    assert [a["std"] for a in summary["accuracyPerStd"]] == STDS
    assert medians[0] > medians[1] > medians[2], medians
    # a wide spread of accuracies to bin
    assert summary["accuracyPerStd"][0]["max"] - summary["accuracyPerStd"][2]["min"] > 0.5


def test_pooled_metrics_separate_low_from_high_accuracy(summary):
    """The paper's finding, binned over the whole protocol: larger fluctuation, lower accuracy."""
    for layer in LAYERS:
        assert summary["pooled"][layer]["auc"] > 0.85, layer
        assert summary["pooled"][layer]["spearman"] < -0.8, layer
    hidden = [b["medianFluctuation"][1] for b in summary["bins"]]
    assert hidden[0] > 5 * hidden[-1]


def test_bins_are_nearly_the_std_groups_and_kl_follows_the_std(summary):
    bins = summary["bins"]
    pure = pure_bins(summary)
    assert len(pure) >= len(bins) - 1  # every bin but (at most) one is ≥ 90 % one std
    for key in ("klStrength", "klFluctuation"):
        kl = summary[key]
        same = [kl[a][b] for i, (a, ga) in enumerate(pure) for b, gb in pure[i + 1:] if ga == gb]
        different = [kl[a][b] for i, (a, ga) in enumerate(pure) for b, gb in pure[i + 1:] if ga != gb]
        assert same and different
        assert max(same) < min(different), (key, max(same), min(different))
        assert min(different) > 5, key


def test_within_one_std_the_separation_is_weak(summary):
    for group in summary["withinStd"]:
        for layer in LAYERS:
            s = group["layers"][layer]
            assert 0.25 < s["auc"] < 0.75, (group["std"], layer, s)
            assert abs(s["spearman"]) < 0.5, (group["std"], layer, s)
            assert abs(s["spearman"]) < abs(summary["pooled"][layer]["spearman"]) / 1.5


def test_input_fluctuation_stays_at_its_initial_value(summary):
    """Input strengths sum 8 outgoing weights: their sd at initialisation is std·√8."""
    for k, g in pure_bins(summary):
        expected = STDS[g] * math.sqrt(8)
        measured = summary["bins"][k]["medianFluctuation"][0]
        assert 0.9 < measured / expected < 1.3, (summary["bins"][k]["label"], measured, expected)


def test_the_saved_notebook_holds_its_figures(cnt):
    """Run from a copy outside the checkout and saved there, as a researcher saves it."""
    assert_saved_with_its_figures(EXAMPLES / "cnt-metrics.ipynb")
