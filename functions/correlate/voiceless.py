"""Dependencies known only through their callers: a host outside the cluster, which no agent can observe, and a
server whose own reply states the fault (a full Redis refusing writes) but which logs nothing about it. Their
callers' failures naming them are their evidence, so the ranking can weigh them as it weighs any component.

Pure over the twin's graph; correlate's ranking reads the findings this adds like any other."""

from __future__ import annotations

from functions._platform.analyzers.correlate_kinds import FAILING_FOR_CALLERS
from functions._platform.topology.graph import Graph
from sreo_events.models import EvidenceCollected, Finding

KIND = FAILING_FOR_CALLERS.name
# the server's own reply states the fault (logs' error vocabulary): its state, or its connection limit
REFUSED = frozenset({"dependency_refused", "connection_limit"})
# the server answered the request with an error status: it is up, and it failed the request
ANSWERED_WITH_ERROR = frozenset({"error_response"})
# what a caller sees when a host it cannot be observed beside is at fault: no answer, a refusal, a reset
PEER_FAULTS = frozenset({"timeout", "connection_refused", "cannot_connect", *REFUSED})
# the port a protocol's server listens on unless told otherwise
DEFAULT_PORTS = {"redis": 6379, "elasticsearch": 9200, "kafka": 9092, "postgres": 5432, "mysql": 3306,
                 "mongodb": 27017, "zookeeper": 2181, "rabbitmq": 5672}


def protocol_blamed(finding: Finding, named: list[str], graph: Graph, runs_on: dict[str, str]) -> list[str]:
    """A refusal whose lines name no host (`OOM command not allowed`) came from the caller's dependency that
    speaks the refusing protocol: a database node of that engine (as the Service it runs on) or a Service on the
    protocol's default port. So did a client library's failure to reach it (`ZooKeeperClientTimeoutException`)."""
    protocol = finding.evidence.get("protocol")
    if named or finding.evidence.get("category") not in PEER_FAULTS or not isinstance(protocol, str):
        return named
    servers = set()
    for edge in graph.edges:
        if edge.caller != finding.subject or edge.kind != "calls":
            continue
        attributes = graph.nodes[edge.callee].attributes
        if graph.nodes[edge.callee].kind == "database" and attributes.get("engine") == protocol:
            servers.add(runs_on.get(edge.callee, edge.callee))
        elif graph.nodes[edge.callee].kind == "service" and DEFAULT_PORTS.get(protocol) in (attributes.get("ports") or []):
            servers.add(edge.callee)
    return sorted(servers - {finding.subject})


def _speaks_for(finding: Finding, node: str, graph: Graph) -> bool:
    category = finding.evidence.get("category")
    if category in REFUSED | ANSWERED_WITH_ERROR:
        return True
    return category in PEER_FAULTS and node in graph.nodes and graph.nodes[node].kind == "external"


def voiced(answers: list[EvidenceCollected], graph: Graph) -> list[EvidenceCollected]:
    """Each answer with one finding more per voiceless dependency its findings name (already resolved to graph
    nodes under `dependency`): the strongest caller finding, restated on the dependency with every caller."""
    heard: dict[tuple[int, str], list[Finding]] = {}
    for index, answer in enumerate(answers):
        for finding in answer.findings:
            for node in finding.evidence.get("dependency") or []:
                if _speaks_for(finding, node, graph):
                    heard.setdefault((index, node), []).append(finding)
    if not heard:
        return answers
    added: dict[int, list[Finding]] = {}
    for (index, node), findings in sorted(heard.items()):
        if any(f.subject == node and f.severity != "info" for f in answers[index].findings):
            continue  # it has a voice of its own in this domain (a risk, `info`, does not speak of the failure)
        strongest = max(findings, key=lambda f: (f.score, f.severity == "critical"))
        callers = sorted({f.subject for f in findings})
        onsets = [f.onset for f in findings if f.onset]
        added.setdefault(index, []).append(Finding(
            kind=KIND, subject=node, severity=strongest.severity, score=strongest.score,
            summary=f"{node} fails its callers ({', '.join(callers)}): {strongest.summary}",
            window=strongest.window, baseline=strongest.baseline, onset=min(onsets) if onsets else None,
            evidence={"callers": callers, "callers_text": ", ".join(callers),
                      "category": strongest.evidence.get("category"), "seen_by": strongest.kind,
                      "sample": strongest.evidence.get("sample", [])},
            query=strongest.query, domain=strongest.domain or answers[index].domain))
    return [answer.model_copy(update={"findings": answer.findings + added[i]}) if i in added else answer
            for i, answer in enumerate(answers)]
