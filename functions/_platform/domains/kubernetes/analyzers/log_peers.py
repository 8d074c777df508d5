"""The pods a server's logs name by address: the clients a broker or a database logs connecting and
disconnecting ("accepting AMQP connection (10.244.4.97:44083 -> 10.244.4.233:5672)", "connection received:
host=10.244.3.12 port=50412"). When the server is healthy and its clients are not (a consumer that crashes on
every message it is handed, a job that dies mid-transaction), the server's logs are how the agent finds them in
namespaces the alert did not name."""

from __future__ import annotations

import ipaddress
import re
from typing import Any

from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.ownership import (
    name_of,
    namespace_of,
    pods_of,
    troubled,
)

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")


def pod_address(pod: dict[str, Any]) -> str | None:
    """The pod's own address; None for a host-network pod, whose address is its node's, shared by many."""
    if (pod.get("spec") or {}).get("hostNetwork"):
        return None
    return (pod.get("status") or {}).get("podIP") or None


def _private(text: str) -> bool:
    try:
        return ipaddress.IPv4Address(text).is_private
    except ValueError:
        return False


def logged_addresses(data: ClusterState, focus: frozenset[str]) -> set[str]:
    """Private IPv4 addresses in the logs read from the focus's pods, less those of the pods already listed."""
    known = {address for pod in data.pods if (address := pod_address(pod))}
    focus_pods = {(namespace_of(pod), name_of(pod)) for workload in focus for pod in pods_of(data, workload)}
    found: set[str] = set()
    for (namespace, pod, _container, _previous), text in data.logs.items():
        if (namespace, pod) in focus_pods:
            found |= {address for address in _IPV4.findall(text) if _private(address)}
    return found - known


def troubled_peers(pods: list[dict[str, Any]], addresses: set[str]) -> list[dict[str, Any]]:
    """The troubled pods among `pods` at one of `addresses`."""
    return [pod for pod in pods if pod_address(pod) in addresses and troubled(pod)]
