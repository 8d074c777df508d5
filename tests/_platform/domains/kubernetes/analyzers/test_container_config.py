from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, found_on
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.container_config import ContainerConfigAnalyzer


def test_the_config_error_cluster_yields_container_config_error_on_checkout(tmp_path: Path) -> None:
    finding = found_on(ContainerConfigAnalyzer(), "config_error", "checkout", tmp_path)
    assert finding.kind == "container_config_error"
    assert finding.severity == "critical"  # the container cannot be created


def test_a_healthy_cluster_gives_no_container_config_error(tmp_path: Path) -> None:
    assert found(ContainerConfigAnalyzer(), healthy_cluster(), tmp_path) == []
