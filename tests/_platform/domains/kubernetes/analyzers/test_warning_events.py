from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.warning_events import WarningEventsAnalyzer


def test_the_mount_failures_cluster_yields_warning_events_on_frontend(tmp_path: Path) -> None:
    finding = found_on(WarningEventsAnalyzer(), "mount_failures", "frontend", tmp_path)
    assert finding.kind == "warning_events"
    assert finding.severity == "warning"  # events are symptoms to read, not a verdict


def test_a_healthy_cluster_gives_no_warning_events(tmp_path: Path) -> None:
    assert found(WarningEventsAnalyzer(), healthy_cluster(), tmp_path) == []
