"""Section 6 of examples/motifs-and-sparsity.ipynb (the paper-scale study): it only reads a study's
results.jsonl, so these tests run that section alone (seconds, not the notebook's minutes of training), on
a small real study run in tests_py/data/zahn-small/, and check every number it prints against an
independent computation from the same file."""

from __future__ import annotations

import json
import math
import os
import shutil
import statistics
import sys
from pathlib import Path

import pytest

from test_notebooks import EXAMPLES, _require_kernel, figure_kinds, stdout_of

sys.path.insert(0, str(EXAMPLES / "scripts"))
from run_paper_scale_section import run_section  # noqa: E402

DATA = Path(__file__).resolve().parent / "data" / "zahn-small"
MOTIFS = ["soDiverging", "soConverging", "soChain", "toDiverging", "toConverging", "toChain", "biFan", "biParallel"]
PAPER_Z = {"soDiverging": 18, "soConverging": 17, "soChain": -17, "toDiverging": 20, "toChain": -12, "biFan": 19,
           "biParallel": 28}


def finished_lines(folder: Path) -> list[dict]:
    """The last line of every job that has a result."""
    path = folder / "results.jsonl"
    if not path.exists():
        return []
    last: dict[str, dict] = {}
    for raw in path.read_text().splitlines():
        if raw.strip():
            line = json.loads(raw)
            last[line["job"]] = line
    return [line for line in last.values() if "result" in line]


def quantile(sorted_values: list[float], q: float) -> float:
    """Linear interpolation between order statistics (NumPy's default)."""
    h = (len(sorted_values) - 1) * q
    lo = math.floor(h)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo])


def reference(folder: Path) -> dict:
    """What the section must print, computed here from the results file alone."""
    lines = finished_lines(folder)
    chosen = []
    for line in lines:
        levels = sorted(line["result"]["levels"], key=lambda l: l["index"])
        dense = next(l["loss"] for l in levels if l["sparsity"] == 0)
        paper = [l for l in levels if l["loss"] <= 0.001]
        relaxed = [l for l in levels if l["loss"] <= 1.25 * dense]
        chosen.append((line, paper[-1] if paper else None, relaxed[-1] if relaxed else None))
    rule = "none" if not chosen else "paper" if any(p is not None for _, p, _ in chosen) else "relaxed"
    compared = []
    for line, paper, relaxed in chosen:
        level = paper if rule == "paper" else relaxed
        if level is not None and "pairs" in level.get("motifs", {}):
            compared.append((line, level))
    comparison = {}
    for motif in MOTIFS:
        z = sorted(
            level["motifs"]["pairs"]["z"][motif]
            for _, level in compared
            if isinstance(level["motifs"]["pairs"]["z"].get(motif), (int, float))
        )
        comparison[motif] = {
            "n": len(z),
            "median": statistics.median(z) if z else None,
            "quartiles": [quantile(z, 0.25), quantile(z, 0.75)] if z else None,
            "range": [z[0], z[-1]] if z else None,
        }
    return {
        "finished": len(lines),
        "rule": rule,
        "compared": sorted((line["params"]["seed"], level["sparsity"]) for line, level in compared),
        "comparison": comparison,
        "hours": sorted(line["seconds"] / 3600 for line in lines),
    }


def printed_summary(nb) -> dict:
    for cell in nb.cells:
        for text in stdout_of(cell).splitlines():
            if text.startswith('{"paperScale"'):
                return json.loads(text)["paperScale"]
    raise AssertionError("the section printed no paperScale summary")


def prose(nb) -> str:
    return stdout_of(nb.cells[-1])


def check_against_reference(summary: dict, folder: Path) -> dict:
    ref = reference(folder)
    assert summary["finished"] == ref["finished"]
    assert summary["rule"] == ref["rule"]
    assert sorted((c["seed"], c["sparsity"]) for c in summary["compared"]) == ref["compared"]
    assert sorted(summary["hoursPerNetwork"]) == pytest.approx(ref["hours"])
    for row in summary["comparison"]:
        expected = ref["comparison"][row["motif"]]
        assert row["paper"] == PAPER_Z.get(row["motif"]), row
        assert row["n"] == expected["n"], row
        if expected["n"] == 0:
            assert row["median"] is None and row["quartiles"] is None and row["range"] is None, row
            continue
        # the section rounds to one decimal
        assert row["median"] == pytest.approx(expected["median"], abs=0.051), row
        assert row["quartiles"] == pytest.approx(expected["quartiles"], abs=0.051), row
        assert row["range"] == pytest.approx(expected["range"], abs=0.051), row
    return ref


def run_on(folder: Path):
    _require_kernel("tslab")
    os.environ["NNMOTIFS_ZAHN_RESULTS"] = str(folder)
    try:
        return run_section()
    finally:
        del os.environ["NNMOTIFS_ZAHN_RESULTS"]


def copy_study(src: Path, dst: Path, lines: list[dict]) -> Path:
    dst.mkdir()
    shutil.copy(src / "study.json", dst / "study.json")
    (dst / "results.jsonl").write_text("".join(json.dumps(line) + "\n" for line in lines))
    return dst


@pytest.fixture(scope="module")
def small_run():
    return run_on(DATA)


def test_section_compares_three_real_networks_with_the_relaxed_rule_labelled(small_run):
    summary = printed_summary(small_run)
    ref = check_against_reference(summary, DATA)
    assert ref["finished"] == 3 and ref["rule"] == "relaxed"  # none of these small networks reaches 0.001
    assert all(row["n"] == 3 for row in summary["comparison"])
    text = prose(small_run)
    assert "3 of the study's 3 networks have finished" in text
    assert "RELAXED rule, not the paper's" in text
    assert "0 of 3 reach the paper's loss threshold" in text
    assert "zAcrossSparsity" in figure_kinds(small_run)
    assert "pruningCurve" in figure_kinds(small_run)


def test_section_with_one_network_says_it_is_not_a_population(tmp_path):
    folder = copy_study(DATA, tmp_path / "one", finished_lines(DATA)[:1])
    nb = run_on(folder)
    summary = printed_summary(nb)
    check_against_reference(summary, folder)
    assert summary["finished"] == 1
    assert "1 of the study's 3 networks have finished" in prose(nb)
    assert "not a median over a population" in prose(nb)


def test_section_uses_the_papers_rule_once_a_network_meets_it(tmp_path):
    """Test input, not a result: the first network's losses are scaled by 0.3 so that some of its levels
    reach 0.001; the other two never do and must be left out, as the authors' code leaves them out."""
    lines = finished_lines(DATA)
    scaled = json.loads(json.dumps(lines[0]))
    for level in scaled["result"]["levels"]:
        level["loss"] *= 0.3
    folder = copy_study(DATA, tmp_path / "paper-rule", [scaled, *lines[1:]])
    nb = run_on(folder)
    summary = printed_summary(nb)
    ref = check_against_reference(summary, folder)
    assert ref["rule"] == "paper" and len(ref["compared"]) == 1
    assert "1 of 3 reach the paper's loss threshold" in prose(nb)
    assert "the paper's rule (last level with loss ≤ 0.001)" in prose(nb)


def test_section_reads_the_committed_paper_scale_results(tmp_path):
    """The committed folder as it is (0 networks until the study's first network has finished)."""
    folder = EXAMPLES / "studies" / "zahn-paper"
    assert (folder / "study.json").exists()
    _require_kernel("tslab")
    os.environ.pop("NNMOTIFS_ZAHN_RESULTS", None)
    nb = run_section()
    summary = printed_summary(nb)
    check_against_reference(summary, folder)
    assert summary["networks"] == 20
    if summary["finished"] == 0:
        assert summary["rule"] == "none"
        assert "nothing to compare with the paper yet" in prose(nb)
