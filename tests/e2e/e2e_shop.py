"""A small shop the end-to-end scenarios write to disk: a Kubernetes dump, JSON logs and OpenMetrics.

Every service is a Deployment with one ReplicaSet, pods and a Service; `env` values name dependencies the
way real manifests do (`http://orders:8080`, `postgres://app@postgres:5432/shop`), which is how the digital
twin learns the edges. Faults are expressed per service: unhealthy pods (reason, exit code, restarts),
error log lines and 5xx counters from `failing_since` on.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

NAMESPACE = "shop"
HISTORY = timedelta(minutes=60)
STEP = timedelta(seconds=15)


@dataclass
class ShopService:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    image: str = ""
    memory_limit: str = "256Mi"
    crash: dict[str, Any] | None = None  # lastState.terminated of a crash-looping container
    error_lines: list[str] = field(default_factory=list)  # logged repeatedly once failing
    error_ratio: float = 0.0  # share of requests answered 5xx once failing
    failing_since: timedelta | None = None  # before now


def _ts(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


def _objects(services: list[ShopService], now: datetime) -> tuple[list[dict[str, Any]], dict[str, str]]:
    old = now - timedelta(days=7)
    items: list[dict[str, Any]] = []
    logs: dict[str, str] = {}
    for svc in services:
        env = [{"name": k, "value": v} for k, v in svc.env.items()]
        image = svc.image or f"registry.local/shop/{svc.name}:1.0.0"
        container = {"name": svc.name, "image": image, "env": env,
                     "resources": {"limits": {"memory": svc.memory_limit, "cpu": "500m"}}}
        labels = {"app": svc.name}
        meta = {"namespace": NAMESPACE, "creationTimestamp": _ts(old)}
        healthy = svc.crash is None
        ready = 2 if healthy else 0
        items.append({"apiVersion": "apps/v1", "kind": "Deployment",
                      "metadata": {**meta, "name": svc.name, "uid": f"d-{svc.name}", "labels": labels,
                                   "generation": 1, "annotations": {"deployment.kubernetes.io/revision": "1"}},
                      "spec": {"replicas": 2, "selector": {"matchLabels": labels},
                               "template": {"metadata": {"labels": labels}, "spec": {"containers": [container]}}},
                      "status": {"replicas": 2, "readyReplicas": ready, "availableReplicas": ready,
                                 "updatedReplicas": 2, "observedGeneration": 1,
                                 "conditions": [{"type": "Available", "status": "True" if healthy else "False"}]}})
        rs_labels = {**labels, "pod-template-hash": "5c7d"}
        items.append({"apiVersion": "apps/v1", "kind": "ReplicaSet",
                      "metadata": {**meta, "name": f"{svc.name}-5c7d", "uid": f"rs-{svc.name}", "labels": rs_labels,
                                   "annotations": {"deployment.kubernetes.io/revision": "1"},
                                   "ownerReferences": [{"kind": "Deployment", "name": svc.name, "controller": True}]},
                      "spec": {"replicas": 2, "selector": {"matchLabels": rs_labels},
                               "template": {"metadata": {"labels": rs_labels}, "spec": {"containers": [container]}}},
                      "status": {"replicas": 2, "readyReplicas": ready, "availableReplicas": ready}})
        pods = [f"{svc.name}-5c7d-{suffix}" for suffix in ("a1b2c", "d3e4f")]
        for pod in pods:
            status: dict[str, Any] = {"name": svc.name, "image": image, "ready": healthy, "restartCount": 0,
                                      "state": {"running": {"startedAt": _ts(old)}}}
            if not healthy:
                status.update(restartCount=9, state={"waiting": {"reason": "CrashLoopBackOff"}},
                              lastState={"terminated": {**svc.crash, "startedAt": _ts(now - timedelta(minutes=1)),
                                                        "finishedAt": _ts(now - timedelta(seconds=30))}})
            items.append({"apiVersion": "v1", "kind": "Pod",
                          "metadata": {**meta, "name": pod, "uid": f"p-{pod}", "labels": rs_labels,
                                       "ownerReferences": [{"kind": "ReplicaSet", "name": f"{svc.name}-5c7d",
                                                            "controller": True}]},
                          "spec": {"nodeName": "node-a", "containers": [container]},
                          "status": {"phase": "Running", "podIP": "10.1.0.9",
                                     "conditions": [{"type": "Ready", "status": "True" if healthy else "False"}],
                                     "containerStatuses": [status]}})
            if svc.error_lines and svc.failing_since is not None:
                minutes = int(svc.failing_since.total_seconds() // 60)
                logs[f"{NAMESPACE}/{pod}/{svc.name}.log"] = "".join(
                    f"{_ts(now - timedelta(minutes=m))} ERROR {svc.error_lines[m % len(svc.error_lines)]}\n"
                    for m in range(minutes, 0, -1))
        items.append({"apiVersion": "v1", "kind": "Service",
                      "metadata": {**meta, "name": svc.name, "uid": f"s-{svc.name}", "labels": labels},
                      "spec": {"selector": labels, "ports": [{"port": 8080, "targetPort": 8080}]}})
        address = "addresses" if healthy else "notReadyAddresses"
        items.append({"apiVersion": "v1", "kind": "Endpoints", "metadata": {**meta, "name": svc.name},
                      "subsets": [{"ports": [{"port": 8080}],
                                   address: [{"ip": f"10.1.0.{i + 2}", "targetRef": {"kind": "Pod", "name": p}}
                                             for i, p in enumerate(pods)]}]})
    return items, logs


def _app_log(services: list[ShopService], now: datetime, seed: int) -> str:
    rng = random.Random(seed)
    lines, at = [], now - HISTORY
    while at < now:
        stamp = at.isoformat().replace("+00:00", "Z")
        for svc in services:
            lines.append(json.dumps({"timestamp": stamp, "level": "INFO", "service": svc.name,
                                     "message": f"request {rng.randint(10000, 99999)} served in "
                                                f"{rng.randint(20, 90)} ms"}))
            if svc.failing_since is not None and at >= now - svc.failing_since and svc.error_lines:
                lines.append(json.dumps({"timestamp": stamp, "level": "ERROR", "service": svc.name,
                                         "message": rng.choice(svc.error_lines)}))
        at += STEP
    return "\n".join(lines) + "\n"


def _metrics(services: list[ShopService], now: datetime) -> str:
    out = ["# TYPE http_requests counter", "# HELP http_requests HTTP requests served."]
    for svc in services:
        ok = errors = 0.0
        samples = []
        at = now - HISTORY
        while at < now:
            failing = svc.failing_since is not None and at >= now - svc.failing_since
            ratio = svc.error_ratio if failing else 0.0
            errors += 40 * ratio
            ok += 40 * (1 - ratio)
            samples.append((at.timestamp(), ok, errors))
            at += STEP
        labels = f'service="{svc.name}",namespace="{NAMESPACE}"'
        out += [f'http_requests_total{{{labels},code="200"}} {v} {t:.3f}' for t, v, _ in samples]
        out += [f'http_requests_total{{{labels},code="500"}} {e} {t:.3f}' for t, _, e in samples]
    return "\n".join(out) + "\n# EOF\n"


@dataclass(frozen=True)
class WrittenShop:
    snapshot: Path
    metrics: Path
    app_log: Path


def write_shop(folder: Path, services: list[ShopService], now: datetime, seed: int = 5) -> WrittenShop:
    items, container_logs = _objects(services, now)
    snapshot = folder / "kubernetes"
    snapshot.mkdir(parents=True, exist_ok=True)
    (snapshot / "objects.json").write_text(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
    for relative, text in container_logs.items():
        path = snapshot / "logs" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (folder / "metrics.om").write_text(_metrics(services, now))
    (folder / "app.jsonl").write_text(_app_log(services, now, seed))
    return WrittenShop(snapshot, folder / "metrics.om", folder / "app.jsonl")
