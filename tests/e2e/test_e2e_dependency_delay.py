"""A network delay between checkout and payments, seen only in the trace-derived service-graph metrics.

web calls checkout, which calls payments and cart (their URLs in checkout's env give the digital twin its
edges). From some minutes ago checkout answers 5xx and logs charge timeouts, while payments' own HTTP
metrics, pods and logs stay healthy. Only the service graph shows where the time goes: checkout's
client-observed latency to payments jumps while payments' server-side latency stays flat, and calls to cart
keep their baseline. The metrics agent's `dependency_degraded` analyzer must flag payments, and the ranking
must put payments first, above checkout whose errors it explains.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_harness import ScenarioSources
from e2e_shop import STEP, ShopService, write_shop
from support.service_graph_scenario import EdgeShape, edge_families, openmetrics

CHARGE_ERRORS = ["charge timed out after 3000ms", "POST /checkout failed: charge timed out after 3000ms"]
GRAPH_HISTORY = timedelta(hours=2)  # covers the metrics baseline: an hour before the window (15 min lookback)


def with_service_graph(metrics: Path, now: datetime, failing: timedelta) -> None:
    """Append checkout's service-graph edges to the shop's OpenMetrics file: the client-observed latency to
    payments jumps (mean 0.05 s -> 0.45 s, p95 about 0.1 s -> 0.9 s) once failing; everything else stays flat."""
    onset = (now - failing).timestamp()
    step = int(STEP.total_seconds())
    end = int(now.timestamp())
    times = list(range(end - int(GRAPH_HISTORY.total_seconds()), end + 1, step))
    edges = [EdgeShape("payments", client_mean=lambda t: 0.45 if t >= onset else 0.05), EdgeShape("cart")]
    text = metrics.read_text().removesuffix("# EOF\n")
    metrics.write_text(text + openmetrics(edge_families("checkout", edges, times)))


def test_a_delay_to_payments_seen_only_in_service_graph_metrics_ranks_payments_first(tmp_path: Path, run_scenario):
    now = datetime.now(UTC).replace(microsecond=0)
    failing = timedelta(minutes=8)
    services = [
        ShopService("web", env={"CHECKOUT_URL": "http://checkout:8080"}),
        ShopService("checkout", env={"PAYMENTS_URL": "http://payments:8080", "CART_URL": "http://cart:8080"},
                    error_ratio=0.4, failing_since=failing, error_lines=CHARGE_ERRORS),
        ShopService("payments"),
        ShopService("cart"),
    ]
    shop = write_shop(tmp_path / "shop", services, now)
    with_service_graph(shop.metrics, now, failing)
    run = run_scenario(
        ScenarioSources(kube_snapshot=shop.snapshot, metrics_files=[shop.metrics], logs=[(shop.app_log, None)]),
        incident={"text": "checkout is slow and returns 500s: charge timed out", "service": "checkout",
                  "namespace": "shop", "severity": "critical", "started_at": (now - failing).isoformat()},
    )

    assert {("web", "checkout"), ("checkout", "payments"), ("checkout", "cart")} <= run.edges
    metrics = run.evidence["metrics"]
    assert metrics["status"] == "success", metrics
    degraded = [f for f in metrics["findings"] if f["kind"] == "dependency_degraded"]
    cause = next((f for f in degraded if f["subject"] == "payments"), None)
    assert cause is not None, metrics["findings"]
    assert (cause["evidence"]["client"], cause["evidence"]["server"]) == ("checkout", "payments")
    assert cause["evidence"]["latency_degraded"] and not cause["evidence"]["failures_degraded"]
    assert "calls from checkout got slower" in cause["summary"] and "(client-observed)" in cause["summary"]
    assert "payments' own server time stayed" in cause["summary"]
    assert not any(f["subject"] == "cart" for f in degraded), degraded
    companion = next(f for f in degraded if f["subject"] == "checkout")
    assert companion["severity"] == "info" and companion["evidence"]["dependency"] == "payments"

    top = run.top
    assert top["component"] == "payments", run.components()
    assert run.components().index("checkout") > 0
    assert cause["summary"] in [f["summary"] for f in top["evidence"] if f["kind"] == "dependency_degraded"]
    assert "it explains the anomalies of checkout" in top["reason"]
