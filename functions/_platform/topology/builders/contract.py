"""The one small interface every graph builder implements, and the inputs they read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel

from functions._platform.topology.graph import Graph

DEFAULT_TRACES_LOOKBACK_S = 3600.0


class TopologyInputs(BaseModel):
    """Where the sources are. Built from Settings once at start-up (`from_settings`)."""

    kube_snapshot: Path | None = None
    kube_live: bool = False
    kube_context: str | None = None
    kube_configmap_namespaces: tuple[str, ...] = ()  # the only namespaces whose ConfigMaps the live API gives
    topology_file: Path | None = None
    prometheus_url: str | None = None
    metrics_files: str | None = None
    traces_files: str | None = None
    tempo_url: str | None = None
    tempo_tenant: str | None = None
    jaeger_url: str | None = None
    traces_token: str | None = None
    traces_lookback_s: float = DEFAULT_TRACES_LOOKBACK_S
    traces_until: datetime | None = None  # end of the traces window; now when unset

    @classmethod
    def from_settings(cls, settings: Any, topology_file: Path | str | None = None) -> TopologyInputs:
        """`topology_file` overrides `settings.topology_file` (SREO_TOPOLOGY_FILE) when that setting exists."""
        declared = topology_file or getattr(settings, "topology_file", None)
        return cls(
            kube_snapshot=getattr(settings, "kube_snapshot", None), kube_live=getattr(settings, "kube_live", False),
            kube_context=getattr(settings, "kube_context", None),
            kube_configmap_namespaces=getattr(settings, "watched_configmap_namespaces", ()),
            topology_file=Path(declared).expanduser() if declared else None,
            prometheus_url=getattr(settings, "prometheus_url", None),
            metrics_files=getattr(settings, "metrics_files", None),
            **{name: getattr(settings, name, None)
               for name in ("traces_files", "tempo_url", "tempo_tenant", "jaeger_url", "traces_token")},
        )


class TopologySourceError(RuntimeError):
    """A source was configured but could not be read; the message says why."""


class GraphBuilder(Protocol):
    source: str  # "kubernetes", "topology_file", "traces": the edges' `source`

    def configured(self, inputs: TopologyInputs) -> bool:
        """Whether the inputs name this source at all."""

    def collect(self, inputs: TopologyInputs) -> Graph:
        """Read the source and build its graph; raises TopologySourceError when the source fails."""
