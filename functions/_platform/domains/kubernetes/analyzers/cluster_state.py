"""What the Kubernetes analyzers read: the cluster's objects, container logs, and the calls that fetched them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KIND_FIELDS = ("pods", "events", "deployments", "replicasets", "statefulsets", "daemonsets", "services",
               "endpoints", "ingresses", "networkpolicies", "persistentvolumeclaims", "persistentvolumes", "nodes", "configmaps",
               "namespaces", "jobs", "cronjobs", "serviceaccounts", "storageclasses", "apiservices",
               "horizontalpodautoscalers", "poddisruptionbudgets")


@dataclass
class ClusterState:
    """Kubernetes objects as `kubectl get -o json` items, plus container logs and the calls that fetched them."""

    pods: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    deployments: list[dict[str, Any]] = field(default_factory=list)
    replicasets: list[dict[str, Any]] = field(default_factory=list)
    statefulsets: list[dict[str, Any]] = field(default_factory=list)
    daemonsets: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    endpoints: list[dict[str, Any]] = field(default_factory=list)
    ingresses: list[dict[str, Any]] = field(default_factory=list)
    networkpolicies: list[dict[str, Any]] = field(default_factory=list)
    persistentvolumeclaims: list[dict[str, Any]] = field(default_factory=list)
    persistentvolumes: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    configmaps: list[dict[str, Any]] = field(default_factory=list)
    namespaces: list[dict[str, Any]] = field(default_factory=list)  # their labels, for namespaceSelectors
    jobs: list[dict[str, Any]] = field(default_factory=list)
    cronjobs: list[dict[str, Any]] = field(default_factory=list)
    serviceaccounts: list[dict[str, Any]] = field(default_factory=list)
    storageclasses: list[dict[str, Any]] = field(default_factory=list)
    apiservices: list[dict[str, Any]] = field(default_factory=list)  # aggregated APIs and the Services serving them
    horizontalpodautoscalers: list[dict[str, Any]] = field(default_factory=list)  # autoscaling/v2
    poddisruptionbudgets: list[dict[str, Any]] = field(default_factory=list)  # policy/v1
    # (namespace, pod, container, previous) -> log text
    logs: dict[tuple[str, str, str, bool], str] = field(default_factory=dict)
    # kind plural (or "logs") -> the exact tool call or query that fetched it
    queries: dict[str, str] = field(default_factory=dict)
    # lookup tables built on first use, once the lists are filled (see ownership.py); `fill` drops them
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def fill(self, kind: str, items: list[dict[str, Any]]) -> None:
        """Set one listing; the lookup tables built over the old lists are dropped, to be rebuilt on next use."""
        setattr(self, kind, items)
        self.cache.clear()

    def query(self, *kinds: str) -> str:
        return "; ".join(self.queries[kind] for kind in kinds if kind in self.queries)
