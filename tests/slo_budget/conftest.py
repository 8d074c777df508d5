"""A real Prometheus whose TSDB is backfilled with the SLO metadata series `sreo slo generate` records."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from support.servers import free_port, require_binary

STEP_S = 60
SPAN_S = 3600  # samples from an hour ago to an hour ahead, so an instant query at "now" finds them


@dataclass(frozen=True)
class SLOSeries:
    service: str
    slo: str
    remaining: str  # OpenMetrics number text: "0.5", "NaN", "+Inf"
    burn_rate: str


# what each service's SLOs report; the tests state the verdict they expect for each service
SERIES = [
    SLOSeries("checkout", "availability", "-0.2", "3"),
    SLOSeries("checkout", "latency", "0.6", "20"),
    SLOSeries("search", "availability", "0.8", "16.5"),
    SLOSeries("catalog", "availability", "0.05", "2"),
    SLOSeries("payments", "availability", "0.7", "7"),
    SLOSeries("ledger", "availability", "0.9", "0.5"),
    SLOSeries("idle", "availability", "1", "NaN"),
    SLOSeries('we"ird', "availability", "-1", "1"),
]


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def write_openmetrics(path: Path, now: int) -> Path:
    lines = []
    metrics = {
        "slo:period_error_budget_remaining:ratio": lambda s: s.remaining,
        "slo:current_burn_rate:ratio": lambda s: s.burn_rate,
        "slo:objective:ratio": lambda s: "0.999",  # a neighbouring metadata series the query must not pick up
    }
    for name, value_of in metrics.items():
        lines.append(f"# TYPE {name} gauge")
        for series in SERIES:
            labels = (f'sloth_id="{_escape(series.service)}-{series.slo}",sloth_service="{_escape(series.service)}",'
                      f'sloth_slo="{series.slo}"')
            for ts in range(now - SPAN_S, now + SPAN_S, STEP_S):
                lines.append(f"{name}{{{labels}}} {value_of(series)} {ts}")
    lines.append("# EOF")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def prometheus_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prometheus, promtool = require_binary("prometheus"), require_binary("promtool")
    root = tmp_path_factory.mktemp("slo-budget-prometheus")
    source = write_openmetrics(root / "slo.om.txt", int(time.time()))
    tsdb = root / "data"
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(source), str(tsdb)],
                   check=True, capture_output=True, text=True)
    config = root / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\n", encoding="utf-8")
    port = free_port()
    log_path = root / "prometheus.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [prometheus, f"--config.file={config}", f"--storage.tsdb.path={tsdb}",
             f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=3650d",
             "--rules.alert.resend-delay=1s"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            _wait_ready(process, url, log_path)
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _wait_ready(process: subprocess.Popen, url: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            pytest.fail(f"prometheus exited: {log_path.read_text()[-2000:]}")
        try:
            if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if time.monotonic() > deadline:
            pytest.fail("prometheus did not become ready")
        time.sleep(0.2)
