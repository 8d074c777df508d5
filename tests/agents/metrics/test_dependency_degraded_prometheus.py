"""The metrics agent finds degraded edges in service-graph metrics backfilled into a real Prometheus."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from support.metrics_scenario import WINDOW_S, Scenario, make_scenario
from support.prometheus import prometheus
from support.service_graph_scenario import EdgeShape, edge_families, openmetrics

from functions._platform.config import Settings
from functions._platform.domains.metrics.source.prometheus import PrometheusProvider
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def edges_scenario() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="module")
def edges_prometheus(edges_scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    onset = edges_scenario.end - WINDOW_S / 2
    edges = [
        EdgeShape("payments", client_mean=lambda t: 0.45 if t > onset else 0.05),
        EdgeShape("orders-db", failed_share=lambda t: 0.2 if t > onset else 0.005,
                  labels={"connection_type": "database", "db_system": "postgresql"}),
        EdgeShape("cart"),
    ]
    text = openmetrics(edge_families("checkout", edges, edges_scenario.times))
    with prometheus(text, tmp_path_factory.mktemp("prometheus-edges")) as url:
        yield url


def test_the_backfill_holds_the_edges(edges_prometheus: str, edges_scenario: Scenario):
    provider = PrometheusProvider(edges_prometheus)
    servers = asyncio.run(provider.label_values("server", "traces_service_graph_request_client_seconds_bucket",
                                                edges_scenario.start, edges_scenario.end))
    assert servers == ["cart", "orders-db", "payments"]


def test_agent_finds_the_degraded_edges_on_their_callees(edges_prometheus: str, edges_scenario: Scenario):
    request = InvestigationRequested(incident_id="inc-edges", domain="metrics", service="checkout",
                                     window=edges_scenario.window,
                                     deadline=edges_scenario.window.end + timedelta(minutes=5))
    evidence = collect_evidence(request, Settings(prometheus_url=edges_prometheus))
    assert evidence.status == "success", evidence.error
    found = {(f.subject, f.severity): f for f in evidence.findings if f.kind == "dependency_degraded"}
    assert set(found) == {("payments", "critical"), ("postgres/orders-db", "critical"), ("checkout", "info")}
    slow, failing = found[("payments", "critical")], found[("postgres/orders-db", "critical")]
    assert slow.evidence["latency_degraded"] and not slow.evidence["failures_degraded"]
    assert slow.evidence["client_latency_window_seconds"] > 4 * slow.evidence["client_latency_baseline_seconds"]
    assert slow.evidence["server_latency_window_seconds"] == pytest.approx(
        slow.evidence["server_latency_baseline_seconds"], rel=0.1)
    assert failing.evidence["failure_ratio_window"] == pytest.approx(0.2, abs=0.02)
    assert slow.query.startswith("range_query(") and 'client=\\"checkout\\"' in slow.query
    companions = [f for f in evidence.findings if f.subject == "checkout" and f.kind == "dependency_degraded"]
    assert sorted(f.evidence["dependency"] for f in companions) == ["payments", "postgres/orders-db"]
    assert not any(f.subject == "cart" for f in evidence.findings)
