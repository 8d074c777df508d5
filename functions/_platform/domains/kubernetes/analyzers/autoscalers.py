"""How an autoscaling/v2 HorizontalPodAutoscaler stands: its conditions (AbleToScale, ScalingActive,
ScalingLimited), and each metric's current value against its target (`status.currentMetrics` against
`spec.metrics`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState

# the key of each metric source type's block, in `spec.metrics[]` and `status.currentMetrics[]`
_SOURCE_BLOCK = {"Resource": "resource", "ContainerResource": "containerResource", "Pods": "pods",
                 "Object": "object", "External": "external"}
_TARGET_FIELD = {"Utilization": "averageUtilization", "AverageValue": "averageValue", "Value": "value"}
_QUANTITY = re.compile(r"^(?P<number>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)(?P<suffix>[a-zA-Z]*)$")
_SUFFIX = {"": 1.0, "m": 1e-3, "k": 1e3, "M": 1e6, "G": 1e9, "T": 1e12, "P": 1e15, "E": 1e18,
           "Ki": 2.0 ** 10, "Mi": 2.0 ** 20, "Gi": 2.0 ** 30, "Ti": 2.0 ** 40, "Pi": 2.0 ** 50, "Ei": 2.0 ** 60}


def quantity(value: Any) -> float | None:
    """A Kubernetes quantity (`972m`, `1Gi`, `250`, 70) as a number; None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    match = _QUANTITY.match(str(value or "").strip())
    if not match or match["suffix"] not in _SUFFIX:
        return None
    return float(match["number"]) * _SUFFIX[match["suffix"]]


def hpa_condition(hpa: dict[str, Any], type_: str) -> dict[str, Any]:
    """The HPA's condition of that type, {} when it reports none."""
    conditions = (hpa.get("status") or {}).get("conditions") or []
    return next((c for c in conditions if c.get("type") == type_), {})


def blind_autoscalers(data: ClusterState) -> list[dict[str, Any]]:
    """The HPAs that cannot compute a replica count: ScalingActive=False for a reason other than being switched
    off (ScalingDisabled: the target was scaled to zero by hand)."""
    return [hpa for hpa in data.horizontalpodautoscalers
            if hpa_condition(hpa, "ScalingActive").get("status") == "False"
            and hpa_condition(hpa, "ScalingActive").get("reason") != "ScalingDisabled"]


def replicas(hpa: dict[str, Any]) -> tuple[int, int, int]:
    """(current, min, max) replicas."""
    spec, status = hpa.get("spec") or {}, hpa.get("status") or {}
    return (int(status.get("currentReplicas") or 0), int(spec.get("minReplicas") or 1),
            int(spec.get("maxReplicas") or 0))


@dataclass(frozen=True)
class MetricReading:
    source: str  # the metric source type: Resource, Pods, Object, External, ContainerResource
    name: str  # cpu, memory, http_requests_per_second, s0-rabbitmq-orders
    target_type: str  # Utilization, AverageValue, Value
    target: float
    target_text: str
    current: float | None
    current_text: str | None

    @property
    def above_target(self) -> bool:
        return self.current is not None and self.current > self.target

    def describe(self) -> str:
        """`cpu utilization 194% (target 70%)`, `http_requests_per_second average 130 (target 100)`."""
        unit = "%" if self.target_type == "Utilization" else ""
        what = {"Utilization": "utilization", "AverageValue": "average", "Value": "value"}.get(self.target_type, "")
        now = f"{self.current_text}{unit}" if self.current_text is not None else "unknown"
        return f"{self.name} {what} {now} (target {self.target_text}{unit})"


def _metric_key(metric: dict[str, Any]) -> tuple[str, str, str]:
    """(source type, metric name, container or described object) that ties a current metric to its spec."""
    source = str(metric.get("type") or "")
    block = metric.get(_SOURCE_BLOCK.get(source, "")) or {}
    name = block.get("name") or (block.get("metric") or {}).get("name") or ""
    detail = block.get("container") or (block.get("describedObject") or {}).get("name") or ""
    return source, str(name), str(detail)


def metric_readings(hpa: dict[str, Any]) -> list[MetricReading]:
    """Each metric of `spec.metrics` with its target and the current value the HPA last read (None: not read)."""
    current = {_metric_key(m): m for m in (hpa.get("status") or {}).get("currentMetrics") or []}
    readings = []
    for metric in (hpa.get("spec") or {}).get("metrics") or []:
        key = _metric_key(metric)
        target = (metric.get(_SOURCE_BLOCK.get(key[0], "")) or {}).get("target") or {}
        target_type = str(target.get("type") or "")
        field = _TARGET_FIELD.get(target_type)
        wanted = quantity(target.get(field)) if field else None
        if wanted is None:
            continue
        now = ((current.get(key) or {}).get(_SOURCE_BLOCK[key[0]]) or {}).get("current") or {}
        value = now.get(field) if field else None
        readings.append(MetricReading(source=key[0], name=key[1], target_type=target_type, target=wanted,
                                      target_text=str(target.get(field)), current=quantity(value),
                                      current_text=None if value is None else str(value)))
    return readings
