from __future__ import annotations

from datetime import timedelta

from auth_traffic import CONTEXT, START, http, quiet_traffic

from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike


def _failures_from_many_sources(count: int) -> list:
    """Rejected logins spread over many addresses and users: a spike no single source explains."""
    return [http(START + timedelta(minutes=20, seconds=5 * i), 401, f"100.64.{i // 200}.{i % 200}",
                 user=f"user{i % 50}") for i in range(count)]


def test_a_burst_of_rejected_logins_over_the_usual_rate_is_a_spike_on_its_path() -> None:
    records = sorted(quiet_traffic() + _failures_from_many_sources(150), key=lambda r: r.timestamp)
    [spike] = AuthFailureSpike().analyze(records, CONTEXT)
    assert (spike.kind, spike.subject) == ("auth_failure_spike", "shop")
    assert spike.evidence["path"] == "/login" and spike.evidence["failures"] >= 150
    assert spike.severity == "critical"  # far above the odd typo of the baseline, and over a hundred
    assert spike.window == CONTEXT.window and spike.baseline == CONTEXT.baseline


def test_a_smaller_burst_is_a_warning() -> None:
    records = sorted(quiet_traffic() + _failures_from_many_sources(30), key=lambda r: r.timestamp)
    [spike] = AuthFailureSpike().analyze(records, CONTEXT)
    assert spike.severity == "warning"


def test_failures_at_the_baseline_rate_are_no_spike() -> None:
    assert AuthFailureSpike().analyze(quiet_traffic(), CONTEXT) == []


def test_without_a_baseline_before_the_first_line_nothing_is_judged() -> None:
    only_the_burst = _failures_from_many_sources(150)
    assert AuthFailureSpike().analyze(only_the_burst, CONTEXT) == []
