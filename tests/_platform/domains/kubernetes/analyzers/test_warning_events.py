from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer


def test_the_mount_failures_cluster_yields_warning_events_on_frontend(tmp_path: Path) -> None:
    broken = scenario("mount_failures")
    [finding] = [f for f in found(WarningEventsAnalyzer(), broken.cluster(), tmp_path) if f.subject == "frontend"]
    assert finding.kind == "warning_events"
    assert finding.severity == "warning"  # events are symptoms to read, not a verdict
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_warning_events(tmp_path: Path) -> None:
    assert found(WarningEventsAnalyzer(), healthy_cluster(), tmp_path) == []
