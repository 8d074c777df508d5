"""The digital twin as correlate sees it: it places findings on graph nodes and gives the ranking its edges."""

from __future__ import annotations

from sqlalchemy.orm import Session

from functions._platform.topology.attach import attach, attach_one
from functions._platform.topology.graph import Graph
from functions._platform.topology.store import load_graph
from functions.correlate.finding_links import BLOCKED_KEY, blocked_callers, named_hosts
from functions.correlate.same_host import same_host_edges
from functions.correlate.shared_connections import client_names, place_clients, took_connections
from functions.correlate.voiceless import protocol_blamed, voiced
from sreo_events.models import EvidenceCollected, Finding


def served_by(graph: Graph) -> dict[str, str]:
    """A Service node -> the one workload node it selects, when it selects exactly one (`kube-dns` -> `coredns`).
    A caller that cannot reach such a Service cannot reach what serves it: the Service is an address, not a
    process that fails on its own."""
    selects: dict[str, set[str]] = {}
    for edge in graph.edges:
        if edge.kind == "selects" and graph.nodes[edge.caller].kind == "service":
            selects.setdefault(edge.caller, set()).add(edge.callee)
    return {service: next(iter(backends)) for service, backends in selects.items() if len(backends) == 1}


RESOLVER_FAILURE = "dns_resolver_failure"  # the DNS server did not answer (logs' error vocabulary)
CLUSTER_DNS = "kube-dns.kube-system"  # the Service a ClusterFirst pod resolves through; CoreDNS keeps the name


def resolver_blamed(finding: Finding, named: list[str], cluster_dns: str | None) -> list[str]:
    """A resolver failure whose lines name no server (Java, Node, glibc say only "temporary failure") points at
    the resolver the caller's pods use: the cluster DNS, when the twin knows it."""
    if named or cluster_dns is None or finding.evidence.get("category") != RESOLVER_FAILURE:
        return named
    return [cluster_dns] if cluster_dns != finding.subject else named


def place(session: Session, answers: list[EvidenceCollected]) -> tuple[list[EvidenceCollected], list[tuple[str, str]]]:
    """Findings renamed onto graph nodes (`payments-v2` -> `payments`), and the graph's edges."""
    graph = load_graph(session)
    if not graph.nodes:
        return answers, []
    findings = [finding for answer in answers for finding in answer.findings]
    names = {name for finding in findings
             for name in (finding.subject, *named_hosts(finding), *blocked_callers(finding), *client_names(finding))}
    placement = _Placement(graph, attach(graph, names))
    for finding in findings:
        placement.rename(finding)
    server_of = {**placement.backend, **placement.runs_on}
    return took_connections(voiced(answers, graph), graph, server_of), ranked_edges(graph)


def ranked_edges(graph: Graph) -> list[tuple[str, str]]:
    """The graph's edges, plus one from each caller of a single-backend Service straight to its workload (`kafka`
    -> `zookeeper-headless` -> `zookeeper`: kafka depends on zookeeper, whose anomaly then explains kafka's)."""
    edges = [(edge.caller, edge.callee) for edge in graph.edges]
    backend = served_by(graph)
    through = [(caller, backend[callee]) for caller, callee in edges if callee in backend and backend[callee] != caller]
    return edges + through + same_host_edges(graph)


class _Placement:
    """Where the twin puts names: `placed` (a name -> its graph node), each single-backend Service's workload,
    the cluster DNS's workload, and each database's server."""

    def __init__(self, graph: Graph, placed: dict[str, str]) -> None:
        self.graph, self.placed = graph, placed
        self.backend = served_by(graph)
        cluster_dns = attach_one(graph, CLUSTER_DNS)
        self.cluster_dns = self.backend.get(cluster_dns, cluster_dns) if cluster_dns else None
        self.runs_on = {edge.caller: self.backend.get(edge.callee, edge.callee) for edge in graph.edges
                        if edge.kind == "runs_on" and graph.nodes[edge.caller].kind == "database"}

    def rename(self, finding: Finding) -> None:
        """The finding's subject, the dependencies it names and the callers it cuts, as graph nodes."""
        placed = self.placed
        finding.subject = placed.get(finding.subject, finding.subject)
        named = sorted({self.backend.get(placed[h], placed[h]) for h in named_hosts(finding) if h in placed}
                       - {finding.subject})
        own = self.graph.nodes.get(finding.subject)
        resolves_there = own is None or own.attributes.get("cluster_dns", True)  # dnsPolicy: Default does not
        named = resolver_blamed(finding, named, self.cluster_dns if resolves_there else None)
        named = sorted({self.backend.get(n, n) for n in protocol_blamed(finding, named, self.graph, self.runs_on)})
        if named:  # the failing dependency the finding names, as a graph node (`postgres` -> `postgres/shop`)
            finding.evidence = {**finding.evidence, "dependency": named}
        place_clients(finding, placed)
        if blocked_callers(finding):  # the callers it cuts, as graph nodes
            finding.evidence = {**finding.evidence, BLOCKED_KEY: sorted(
                {placed.get(c, c) for c in blocked_callers(finding)} - {finding.subject})}


def node_of(session: Session, service: str | None) -> str | None:
    """The graph node of the affected service, or the name as given when the graph does not know it."""
    if not service:
        return None
    graph = load_graph(session)
    if not graph.nodes:
        return service
    from functions._platform.topology.attach import attach_one

    return attach_one(graph, service) or service
