"""Series selectors for a service's signals, built from the mapping (plain selectors: any provider serves them)."""

from __future__ import annotations

import re

from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.domains.metrics.source.selector import build_selector


def service_selector(metric: str, label: str, service: str, extra: list[tuple[str, str, str]] | None = None) -> str:
    return build_selector(metric, [(label, "=", service), *(extra or [])])


def workload_selector(mapping: MetricsMapping, metric: str, service: str,
                      extra: list[tuple[str, str, str]] | None = None) -> str:
    pods = mapping.workload_pod_regex.replace("{service}", re.escape(service))
    return build_selector(metric, [(mapping.pod_label, "=~", pods), *(extra or [])])


def container_selector(mapping: MetricsMapping, metric: str, service: str) -> str:
    """cAdvisor reports a pod-level cgroup (container="") and the pause container (POD); skip both."""
    return workload_selector(mapping, metric, service, [(mapping.container_label, "!=", ""),
                                                        (mapping.container_label, "!=", "POD")])
