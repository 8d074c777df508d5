"""Calls the dependency graph knows that NetworkPolicies forbid: network_policy_blocks.

For each caller -> Service pair (the Services a workload's env, args and ConfigMaps name), the policies selecting
the Service's pods (ingress) and the caller's pods (egress) are evaluated as the API defines them: a pod no policy
of a direction selects allows all of that direction; policies are additive (any rule of any selecting policy
allowing the traffic allows it); a rule with no peers allows every peer and one with no ports every port; a peer
is a podSelector in the policy's namespace, a namespaceSelector (with an optional podSelector) or an ipBlock; a port
is a number (with endPort, a range) or the name of a container port on the destination pod, with its protocol
(TCP when unset). The port checked is the Service's target port for the port the caller names (every Service port
when it names none; the pair is blocked only when all are). What cannot be decided (an ipBlock against a pod whose
IP is unknown, a namespaceSelector on labels of a namespace that was not listed) counts as allowed, so a finding
always states a real denial. Host-network pods are left out: policies do not apply to them.

A blocked pair lands on `networkpolicy/<name>`: of the policies isolating it, the one most recently created or
changed (managedFields), the stricter one (fewer rules) among equals; that time is the onset. Its evidence names
the blocked pairs and `blocked_callers`, the workloads whose calls it cuts: correlation reads them as depending on
the policy, so it explains their timeouts."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, Rule, action
from functions._platform.domains.kubernetes.analyzers.cluster_state import ClusterState
from functions._platform.domains.kubernetes.analyzers.dependencies import called_services
from functions._platform.domains.kubernetes.analyzers.ownership import (
    meta,
    name_of,
    namespace_of,
    pods_of,
)
from functions._platform.domains.kubernetes.analyzers.placement import parse_time, placed_finding, placement
from functions._platform.domains.kubernetes.analyzers.service_endpoints import selected_pods
from functions._platform.domains.kubernetes.source.selectors import matches_label_selector, selector_keys
from sreo_events.models import Finding

NAME_LABEL = "kubernetes.io/metadata.name"  # every namespace carries it (Kubernetes 1.21+)
MAX_PODS = 4  # distinct pods per side that are evaluated
DIRECTIONS = ("ingress", "egress")


@dataclass(frozen=True)
class PodView:
    namespace: str
    labels: dict[str, str]
    ips: tuple[str, ...]
    ports: tuple[dict[str, Any], ...]  # container ports
    host_network: bool = False


def _view(namespace: str, metadata: dict[str, Any], spec: dict[str, Any], status: dict[str, Any]) -> PodView:
    ips = {status.get("podIP"), *(i.get("ip") for i in status.get("podIPs") or [])} - {None}
    ports = tuple(port for c in spec.get("containers") or [] for port in c.get("ports") or [])
    return PodView(namespace, dict(metadata.get("labels") or {}), tuple(sorted(ips)), ports,
                   bool(spec.get("hostNetwork")))


def _distinct(views: list[PodView]) -> list[PodView]:
    seen, kept = set(), []
    for view in views:
        key = (view.namespace, tuple(sorted(view.labels.items())))
        if key not in seen:
            seen.add(key)
            kept.append(view)
    return kept[:MAX_PODS]


def caller_pods(data: ClusterState, workload: str, namespace: str, template: dict[str, Any]) -> list[PodView]:
    pods = [_view(namespace, meta(p), p.get("spec") or {}, p.get("status") or {})
            for p in pods_of(data, workload, namespace)
            if (p.get("status") or {}).get("phase") not in ("Succeeded", "Failed")]
    return _distinct(pods or [_view(namespace, template.get("metadata") or {}, template.get("spec") or {}, {})])


def policy_types(policy: dict[str, Any]) -> set[str]:
    spec = policy.get("spec") or {}
    declared = spec.get("policyTypes")
    if declared:
        return {str(t).lower() for t in declared}
    return {"ingress"} | ({"egress"} if "egress" in spec else set())


def isolating(data: ClusterState, pod: PodView, direction: str) -> list[dict[str, Any]]:
    """The policies of the pod's namespace that select it for `direction`."""
    return [p for p in data.networkpolicies if namespace_of(p) == pod.namespace and direction in policy_types(p)
            and matches_label_selector((p.get("spec") or {}).get("podSelector") or {}, pod.labels)]


def _namespace_selected(data: ClusterState, selector: dict[str, Any], namespace: str) -> bool:
    known = {name_of(ns): meta(ns).get("labels") or {} for ns in data.namespaces}
    if namespace in known:
        return matches_label_selector(selector, {NAME_LABEL: namespace, **known[namespace]})
    if selector_keys(selector) <= {NAME_LABEL}:
        return matches_label_selector(selector, {NAME_LABEL: namespace})
    return True  # labels of a namespace not listed: cannot tell, so not held against the policy


def _in_block(block: dict[str, Any], ips: tuple[str, ...]) -> bool:
    if not ips:
        return True  # the pod's IP is unknown: cannot tell
    try:
        network = ipaddress.ip_network(str(block.get("cidr")), strict=False)
        excepted = [ipaddress.ip_network(str(e), strict=False) for e in block.get("except") or []]
        addresses = [ipaddress.ip_address(ip) for ip in ips]
    except ValueError:
        return False
    return any(a in network and not any(a in e for e in excepted) for a in addresses)


def peer_matches(data: ClusterState, peer: dict[str, Any], policy_namespace: str, other: PodView) -> bool:
    if "ipBlock" in peer:
        return _in_block(peer.get("ipBlock") or {}, other.ips)
    if "namespaceSelector" not in peer and "podSelector" not in peer:
        return False
    if "namespaceSelector" in peer:
        in_namespace = _namespace_selected(data, peer.get("namespaceSelector") or {}, other.namespace)
    else:
        in_namespace = other.namespace == policy_namespace
    return in_namespace and ("podSelector" not in peer or matches_label_selector(peer.get("podSelector") or {},
                                                                                 other.labels))


def port_matches(ports: list[dict[str, Any]], port: int, protocol: str, destination: PodView) -> bool:
    if not ports:
        return True
    for rule in ports:
        if str(rule.get("protocol") or "TCP").upper() != protocol:
            continue
        wanted = rule.get("port")
        if wanted is None:
            return True
        if isinstance(wanted, int) or str(wanted).isdigit():
            low = int(wanted)
            if low == port or (rule.get("endPort") and low <= port <= int(rule["endPort"])):
                return True
        elif any(c.get("name") == wanted and c.get("containerPort") == port
                 and str(c.get("protocol") or "TCP").upper() == protocol for c in destination.ports):
            return True
    return False


def allows(data: ClusterState, direction: str, caller: PodView, callee: PodView, port: int, protocol: str,
           ) -> tuple[bool, list[dict[str, Any]]]:
    """Whether `direction` allows caller -> callee on the port, and the policies that isolate that side."""
    selected, other = (callee, caller) if direction == "ingress" else (caller, callee)
    policies = isolating(data, selected, direction)
    peers_key = "from" if direction == "ingress" else "to"
    allowed = not policies or any(
        (not rule.get(peers_key) or any(peer_matches(data, peer, namespace_of(policy), other)
                                         for peer in rule[peers_key]))
        and port_matches(rule.get("ports") or [], port, protocol, callee)
        for policy in policies for rule in (policy.get("spec") or {}).get(direction) or [])
    return allowed, policies


def target_port(service_port: dict[str, Any], callee: PodView) -> int | None:
    target = service_port.get("targetPort", service_port.get("port"))
    if isinstance(target, int) or str(target).isdigit():
        return int(target)
    named = [c.get("containerPort") for c in callee.ports if c.get("name") == target]
    return int(named[0]) if named and named[0] else None


def used_ports(service: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The Service ports the text names after the host (`redis.cache.svc:6379`), else any it names as a bare
    number (`DB_PORT=5432`), else all of them."""
    ports = [p for p in (service.get("spec") or {}).get("ports") or [] if p.get("port")]
    host = rf"(?<![\w.-]){re.escape(name_of(service))}(?:\.{re.escape(namespace_of(service))}[\w.]*)?:(\d+)"
    after_host = {int(n) for n in re.findall(host, text)}
    bare = {int(n) for n in re.findall(r"(?<![\w.:-])(\d{2,5})(?![\w.])", text)}
    return ([p for p in ports if p["port"] in after_host] or [p for p in ports if p["port"] in bare] or ports)


@dataclass
class Blocked:
    caller: str
    caller_namespace: str
    service: dict[str, Any]
    port: int
    protocol: str
    denied: dict[str, list[dict[str, Any]]]  # direction -> the policies isolating that side

    def describe(self) -> dict[str, Any]:
        callee = f"{name_of(self.service)}.{namespace_of(self.service)}"
        sides = {"ingress": f"ingress to {name_of(self.service)}", "egress": f"egress from {self.caller}"}
        why = "; ".join(f"{sides[d]} is isolated by {', '.join(sorted(name_of(p) for p in policies))}, and no rule "
                        f"of {'theirs' if len(policies) > 1 else 'its'} allows it" for d, policies in self.denied.items())
        return {"caller": self.caller, "caller_namespace": self.caller_namespace, "callee": name_of(self.service),
                "callee_namespace": namespace_of(self.service), "port": self.port, "protocol": self.protocol,
                "denied": sorted(self.denied), "why": f"{self.caller} -> {callee}:{self.port}/{self.protocol}: {why}"}


def _pair_blocked(data: ClusterState, caller: str, namespace: str, template: dict[str, Any],
                  service: dict[str, Any], text: str) -> Blocked | None:
    callers = [p for p in caller_pods(data, caller, namespace, template) if not p.host_network]
    callees = [p for p in _distinct([_view(namespace_of(p), meta(p), p.get("spec") or {}, p.get("status") or {})
                                     for p in selected_pods(data, service)]) if not p.host_network]
    first: Blocked | None = None
    for service_port in used_ports(service, text):
        protocol = str(service_port.get("protocol") or "TCP").upper()
        for source in callers:
            for destination in callees:
                port = target_port(service_port, destination)
                if port is None:
                    return None  # a named target port the pod does not declare: cannot tell
                verdicts = {d: allows(data, d, source, destination, port, protocol) for d in DIRECTIONS}
                denied = {d: policies for d, (allowed, policies) in verdicts.items() if not allowed}
                if not denied:
                    return None  # some port the caller may use, from some pod, gets through
                first = first or Blocked(caller, namespace, service, port, protocol, denied)
    return first


def changed_at(policy: dict[str, Any]) -> datetime | None:
    """When the policy was created or last written (its newest managedFields time)."""
    times = [parse_time(meta(policy).get("creationTimestamp"))]
    times += [parse_time(entry.get("time")) for entry in meta(policy).get("managedFields") or []]
    known = [t for t in times if t]
    return max(known) if known else None


def culprit(blocked: Blocked) -> dict[str, Any]:
    """The isolating policy most recently created or changed; among equals, the one isolating more of the denied
    directions, then the one with fewer rules (a plain deny), then by name."""
    candidates = {(namespace_of(p), name_of(p)): p for policies in blocked.denied.values() for p in policies}

    def key(policy: dict[str, Any]) -> tuple[float, int, int, str]:
        moment = changed_at(policy)
        spec = policy.get("spec") or {}
        directions = sum(policy in policies for policies in blocked.denied.values())
        rules = len(spec.get("ingress") or []) + len(spec.get("egress") or [])
        return (-(moment.timestamp() if moment else 0.0), -directions, rules, name_of(policy))

    return min(candidates.values(), key=key)


NETWORK_POLICY_BLOCKS = FindingKind(
    name="network_policy_blocks", domain="kubernetes",
    actions=(
        Rule("allow-blocked-call", "Allow {caller} -> {callee}.{callee_namespace} on {protocol} {port} (an allow "
             "rule beside {subject}) or roll {subject} back", "kubectl get networkpolicy {policy} -n {namespace} "
             "-o yaml", "high", True, first=True),
        action("list-policies", "Review every policy selecting {caller} (egress) and {callee} (ingress)",
               "kubectl get networkpolicy -n {namespace} -o wide", "low"),
    ),
    mitigation=(("Add an allow rule for the blocked caller, callee and port (or roll the policy back), then check "
                "that the callers' connections succeed again."),
                ("Every call on the blocked path keeps timing out; the callers stay degraded while the callee looks "
                "healthy.")),
    runbook_alerts=("KubePodNotReady",),
    is_change=True,
)


class NetworkPolicyAnalyzer:
    kind = "network_policy_blocks"
    kinds = (NETWORK_POLICY_BLOCKS,)

    def analyze(self, data: ClusterState, context: AnalysisContext) -> list[Finding]:
        if not data.networkpolicies:
            return []
        by_policy: dict[tuple[str, str], tuple[dict[str, Any], list[Blocked]]] = {}
        for plural in ("deployments", "statefulsets", "daemonsets"):
            for obj in getattr(data, plural):
                workload, namespace = name_of(obj), namespace_of(obj)
                template = (obj.get("spec") or {}).get("template") or {}
                for service, text in called_services(data, workload, namespace):
                    blocked = _pair_blocked(data, workload, namespace, template, service, text)
                    if blocked is None:
                        continue
                    policy = culprit(blocked)
                    by_policy.setdefault((namespace_of(policy), name_of(policy)), (policy, []))[1].append(blocked)
        return [self._finding(data, context, policy, pairs) for policy, pairs in by_policy.values()]

    def _finding(self, data: ClusterState, context: AnalysisContext, policy: dict[str, Any],
                 pairs: list[Blocked]) -> Finding:
        pairs.sort(key=lambda b: (b.caller not in context.focus, b.caller, name_of(b.service)))
        first = pairs[0].describe()
        onset = changed_at(policy)
        name, namespace = name_of(policy), namespace_of(policy)
        others = f" (and {len(pairs) - 1} more blocked call(s))" if len(pairs) > 1 else ""
        return placed_finding(
            context, kind=self.kind, subject=f"networkpolicy/{name}",
            severity="warning" if placement(context, onset) == "before_baseline" else "critical", score=0.9,
            summary=f"networkpolicy/{name} (namespace {namespace}) blocks {first['why']}{others}",
            onset=onset, query=data.query("networkpolicies", "services", "pods"),
            evidence={"namespace": namespace, "policy": name, **{k: first[k] for k in (
                "caller", "callee", "callee_namespace", "port", "protocol")},
                "policy_types": sorted(policy_types(policy)), "changed_at": onset.isoformat() if onset else None,
                "blocked": [b.describe() for b in pairs],
                "blocked_callers": sorted({b.caller for b in pairs})},
        )
