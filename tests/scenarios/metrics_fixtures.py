"""Writes the metrics files of the metrics scenarios (run it to regenerate them: `python tests/scenarios/metrics_fixtures.py`).

Each scenario is a folder beside this file; this module only produces their `metrics/` files, `alert.json` and
`topology.yaml` from small, readable shapes, with a fixed random seed so the files stay stable.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
T0 = datetime(2025, 3, 4, 10, 0, tzinfo=UTC)  # the symptom's onset: the alert's startsAt
HISTORY = timedelta(minutes=90)
AFTER = timedelta(minutes=8)
GAUGES = ["CpuUsageRate(%)", "MemoryUsage(Mi)", "NetworkReceiveBytes", "PodClientLatencyP90(s)",
          "PodClientLatencyP99(s)", "PodServerLatencyP90(s)", "PodSuccessRate(%)"]
LEVELS = [40.0, 300.0, 5e4, 0.05, 0.12, 0.2, 100.0]
Shape = Callable[[str, int, list[float]], list[float]]  # (service, minutes from T0, values) -> values


def alert(service: str = "frontend", name: str = "FrontendLatencyHigh") -> dict:
    labels = {"alertname": name, "service": service, "severity": "critical"}
    annotations = {"summary": f"{service} requests are slow"}
    return {"version": "4", "status": "firing", "receiver": "sreo", "groupKey": f"{{}}:{{alertname=\"{name}\"}}",
            "groupLabels": {"alertname": name}, "commonLabels": labels, "commonAnnotations": annotations,
            "externalURL": "", "truncatedAlerts": 0,
            "alerts": [{"status": "firing", "labels": labels, "annotations": annotations,
                        "startsAt": T0.isoformat().replace("+00:00", "Z"), "endsAt": "0001-01-01T00:00:00Z",
                        "generatorURL": "", "fingerprint": ""}]}


def topology(edges: list[tuple[str, str]]) -> str:
    nodes = sorted({n for edge in edges for n in edge})
    lines = ["services:"]
    for node in nodes:
        lines.append(f"  {node}:")
        lines.append(f"    depends_on: [{', '.join(sorted(b for a, b in edges if a == node))}]")
    return "\n".join(lines) + "\n"


def wide_csv(path: Path, services: list[str], shape: Shape, seed: int, history: timedelta = HISTORY,
             starts: dict[str, timedelta] | None = None) -> None:
    """Per-minute pod gauges, Nezha's layout: `service,Time,PodName,<metric columns>`."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Service", "Time", "PodName", *GAUGES])
        minute = -int(history.total_seconds() // 60)
        while minute <= AFTER.total_seconds() // 60:
            moment = T0 + timedelta(minutes=minute, seconds=-20)
            for service in services:
                if starts and moment < T0 - starts.get(service, history):
                    continue
                values = [v * (1 + rng.gauss(0, 0.03)) for v in LEVELS]
                values = shape(service, minute, values)
                writer.writerow([service, moment.strftime("%Y-%m-%dT%H:%M:%S"), f"{service}-7c9f6d5b8-x2k4p",
                                 *(f"{v:.6g}" for v in values)])
            minute += 1


def openmetrics_cpu(path: Path, services: dict[str, Callable[[int], float]], seed: int) -> None:
    """cAdvisor CPU counters scraped every 60 s and kube-state-metrics CPU limits (1 core)."""
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# TYPE container_cpu_usage_seconds_total counter", "# TYPE kube_pod_container_resource_limits gauge"]
    start = int((T0 - HISTORY).timestamp())
    end = int((T0 + AFTER).timestamp())
    for service, cores in services.items():
        pod = f"{service}-5d8f7c6b9-q7w2e"
        total = 1000.0
        labels = f'namespace="shop",pod="{pod}",container="{service}"'
        for stamp in range(start, end + 1, 60):
            total += 60 * cores(int((stamp - T0.timestamp()) // 60)) * (1 + rng.gauss(0, 0.02))
            lines.append(f"container_cpu_usage_seconds_total{{{labels}}} {total:.3f} {stamp}")
        for stamp in range(start, end + 1, 60):
            lines.append(f'kube_pod_container_resource_limits{{{labels},resource="cpu",unit="core"}} 1 {stamp}')
    path.write_text("\n".join(lines) + "\n# EOF\n")


def write(name: str, edges: list[tuple[str, str]], files: Callable[[Path], None]) -> None:
    folder = HERE / name
    (folder / "metrics").mkdir(parents=True, exist_ok=True)
    (folder / "alert.json").write_text(json.dumps(alert(), indent=2) + "\n")
    (folder / "topology.yaml").write_text(topology(edges))
    files(folder / "metrics")


SHOP = [("frontend", "checkout"), ("frontend", "cart"), ("checkout", "cart"), ("checkout", "payment"),
        ("frontend", "currency"), ("checkout", "currency")]
SERVICES = ["frontend", "checkout", "cart", "payment", "currency"]


def two_faults(service: str, minute: int, v: list[float]) -> list[float]:
    if service == "currency" and minute >= -12:  # the earlier fault: still there, unchanged at the symptom
        v[0] *= 2.2
        v[5] *= 2.5
    if service == "payment" and minute >= 0:  # the fault behind this alert
        v[0] *= 2.4
        v[5] *= 3.0
        v[6] -= 20
    if service in ("checkout", "frontend") and minute >= 0:
        v[3] *= 3.0 if service == "checkout" else 1.6
        v[5] *= 2.0
    return v


def two_hops(service: str, minute: int, v: list[float]) -> list[float]:
    if minute >= 0:
        if service == "payment":
            v[0] *= 2.5
            v[1] *= 1.4
            v[5] *= 4.0
            v[6] -= 30
        if service == "checkout":
            v[3] *= 4.0
            v[5] *= 3.0
            v[6] -= 25
        if service == "frontend":
            v[3] *= 2.0
            v[5] *= 2.0
            v[6] -= 15
    return v


def short_history(service: str, minute: int, v: list[float]) -> list[float]:
    if service == "checkout" and minute >= 0:
        v[0] *= 2.5
        v[5] *= 3.0
    if service == "frontend" and minute >= 0:
        v[3] *= 2.0
        v[5] *= 2.0
    return v


def network_delay(service: str, minute: int, v: list[float]) -> list[float]:
    """A delay on the path to payment: payment's own metrics stay flat; checkout, its only caller, waits."""
    if minute >= 0 and service == "checkout":
        v[3] += 0.4
        v[4] += 0.4
        v[5] += 0.4
    if minute >= 0 and service == "frontend":
        v[5] += 0.4  # frontend's answer waits on checkout (its client p99 already sits near the delay)
    return v


def main() -> None:
    write("metrics-two-faults-in-a-row", SHOP, lambda d: wide_csv(d / "pods.csv", SERVICES, two_faults, 1))
    write("metrics-fault-two-hops-away", [("frontend", "checkout"), ("frontend", "cart"), ("checkout", "payment")],
          lambda d: wide_csv(d / "pods.csv", ["frontend", "checkout", "cart", "payment"], two_hops, 2))
    write("metrics-too-little-history", SHOP, lambda d: wide_csv(
        d / "pods.csv", SERVICES, short_history, 3, starts={"cart": timedelta(minutes=2)}))
    write("metrics-cpu-from-60s-scrapes", [("frontend", "orders"), ("frontend", "catalog")], lambda d: openmetrics_cpu(
        d / "cadvisor.om", {"frontend": lambda m: 0.45, "catalog": lambda m: 0.5,
                            "orders": lambda m: 0.97 if m >= 0 else 0.5}, 4))
    write("metrics-network-delay-in-callers", SHOP, lambda d: wide_csv(d / "pods.csv", SERVICES, network_delay, 5))


if __name__ == "__main__":
    main()
