"""The quality gate (bench/quality_gate.py): the README's quality figures hold on the committed
fixtures, a changed fixture set is noticed, and --update never loosens a limit unless told to."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

GATE = Path(__file__).parent.parent / "bench" / "quality_gate.py"
_SPEC = importlib.util.spec_from_file_location("quality_gate", GATE)
gate = importlib.util.module_from_spec(_SPEC)
sys.modules["quality_gate"] = gate
_SPEC.loader.exec_module(gate)


@pytest.mark.quality
def test_the_readme_quality_figures_hold_on_the_committed_fixtures():
    figures = gate.measure()
    assert gate.failures(figures, gate.read_pinned()) == []


def test_the_fixtures_are_the_pinned_set_and_none_is_shared_data():
    assert gate.read_pinned()["fixtures_sha256"] == gate.fixtures_sha256()
    shared = Path(__file__).resolve().parent.parent.parent / "shared"
    assert all(shared not in path.resolve().parents for path in gate.fixture_files())


def test_a_changed_fixture_set_or_a_figure_past_its_limit_fails_the_gate():
    pinned = {"fixtures_sha256": "0" * 64, "limits": {"summary_rouge1": {"at_least": 40.0},
                                                       "furniture_left": {"at_most": 0.01}}}
    figures = {"summary_rouge1": gate.Figure(39.9, True, "r1"), "furniture_left": gate.Figure(0.02, False, "left")}
    found = gate.failures(figures, pinned)
    assert found[0].startswith("the fixture set changed")
    assert found[1:] == ["furniture_left = 0.02 is above its ceiling 0.01 (left)",
                         "summary_rouge1 = 39.9 is below its floor 40.0 (r1)"]
    pinned["fixtures_sha256"] = gate.fixtures_sha256()
    assert gate.failures({"summary_rouge1": gate.Figure(40.0, True, "r1"),
                          "furniture_left": gate.Figure(0.01, False, "left")}, pinned) == []


def test_update_keeps_a_limit_it_would_loosen_unless_named_and_says_which():
    pinned = {"limits": {"summary_rouge1": {"at_least": 40.0}, "summary_rouge2": {"at_least": 17.0},
                         "translation_loops": {"at_most": 0}}}
    figures = {"summary_rouge1": gate.Figure(39.0, True, "r1"), "summary_rouge2": gate.Figure(16.0, True, "r2"),
               "translation_loops": gate.Figure(1, False, "loops"), "pages_title": gate.Figure(1.0, True, "t")}
    new, refused, loosened = gate.updated(pinned, figures, allow_lower={"summary_rouge2"})
    limits = new["limits"]
    assert limits["summary_rouge1"]["at_least"] == 40.0  # kept: not named
    assert limits["summary_rouge2"]["at_least"] == 15.5  # named: measured less the margin
    assert limits["translation_loops"]["at_most"] == 0  # a ceiling is never raised unasked either
    assert limits["pages_title"]["at_least"] == 1.0  # a new figure gets its limit
    assert [line.split(":")[0] for line in refused] == ["summary_rouge1", "translation_loops"]
    assert loosened == ["summary_rouge2: at_least 17.0 -> 15.5"]
    raised, refused, loosened = gate.updated(new, {"summary_rouge1": gate.Figure(42.0, True, "r1")}, set())
    assert raised["limits"]["summary_rouge1"]["at_least"] == 41.5 and refused == loosened == []

