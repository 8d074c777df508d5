"""Triage reads the affected service's error-budget state into the incident's severity (real Prometheus)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.prometheus import prometheus


@pytest.fixture
def prometheus_with_burning_budget(tmp_path: Path) -> Iterator[str]:
    """checkout's availability SLO burning at 20x with 40% of its budget left, sampled until a minute ago."""
    now = int(time.time())
    samples = {"slo:current_burn_rate:ratio": 20.0, "slo:period_error_budget_remaining:ratio": 0.4}
    lines = []
    for name, value in samples.items():
        lines.append(f"# TYPE {name} gauge")
        lines += [f'{name}{{sloth_service="checkout",sloth_slo="availability",sloth_id="checkout-availability"}} '
                  f"{value} {t}" for t in range(now - 3600, now - 60, 60)]
    with prometheus("\n".join(lines) + "\n# EOF\n", tmp_path, "--query.lookback-delta=10m") as url:
        yield url


def test_a_burning_budget_escalates_the_incident(make_orchestrator, prometheus_with_burning_budget) -> None:
    orchestrator = make_orchestrator(prometheus_url=prometheus_with_burning_budget)
    accepted = orchestrator.client.post("/incidents", json={"text": "checkout feels slow", "service": "checkout",
                                                            "severity": "info"}).json()
    report = orchestrator.report(accepted["id"])
    assert report["severity"] == "critical"
    assert any("escalated from info to critical" in entry["text"] for entry in report["timeline"])
    calm = orchestrator.client.post("/incidents", json={"text": "orders feels slow", "service": "orders",
                                                        "severity": "info"}).json()
    assert orchestrator.report(calm["id"])["severity"] == "info", "no SLO data for orders: severity kept"
