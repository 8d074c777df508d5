"""Read the Knative manifests in kustomize/base: which function each Service runs, and what each Trigger routes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

PROJECT_ROOT = Path(__file__).resolve().parents[2]
BASE = PROJECT_ROOT / "kustomize" / "base"
# the local runtime runs the base plus the scheduled scans (scan and toil functions and their PingSources)
LOCAL_SOURCES = (BASE, PROJECT_ROOT / "kustomize" / "components" / "scheduled-scans")


@dataclass(frozen=True)
class FunctionService:
    name: str
    source: Path
    target: str
    env: dict[str, str]


@dataclass(frozen=True)
class Delivery:
    retry: int = 0
    backoff_policy: str = "exponential"
    backoff_delay_s: float = 0.2
    dead_letter: tuple[str, str] | None = None  # (service, uri path)

    def delay(self, attempt: int) -> float:
        """Knative: linear is delay*n, exponential is delay*2^n, for retry n = 1, 2, ..."""
        return self.backoff_delay_s * (attempt if self.backoff_policy == "linear" else 2 ** (attempt - 1))


@dataclass(frozen=True)
class Subscription:
    trigger: str
    filters: dict[str, str]
    service: str
    path: str
    delivery: Delivery

    def matches(self, attributes: dict[str, Any]) -> bool:
        return all(str(attributes.get(key, "")) == value for key, value in self.filters.items())


@dataclass(frozen=True)
class Ping:
    name: str
    schedule: str
    data: str
    extensions: dict[str, str] = field(default_factory=dict)

    def period_s(self) -> float:
        """The cadence of the cron schedule, for the common shapes (`*`, `*/N`, fixed minute/hour/weekday)."""
        minute, hour, _day, _month, weekday = (self.schedule.split() + ["*"] * 5)[:5]
        if weekday != "*":
            return 7 * 86400.0
        if hour != "*":
            return float(int(hour[2:]) * 3600) if hour.startswith("*/") else 86400.0
        if minute.startswith("*/"):
            return float(int(minute[2:]) * 60)
        return 60.0 if minute == "*" else 3600.0


def load_documents(*directories: Path) -> list[dict[str, Any]]:
    docs = []
    for directory in directories or LOCAL_SOURCES:
        for path in sorted(directory.glob("*.yaml")):
            if path.name == "kustomization.yaml":
                continue
            docs += [doc for doc in yaml.safe_load_all(path.read_text())
                     if isinstance(doc, dict) and doc.get("kind")]
    return docs


def iso_seconds(value: str) -> float:
    found = re.fullmatch(r"PT(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?", value)
    if not found:
        raise ValueError(f"unsupported ISO-8601 duration {value!r}")
    return float(found.group(1) or 0) * 60 + float(found.group(2) or 0)


def _delivery(spec: dict[str, Any] | None, default: Delivery) -> Delivery:
    if not spec:
        return default
    sink = (spec.get("deadLetterSink") or {})
    dead_letter = (sink["ref"]["name"], sink.get("uri", "/")) if sink.get("ref") else default.dead_letter
    return Delivery(
        retry=int(spec.get("retry", default.retry)),
        backoff_policy=spec.get("backoffPolicy", default.backoff_policy),
        backoff_delay_s=iso_seconds(spec["backoffDelay"]) if "backoffDelay" in spec else default.backoff_delay_s,
        dead_letter=dead_letter,
    )


def services(docs: list[dict[str, Any]]) -> dict[str, FunctionService]:
    found = {}
    for doc in docs:
        if doc["kind"] == "Service" and doc.get("apiVersion", "").startswith("serving.knative.dev"):
            container = doc["spec"]["template"]["spec"]["containers"][0]
            env = {item["name"]: str(item.get("value", "")) for item in container.get("env", [])}
            found[doc["metadata"]["name"]] = FunctionService(
                doc["metadata"]["name"], PROJECT_ROOT / env["FUNCTION_SOURCE"], env["FUNCTION_TARGET"], env)
    return found


def subscriptions(docs: list[dict[str, Any]]) -> list[Subscription]:
    broker = next((d for d in docs if d["kind"] == "Broker"), {"spec": {}})
    default = _delivery(broker["spec"].get("delivery"), Delivery())
    subs = []
    for doc in docs:
        if doc["kind"] != "Trigger":
            continue
        spec = doc["spec"]
        subscriber = spec["subscriber"]
        subs.append(Subscription(
            trigger=doc["metadata"]["name"], filters=dict(spec.get("filter", {}).get("attributes", {})),
            service=subscriber["ref"]["name"], path=subscriber.get("uri", "/"),
            delivery=_delivery(spec.get("delivery"), default),
        ))
    return subs


def pings(docs: list[dict[str, Any]]) -> list[Ping]:
    return [Ping(doc["metadata"]["name"], doc["spec"]["schedule"], doc["spec"].get("data", "{}"),
                 dict(doc["spec"].get("ceOverrides", {}).get("extensions", {})))
            for doc in docs if doc["kind"] == "PingSource"]
