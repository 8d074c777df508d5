"""Every recorded scenario (one folder each, see support/scenarios.py) runs through the whole pipeline, on SQLite
and on PostgreSQL, and the stored report's top cause is the expected component (and kind, when given)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from support.scenarios import Outcome, as_time, discover, scenario_runner

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
    assert all(f["domain"] for f in top["evidence"]), "each finding names the domain whose agent reported it"
    assert {e["domain"] for e in outcome.report["evidence"]} <= set(outcome.report["domains"]["answered"])
    check = EXTRA.get(scenario.name)
    if check:
        check(outcome)


# Checks beyond the top cause, for the scenarios that are about more than the answer.
def _short_history(outcome: Outcome) -> None:
    report = outcome.report
    said = [item for item in report["not_judged"] if item.startswith("cart:")]
    assert said and all("not enough history" in item for item in said), report["not_judged"]
    assert not [item for item in report["healthy"] if item.startswith("cart:")], report["healthy"]
    assert "not enough history" in report_markdown(report)


def _carried_over(outcome: Outcome) -> None:
    report = outcome.report
    top = report["causes"][0]
    onsets = [as_time(f["onset"]) for f in top["evidence"] if f["subject"] == "payment" and f.get("onset")]
    started = as_time(report["started_at"])  # the alert; the earlier fault began twelve minutes before it
    assert onsets and min(onsets) >= started - timedelta(minutes=1), (onsets, started)  # dated at its own onset
    own = [f for c in report["causes"] for f in c["evidence"] if f["subject"] == "currency"]
    for change in own:  # if listed at all, the earlier fault is context: its change is carried over, not counted
        assert change["evidence"]["carried_over"] and not change["evidence"]["metrics"], change


def _only_orders_saturated(outcome: Outcome) -> None:
    report = outcome.report
    saturated = {f["subject"] for c in report["causes"] for f in c["evidence"] if f["kind"] == "resource_saturation"}
    assert saturated == {"orders"}, saturated


def _waiting(outcome: Outcome) -> None:
    top = outcome.report["causes"][0]
    assert top["kind"] == "dependency_delay", top
    assert "checkout" in top["reason"], top["reason"]


def report_markdown(report: dict[str, Any]) -> str:
    from functions.report.model import IncidentReport
    from functions.report.renderers import RENDERERS

    return RENDERERS.render("markdown", IncidentReport.model_validate(report))


EXTRA = {"metrics-too-little-history": _short_history, "metrics-two-faults-in-a-row": _carried_over,
         "metrics-cpu-from-60s-scrapes": _only_orders_saturated, "metrics-network-delay-in-callers": _waiting}
