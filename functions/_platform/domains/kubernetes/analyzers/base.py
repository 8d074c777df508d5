"""What every Kubernetes analyzer shares: the cluster state it reads, the windows it compares, its interface."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal, Protocol

from sreo_events.models import Finding, Severity, TimeWindow

Placement = Literal["window", "baseline", "before_baseline", "after_window", "unknown"]

# How much a finding counts by when it began: a change inside the incident window or the baseline just before it
# is a likelier cause than one that was already there long before.
PLACEMENT_WEIGHT: dict[str, float] = {
    "window": 1.0, "baseline": 1.0, "unknown": 0.85, "after_window": 0.7, "before_baseline": 0.6,
}
MIN_BASELINE = timedelta(minutes=15)
MAX_EVIDENCE_ITEMS = 20
MAX_TEXT = 300

KIND_FIELDS = ("pods", "events", "deployments", "replicasets", "statefulsets", "daemonsets", "services",
               "endpoints", "ingresses", "persistentvolumeclaims", "persistentvolumes", "nodes", "configmaps",
               "jobs", "cronjobs", "serviceaccounts", "storageclasses")


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def clip(text: Any, limit: int = MAX_TEXT) -> str:
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 3] + "..."


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
    persistentvolumeclaims: list[dict[str, Any]] = field(default_factory=list)
    persistentvolumes: list[dict[str, Any]] = field(default_factory=list)
    nodes: list[dict[str, Any]] = field(default_factory=list)
    configmaps: list[dict[str, Any]] = field(default_factory=list)
    jobs: list[dict[str, Any]] = field(default_factory=list)
    cronjobs: list[dict[str, Any]] = field(default_factory=list)
    serviceaccounts: list[dict[str, Any]] = field(default_factory=list)
    storageclasses: list[dict[str, Any]] = field(default_factory=list)
    # (namespace, pod, container, previous) -> log text
    logs: dict[tuple[str, str, str, bool], str] = field(default_factory=dict)
    # kind plural (or "logs") -> the exact tool call or query that fetched it
    queries: dict[str, str] = field(default_factory=dict)
    # lookup tables built on first use, once the lists are filled (see ownership.py)
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def query(self, *kinds: str) -> str:
        return "; ".join(self.queries[kind] for kind in kinds if kind in self.queries)


@dataclass
class AnalysisContext:
    window: TimeWindow
    baseline: TimeWindow
    namespace: str | None = None
    focus: frozenset[str] = frozenset()  # the service asked about and its dependencies

    @classmethod
    def around(cls, window: TimeWindow, namespace: str | None = None,
               focus: frozenset[str] | set[str] = frozenset()) -> AnalysisContext:
        """The baseline is the stretch just before the window, as long as the window (at least 15 minutes)."""
        start, end = parse_time(window.start), parse_time(window.end)
        length = max(end - start, MIN_BASELINE)
        return cls(window=TimeWindow(start=start, end=end), baseline=TimeWindow(start=start - length, end=start),
                   namespace=namespace, focus=frozenset(focus))

    def placement(self, moment: datetime | None) -> Placement:
        if moment is None:
            return "unknown"
        if moment >= parse_time(self.window.end):
            return "after_window"
        if moment >= parse_time(self.window.start):
            return "window"
        if moment >= parse_time(self.baseline.start):
            return "baseline"
        return "before_baseline"

    def finding(self, *, kind: str, subject: str, severity: Severity, score: float, summary: str,
                onset: datetime | None, evidence: dict[str, Any], query: str, persists: bool = False) -> Finding:
        """``persists``: the error is still there now (a pod still waiting, a claim still Pending, a Job still
        failed), so its score does not fade with the age of its onset."""
        placement = self.placement(onset)
        weight = 1.0 if persists else PLACEMENT_WEIGHT[placement]
        bounded = {key: value[:MAX_EVIDENCE_ITEMS] if isinstance(value, list) else value
                   for key, value in evidence.items()}
        bounded["onset_in"] = placement
        if persists:
            bounded["persists"] = True
        return Finding(
            kind=kind, subject=subject, severity=severity,
            score=round(min(1.0, max(0.0, score * weight)), 3),
            summary=clip(summary, 400), window=self.window, baseline=self.baseline, onset=onset,
            evidence=bounded, query=query,
        )


class Analyzer(Protocol):
    name: str

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        """Deterministic findings from the state, judged against the incident window and its baseline."""
