"""diagnose(): causes among what the affected component reaches, others apart; change findings into signals."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.correlate.causes import SUSPECT_KIND, diagnose
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2025, 1, 1, 12, 0, tzinfo=UTC)


def change(subject: str, strength: float, moved: bool = True, client=None, minutes: int = 0) -> Finding:
    return Finding(kind="metric_change", subject=subject, severity="warning" if moved else "info",
                   score=0.5 if moved else 0.0, summary=f"{subject} changed", onset=T0 + timedelta(minutes=minutes)
                   if moved else None,
                   evidence={"change_strength": strength, "robust_z": 8.0 if moved else 0.0,
                             "metrics": [{"metric": "cpu"}] if moved else [], "client_latency": client or []})


def evidence(*findings: Finding) -> list[EvidenceCollected]:
    return [EvidenceCollected(incident_id="inc-1", domain="metrics", status="success", findings=list(findings))]


def test_an_unhealthy_component_the_affected_one_does_not_reach_is_reported_apart():
    edges = [("web", "cart"), ("cart", "redis")]
    found = diagnose(evidence(change("cart", 14.0), change("reports-db", 30.0), change("web", 6.0, moved=False),
                              change("redis", 5.0, moved=False)), edges, affected="web")
    assert next(c.component for c in found.causes) == "cart"
    assert "reports-db" not in [c.component for c in found.causes]
    assert [c.component for c in found.unconnected] == ["reports-db"]
    assert found.unconnected[0].reason.startswith("not connected to the affected component")
    assert found.graph
    # a caller of the affected component is a symptom of the same incident: neither a cause nor "unconnected"
    found = diagnose(evidence(change("cart", 14.0), change("web", 30.0)), edges, affected="cart")
    assert [c.component for c in found.causes] == ["cart"] and not found.unconnected


def test_without_a_graph_everything_is_a_candidate_and_the_diagnosis_says_so():
    found = diagnose(evidence(change("cart", 14.0), change("reports-db", 30.0), change("web", 6.0, moved=False)),
                     [], affected="web")
    assert not found.graph and not found.unconnected
    assert [c.component for c in found.causes][:2] == ["reports-db", "cart"]


def test_a_flat_dependency_its_only_caller_waits_on_is_a_suspect_with_the_callers_evidence():
    wait = [{"metric": "client_p90", "baseline": 0.05, "spread": 0.004, "level": 0.45}]
    calm = [{"metric": "client_p90", "baseline": 0.05, "spread": 0.004, "level": 0.05}]
    edges = [("web", "checkout"), ("web", "cart"), ("checkout", "payment"), ("checkout", "cart")]
    found = diagnose(evidence(change("checkout", 9.0, client=wait), change("web", 4.0, moved=False, client=calm),
                              change("cart", 4.0, moved=False, client=calm), change("payment", 4.0, moved=False)),
                     edges, affected="web")
    top = found.causes[0]
    assert (top.component, top.kind) == ("payment", SUSPECT_KIND), [(c.component, c.kind) for c in found.causes]
    assert [f.subject for f in top.evidence] == ["checkout"]
    assert "checkout" in top.reason


def test_change_strength_counts_above_the_incidents_typical_component():
    quiet = [change(name, 10.0, moved=False) for name in ("a", "b", "c", "d")]
    found = diagnose(evidence(*quiet, change("e", 11.0)), [], affected=None)
    assert found.causes[0].component == "e"
    weak = diagnose(evidence(*quiet, change("e", 10.5)), [], affected=None)
    strong = diagnose(evidence(*quiet, change("e", 25.0)), [], affected=None)
    assert strong.causes[0].confidence > weak.causes[0].confidence


def test_when_nothing_the_affected_component_needs_is_failing_its_failing_callers_are_the_causes():
    edges = [("consumer", "broker"), ("producer", "broker")]
    found = diagnose(evidence(change("consumer", 14.0), change("broker", 5.0, moved=False)), edges, affected="broker")
    assert [c.component for c in found.causes] == ["consumer"]
    assert found.causes[0].reason.startswith("nothing wrong was found on broker or what it depends on")
    # the affected component failing itself: its callers suffer with it and stay symptoms
    found = diagnose(evidence(change("consumer", 14.0), change("broker", 20.0)), edges, affected="broker")
    assert [c.component for c in found.causes] == ["broker"]
