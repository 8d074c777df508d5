"""Which Service is the cluster DNS, whether pods resolve through it, and whether it can answer."""

from __future__ import annotations

from functions._platform.domains.kubernetes.analyzers.cluster_dns import (
    depends_on_cluster_dns,
    dns_services,
    dns_workloads,
    ready_endpoint,
    resolver_addresses,
    uses_cluster_dns,
)
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import services_at, workloads_behind


def _service(name: str, namespace: str, ip: str, port: int = 53, selector: dict | None = None) -> dict:
    return {"kind": "Service", "metadata": {"name": name, "namespace": namespace},
            "spec": {"clusterIP": ip, "ports": [{"port": port}], "selector": selector or {"k8s-app": name}}}


def _pod(name: str, namespace: str, labels: dict, **spec) -> dict:
    return {"kind": "Pod", "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "spec": {"containers": [{"name": "c"}], **spec}, "status": {"phase": "Running"}}


KUBE_DNS = _service("kube-dns", "kube-system", "10.96.0.10", selector={"k8s-app": "kube-dns"})
OPENSHIFT = _service("dns-default", "openshift-dns", "172.30.0.10", selector={"dns.operator.openshift.io/daemonset-dns": "default"})
APP = _service("orders", "shop", "10.96.7.7", port=8080)


def test_pods_resolve_through_cluster_dns_unless_told_otherwise() -> None:
    assert uses_cluster_dns(_pod("a", "shop", {}))  # ClusterFirst is the default
    assert uses_cluster_dns(_pod("a", "shop", {}, dnsPolicy="ClusterFirstWithHostNet", hostNetwork=True))
    assert not uses_cluster_dns(_pod("a", "shop", {}, hostNetwork=True))  # falls back to the node's resolver
    assert not uses_cluster_dns(_pod("a", "shop", {}, dnsPolicy="Default"))
    assert not uses_cluster_dns(_pod("a", "shop", {}, dnsPolicy="None"))


def test_the_dns_service_is_the_one_at_the_address_a_log_names_whatever_its_name() -> None:
    services = [KUBE_DNS, OPENSHIFT, APP]
    assert dns_services(services, {"172.30.0.10:53"}) == [OPENSHIFT]
    assert dns_services(services, set()) == [KUBE_DNS]  # by convention, with no address to go on
    assert dns_services([OPENSHIFT, APP], {"10.1.2.3:53"}) == []


def test_a_service_is_found_by_cluster_ip_and_leads_to_its_workload() -> None:
    state = ClusterState()
    state.fill("services", [KUBE_DNS, APP])
    coredns = _pod("coredns-5b9dfbf96-wl7zt", "kube-system", {"k8s-app": "kube-dns"})
    coredns["metadata"]["ownerReferences"] = [{"kind": "ReplicaSet", "name": "coredns-5b9dfbf96", "controller": True}]
    state.fill("pods", [coredns])
    assert services_at(state, "10.96.0.10:53") == [KUBE_DNS]
    assert services_at(state, "10.96.0.1") == []
    assert workloads_behind(state, "10.96.0.10:53") == {"coredns"}
    assert dns_workloads(state, [KUBE_DNS]) == {"coredns"}


def test_no_ready_endpoint_is_told_apart_from_unknown() -> None:
    empty = {"kind": "Endpoints", "metadata": {"name": "kube-dns", "namespace": "kube-system"},
             "subsets": [{"notReadyAddresses": [{"ip": "10.0.4.219"}]}]}
    ready = {**empty, "subsets": [{"addresses": [{"ip": "10.0.4.219"}]}]}
    assert ready_endpoint([empty], KUBE_DNS) is False
    assert ready_endpoint([{**empty, "subsets": []}], KUBE_DNS) is False
    assert ready_endpoint([ready], KUBE_DNS) is True
    assert ready_endpoint([], KUBE_DNS) is None


def test_resolver_addresses_come_from_resolver_failures_only() -> None:
    state = ClusterState()
    lines = [
        "2026-03-14T10:27:25Z dial tcp: lookup orders on 10.96.0.10:53: read udp 10.0.2.31:3676->10.96.0.10:53: i/o timeout",
        "2026-03-14T10:27:26Z dial tcp: lookup orders on 10.96.0.10:53: read udp 10.0.2.31:3677->10.96.0.10:53: i/o timeout",
        "2026-03-14T10:27:27Z dial tcp: lookup typo on 10.96.0.11:53: no such host",
        "2026-03-14T10:27:28Z dial tcp 10.96.7.7:8080: connect: connection refused"]
    state.logs = {("shop", "checkout-1", "checkout", False): "\n".join(lines)}
    assert resolver_addresses(state) == {"10.96.0.10:53"}


def test_the_focus_depends_on_cluster_dns_through_its_pods() -> None:
    state = ClusterState()
    state.fill("pods", [_pod("orders-6b8f9c7d4-hx9fz", "shop", {"app": "orders"}),
                        _pod("edge-6b8f9c7d4-hx9fz", "shop", {"app": "edge"}, hostNetwork=True)])
    assert depends_on_cluster_dns(state, frozenset({"orders"}))
    assert not depends_on_cluster_dns(state, frozenset({"edge"}))
