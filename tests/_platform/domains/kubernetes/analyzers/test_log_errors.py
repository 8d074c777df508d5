from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer


def test_the_crashloop_log_cluster_yields_container_log_error_on_payments(tmp_path: Path) -> None:
    broken = scenario("crashloop_log")
    [finding] = [f for f in found(LogErrorAnalyzer(), broken.cluster(), tmp_path) if f.subject == "payments"]
    assert finding.kind == "container_log_error"
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_the_refused_dependency_cluster_yields_container_log_error_on_checkout(tmp_path: Path) -> None:
    broken = scenario("refused_dependency")
    [finding] = [f for f in found(LogErrorAnalyzer(), broken.cluster(), tmp_path) if f.subject == "checkout"]
    assert finding.kind == "container_log_error"
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_container_log_error(tmp_path: Path) -> None:
    assert found(LogErrorAnalyzer(), healthy_cluster(), tmp_path) == []
