"""node_datapath_down: kube-proxy crash-loops on the one node where a checkout pod runs, so that pod's Service
traffic goes through stale rules; the finding is on kube-proxy, with checkout as its blocked caller."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kube_snapshots import WINDOW, state_of
from support.kube_cluster import daemon_pod, healthy_cluster, write_snapshot

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.runner import run
from functions._platform.domains.kubernetes.analyzers.node_datapath import NodeDatapathAnalyzer
from sreo_events.models import Finding


def _found(cluster: dict[str, Any], tmp_path: Path, focus: frozenset[str] = frozenset({"checkout"})) -> list[Finding]:
    data = state_of(write_snapshot(cluster, tmp_path / "snapshot"))
    return run("kubernetes", data, AnalysisContext.around("kubernetes", WINDOW, focus=focus),
               only=[NodeDatapathAnalyzer()])


def _cluster(agent: str = "kube-proxy", restarts: int = 11) -> dict[str, Any]:
    cluster = healthy_cluster()  # checkout runs one pod on node-1 and one on node-2
    cluster["objects"]["pods"] += [daemon_pod(agent, "bvk7c", "kube-proxy:v1.31.2-eksbuild.3", "node-2", restarts),
                                   daemon_pod(agent, "p25k4", "kube-proxy:v1.31.2-eksbuild.1", "node-1")]
    return cluster


def test_a_crashlooping_kube_proxy_where_the_focus_runs_is_blamed(tmp_path: Path) -> None:
    (finding,) = _found(_cluster(), tmp_path)
    assert (finding.subject, finding.severity) == ("kube-proxy", "critical")
    assert finding.evidence["nodes"] == ["node-2"] and finding.evidence["blocked_callers"] == ["checkout"]
    assert finding.evidence["agent_pod"] == "kube-proxy-bvk7c" and finding.evidence["restarts"] == 11


def test_other_daemonsets_and_nodes_without_the_focus_are_not(tmp_path: Path) -> None:
    assert _found(_cluster(agent="fluent-bit"), tmp_path / "logging") == []
    assert _found(_cluster(), tmp_path / "elsewhere", focus=frozenset({"reports"})) == []
    assert _found(_cluster(restarts=0), tmp_path / "healthy") == []
