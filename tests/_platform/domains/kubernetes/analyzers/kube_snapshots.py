"""Cluster states the Kubernetes analyzer tests read: a snapshot written from a test cluster, read back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from support.kube_cluster import WINDOW_END, WINDOW_START, write_snapshot
from support.kube_scenarios import SCENARIOS, Scenario

from functions._platform.analyzers.contract import AnalysisContext, Analyzer
from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.source import KINDS
from functions._platform.domains.kubernetes.source.snapshot import SnapshotProvider
from sreo_events.models import Finding, TimeWindow

WINDOW = TimeWindow(start=WINDOW_START, end=WINDOW_END)
CONTEXT = AnalysisContext.around("kubernetes", WINDOW)


def state_of(root: Path) -> ClusterState:
    provider = SnapshotProvider(root)
    data = ClusterState(**{plural: provider.list(plural) for plural in KINDS if plural != "namespaces"})
    data.queries = {plural: f"snapshot:{plural}" for plural in KINDS}
    return data


def scenario(name: str) -> Scenario:
    """One of the broken clusters of support.kube_scenarios, by name."""
    return next(s for s in SCENARIOS if s.name == name)


def found(analyzer: Analyzer[Any], cluster: dict[str, Any], tmp_path: Path) -> list[Finding]:
    """What one analyzer finds in the cluster (its objects and its container logs) over the test window."""
    data = state_of(write_snapshot(cluster, tmp_path / "snapshot"))
    data.logs = dict(cluster["logs"])
    data.queries |= {f"logs/{ns}/{pod}": f"snapshot:logs/{ns}/{pod}" for ns, pod, _, _ in cluster["logs"]}
    return run("kubernetes", data, CONTEXT, only=[analyzer])


def found_on(analyzer: Analyzer[Any], scenario_name: str, subject: str, tmp_path: Path) -> Finding:
    """The one finding the analyzer makes on `subject` in that broken cluster; it carries the evidence the
    scenario expects, a window, and the query that read the objects."""
    broken = scenario(scenario_name)
    [finding] = [f for f in found(analyzer, broken.cluster(), tmp_path) if f.subject == subject]
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query
    return finding
