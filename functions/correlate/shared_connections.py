"""A shared server out of connections: the caller that changed just before it ran out took them.

A server that refuses connections for its limit (Postgres' "too many clients already", MySQL's "Too many
connections") refuses every caller alike; what changed is who holds the connections. A client of that server
deployed, rolled out or scaled shortly before the first refusal is the likely taker. It gets a finding of its
own, and the server counts as depending on it (`blocked_callers`), so it is connected to the incident and takes
the server's blame in the ranking. Pure over the twin's graph."""

from __future__ import annotations

from datetime import datetime, timedelta

from functions._platform.analyzers.correlate_kinds import TOOK_SHARED_CONNECTIONS
from functions._platform.analyzers.kinds import is_change
from functions._platform.topology.graph import Graph
from functions.correlate.causes import BLOCKED_KEY
from sreo_events.models import EvidenceCollected, Finding

KIND = TOOK_SHARED_CONNECTIONS.name
CONNECTION_LIMIT = "connection_limit"  # logs' error vocabulary: refused at the server's connection limit
# what lists a server's connections by client, per protocol (the logs' `protocol` of the refusal)
WHO_HOLDS = {
    "postgres": "SELECT usename, application_name, client_addr, state, count(*) FROM pg_stat_activity "
                "GROUP BY 1, 2, 3, 4 ORDER BY 5 DESC;",
    "mysql": "SELECT user, host, db, command, count(*) FROM information_schema.processlist GROUP BY 1, 2, 3, 4 "
             "ORDER BY 5 DESC;",
    "redis": "redis-cli CLIENT LIST",
    "mongodb": "db.currentOp(true).inprog.reduce((n, op) => (n[op.client] = (n[op.client] || 0) + 1, n), {})",
}
TAKEN_WITHIN = timedelta(minutes=30)  # a pool fills within minutes of its pods starting; a change an hour old did not


def _refused_for_limit(finding: Finding) -> bool:
    return finding.evidence.get("category") == CONNECTION_LIMIT


def exhausted_servers(findings: list[Finding], server_of: dict[str, str]) -> dict[str, tuple[datetime, Finding]]:
    """Server -> (its first refusal, the strongest finding saying so): the server's own log, or its callers' lines
    naming it (or naming no host, resolved by the twin to their server of that protocol)."""
    found: dict[str, tuple[datetime, Finding]] = {}
    for finding in findings:
        if not _refused_for_limit(finding) or finding.onset is None:
            continue
        for node in finding.evidence.get("dependency") or [finding.subject]:
            server = server_of.get(node, node)
            first, strongest = found.get(server, (finding.onset, finding))
            found[server] = (min(first, finding.onset), max(strongest, finding, key=lambda f: f.score))
    return found


def clients(graph: Graph, server: str, server_of: dict[str, str]) -> set[str]:
    return {edge.caller for edge in graph.edges if edge.kind == "calls"
            and server_of.get(edge.callee, edge.callee) == server} - {server}


def took_connections(answers: list[EvidenceCollected], graph: Graph,
                     server_of: dict[str, str]) -> list[EvidenceCollected]:
    """Each answer with a finding more for every change that came shortly before a client's server ran out of
    connections (`server_of`: a database node or a single-backend Service -> the workload serving it)."""
    findings = [finding for answer in answers for finding in answer.findings]
    added: dict[int, list[Finding]] = {}
    for server, (exhausted_at, refusal) in sorted(exhausted_servers(findings, server_of).items()):
        takers = clients(graph, server, server_of)
        for index, answer in enumerate(answers):
            for change in answer.findings:
                if (change.subject in takers and is_change(change.kind) and change.onset is not None
                        and exhausted_at - TAKEN_WITHIN <= change.onset <= exhausted_at):
                    added.setdefault(index, []).append(_taker(change, server, exhausted_at, refusal))
    return [answer.model_copy(update={"findings": answer.findings + added[i]}) if i in added else answer
            for i, answer in enumerate(answers)]


def _taker(change: Finding, server: str, exhausted_at: datetime, refusal: Finding) -> Finding:
    minutes = round((exhausted_at - change.onset).total_seconds() / 60)
    return Finding(
        kind=KIND, subject=change.subject, severity=refusal.severity, score=refusal.score,
        summary=f"{change.summary}; {minutes} min later {server}, which it calls, began refusing connections "
                f"for its connection limit ({refusal.summary})",
        window=refusal.window, baseline=refusal.baseline, onset=change.onset, query=change.query,
        domain=change.domain,
        evidence={BLOCKED_KEY: [server], "exhausted": server, "changed_at": change.onset.isoformat(),
                  "exhausted_at": exhausted_at.isoformat(), "change": change.summary,
                  "namespace": change.evidence.get("namespace"), "sample": refusal.evidence.get("sample", []),
                  "who_holds": WHO_HOLDS.get(str(refusal.evidence.get("protocol")))})
