"""The demo shop's logs and metrics around the payments rollout, relative to `now` (deterministic)."""

from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

HISTORY = timedelta(minutes=90)
FAILURE_STARTS = timedelta(minutes=10)  # checkout fails from 10 minutes ago; payments rolled out 12 minutes ago
STEP = timedelta(seconds=15)


def _clf(at: datetime) -> str:
    return at.strftime("%d/%b/%Y:%H:%M:%S +0000")


def access_log(now: datetime, seed: int = 7) -> str:
    """checkout's combined-format access log: healthy baseline, then 502s once payments is down."""
    rng = random.Random(seed)
    lines, at = [], now - HISTORY
    while at < now:
        failing = at >= now - FAILURE_STARTS
        for _ in range(rng.randint(4, 7)):
            path = rng.choice(["/api/cart", "/api/checkout", "/api/checkout", "/api/orders"])
            status = 502 if failing and path == "/api/checkout" and rng.random() < 0.9 else \
                rng.choice([200] * 40 + [404])
            ip = f"10.20.{rng.randint(0, 3)}.{rng.randint(2, 250)}"
            lines.append(f'{ip} - - [{_clf(at)}] "POST {path} HTTP/1.1" {status} {rng.randint(80, 900)} "-" '
                         f'"shop-frontend/1.8"')
        at += STEP
    return "\n".join(lines) + "\n"


def app_log(now: datetime, seed: int = 11) -> str:
    """JSON lines from checkout and payments."""
    rng = random.Random(seed)
    lines, at = [], now - HISTORY
    while at < now:
        stamp = at.isoformat().replace("+00:00", "Z")
        lines.append(json.dumps({"timestamp": stamp, "level": "INFO", "service": "checkout",
                                 "message": f"order {rng.randint(10000, 99999)} placed in {rng.randint(40, 90)} ms"}))
        if at >= now - FAILURE_STARTS:
            lines.append(json.dumps({"timestamp": stamp, "level": "ERROR", "service": "checkout",
                                     "message": "charge failed: dial tcp payments:8080: connect: connection refused"}))
        if at >= now - FAILURE_STARTS - timedelta(minutes=2) and at.second < 15:
            lines.append(json.dumps({"timestamp": stamp, "level": "FATAL", "service": "payments",
                                     "message": "config: required environment variable PAYMENT_GATEWAY_URL is not set"}))
        elif at < now - FAILURE_STARTS - timedelta(minutes=2) and at.second < 15:
            lines.append(json.dumps({"timestamp": stamp, "level": "INFO", "service": "payments",
                                     "message": f"charge {rng.randint(10000, 99999)} authorised"}))
        at += STEP
    return "\n".join(lines) + "\n"


def metrics(now: datetime, payments_pods: list[str]) -> str:
    """OpenMetrics text: request counters per status code and container restarts."""
    requests: dict[tuple[str, str], list[tuple[float, float]]] = {}
    restarts: dict[str, list[tuple[float, float]]] = {pod: [] for pod in payments_pods}
    totals = {("checkout", "200"): 0.0, ("checkout", "502"): 0.0, ("frontend", "200"): 0.0, ("frontend", "502"): 0.0}
    restart_count = dict.fromkeys(payments_pods, 0.0)
    at = now - HISTORY
    while at < now:
        failing = at >= now - FAILURE_STARTS
        stamp = at.timestamp()
        totals[("checkout", "200")] += 12 if failing else 30
        totals[("checkout", "502")] += 18 if failing else 0
        totals[("frontend", "200")] += 48 if failing else 60
        totals[("frontend", "502")] += 12 if failing else 0
        for key, value in totals.items():
            requests.setdefault(key, []).append((stamp, value))
        for pod in payments_pods:
            if at >= now - FAILURE_STARTS - timedelta(minutes=2) and int(stamp) % 90 < 15:
                restart_count[pod] += 1
            restarts[pod].append((stamp, restart_count[pod]))
        at += STEP
    out = ["# TYPE http_requests counter", "# HELP http_requests HTTP requests served."]
    for (service, code), samples in requests.items():
        out += [f'http_requests_total{{service="{service}",namespace="shop",code="{code}"}} {v} {t:.3f}'
                for t, v in samples]
    out += ["# TYPE kube_pod_container_status_restarts counter",
            "# HELP kube_pod_container_status_restarts Container restarts."]
    for pod, samples in restarts.items():
        out += [f'kube_pod_container_status_restarts_total{{namespace="shop",pod="{pod}",container="payments",'
                f'service="payments"}} {v} {t:.3f}' for t, v in samples]
    return "\n".join(out) + "\n# EOF\n"
