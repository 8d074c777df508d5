"""A shared server refusing everyone for its connection limit: the client that changed just before it ran out took
the connections, and it ranks first, connected to the incident through the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.topology.attach import attach
from functions._platform.topology.graph import Graph
from functions.correlate.causes import diagnose
from functions.correlate.shared_connections import client_names, place_clients, took_connections
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


def _saturation(opened: dict[str, int], in_window: int) -> Finding:
    """The database agent's saturation finding on billing's database, its sessions grouped by client address."""
    entries = [{"application": None, "client_addr": address, "opened": count, "held": count,
                "first_opened": (T0 - timedelta(minutes=4)).isoformat()} for address, count in opened.items()]
    return Finding(kind="db_connection_saturation", subject="postgres/billing", severity="critical", score=0.9,
                   onset=T0, window=WINDOW, summary="postgres/billing: 97/97 usable connections in use",
                   evidence={"opened_in_window": in_window, "opened_by_client": entries})


def _placed(finding: Finding) -> Finding:
    """What the twin does: each client's address lands on the workload whose pod has it."""
    graph = _graph()
    graph.add_node("usage-aggregator", "workload", {}, ["10.244.2.1", "10.244.2.2"], "test")
    graph.add_node("invoicing", "workload", {}, ["10.244.3.9"], "test")
    place_clients(finding, attach(graph, client_names(finding)))
    return finding


def test_the_client_the_servers_sessions_say_opened_most_connections_took_them() -> None:
    """No change is visible (a pool grown by configuration, a leak), but the server's sessions say who came."""
    saturation = _placed(_saturation({"10.244.2.1": 31, "10.244.2.2": 29, "10.244.3.9": 6}, in_window=70))
    answers = [EvidenceCollected(incident_id="inc", domain="database", status="success", findings=[saturation]),
               *_answers(_change("invoicing", 3))]  # invoicing rolled out too, but opened few
    [taken] = _taken(answers)
    assert (taken.subject, taken.evidence["blocked_callers"], taken.evidence["opened_in_window"]) == (
        "usage-aggregator", ["billing-db"], 60)
    assert "opened 60 of the 70 connections" in taken.summary
    edges = [(e.caller, e.callee) for e in _graph().edges]
    top = diagnose(took_connections(answers, _graph(), SERVER_OF), edges, affected="billing").causes[0]
    assert (top.component, top.kind) == ("usage-aggregator", "took_shared_connections")


def test_no_client_opened_most_of_the_window_connections_so_the_sessions_name_nobody() -> None:
    saturation = _placed(_saturation({"10.244.2.1": 10, "10.244.3.9": 10, "10.244.9.9": 10}, in_window=30))
    answers = [EvidenceCollected(incident_id="inc", domain="database", status="success", findings=[saturation])]
    assert _taken(answers) == []


def test_a_cronjob_whose_runs_pile_up_took_the_connections_with_its_latest_run() -> None:
    """Its runs began overlapping 40 min before the refusals, but each run since is one more client: the one that
    started 3 min before the server ran out counts. The twin need not draw it: its own refusals name the server."""
    overlap = Finding(kind="cronjob_runs_overlap", subject="usage-rollup", severity="warning", score=0.6,
                      onset=T0 - timedelta(minutes=40), window=WINDOW, summary="cronjob/usage-rollup has 9 runs active",
                      evidence={"namespace": "billing", "changed_at": [
                          (T0 - timedelta(minutes=m)).isoformat() for m in (40, 35, 8, 3)]})
    answers = _answers(overlap)
    answers[0].findings.append(_refused("usage-rollup", ["billing-db"]))
    [taken] = _taken(answers)
    assert (taken.subject, taken.evidence["changed_at"]) == ("usage-rollup", (T0 - timedelta(minutes=3)).isoformat())
    assert "3 min later billing-db" in taken.summary
    stale = overlap.model_copy(update={"evidence": {"changed_at": [(T0 - timedelta(minutes=40)).isoformat()]}})
    assert _taken([answers[0], answers[1].model_copy(update={"findings": [stale]})]) == []
