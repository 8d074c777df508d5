"""budget_state against a real Prometheus holding the SLO metadata series."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from support.servers import free_port

from functions._platform.config import Settings
from functions._platform.slo_budget import adjust_severity, budget_state


def settings_for(url: str | None, tmp_path: Path) -> Settings:
    return Settings(home=tmp_path, prometheus_url=url)


def test_reads_every_slo_of_the_service(prometheus_url: str, tmp_path: Path) -> None:
    state = budget_state("checkout", settings_for(prometheus_url, tmp_path))
    assert state is not None
    assert state.service == "checkout"
    assert state.slo_names == ["availability", "latency"]
    by_name = {item.slo: item for item in state.slos}
    assert by_name["availability"].remaining == pytest.approx(-0.2)
    assert by_name["latency"].burn_rate == pytest.approx(20)
    assert state.remaining == pytest.approx(-0.2)
    assert state.burn_rate == pytest.approx(20)


def test_other_services_series_are_not_mixed_in(prometheus_url: str, tmp_path: Path) -> None:
    state = budget_state("ledger", settings_for(prometheus_url, tmp_path))
    assert state is not None
    assert [(s.slo, s.remaining, s.burn_rate) for s in state.slos] == [("availability", 0.9, 0.5)]


def test_nan_burn_rate_is_unknown_not_a_number(prometheus_url: str, tmp_path: Path) -> None:
    state = budget_state("idle", settings_for(prometheus_url, tmp_path))
    assert state is not None
    assert state.burn_rate is None
    assert state.remaining == pytest.approx(1)


def test_service_name_with_a_quote_is_escaped(prometheus_url: str, tmp_path: Path) -> None:
    state = budget_state('we"ird', settings_for(prometheus_url, tmp_path))
    assert state is not None and state.remaining == pytest.approx(-1)


@pytest.mark.parametrize(("service", "given", "expected"), [
    ("checkout", "warning", "critical"),  # one SLO exhausted
    ("search", "info", "critical"),  # burning at 16.5x
    ("payments", "info", "warning"),  # burning at 7x
    ("catalog", "info", "warning"),  # 5% left
    ("ledger", "warning", "warning"),  # healthy
    ("ledger", "critical", "critical"),  # never lowered
])
def test_severity_from_live_budget(prometheus_url: str, tmp_path: Path, service: str, given: str,
                                   expected: str) -> None:
    severity, reason = adjust_severity(given, budget_state(service, settings_for(prometheus_url, tmp_path)))
    assert severity == expected
    assert reason


def test_unknown_service_gives_none(prometheus_url: str, tmp_path: Path) -> None:
    assert budget_state("no-such-service", settings_for(prometheus_url, tmp_path)) is None


def test_no_prometheus_configured_or_no_service_gives_none(prometheus_url: str, tmp_path: Path) -> None:
    assert budget_state("checkout", settings_for(None, tmp_path)) is None
    assert budget_state(None, settings_for(prometheus_url, tmp_path)) is None
    assert budget_state("", settings_for(prometheus_url, tmp_path)) is None


def test_refused_connection_gives_none(tmp_path: Path) -> None:
    assert budget_state("checkout", settings_for(f"http://127.0.0.1:{free_port()}", tmp_path)) is None


def test_wrong_endpoint_gives_none(prometheus_url: str, tmp_path: Path) -> None:
    assert budget_state("checkout", settings_for(prometheus_url + "/not-prometheus", tmp_path)) is None


def test_silent_server_times_out_to_none(tmp_path: Path) -> None:
    with socket.socket() as listener:  # accepts connections and never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        assert budget_state("checkout", settings_for(url, tmp_path), timeout_s=0.3) is None
