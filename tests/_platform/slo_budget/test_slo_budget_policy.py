"""adjust_severity and the answer parser, without a server; and the metric names the SLO generator records."""

from __future__ import annotations

import pytest

from functions._local.slo.plugins import metadata_rules
from functions._platform import slo_budget
from functions._platform.slo_budget import BudgetPolicy, BudgetState, SLOBudget, adjust_severity, parse_budget


def state(*slos: tuple[str, float | None, float | None]) -> BudgetState:
    return BudgetState(service="svc", slos=[SLOBudget(slo=n, remaining=r, burn_rate=b) for n, r, b in slos])


def test_names_match_what_slo_generate_records() -> None:
    assert slo_budget.BUDGET_REMAINING_METRIC == metadata_rules.BUDGET_REMAINING_METRIC
    assert slo_budget.CURRENT_BURN_METRIC == metadata_rules.CURRENT_BURN_METRIC


def test_no_budget_keeps_severity() -> None:
    assert adjust_severity("info", None)[0] == "info"
    assert "no error-budget data" in adjust_severity("warning", None)[1]


def test_exhausted_budget_escalates_to_critical_and_names_the_slo() -> None:
    severity, reason = adjust_severity("info", state(("availability", 0.0, 0.2), ("latency", 0.9, 0.1)))
    assert severity == "critical"
    assert "availability" in reason and "exhausted" in reason and "escalated from info" in reason


def test_page_burn_rate_threshold_is_inclusive() -> None:
    assert adjust_severity("warning", state(("a", 0.9, 14.4)))[0] == "critical"
    assert adjust_severity("warning", state(("a", 0.9, 14.3)))[0] == "warning"


def test_ticket_burn_rate_escalates_info_only_to_warning() -> None:
    assert adjust_severity("info", state(("a", 0.9, 6.0)))[0] == "warning"
    assert adjust_severity("info", state(("a", 0.9, 5.9)))[0] == "info"


def test_low_budget_is_at_least_a_warning() -> None:
    assert adjust_severity("info", state(("a", 0.09, 0.5)))[0] == "warning"
    assert adjust_severity("info", state(("a", 0.1, 0.5)))[0] == "info"


def test_never_lowers() -> None:
    severity, reason = adjust_severity("critical", state(("a", 0.99, 0.0)))
    assert severity == "critical" and "kept" in reason
    severity, reason = adjust_severity("critical", state(("a", 0.05, 7.0)))
    assert severity == "critical" and "kept" in reason


def test_policy_thresholds_are_configurable() -> None:
    strict = BudgetPolicy(page_burn_rate=2.0)
    assert adjust_severity("info", state(("a", 0.9, 2.5)), strict)[0] == "critical"


def test_unknown_values_do_not_escalate() -> None:
    assert adjust_severity("info", state(("a", None, None)))[0] == "info"


def test_parse_ignores_bad_answers() -> None:
    assert parse_budget("svc", None) is None
    assert parse_budget("svc", {"status": "error"}) is None
    assert parse_budget("svc", {"status": "success", "data": {"resultType": "matrix", "result": []}}) is None
    assert parse_budget("svc", {"status": "success", "data": {"resultType": "vector", "result": []}}) is None


@pytest.mark.parametrize("raw", ["NaN", "+Inf", "-Inf", "junk", None])
def test_parse_drops_non_finite_values(raw: str | None) -> None:
    answer = {"status": "success", "data": {"resultType": "vector", "result": [
        {"metric": {"__name__": slo_budget.BUDGET_REMAINING_METRIC, "sloth_slo": "a"}, "value": [0, raw]},
    ]}}
    parsed = parse_budget("svc", answer)
    assert parsed is not None and parsed.slos[0].remaining is None


def test_query_selects_both_metrics_for_the_service() -> None:
    query = slo_budget.budget_query("check\\out")
    assert slo_budget.BUDGET_REMAINING_METRIC in query and slo_budget.CURRENT_BURN_METRIC in query
    assert 'sloth_service="check\\\\out"' in query
