"""The bundled demo scenario: writes a Kubernetes snapshot, logs, metrics and the firing alert to a folder."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from functions._local.demo import kube, signals

ROOT_CAUSE = "payments"


@dataclass(frozen=True)
class Scenario:
    folder: Path
    snapshot: Path
    metrics: Path
    logs: list[tuple[Path, str]]  # (file, service or "" to take it from each line)
    alert: Path


def write(folder: Path, now: datetime | None = None) -> Scenario:
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    folder.mkdir(parents=True, exist_ok=True)
    objects, container_logs = kube.snapshot(now)
    snapshot = folder / "kubernetes"
    snapshot.mkdir(exist_ok=True)
    (snapshot / "objects.json").write_text(json.dumps(objects, indent=1))
    for relative, text in container_logs.items():
        path = snapshot / "logs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    payments_pods = [item["metadata"]["name"] for item in objects["items"]
                     if item["kind"] == "Pod" and item["metadata"]["name"].startswith("payments-")]
    (folder / "metrics.om").write_text(signals.metrics(now, payments_pods))
    (folder / "checkout-access.log").write_text(signals.access_log(now))
    (folder / "shop-app.jsonl").write_text(signals.app_log(now))
    started = now - signals.FAILURE_STARTS
    alert = {
        "version": "4", "status": "firing", "receiver": "sreo", "groupKey": '{}:{alertname="CheckoutErrorRate"}',
        "groupLabels": {"alertname": "CheckoutErrorRate"},
        "commonLabels": {"alertname": "CheckoutErrorRate", "service": "checkout", "namespace": "shop",
                         "severity": "critical"},
        "commonAnnotations": {}, "externalURL": "http://alertmanager.local", "truncatedAlerts": 0,
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": "CheckoutErrorRate", "service": "checkout", "namespace": "shop",
                       "severity": "critical"},
            "annotations": {"summary": "checkout is failing 60% of requests with 5xx",
                            "description": "http_requests_total 5xx ratio for checkout is above 5% for 5 minutes"},
            "startsAt": (started + timedelta(minutes=5)).isoformat().replace("+00:00", "Z"),
            "endsAt": "0001-01-01T00:00:00Z", "generatorURL": "http://prometheus.local/graph",
            "fingerprint": "c0ffee0000000001",
        }],
    }
    (folder / "alert.json").write_text(json.dumps(alert, indent=2))
    return Scenario(folder, snapshot, folder / "metrics.om",
                    [(folder / "checkout-access.log", "checkout"), (folder / "shop-app.jsonl", "")],
                    folder / "alert.json")
