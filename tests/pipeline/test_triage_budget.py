"""Triage reads the affected service's error-budget state into the incident's severity (real Prometheus)."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.servers import free_port, require_binary


@pytest.fixture
def prometheus_with_burning_budget(tmp_path: Path) -> Iterator[str]:
    prometheus, promtool = require_binary("prometheus"), require_binary("promtool")
    now = int(time.time())
    lines = ["# TYPE slo:current_burn_rate:ratio gauge", "# TYPE slo:period_error_budget_remaining:ratio gauge"]
    samples = {"slo:current_burn_rate:ratio": 20.0, "slo:period_error_budget_remaining:ratio": 0.4}
    body = []
    for name, value in samples.items():
        body += [f'{name}{{sloth_service="checkout",sloth_slo="availability",sloth_id="checkout-availability"}} '
                 f"{value} {t}" for t in range(now - 3600, now - 60, 60)]
    (tmp_path / "data.om").write_text("\n".join([lines[0]] + body[:len(body) // 2] + [lines[1]]
                                                + body[len(body) // 2:]) + "\n# EOF\n")
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(tmp_path / "data.om"),
                    str(tmp_path / "tsdb")], check=True, capture_output=True)
    (tmp_path / "prometheus.yml").write_text("global: {}\n")
    port = free_port()
    process = subprocess.Popen([prometheus, f"--config.file={tmp_path / 'prometheus.yml'}",
                                f"--storage.tsdb.path={tmp_path / 'tsdb'}", f"--web.listen-address=127.0.0.1:{port}",
                                "--storage.tsdb.retention.time=30d", "--query.lookback-delta=10m"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


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
