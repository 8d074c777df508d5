"""The one place that says which metric names and labels mean what, and the analyzers' thresholds.

Defaults follow common exporters: cAdvisor (container_*), kube-state-metrics (kube_pod_*), node-exporter
(node_filesystem_*), HTTP instrumentation (http_request_duration_seconds, http_requests_total{code}), and
trace-derived service-graph metrics (traces_service_graph_*{client, server}, Tempo or the OpenTelemetry connector).
Override with a YAML file named by SREO_METRICS_MAPPING (any subset of these fields; see the README's
mappings for cAdvisor + kube-state-metrics, Istio, OpenTelemetry span metrics and CloudWatch-style exports).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError


class Thresholds(BaseModel):
    model_config = ConfigDict(extra="forbid")

    latency_min_rise: float = Field(0.2, description="Fitted rise over the window, as a fraction of baseline.")
    latency_min_trend_agreement: float = Field(0.65, description="Share of point pairs that rise (0.5 = noise).")
    latency_breach_factor: float = Field(2.0, description="Threshold = baseline x this, when no SLO is set.")
    latency_horizon_h: float = Field(24.0, description="Report a creep only when the breach is this close.")
    error_min_ratio: float = Field(0.02, description="Error ratios below this are never a spike.")
    error_robust_z: float = Field(3.5, description="Robust z-score against baseline buckets to call a spike.")
    error_min_sigma: float = Field(0.005, description="Floor of the baseline spread (ratio units).")
    error_min_requests: float = Field(20.0, description="Buckets with fewer requests are ignored.")
    saturation: float = Field(0.9, description="Used / limit at or above this is saturated.")
    restarts_min: float = Field(1.0, description="Restarts in the window needed for a finding.")
    edge_latency_factor: float = Field(2.0, description="Edge latency since onset at least baseline x this.")
    edge_latency_min_seconds: float = Field(0.05, description="Edge latency below this is never degraded.")
    edge_min_requests: float = Field(100.0, description="Edges with fewer requests in the window are skipped.")


class MetricsMapping(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service_labels: list[str] = Field(default_factory=lambda: ["service", "job"])
    namespace_label: str = "namespace"
    pod_label: str = "pod"
    container_label: str = "container"
    workload_pod_regex: str = Field("{service}-.*", description="Pods of a workload; {service} is escaped.")

    latency_kind: Literal["histogram", "gauge"] = "histogram"
    latency_metric: str = Field("http_request_duration_seconds_bucket",
                                description="Histogram buckets (le label), or a gauge in seconds.")
    latency_quantile: float = 0.95
    latency_slo_seconds: dict[str, float] = Field(default_factory=dict, description="service -> SLO; `*` default.")

    requests_metric: str = "http_requests_total"
    status_label: str = "code"
    error_status_regex: str = "5.."

    memory_usage_metric: str = "container_memory_working_set_bytes"
    cpu_usage_metric: str = "container_cpu_usage_seconds_total"
    limits_metric: str = "kube_pod_container_resource_limits"
    resource_label: str = "resource"
    restarts_metric: str = "kube_pod_container_status_restarts_total"
    fs_avail_metric: str = "node_filesystem_avail_bytes"
    fs_size_metric: str = "node_filesystem_size_bytes"
    fs_ignore_types: str = "tmpfs|overlay|squashfs|ramfs|devtmpfs|nsfs"
    node_label: str = "instance"

    edge_requests_metric: str = "traces_service_graph_request_total"
    edge_failed_metric: str = "traces_service_graph_request_failed_total"
    edge_client_latency_metric: str = Field("traces_service_graph_request_client_seconds_bucket",
                                            description="Histogram of calls as the client saw them.")
    edge_server_latency_metric: str = Field("traces_service_graph_request_server_seconds_bucket",
                                            description="Histogram of the server spans of those calls.")
    edge_client_label: str = "client"
    edge_server_label: str = "server"

    client_latency_regex: str = Field(
        r"(?i)client.*(latency|duration)|(latency|duration).*client",
        description="Series names (searched) that are a component's latency on its outgoing calls.")

    rate_window_s: float = Field(300.0, description="Window over which counters become rates.")
    bucket_s: float = Field(300.0, description="Bucket length for baseline distributions.")
    thresholds: Thresholds = Field(default_factory=Thresholds)

    def latency_slo(self, service: str) -> float | None:
        return self.latency_slo_seconds.get(service, self.latency_slo_seconds.get("*"))

    @classmethod
    def from_file(cls, path: Path) -> MetricsMapping:
        """The mapping in a YAML (or JSON) file; MetricsMappingError says what is wrong and where."""
        return load_mapping(Path(path))


class MetricsMappingError(ValueError):
    """A metrics mapping file that cannot be used; the message names the file and the bad fields."""


@lru_cache(maxsize=8)
def _load(path: Path, _stamp: tuple[int, int]) -> MetricsMapping:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise MetricsMappingError(f"metrics mapping {path}: cannot read it: {exc.strerror or exc}") from exc
    except yaml.YAMLError as exc:
        raise MetricsMappingError(f"metrics mapping {path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise MetricsMappingError(f"metrics mapping {path}: expected a mapping of fields, got {type(data).__name__}")
    try:
        return MetricsMapping.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or '(top)'}: {e['msg']}" for e in exc.errors())
        raise MetricsMappingError(f"metrics mapping {path}: {problems}") from None


def load_mapping(path: Path | None) -> MetricsMapping:
    """The mapping a file names (parsed once per content), or the defaults without a file."""
    if path is None:
        return MetricsMapping()
    path = Path(path).expanduser()
    try:
        stat = path.stat()
    except OSError as exc:
        raise MetricsMappingError(f"metrics mapping {path}: {exc.strerror or 'not found'}") from exc
    return _load(path.resolve(), (stat.st_mtime_ns, stat.st_size))
