"""A Service is known by its cluster IP, and a Service kept under another name than its one workload (kube-dns
in front of coredns) leaves the workload its own node."""

from __future__ import annotations

from topology_cluster import pod, service, workload

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.topology import graph_from_cluster
from functions._platform.topology.attach import attach_one
from functions.correlate.twin import served_by


def _graph(objects: list[dict]):
    state = ClusterState()
    for plural, kind in (("services", "Service"), ("deployments", "Deployment"), ("pods", "Pod")):
        state.fill(plural, [o for o in objects if o["kind"] == kind])
    return graph_from_cluster(state)


def _cluster() -> list[dict]:
    return [
        service("kube-dns", {"app": "coredns"}, namespace="kube-system", clusterIP="10.96.0.10",
                clusterIPs=["10.96.0.10"], ports=[{"port": 53, "protocol": "UDP"}, {"port": 9153}]),
        workload("Deployment", "coredns", "coredns", namespace="kube-system"),
        pod("coredns", "coredns", "node-a", namespace="kube-system"),
        service("payments", {"app": "payments"}, clusterIP="10.96.4.20"),
        workload("Deployment", "payments-v2", "payments"),
        service("headless", {"app": "db"}, clusterIP="None"),
    ]


def test_a_cluster_ip_and_its_ports_are_aliases_of_the_service() -> None:
    graph = _graph(_cluster())
    assert attach_one(graph, "10.96.0.10") == "kube-dns"
    assert attach_one(graph, "10.96.0.10:53") == "kube-dns"
    assert attach_one(graph, "10.96.4.20:8080") == "payments"
    assert "None" not in graph.alias_index()


def test_a_service_under_an_unrelated_name_leaves_its_workload_a_node_of_its_own() -> None:
    graph = _graph(_cluster())
    assert graph.nodes["coredns"].attributes["workload"]["name"] == "coredns"
    assert ("kube-dns", "coredns") in {(e.caller, e.callee) for e in graph.edges if e.kind == "selects"}
    assert served_by(graph)["kube-dns"] == "coredns"  # a caller that cannot reach kube-dns cannot reach coredns


def test_a_variant_of_the_service_name_is_still_known_by_the_service() -> None:
    graph = _graph(_cluster())
    assert "payments-v2" not in graph.nodes
    assert attach_one(graph, "payments-v2") == "payments"
    assert "payments" not in served_by(graph)  # one node: nothing to pass through


def test_a_workload_whose_pods_use_the_node_resolver_says_so() -> None:
    batch = workload("Deployment", "batch", "batch")
    batch["spec"]["template"]["spec"]["dnsPolicy"] = "Default"
    graph = _graph([*_cluster(), batch])
    assert graph.nodes["batch"].attributes["cluster_dns"] is False
    assert "cluster_dns" not in graph.nodes["coredns"].attributes  # ClusterFirst, the default


def test_a_running_pod_is_known_by_its_address_and_a_host_network_pod_is_not() -> None:
    """A database session's `client_addr` is the pod's IP: it lands on the pod's workload."""
    payments = pod("payments-v2", "payments", "node-a")
    payments["status"].update(podIP="10.244.1.7", podIPs=[{"ip": "10.244.1.7"}, {"ip": "fd00::7"}])
    agent = workload("Deployment", "agent", "agent")
    agent_pod = pod("agent", "agent", "node-a", suffix="k8s2p")
    agent_pod["spec"]["hostNetwork"] = True
    agent_pod["status"]["podIP"] = "192.168.0.10"
    graph = _graph([*_cluster(), payments, agent, agent_pod])
    assert attach_one(graph, "10.244.1.7") == "payments"
    assert attach_one(graph, "fd00::7") == "payments"
    assert attach_one(graph, "192.168.0.10") is None
