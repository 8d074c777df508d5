"""pod_sandbox_network: new pods on a node stay ContainerCreating because the kubelet cannot set up their
sandboxes' network; the finding is on the CNI agent's DaemonSet on that node, named like the plugin the events
name, with the stuck pods' workloads as its blocked callers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from kube_snapshots import found
from support.kube_cluster import daemon_pod, event, healthy_cluster, pod

from functions._platform.analyzers.kinds import lookup
from functions._platform.domains.kubernetes.analyzers.sandbox_network import SandboxNetworkAnalyzer
from functions.report.actions import suggest

CREATING = {"reason": "ContainerCreating", "message": ""}


def sandbox_failure(plugin: str) -> str:
    return ('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox '
            f'"8e25ed7d1cd8": plugin type="{plugin}" name="{plugin}" failed (add): add cmd: Error received from '
            'AddNetwork gRPC call: rpc error: code = Unavailable desc = connection error: dial tcp 127.0.0.1:50051: '
            'connect: connection refused')


def _cluster(plugin: str = "aws-cni", agent: str = "aws-node", agent_restarts: int = 6,
             message: str | None = None) -> dict[str, Any]:
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["pods"] += [daemon_pod(agent, "bjpgp", "registry.local/cni:1.19", "node-2", restarts=agent_restarts),
                        daemon_pod(agent, "nv5n4", "registry.local/cni:1.18", "node-1"),
                        daemon_pod("fluent-bit", "q8x2k", "fluent/fluent-bit:3.0", "node-2", restarts=3,
                                   namespace="logging", host_network=False)]
    objects["pods"].append(pod("checkout", "eee555", "s1", "registry.local/checkout:1.1", node="node-2",
                               waiting=CREATING))
    objects["events"].append(event("Pod", "checkout-eee555-s1", "FailedCreatePodSandBox",
                                   message or sandbox_failure(plugin), at=2, count=40))
    return cluster


def test_the_cni_agent_on_the_stuck_pods_node_is_blamed(tmp_path: Path) -> None:
    (finding,) = found(SandboxNetworkAnalyzer(), _cluster(), tmp_path)
    assert (finding.subject, finding.severity) == ("aws-node", "critical")
    assert finding.evidence["namespace"] == "kube-system" and finding.evidence["nodes"] == ["node-2"]
    assert finding.evidence["blocked_callers"] == ["checkout"] and finding.evidence["plugin"] == "aws-cni"
    assert finding.evidence["stuck_pods"] == ["shop/checkout-eee555-s1"] and finding.evidence["sandbox_failures"] == 40
    commands = [action.command for action in suggest([finding], "kube-system")]
    assert "kubectl logs -n kube-system aws-node-bjpgp --all-containers --previous" in commands
    kind = lookup("pod_sandbox_network")
    assert kind is not None and kind.runbook_alerts == ("KubePodSandboxNetworkFailure",)


@pytest.mark.parametrize(("plugin", "agent"), [("calico", "calico-node"), ("cilium-cni", "cilium"),
                                               ("weave-net", "weave-net"), ("flannel", "kube-flannel-ds")])
def test_the_agent_is_the_troubled_daemonset_named_like_the_plugin_not_another(
        plugin: str, agent: str, tmp_path: Path) -> None:
    assert [f.subject for f in found(SandboxNetworkAnalyzer(), _cluster(plugin, agent), tmp_path)] == [agent]


def test_a_running_agent_named_like_the_plugin_is_only_a_warning(tmp_path: Path) -> None:
    (finding,) = found(SandboxNetworkAnalyzer(), _cluster(agent_restarts=0), tmp_path)
    assert (finding.subject, finding.severity, finding.score) == ("aws-node", "warning", 0.5)


def test_sandbox_failures_that_are_not_the_network_find_nothing(tmp_path: Path) -> None:
    other = ('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to reserve sandbox name '
             '"checkout-eee555-s1_shop": name is reserved')
    assert found(SandboxNetworkAnalyzer(), _cluster(message=other), tmp_path) == []
    unnamed = _cluster(agent="node-local-dns", agent_restarts=0)
    assert found(SandboxNetworkAnalyzer(), unnamed, tmp_path / "2") == []


def test_an_agent_not_named_like_the_plugin_is_the_one_troubled_host_network_daemonset(tmp_path: Path) -> None:
    (finding,) = found(SandboxNetworkAnalyzer(), _cluster(plugin="multus", agent="ovnkube-node"), tmp_path)
    assert (finding.subject, finding.severity) == ("ovnkube-node", "critical")
