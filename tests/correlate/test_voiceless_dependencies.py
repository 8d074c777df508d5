"""A dependency no agent can observe (a host outside the cluster) or whose own reply states the fault (a full
Redis) is weighed on its callers' failures, and a refusal naming no host blames the caller's server of that
protocol."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.topology.graph import Graph
from functions.correlate.causes import diagnose
from functions.correlate.finding_links import named_hosts
from functions.correlate.voiceless import protocol_blamed, voiced
from sreo_events.models import EvidenceCollected, Finding, TimeWindow

T0 = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _failing(subject: str, category: str, dependency: list[str] | None = None, **evidence: object) -> Finding:
    found = {"category": category, "lines": 40, **evidence}
    if dependency is not None:
        found["dependency"] = dependency
    return Finding(kind="log_error_class", subject=subject, severity="critical", score=0.8,
                   summary=f"{subject} logs: {category}", onset=T0,
                   window=TimeWindow(start=T0 - timedelta(minutes=5), end=T0 + timedelta(minutes=5)), evidence=found)


def _graph() -> Graph:
    graph = Graph()
    for node, kind, attributes in [("checkout", "service", {"ports": [8080]}),
                                   ("external/api.stripe.com", "external", {"host": "api.stripe.com"}),
                                   ("sessions", "service", {"ports": [6379]}), ("ledger", "service", {"ports": [8443]}),
                                   ("redis/0", "database", {"engine": "redis"}), ("cache", "service", {"ports": [6379]}),
                                   ("session-api", "service", {"ports": [8080]})]:
        graph.add_node(node, kind, attributes, [], "test")
    for caller, callee, kind in [("checkout", "external/api.stripe.com", "calls"), ("checkout", "ledger", "calls"),
                                 ("session-api", "redis/0", "calls"), ("redis/0", "sessions", "runs_on"),
                                 ("checkout", "cache", "calls")]:
        graph.add_edge(caller, callee, kind, "test")
    return graph


def _answer(*findings: Finding) -> EvidenceCollected:
    return EvidenceCollected(incident_id="inc", domain="logs", status="success", findings=list(findings))


def test_an_external_host_keeps_its_name_so_the_twin_finds_it() -> None:
    finding = _failing("checkout", "timeout", target={"api.stripe.com": 40})
    assert named_hosts(finding) == {"api.stripe.com"}
    assert named_hosts(_failing("checkout", "timeout", target={"payments.shop.svc.cluster.local:8080": 3})) == {
        "payments"}


def test_an_external_dependency_timing_out_is_ranked_on_its_callers_failures() -> None:
    caller = _failing("checkout", "timeout", ["external/api.stripe.com"])
    answers = voiced([_answer(caller)], _graph())
    added = [f for f in answers[0].findings if f.subject == "external/api.stripe.com"]
    assert [(f.kind, f.evidence["callers"], f.onset, f.domain) for f in added] == [
        ("failing_for_callers", ["checkout"], T0, "logs")]  # the domain whose agent saw the failures
    top = diagnose(answers, [("checkout", "external/api.stripe.com")], affected="checkout").causes[0]
    assert top.component == "external/api.stripe.com"


def test_an_in_cluster_dependency_speaks_for_itself_unless_its_reply_states_the_fault() -> None:
    timeout = _failing("checkout", "timeout", ["ledger"])  # ledger has agents watching it: no restatement
    assert voiced([_answer(timeout)], _graph())[0].findings == [timeout]
    refused = _failing("session-api", "dependency_refused", ["sessions"], protocol="redis")
    assert [f.subject for f in voiced([_answer(refused)], _graph())[0].findings] == ["session-api", "sessions"]


def test_a_callers_own_fault_is_not_restated_on_an_external() -> None:
    denied = _failing("checkout", "auth_failure", ["external/api.stripe.com"])  # its key, not Stripe
    assert voiced([_answer(denied)], _graph())[0].findings == [denied]


def test_a_refusal_naming_no_host_blames_the_callers_server_of_its_protocol() -> None:
    graph, runs_on = _graph(), {"redis/0": "sessions"}
    assert protocol_blamed(_failing("session-api", "dependency_refused", protocol="redis"), [], graph, runs_on) == [
        "sessions"]
    assert protocol_blamed(_failing("checkout", "dependency_refused", protocol="redis"), [], graph, runs_on) == [
        "cache"]  # a Service on Redis's port
    assert protocol_blamed(_failing("checkout", "dependency_refused", protocol="kafka"), [], graph, runs_on) == []
    assert protocol_blamed(_failing("checkout", "timeout"), [], graph, runs_on) == []
    assert protocol_blamed(_failing("checkout", "dependency_refused", protocol="redis"), ["ledger"], graph,
                           runs_on) == ["ledger"]


def test_a_client_librarys_timeout_naming_no_host_blames_the_callers_server_of_its_protocol() -> None:
    """`ZooKeeperClientTimeoutException`, `RedisCommandTimeoutException`: the library says which server it waits on."""
    graph, runs_on = _graph(), {"redis/0": "sessions"}
    assert protocol_blamed(_failing("checkout", "timeout", protocol="redis"), [], graph, runs_on) == ["cache"]
    assert protocol_blamed(_failing("checkout", "cannot_connect", protocol="zookeeper"), [], graph, runs_on) == []
    assert protocol_blamed(_failing("checkout", "auth_failure", protocol="redis"), [], graph, runs_on) == []


def test_a_risk_on_the_refusing_server_is_no_voice_of_its_own() -> None:
    """A server whose only finding is a risk (`info`) says nothing of the failure: its callers' refusals speak."""
    refused = _failing("session-api", "dependency_refused", ["sessions"], protocol="redis")
    risk = Finding(kind="missing_service_account", subject="sessions", severity="info", score=0.2,
                   summary="sessions runs as a missing account", onset=T0)
    assert [f.kind for f in voiced([_answer(refused, risk)], _graph())[0].findings] == [
        "log_error_class", "missing_service_account", "failing_for_callers"]
    spoken = risk.model_copy(update={"severity": "warning"})
    assert len(voiced([_answer(refused, spoken)], _graph())[0].findings) == 2


def test_a_dependency_that_answers_with_an_error_status_is_weighed_on_its_callers_failures() -> None:
    graph = _graph()
    answers = voiced([_answer(_failing("checkout", "error_response", dependency=["ledger"]))], graph)
    (restated,) = [f for f in answers[0].findings if f.subject == "ledger"]
    assert restated.kind == "failing_for_callers" and restated.evidence["callers"] == ["checkout"]
    # a refused connection to a cluster Service says nothing of the Service itself: it has its own voice
    answers = voiced([_answer(_failing("checkout", "connection_refused", dependency=["ledger"]))], graph)
    assert not [f for f in answers[0].findings if f.subject == "ledger"]
