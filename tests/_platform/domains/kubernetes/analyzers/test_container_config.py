from __future__ import annotations

from pathlib import Path

from kube_snapshots import found, scenario
from support.kube_cluster import healthy_cluster

from functions._platform.domains.kubernetes.analyzers.container_config import ContainerConfigAnalyzer


def test_the_config_error_cluster_yields_container_config_error_on_checkout(tmp_path: Path) -> None:
    broken = scenario("config_error")
    [finding] = [f for f in found(ContainerConfigAnalyzer(), broken.cluster(), tmp_path) if f.subject == "checkout"]
    assert finding.kind == "container_config_error"
    assert finding.severity == "critical"  # the container cannot be created
    for key, expected in broken.evidence.items():
        assert finding.evidence.get(key) == expected, key
    assert finding.window is not None and finding.query


def test_a_healthy_cluster_gives_no_container_config_error(tmp_path: Path) -> None:
    assert found(ContainerConfigAnalyzer(), healthy_cluster(), tmp_path) == []
