"""An object whose finding says it cuts some callers' calls (a NetworkPolicy's `blocked_callers`) is a dependency
of those callers: it explains their timeouts and ranks above them, while the healthy callee stays out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.correlate.causes import diagnose
from functions.correlate.finding_links import cut_by, dependency_edges
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
POLICY = "networkpolicy/default-deny-all"


def _finding(kind: str, subject: str, onset: datetime = T0, **evidence) -> Finding:
    return Finding(kind=kind, subject=subject, severity="critical", score=0.9, summary=kind, onset=onset,
                   evidence=evidence)


def _answers(blocked: list[str]) -> list[EvidenceCollected]:
    later = T0 + timedelta(seconds=30)
    return [
        EvidenceCollected(incident_id="i", domain="kubernetes", status="success", findings=[
            _finding("network_policy_blocks", POLICY, blocked_callers=blocked, caller="orders", callee="orders-db"),
            _finding("service_no_endpoints", "orders", later)]),
        EvidenceCollected(incident_id="i", domain="logs", status="success", findings=[
            _finding("error_rate_spike", "orders", later, robust_z=15.0),
            _finding("error_rate_spike", "checkout", later, robust_z=12.0)]),
    ]


def test_blocked_callers_are_edges_to_the_object_and_blame_it() -> None:
    findings = [f for answer in _answers(["orders"]) for f in answer.findings]
    assert ("orders", POLICY) in dependency_edges(findings)
    assert cut_by(findings) == {"orders": {POLICY}}


def test_the_policy_explains_the_callers_it_cuts_and_ranks_first() -> None:
    edges = [("checkout", "orders"), ("orders", "orders-db")]
    diagnosis = diagnose(_answers(["orders"]), edges, affected="checkout")
    top = diagnosis.causes[0]
    assert top.component == POLICY and top.kind == "network_policy_blocks"
    assert "explains the anomalies of orders" in top.reason
    assert "orders-db" not in [c.component for c in diagnosis.causes]  # healthy, nothing of its own


def test_without_blocked_callers_the_policy_is_not_connected_to_the_incident() -> None:
    edges = [("checkout", "orders"), ("orders", "orders-db")]
    diagnosis = diagnose(_answers([]), edges, affected="checkout")
    assert POLICY not in [c.component for c in diagnosis.causes]
    assert POLICY in [c.component for c in diagnosis.unconnected]
