"""The cluster DNS an investigation's pods resolve names through, and whether it should be read too.

A pod whose `dnsPolicy` is `ClusterFirst` (the default) or `ClusterFirstWithHostNet` sends every lookup to the
cluster DNS Service, so it depends on that Service (and the workload behind it, CoreDNS or kube-dns) as it does on
its node. When that DNS fails, every caller fails to reach healthy targets, and the cause lives in another
namespace (kube-system) that an investigation of the callers' namespace does not list. Two things say the
cluster DNS is failing, each read from what the agent has already listed or can list cheaply:

- resolver failures in the container logs read (`lookup x on 10.96.0.10:53: ... i/o timeout`): the DNS Service is
  the one at that cluster IP, whichever namespace and name it has;
- the DNS Service has no ready endpoint, so no lookup can be answered. Without an address from a log, the DNS
  Service is the one named `kube-dns` (the name kubeadm, EKS, GKE, AKS and k3s give it, whether CoreDNS or
  kube-dns serves it), else a Service in kube-system serving port 53.

Pure: no I/O.
"""

from __future__ import annotations

from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import services_at
from functions._platform.domains.kubernetes.analyzers.log_patterns import TIMESTAMP
from functions._platform.domains.kubernetes.analyzers.ownership import name_of, namespace_of, workload_of
from functions._platform.domains.kubernetes.analyzers.service_endpoints import selected_pods
from functions._platform.domains.logs.analyzers.vocabulary import classify_lines

RESOLVER_CATEGORY = "dns_resolver_failure"
CONVENTIONAL_NAME = "kube-dns"
CONVENTIONAL_NAMESPACE = "kube-system"
DNS_PORT = 53
CLUSTER_POLICIES = frozenset({"ClusterFirst", "ClusterFirstWithHostNet"})


def uses_cluster_dns(pod: dict[str, Any]) -> bool:
    """The pod's lookups go to the cluster DNS (a host-network pod only with `ClusterFirstWithHostNet`)."""
    spec = pod.get("spec") or {}
    policy = spec.get("dnsPolicy") or "ClusterFirst"
    if spec.get("hostNetwork") and policy == "ClusterFirst":
        return False  # falls back to the node's resolver
    return policy in CLUSTER_POLICIES


def resolver_addresses(data: ClusterState) -> set[str]:
    """DNS server addresses (`10.96.0.10:53`) that resolver failures in the container logs read name."""
    found: set[str] = set()
    for text in data.logs.values():
        lines = [line for line in text.splitlines() if line.strip()]
        messages = [line[stamp.end():].strip() if (stamp := TIMESTAMP.match(line)) else line for line in lines]
        found |= {c.peer for c in classify_lines(messages)
                  if c is not None and c.error.category == RESOLVER_CATEGORY and c.peer}
    return found


def _serves_dns(service: dict[str, Any]) -> bool:
    return any(port.get("port") == DNS_PORT for port in (service.get("spec") or {}).get("ports") or [])


def dns_services(services: list[dict[str, Any]], addresses: set[str]) -> list[dict[str, Any]]:
    """The cluster DNS Services among `services`: those at the resolver addresses when any is known, else by
    convention (`kube-dns`, else a kube-system Service serving port 53)."""
    if addresses:
        state = ClusterState()
        state.fill("services", services)
        return [service for address in sorted(addresses) for service in services_at(state, address)]
    named = [s for s in services if name_of(s) == CONVENTIONAL_NAME and _serves_dns(s)]
    return named or [s for s in services if namespace_of(s) == CONVENTIONAL_NAMESPACE and _serves_dns(s)]


def ready_endpoint(endpoints: list[dict[str, Any]], service: dict[str, Any]) -> bool | None:
    """Whether the Service's Endpoints hold a ready address; None when its Endpoints were not listed."""
    for item in endpoints:
        if name_of(item) == name_of(service) and namespace_of(item) == namespace_of(service):
            return any(subset.get("addresses") for subset in item.get("subsets") or [])
    return None


def depends_on_cluster_dns(data: ClusterState, focus: frozenset[str]) -> bool:
    """Some pod of the focus (any listed pod when there is no focus) resolves through the cluster DNS."""
    pods = [pod for pod in data.pods if not focus or workload_of(data, pod) in focus]
    return any(uses_cluster_dns(pod) for pod in pods)


def dns_workloads(data: ClusterState, services: list[dict[str, Any]]) -> set[str]:
    """The workloads behind the DNS Services (coredns), once their namespace is listed."""
    return {workload_of(data, pod) for service in services for pod in selected_pods(data, service)}
