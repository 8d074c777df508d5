"""Directional evidence: a caller whose own findings name a failing dependency hands its blame to it."""

from __future__ import annotations

from datetime import UTC, datetime

from functions.correlate.causes import rank_causes
from functions.correlate.ranking import ComponentSignal, rank
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def test_named_anomalous_dependency_explains_an_equally_anomalous_caller():
    signals = [ComponentSignal("checkout", 12.0, T0, frozenset({"logs"}), blames=frozenset({"payments"})),
               ComponentSignal("payments", 12.0, T0, frozenset({"kubernetes"}))]
    causes = rank(signals, [("checkout", "payments")])
    assert [c.component for c in causes] == ["payments", "checkout"]
    assert causes[0].explains == ("checkout",)
    assert causes[1].contributions["blame"] == 0.0


def test_without_the_name_equal_anomalies_keep_their_own_blame():
    signals = [ComponentSignal("checkout", 12.0, T0, frozenset({"logs"})),
               ComponentSignal("payments", 12.0, T0, frozenset({"kubernetes"}))]
    causes = rank(signals, [("checkout", "payments")])
    assert all(c.explains == () for c in causes)
    assert causes[0].contributions["blame"] == causes[1].contributions["blame"]


def test_a_named_but_healthy_dependency_takes_no_blame():
    signals = [ComponentSignal("checkout", 12.0, T0, blames=frozenset({"payments"})),
               ComponentSignal("payments", 0.5, T0)]
    causes = rank(signals, [])
    assert causes[0].component == "checkout"
    assert causes[1].explains == ()


def _finding(kind: str, subject: str, **evidence) -> Finding:
    return Finding(kind=kind, subject=subject, severity="critical", score=0.9, summary=kind, onset=T0,
                   evidence=evidence)


def test_cause_evidence_lists_the_symptoms_it_explains_and_their_domains():
    answers = [
        EvidenceCollected(incident_id="i", domain="kubernetes", status="success", findings=[
            _finding("pod_crashloop", "payments"),
            _finding("container_log_error", "checkout", target={"payments:8080": 4})]),
        EvidenceCollected(incident_id="i", domain="metrics", status="success", findings=[
            _finding("error_ratio_spike", "checkout", robust_z=40.0)]),
    ]
    causes = rank_causes(answers, edges=[("checkout", "payments")])
    assert causes[0].component == "payments"
    assert [f.subject for f in causes[0].evidence] == ["payments", "checkout", "checkout"]
    assert "explains the anomalies of checkout (seen in kubernetes, metrics)" in causes[0].reason
    assert causes[1].component == "checkout"
    assert all(f.subject == "checkout" for f in causes[1].evidence)
