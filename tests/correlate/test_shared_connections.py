"""A shared server refusing everyone for its connection limit: the client that changed just before it ran out took
the connections, and it ranks first, connected to the incident through the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.topology.graph import Graph
from functions.correlate.causes import diagnose
from functions.correlate.shared_connections import took_connections
from sreo_events.models import EvidenceCollected, Finding, TimeWindow

T0 = datetime(2026, 3, 14, 10, 5, tzinfo=UTC)
WINDOW = TimeWindow(start=T0 - timedelta(minutes=10), end=T0 + timedelta(minutes=10))
SERVER_OF = {"postgres/billing": "billing-db"}


def _graph() -> Graph:
    graph = Graph()
    for node, kind in [("billing", "workload"), ("invoicing", "workload"), ("usage-aggregator", "workload"),
                       ("search-indexer", "workload"), ("postgres/billing", "database"), ("billing-db", "workload")]:
        graph.add_node(node, kind, {}, [], "test")
    for caller, callee, kind in [("billing", "postgres/billing", "calls"), ("invoicing", "postgres/billing", "calls"),
                                 ("usage-aggregator", "postgres/billing", "calls"),
                                 ("postgres/billing", "billing-db", "runs_on")]:
        graph.add_edge(caller, callee, kind, "test")
    return graph


def _refused(subject: str, dependency: list[str] | None = None, category: str = "connection_limit") -> Finding:
    evidence = {"category": category, "lines": 40, "protocol": "postgres"}
    if dependency:
        evidence["dependency"] = dependency
    return Finding(kind="log_error_class", subject=subject, severity="critical", score=0.8, onset=T0, window=WINDOW,
                   summary=f"{subject} logs: connections refused at the server's connection limit", evidence=evidence)


def _change(subject: str, minutes_before: float) -> Finding:
    at = T0 - timedelta(minutes=minutes_before)
    return Finding(kind="recent_rollout", subject=subject, severity="info", score=0.4, onset=at, window=WINDOW,
                   summary=f"{subject}: first deployed at {at.isoformat()}",
                   evidence={"namespace": "platform", "change": "new_workload"})


def _answers(*changes: Finding, category: str = "connection_limit") -> list[EvidenceCollected]:
    logs = [_refused("billing-db", category=category), _refused("billing", ["billing-db"], category),
            _refused("invoicing", ["billing-db"], category)]
    return [EvidenceCollected(incident_id="inc", domain="logs", status="success", findings=logs),
            EvidenceCollected(incident_id="inc", domain="kubernetes", status="success", findings=list(changes))]


def _taken(answers: list[EvidenceCollected]) -> list[Finding]:
    return [f for answer in took_connections(answers, _graph(), SERVER_OF) for f in answer.findings
            if f.kind == "took_shared_connections"]


def test_the_client_deployed_just_before_the_refusals_took_the_connections_and_ranks_first() -> None:
    answers = took_connections(_answers(_change("usage-aggregator", 2), _change("search-indexer", 2)), _graph(),
                               SERVER_OF)
    [taken] = [f for answer in answers for f in answer.findings if f.kind == "took_shared_connections"]
    assert (taken.subject, taken.evidence["exhausted"], taken.evidence["blocked_callers"]) == (
        "usage-aggregator", "billing-db", ["billing-db"])  # search-indexer changed too, but does not call it
    assert "2 min later billing-db" in taken.summary
    edges = [(e.caller, e.callee) for e in _graph().edges]
    top = diagnose(answers, edges, affected="billing").causes[0]
    assert (top.component, top.kind) == ("usage-aggregator", "took_shared_connections")


def test_without_a_change_before_the_refusals_the_server_keeps_the_blame() -> None:
    assert _taken(_answers(_change("usage-aggregator", -3))) == []  # deployed after the server ran out
    assert _taken(_answers(_change("usage-aggregator", 120))) == []  # long before: it ran fine for two hours
    answers = _answers()
    edges = [(e.caller, e.callee) for e in _graph().edges]
    assert diagnose(took_connections(answers, _graph(), SERVER_OF), edges, affected="billing").causes[0].component in {
        "billing-db", "postgres/billing"}


def test_a_server_refusing_for_another_reason_hands_no_blame_to_a_changed_client() -> None:
    """A full Redis or a read-only replica refuses on its own state, whoever its clients are."""
    assert _taken(_answers(_change("usage-aggregator", 2), category="dependency_refused")) == []


def test_the_taker_is_told_to_give_the_connections_back_and_how_to_see_who_holds_them() -> None:
    from functions.report.actions import suggest

    [taken] = _taken(_answers(_change("usage-aggregator", 2)))
    actions = suggest([taken], "platform", "usage-aggregator")
    assert actions[0].title.startswith("Give billing-db's connections back: roll usage-aggregator back")
    assert actions[0].requires_approval
    assert "pg_stat_activity" in (actions[1].command or "")
