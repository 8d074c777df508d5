"""A real Alertmanager pointed at `sreo serve`: alerts posted to Alertmanager become one incident with a report."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from support.servers import alertmanager, free_port, http_ready, require_binary, serving

TOKEN = "am-test-token"


@pytest.fixture
def sreo_server(tmp_path: Path, database_url: str | None) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "SREO_HOME": str(tmp_path / "home"), "SREO_API_TOKENS": TOKEN,
           "SREO_CORRELATION_DEADLINE_S": "20"}
    env.pop("SREO_DATABASE_URL", None)
    if database_url:
        env["SREO_DATABASE_URL"] = database_url
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "functions._local.cli", "serve", "--port", str(port)]
    with serving(command, tmp_path / "serve.log", lambda: http_ready(f"{url}/healthz"), "sreo serve", env=env):
        yield url


@pytest.fixture
def alertmanager_url(tmp_path: Path, sreo_server: str) -> Iterator[str]:
    binary = require_binary("prometheus-alertmanager")
    config = tmp_path / "alertmanager.yml"
    config.write_text(f"""
route:
  receiver: sreo
  group_by: [alertname, service]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: sreo
    webhook_configs:
      - url: {sreo_server}/alerts/alertmanager
        send_resolved: true
        http_config:
          authorization:
            credentials: {TOKEN}
""")
    with alertmanager(binary, config, tmp_path) as url:
        yield url


def test_alerts_through_real_alertmanager_become_one_incident_with_a_report(alertmanager_url, sreo_server) -> None:
    starts = (datetime.now(UTC) - timedelta(minutes=3)).isoformat()
    alerts = [{"labels": {"alertname": "CheckoutErrorRate", "service": "checkout", "severity": "critical",
                          "instance": instance},
               "annotations": {"summary": "checkout 5xx ratio above 5%"}, "startsAt": starts}
              for instance in ("10.0.0.1:8080", "10.0.0.2:8080")]
    posted = httpx.post(f"{alertmanager_url}/api/v2/alerts", json=alerts, timeout=10)
    assert posted.status_code == 200, posted.text

    deadline = time.monotonic() + 60
    items: list = []
    while time.monotonic() < deadline:
        items = httpx.get(f"{sreo_server}/incidents", timeout=5).json()["items"]
        if items and items[0]["status"] == "reported":
            break
        time.sleep(0.3)
    assert len(items) == 1, "both alerts share a group key, so they form one incident"
    incident = items[0]
    assert incident["status"] == "reported" and incident["source"] == "alertmanager"
    report = httpx.get(f"{sreo_server}/incidents/{incident['id']}/report", timeout=5).json()
    assert report["severity"] == "critical" and report["service"] == "checkout"
    assert {a["labels"]["instance"] for a in report["alerts"]} == {"10.0.0.1:8080", "10.0.0.2:8080"}
    assert "causes" in report and report["domains"]["missing"] == []
