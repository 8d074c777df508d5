"""Every recorded scenario (one folder each, see support/scenarios.py) runs through the whole pipeline, on SQLite
and on PostgreSQL, and the stored report's top cause is the expected component (and kind, when given)."""

from __future__ import annotations

from pathlib import Path

import pytest
from support.scenarios import discover, scenario_runner

SCENARIOS = discover()


def test_there_are_enough_scenarios():
    assert len(SCENARIOS) >= 15


@pytest.mark.parametrize("scenario", [
    pytest.param(s, id=s.name, marks=[pytest.mark.xfail(reason=s.xfail, strict=True)] if s.xfail else [])
    for s in SCENARIOS])
def test_the_top_cause_is_the_expected_one(scenario, database_url: str | None, tmp_path: Path):
    with scenario_runner(database_url) as run:
        outcome = run(scenario, tmp_path)
    top = outcome.top
    assert top is not None, f"{scenario.name}: no cause ({outcome.report.get('summary')})"
    assert top["component"] == scenario.expect_component, (scenario.name, outcome.components, top["reason"])
    if scenario.expect_kind:
        assert top["kind"] == scenario.expect_kind, (scenario.name, top["kind"], [f["kind"] for f in top["evidence"]])
