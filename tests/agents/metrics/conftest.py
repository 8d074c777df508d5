"""Fixtures: the scenario written as OpenMetrics, and a real Prometheus backfilled from it."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from metrics_scenario import Scenario, make_scenario, write_openmetrics
from metrics_support import free_port


def require_binary(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (Debian package `prometheus`)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def scenario() -> Scenario:
    return make_scenario()


@pytest.fixture(scope="session")
def openmetrics_file(scenario: Scenario, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_openmetrics(scenario, tmp_path_factory.mktemp("metrics") / "scenario.om.txt")


@pytest.fixture(scope="session")
def prometheus_url(openmetrics_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prometheus, promtool = require_binary("prometheus"), require_binary("promtool")
    root = tmp_path_factory.mktemp("prometheus")
    tsdb = root / "data"
    subprocess.run([promtool, "tsdb", "create-blocks-from", "openmetrics", str(openmetrics_file), str(tsdb)],
                   check=True, capture_output=True, text=True)
    config = root / "prometheus.yml"
    config.write_text("global:\n  scrape_interval: 1h\n", encoding="utf-8")
    port = free_port()
    log = (root / "prometheus.log").open("w")
    process = subprocess.Popen(
        [prometheus, f"--config.file={config}", f"--storage.tsdb.path={tsdb}",
         f"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=3650d",
         "--rules.alert.resend-delay=1s"],
        stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(f"prometheus exited: {(root / 'prometheus.log').read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/-/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("prometheus did not become ready")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
