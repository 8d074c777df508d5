"""One incident through the product, as a user sends it: a local host on the given settings, an Alertmanager
webhook posted to its REST API, and the stored report once the incident is reported."""

from __future__ import annotations

import time
from typing import Any

REPORT_WAIT_S = 180


def report_for_alert(settings: Any, webhook: dict, label: str) -> tuple[dict, float]:
    """The stored report of the incident the webhook opens, and the seconds from posting it to the report."""
    from fastapi.testclient import TestClient

    from functions._local.api import create_app
    from functions._local.host import LocalHost

    host = LocalHost(settings, tick_s=0).start(ticking=False)
    try:
        client = TestClient(create_app(host.runtime, host.broker))
        began = time.perf_counter()
        answer = client.post("/alerts/alertmanager", json=webhook)
        answer.raise_for_status()
        incident_id = answer.json()["incidents"][0]["id"]
        deadline = time.monotonic() + REPORT_WAIT_S
        while client.get(f"/incidents/{incident_id}").json().get("status") != "reported":
            if time.monotonic() > deadline:
                timeline = client.get(f"/incidents/{incident_id}").json().get("timeline", [])
                raise RuntimeError(f"{label}: no report within {REPORT_WAIT_S} s; timeline: {timeline}")
            time.sleep(0.05)
        seconds = time.perf_counter() - began
        return client.get(f"/incidents/{incident_id}/report").json(), seconds
    finally:
        host.stop()
