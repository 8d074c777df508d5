"""Pods of the focus stay ContainerCreating because their node's CNI agent is down: the agent finds that
DaemonSet pod across the cluster (in kube-system, which the alert did not name) and blames its workload."""

from __future__ import annotations

from pathlib import Path

from support.kube_cluster import daemon_pod, event, healthy_cluster, investigation, pod, write_snapshot

from functions._platform.config import Settings
from functions.agents.investigate import collect_evidence

NO_NETWORK = ('Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox '
              '"f724e910c67c": plugin type="aws-cni" name="aws-cni" failed (add): add cmd: Error received from '
              'AddNetwork gRPC call: dial tcp 127.0.0.1:50051: connect: connection refused')


def _evidence(tmp_path: Path, sandbox_message: str):
    cluster = healthy_cluster()
    objects = cluster["objects"]
    objects["pods"] += [daemon_pod("aws-node", "bjpgp", "amazon-k8s-cni:v1.19.2", "node-2", restarts=6),
                        daemon_pod("aws-node", "nv5n4", "amazon-k8s-cni:v1.18.5", "node-1")]
    objects["pods"].append(pod("checkout", "eee555", "s1", "registry.local/checkout:1.1", node="node-2",
                               waiting={"reason": "ContainerCreating"}))
    objects["events"].append(event("Pod", "checkout-eee555-s1", "FailedCreatePodSandBox", sandbox_message, at=2,
                                   count=30))
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    assert evidence.status == "success", evidence.error
    return evidence


def test_the_cni_agent_in_kube_system_is_found_for_pods_that_get_no_network(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path, NO_NETWORK)
    (stuck,) = [f for f in evidence.findings if f.kind == "pod_sandbox_network"]
    assert stuck.subject == "aws-node" and stuck.evidence["blocked_callers"] == ["checkout"]
    assert 'list_pods({"namespace": "kube-system"})' in stuck.query
    assert ("pod_crashloop", "aws-node") in {(f.kind, f.subject) for f in evidence.findings}


def test_without_a_network_failure_no_sandbox_is_blamed_on_the_agent(tmp_path: Path) -> None:
    evidence = _evidence(tmp_path, 'Failed to create pod sandbox: failed to reserve sandbox name "x": name is reserved')
    assert not [f for f in evidence.findings if f.kind == "pod_sandbox_network"]


def test_a_troubled_kube_proxy_on_the_focus_node_is_found_in_kube_system(tmp_path: Path) -> None:
    cluster = healthy_cluster()
    cluster["objects"]["pods"] += [daemon_pod("kube-proxy", "bvk7c", "kube-proxy:v1.31.2", "node-2", restarts=11),
                                   daemon_pod("kube-proxy", "p25k4", "kube-proxy:v1.31.2", "node-1")]
    root = write_snapshot(cluster, tmp_path / "snapshot")
    evidence = collect_evidence(investigation("checkout", "shop"), Settings(kube_snapshot=root, home=tmp_path))
    (down,) = [f for f in evidence.findings if f.kind == "node_datapath_down"]
    assert down.subject == "kube-proxy" and "checkout" in down.evidence["blocked_callers"]
    assert 'list_pods({"namespace": "kube-system"})' in down.query
