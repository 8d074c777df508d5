"""The traces builder: service-graph counters from an offline OpenMetrics file and from a real Prometheus."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from support.prometheus import prometheus
from support.servers import free_port

from functions._platform.domains.metrics.source.models import Series
from functions._platform.topology import Graph, TopologyInputs, TopologySourceError
from functions._platform.topology.builders.traces import (
    TracesBuilder,
    counter_increase,
    graph_from_service_graph,
)

END = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STEP_S = 60
SAMPLES = 30
# (client, server, extra labels, requests per step, failures per step)
PAIRS = [
    ("frontend", "checkout", "", 10, 0),
    ("checkout", "payments", "", 4, 1),
    ("checkout", "orders", ',connection_type="database",db_system="postgresql"', 6, 0),
    ("payments", "api.stripe.com", ',connection_type="virtual_node"', 2, 0),
    ("user", "frontend", "", 20, 0),
]


def openmetrics_text() -> str:
    start = END.timestamp() - (SAMPLES - 1) * STEP_S
    requests, failures = ["# TYPE traces_service_graph_request counter"], [
        "# TYPE traces_service_graph_request_failed counter"]
    for client, server, extra, rate, failed in PAIRS:
        labels = f'client="{client}",server="{server}"{extra}'
        for i in range(SAMPLES):
            at = f"{start + i * STEP_S:.0f}"
            requests.append(f"traces_service_graph_request_total{{{labels}}} {rate * i} {at}")
            if failed:
                failures.append(f"traces_service_graph_request_failed_total{{{labels}}} {failed * i} {at}")
    return "\n".join(requests + failures) + "\n# EOF\n"


def edge_set(graph: Graph) -> set[tuple[str, str]]:
    return {(edge.caller, edge.callee) for edge in graph.edges}


EXPECTED = {("frontend", "checkout"), ("checkout", "payments"), ("checkout", "postgres/orders"),
            ("payments", "external/api.stripe.com")}


def test_counter_increase_counts_resets() -> None:
    assert counter_increase([(0, 5), (1, 8), (2, 2), (3, 4)]) == 3 + 2 + 2


def test_pure_graph_kinds_and_counts() -> None:
    series = [Series(labels={"client": "a", "server": "b"}, points=[(0, 0), (60, 30)]),
              Series(labels={"client": "a", "server": "b", "instance": "x"}, points=[(0, 10), (60, 15)]),
              Series(labels={"client": "a", "server": "db1", "connection_type": "database"}, points=[(0, 1)])]
    failed = [Series(labels={"client": "a", "server": "b"}, points=[(0, 0), (60, 3)])]
    graph = graph_from_service_graph(series, failed, seen=[{"client": "c", "server": "a"}])
    ab = next(e for e in graph.edges if (e.caller, e.callee) == ("a", "b"))
    assert ab.evidence["requests"] == 35 and ab.evidence["failed"] == 3 and ab.source == "traces"
    assert graph.nodes["postgres/db1"].kind == "database" and "db1" in graph.nodes["postgres/db1"].aliases
    ca = next(e for e in graph.edges if (e.caller, e.callee) == ("c", "a"))
    assert "requests" not in ca.evidence  # seen, but outside the counted window


def test_offline_file(tmp_path: Path) -> None:
    path = tmp_path / "service-graph.om"
    path.write_text(openmetrics_text())
    graph = TracesBuilder().collect(TopologyInputs(metrics_files=str(path)))
    assert edge_set(graph) == EXPECTED  # the `user` client (an uninstrumented caller) is left out
    graph = TracesBuilder().collect(TopologyInputs(metrics_files=str(path), traces_until=END,
                                                   traces_lookback_s=600))
    payments = next(e for e in graph.edges if (e.caller, e.callee) == ("checkout", "payments"))
    assert payments.evidence["requests"] == pytest.approx(4 * 10, rel=0.15)


@pytest.fixture(scope="module")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with prometheus(openmetrics_text(), tmp_path_factory.mktemp("topology-prometheus")) as url:
        yield url


def test_real_prometheus(prometheus_url: str) -> None:
    graph = TracesBuilder().collect(TopologyInputs(prometheus_url=prometheus_url, traces_until=END,
                                                   traces_lookback_s=1200))
    assert edge_set(graph) == EXPECTED
    payments = next(e for e in graph.edges if (e.caller, e.callee) == ("checkout", "payments"))
    assert payments.evidence["requests"] == pytest.approx(4 * 20, rel=0.15)
    assert payments.evidence["failed"] == pytest.approx(20, rel=0.15)


def test_unreachable_prometheus_is_a_source_error() -> None:
    with pytest.raises(TopologySourceError, match="traces"):
        TracesBuilder().collect(TopologyInputs(prometheus_url=f"http://127.0.0.1:{free_port()}"))


def test_unreadable_metrics_file_is_a_source_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.om"
    path.write_text("not { openmetrics\n")
    with pytest.raises(TopologySourceError, match="traces"):
        TracesBuilder().collect(TopologyInputs(metrics_files=str(path)))
