"""A shared server out of connections: the client that took them is the cause, not the server.

A server that refuses connections for its limit (Postgres' "too many clients already", MySQL's "Too many
connections") refuses every caller alike; what changed is who holds the connections. The taker is either the
client that opened most of the connections opened during the incident, as the server's own sessions say
(`opened_by_client` of the database agent's saturation finding), or, without them, a client of that server
deployed, rolled out or scaled shortly before the first refusal. It gets a finding of its own, and the server
counts as depending on it (`blocked_callers`), so it is connected to the incident and takes the server's blame in
the ranking. Pure over the twin's graph."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.analyzers.correlate_kinds import TOOK_SHARED_CONNECTIONS
from functions._platform.analyzers.kinds import is_change
from functions._platform.topology.graph import Graph
from functions.correlate.finding_links import BLOCKED_KEY
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
OPENED_KEY = "opened_by_client"  # a server's sessions per client: opened in the window, held, first opened


def client_names(finding: Finding) -> list[str]:
    """The names a server's sessions give their clients (application names and addresses), for the twin."""
    return [name for entry in finding.evidence.get(OPENED_KEY) or []
            for name in (entry.get("application"), entry.get("client_addr")) if name]


def place_clients(finding: Finding, placed: dict[str, str]) -> None:
    """Each client entry gains the graph node its application name or address lands on."""
    entries = finding.evidence.get(OPENED_KEY)
    if entries:
        finding.evidence = {**finding.evidence, OPENED_KEY: [
            {**entry, "node": placed.get(entry.get("application") or "") or placed.get(entry.get("client_addr") or "")}
            for entry in entries]}


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


def clients(graph: Graph, server: str, server_of: dict[str, str], findings: list[Finding]) -> set[str]:
    """The server's callers: in the twin, and those whose own refusals name it (a CronJob the twin does not draw)."""
    named = {finding.subject for finding in findings if _refused_for_limit(finding)
             and server in {server_of.get(node, node) for node in finding.evidence.get("dependency") or []}}
    return ({edge.caller for edge in graph.edges if edge.kind == "calls"
             and server_of.get(edge.callee, edge.callee) == server} | named) - {server}


def took_connections(answers: list[EvidenceCollected], graph: Graph,
                     server_of: dict[str, str]) -> list[EvidenceCollected]:
    """Each answer with a finding more for each client that took its server's connections: the one the server's
    sessions say opened most of them or, where they say nothing, every change that came shortly before the
    server ran out (`server_of`: a database node or a single-backend Service -> the workload serving it)."""
    findings = [finding for answer in answers for finding in answer.findings]
    added: dict[int, list[Finding]] = {}
    held = _holders(findings, server_of)
    for taken in held:  # beside the server's own finding
        index = next(i for i, answer in enumerate(answers) if any(f is taken[-1] for f in answer.findings))
        added.setdefault(index, []).append(_holder(*taken))
    named_by_sessions = {taken[1] for taken in held}
    for server, (exhausted_at, refusal) in sorted(exhausted_servers(findings, server_of).items()):
        if server in named_by_sessions:
            continue
        takers = clients(graph, server, server_of, findings)
        for index, answer in enumerate(answers):
            for change in answer.findings:
                if change.subject not in takers or not is_change(change.kind):
                    continue
                instants = [at for at in _instants(change) if exhausted_at - TAKEN_WITHIN <= at <= exhausted_at]
                if instants:
                    added.setdefault(index, []).append(_taker(change, max(instants), server, exhausted_at, refusal))
    return [answer.model_copy(update={"findings": answer.findings + added[i]}) if i in added else answer
            for i, answer in enumerate(answers)]


def _instants(change: Finding) -> list[datetime]:
    """When the change happened: its onset, and each later step of one that repeats (`changed_at`: the runs of a
    CronJob that overlap, each one more client)."""
    steps = change.evidence.get("changed_at")
    later = [datetime.fromisoformat(step) for step in steps] if isinstance(steps, list) else []
    return [at for at in [change.onset, *later] if at is not None]


def _taker(change: Finding, changed_at: datetime, server: str, exhausted_at: datetime, refusal: Finding) -> Finding:
    minutes = round((exhausted_at - changed_at).total_seconds() / 60)
    return Finding(
        kind=KIND, subject=change.subject, severity=refusal.severity, score=refusal.score,
        summary=f"{change.summary}; {minutes} min later {server}, which it calls, began refusing connections "
                f"for its connection limit ({refusal.summary})",
        window=refusal.window, baseline=refusal.baseline, onset=change.onset, query=change.query,
        domain=change.domain,
        evidence={BLOCKED_KEY: [server], "exhausted": server, "changed_at": changed_at.isoformat(),
                  "exhausted_at": exhausted_at.isoformat(), "change": change.summary,
                  "namespace": change.evidence.get("namespace"), "sample": refusal.evidence.get("sample", []),
                  "who_holds": WHO_HOLDS.get(str(refusal.evidence.get("protocol")))})


def _holders(findings: list[Finding], server_of: dict[str, str]) -> list[tuple[str, str, int, int, datetime, Finding]]:
    """(client node, server, connections it opened in the window, held, first opened, the server's finding) for
    each server whose sessions say one client opened most of the connections opened in the window."""
    found = []
    for finding in findings:
        per_node: dict[str, list[int | datetime]] = {}
        server = server_of.get(finding.subject, finding.subject)
        for entry in finding.evidence.get(OPENED_KEY) or []:
            if entry.get("node") and entry["node"] not in (finding.subject, server):  # its own replication, admin
                opened, held, first = per_node.setdefault(entry["node"], [0, 0, datetime.max.replace(tzinfo=UTC)])
                per_node[entry["node"]] = [opened + entry["opened"], held + entry["held"],
                                           min(first, datetime.fromisoformat(entry["first_opened"]))]
        total = finding.evidence.get("opened_in_window") or 0
        if per_node:
            node, (opened, held, first) = max(per_node.items(), key=lambda item: (item[1][0], item[0]))
            if opened >= 2 and 2 * opened > total:  # a majority of what filled the server
                found.append((node, server, opened, held, first, finding))
    return found


def _holder(node: str, server: str, opened: int, held: int, first: datetime, saturation: Finding) -> Finding:
    total = saturation.evidence.get("opened_in_window")
    return Finding(
        kind=KIND, subject=node, severity=saturation.severity, score=saturation.score,
        summary=f"{node} opened {opened} of the {total} connections opened on {server} since the incident began "
                f"and holds {held} ({saturation.summary})",
        window=saturation.window, baseline=saturation.baseline, onset=first, query=saturation.query,
        domain=saturation.domain,
        evidence={BLOCKED_KEY: [server], "exhausted": server, "changed_at": first.isoformat(),
                  "opened_in_window": opened, "held": held, "who_holds": WHO_HOLDS["postgres"]})
