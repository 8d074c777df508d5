from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.log_errors import LogErrorAnalyzer


def test_the_crashloop_log_cluster_yields_container_log_error_on_payments(tmp_path: Path) -> None:
    finding = found_on(LogErrorAnalyzer(), "crashloop_log", "payments", tmp_path)
    assert finding.kind == "container_log_error"


def test_the_refused_dependency_cluster_yields_container_log_error_on_checkout(tmp_path: Path) -> None:
    finding = found_on(LogErrorAnalyzer(), "refused_dependency", "checkout", tmp_path)
    assert finding.kind == "container_log_error"


def test_a_healthy_cluster_gives_no_container_log_error(tmp_path: Path) -> None:
    assert found(LogErrorAnalyzer(), healthy_cluster(), tmp_path) == []
