"""Crash injection: `sreo serve` is SIGKILLed at a named point of the pipeline, restarted, and every incident it
stored still ends with one complete report (every domain answered, none left to the sweeper's deadline)."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import httpx
import pytest
from support.servers import free_port, http_ready, serving

TOKEN = "crash-test-token"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}
TEXTS = ["checkout returns 500s and is slow", "orders API errors after deploy", "login page token errors",
         "payments latency is high", "search pods crash looping", "inventory database lock waits"]


@pytest.fixture
def serve(tmp_path: Path, database_url: str | None) -> Callable[..., AbstractContextManager[tuple[str, object]]]:
    @contextmanager
    def start(name: str, **extra: str) -> Iterator[tuple[str, object]]:
        port = free_port()
        env = {**os.environ, "SREO_HOME": str(tmp_path / "home"), "SREO_API_TOKENS": TOKEN,
               "SREO_CORRELATION_DEADLINE_S": "120", "SREO_OUTBOX_LEASE_S": "2", "SREO_OUTBOX_POLL_S": "0.2",
               "SREO_AGENT_TIMEOUT_S": "5", **extra}
        env.pop("SREO_DATABASE_URL", None)
        if database_url:
            env["SREO_DATABASE_URL"] = database_url
        url = f"http://127.0.0.1:{port}"
        command = [sys.executable, "-m", "functions._local.cli", "serve", "--port", str(port)]
        with serving(command, tmp_path / f"{name}.log", lambda: http_ready(f"{url}/healthz"), "sreo serve",
                     env=env) as process:
            yield url, process
    return start


def _post(url: str, text: str) -> str | None:
    try:
        response = httpx.post(f"{url}/incidents", json={"text": text, "service": "checkout"}, headers=HEADERS,
                              timeout=30)
    except httpx.HTTPError:
        return None  # the server died before it answered: not accepted as far as the client knows
    return response.json()["id"] if response.status_code == 202 else None


def _incidents(url: str) -> list[dict]:
    return httpx.get(f"{url}/incidents", params={"limit": 100}, timeout=10).json()["items"]


@pytest.mark.parametrize("point", ["after-accept", "fan-out", "evidence", "report"])
def test_a_crash_at_any_point_loses_no_incident(serve, point: str) -> None:
    with serve("crashing", SREO_FAULT_POINT=point) as (url, process):
        with ThreadPoolExecutor(max_workers=3) as pool:
            accepted = [incident_id for incident_id in pool.map(lambda text: _post(url, text), TEXTS) if incident_id]
        assert process.wait(timeout=90) == -signal.SIGKILL, f"the {point} crash point was never reached"

    with serve("restarted") as (url, _):
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            items = _incidents(url)
            if items and all(item["status"] == "reported" for item in items):
                break
            time.sleep(0.3)
        assert items, "the crash happened after an incident was stored, so one must exist"
        assert {item["status"] for item in items} == {"reported"}, items
        assert set(accepted) <= {item["id"] for item in items}, "an incident answered 202 was lost"
        assert len(items) <= len(TEXTS), "an incident was duplicated"
        for item in items:
            report = httpx.get(f"{url}/incidents/{item['id']}/report", timeout=10).json()
            assert report["domains"]["missing"] == [], f"{item['id']} was finished by the deadline, not by its agents"
            assert report["complete"] is True
            correlated = [t for t in report["timeline"] if t["actor"] == "correlate" and t["text"].startswith(
                "Correlated")]
            assert len(correlated) == 1, report["timeline"]
        pending = httpx.get(f"{url}/events/pending", timeout=10).json()
        deadline = time.monotonic() + 30
        while pending["total"] and time.monotonic() < deadline:
            time.sleep(0.3)
            pending = httpx.get(f"{url}/events/pending", timeout=10).json()
        assert pending["total"] == 0, pending["items"]
