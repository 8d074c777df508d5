"""A leaf service killed for memory (OOMKilled, exit 137) behind a caller whose calls to it are refused."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from e2e_harness import ScenarioSources
from e2e_shop import ShopService, write_shop


def test_oomkilled_leaf_ranks_above_the_caller_it_breaks(tmp_path: Path, run_scenario):
    now = datetime.now(UTC).replace(microsecond=0)
    failing = timedelta(minutes=9)
    services = [
        ShopService("web", env={"ORDERS_URL": "http://orders:8080"}),
        ShopService("orders", env={"INVENTORY_URL": "http://inventory:8080"}, error_ratio=0.6, failing_since=failing,
                    error_lines=["reserve stock failed: dial tcp inventory:8080: connect: connection refused"]),
        ShopService("inventory", memory_limit="64Mi", crash={"exitCode": 137, "reason": "OOMKilled"}),
    ]
    shop = write_shop(tmp_path / "shop", services, now)
    run = run_scenario(
        ScenarioSources(kube_snapshot=shop.snapshot, metrics_files=[shop.metrics], logs=[(shop.app_log, None)]),
        incident={"text": "orders returns 500 errors on every reservation", "service": "orders",
                  "namespace": "shop", "severity": "critical", "started_at": (now - failing).isoformat()},
    )

    assert ("orders", "inventory") in run.edges
    top = run.top
    assert top["component"] == "inventory", run.components()
    own = [f for f in top["evidence"] if f["subject"] == "inventory"]
    assert any("OOMKilled" in str(f["evidence"]) for f in own), own
    assert "its dependencies are healthy" in top["reason"] or "no known dependencies" in top["reason"]
    assert "it explains the anomalies of orders" in top["reason"]
    assert run.components()[1] == "orders"
    assert run.backing_domains(top) >= {"kubernetes", "logs", "metrics"}
