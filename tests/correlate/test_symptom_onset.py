"""Onset relative to the symptom's onset: a finding that began long before the symptom and did not change at it
is context (listed after the components that changed at the symptom), whatever domain reported it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions.correlate.causes import diagnose
from functions.correlate.symptom_time import CONTEXT_LEAD, SymptomTime, began_long_before, symptom_reference
from sreo_events.models import EvidenceCollected, Finding, TimeWindow

SYMPTOM = datetime(2026, 3, 14, 10, 20, tzinfo=UTC)
WINDOW = TimeWindow(start=SYMPTOM - timedelta(minutes=15), end=SYMPTOM + timedelta(minutes=10))
LONG_AGO = SYMPTOM - timedelta(hours=2)
EDGES = {("checkout", "payments"), ("checkout", "inventory")}


def finding(kind: str, subject: str, onset: datetime | None, severity: str = "critical", score: float = 0.9,
            **evidence) -> Finding:
    return Finding(kind=kind, subject=subject, severity=severity, score=score, summary=f"{subject}: {kind}",
                   window=WINDOW, onset=onset, evidence=evidence)


def answer(domain: str, *findings: Finding) -> EvidenceCollected:
    return EvidenceCollected(incident_id="i", domain=domain, status="success", findings=list(findings))


def old_crashloop_and_new_errors() -> list[EvidenceCollected]:
    return [answer("kubernetes", finding("pod_crashloop", "inventory", LONG_AGO, persists=True),
                   finding("deployment_unavailable", "inventory", LONG_AGO, "warning", 0.7)),
            answer("logs", finding("log_error_class", "payments", SYMPTOM, score=0.7, category="disk_full"))]


def test_a_finding_that_began_long_before_the_symptom_is_context():
    causes = diagnose(old_crashloop_and_new_errors(), EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    assert [c.component for c in causes] == ["payments", "inventory"]
    assert "context, not the cause" in causes[1].reason
    assert causes[1].evidence, "context is listed with its evidence"
    assert causes[1].confidence <= causes[0].confidence


def test_without_the_symptom_onset_the_incident_window_dates_the_symptom():
    causes = diagnose(old_crashloop_and_new_errors(), EDGES, affected="checkout").causes
    assert [c.component for c in causes] == ["payments", "inventory"]


def test_the_same_findings_at_the_symptom_compete_on_strength():
    fresh = [answer("kubernetes", finding("pod_crashloop", "inventory", SYMPTOM, persists=True),
                    finding("deployment_unavailable", "inventory", SYMPTOM, "warning", 0.7)),
             answer("logs", finding("log_error_class", "payments", SYMPTOM, score=0.7, category="disk_full"))]
    causes = diagnose(fresh, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    assert causes[0].component == "inventory"


def test_a_component_that_also_changed_at_the_symptom_is_judged_on_that_change():
    evidence = [answer("kubernetes", finding("pod_crashloop", "inventory", LONG_AGO, persists=True)),
                answer("logs", finding("log_error_class", "inventory", SYMPTOM, score=0.7, category="timeout"),
                       finding("log_error_class", "payments", SYMPTOM, score=0.5, category="timeout"))]
    causes = diagnose(evidence, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    inventory = next(c for c in causes if c.component == "inventory")
    assert "context" not in inventory.reason
    assert {f.kind for f in inventory.evidence} == {"pod_crashloop", "log_error_class"}  # the old one still listed


def test_when_everything_is_old_the_order_is_the_usual_one():
    old = [answer("kubernetes", finding("pod_crashloop", "inventory", LONG_AGO, persists=True)),
           answer("logs", finding("log_error_class", "payments", LONG_AGO, score=0.5, category="timeout"))]
    dated = diagnose(old, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    undated = diagnose(old, EDGES, affected="checkout", symptom_onset=LONG_AGO).causes
    assert [c.component for c in dated] == [c.component for c in undated] == ["inventory", "payments"]


def test_an_old_dependency_does_not_explain_a_caller_that_changed_at_the_symptom():
    evidence = [answer("kubernetes", finding("pod_crashloop", "inventory", LONG_AGO, persists=True)),
                answer("logs", finding("log_error_class", "checkout", SYMPTOM, "warning", 0.4, category="timeout"))]
    causes = diagnose(evidence, {("checkout", "inventory")}, affected="checkout", symptom_onset=SYMPTOM).causes
    assert [c.component for c in causes] == ["checkout", "inventory"]
    assert causes[0].score > 0


def test_the_lead_is_measured_from_the_symptom():
    alert = SymptomTime(SYMPTOM)
    assert began_long_before(finding("pod_crashloop", "x", SYMPTOM - CONTEXT_LEAD - timedelta(minutes=1)), alert)
    assert not began_long_before(finding("pod_crashloop", "x", SYMPTOM - CONTEXT_LEAD), alert)
    assert not began_long_before(finding("pod_crashloop", "x", None), alert)
    assert symptom_reference([finding("pod_crashloop", "x", None)], None) == SymptomTime(WINDOW.start)


def test_the_headline_is_what_began_at_the_symptom():
    evidence = [answer("kubernetes", finding("pod_oomkilled", "inventory", LONG_AGO)),
                answer("logs", finding("log_error_class", "inventory", SYMPTOM, category="timeout"))]
    (cause, *_) = diagnose(evidence, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    assert [f.kind for f in cause.evidence] == ["log_error_class", "pod_oomkilled"]
    undated = diagnose(evidence, EDGES, affected="checkout", symptom_onset=LONG_AGO).causes[0]
    assert undated.evidence[0].kind == "pod_oomkilled"  # the more causal kind, when both are as old


def neighbour_and_cascade(alerted_change: timedelta | None) -> list[EvidenceCollected]:
    """inventory fails since 25 minutes before the alert, payments slowed 4 minutes before checkout did."""
    alerted = [finding("log_error_class", "checkout", SYMPTOM + alerted_change, "warning", 0.5, category="timeout")
               ] if alerted_change is not None else []
    return [answer("logs", finding("log_error_class", "inventory", SYMPTOM - timedelta(minutes=25), score=0.95,
                                   category="connection_refused"),
                   finding("log_error_class", "payments", SYMPTOM - timedelta(minutes=5), "warning", 0.6,
                           category="timeout"), *alerted)]


def test_a_dependency_failing_since_before_the_alerted_change_is_context():
    causes = diagnose(neighbour_and_cascade(timedelta(minutes=-1)), EDGES, affected="checkout",
                      symptom_onset=SYMPTOM).causes
    assert [c.component for c in causes][:1] == ["payments"]
    inventory = next(c for c in causes if c.component == "inventory")
    assert "context, not the cause" in inventory.reason


def test_without_an_alerted_change_seen_to_begin_the_pending_period_may_cover_the_lead():
    # nothing on checkout; its change came after the alert; it was already under way when its window opened
    for alerted_change in (None, timedelta(minutes=3), WINDOW.start - SYMPTOM):
        causes = diagnose(neighbour_and_cascade(alerted_change), EDGES, affected="checkout",
                          symptom_onset=SYMPTOM).causes
        assert causes[0].component == "inventory"
        assert all("context" not in c.reason for c in causes)


def test_the_alerted_components_own_earlier_finding_is_held_to_the_alert():
    # a rollout whose image cannot be pulled as the window opens, then its progress deadline passing: one
    # degradation of checkout, dated by the deadline, the change seen to begin inside the window
    evidence = [answer("kubernetes", finding("image_pull_error", "checkout", SYMPTOM - timedelta(minutes=13)),
                       finding("deployment_unavailable", "checkout", SYMPTOM - timedelta(minutes=1), "warning", 0.6),
                       finding("pod_crashloop", "inventory", SYMPTOM - timedelta(minutes=13), score=0.5))]
    causes = diagnose(evidence, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    assert (causes[0].component, causes[0].kind) == ("checkout", "image_pull_error")
    assert "context, not the cause" in next(c for c in causes if c.component == "inventory").reason


def test_a_finding_that_had_ended_before_the_window_does_not_date_its_component():
    """Both dependencies changed at the symptom; one also logged a warning in the baseline and nothing since. That
    warning does not make it the earlier one: the other, which changed first, stays first."""
    cache_onset, db_onset = SYMPTOM - timedelta(seconds=30), SYMPTOM
    evidence = [answer("metrics", finding("resource_saturation", "payments", cache_onset, "warning", 0.8),
                       finding("resource_saturation", "inventory", db_onset, "warning", 0.8)),
                answer("kubernetes", finding("container_log_error", "inventory", SYMPTOM - timedelta(minutes=25),
                                             "warning", 0.4, category="dns_failure", ended_before_window=True))]
    causes = diagnose(evidence, EDGES, affected="checkout", symptom_onset=SYMPTOM).causes
    assert causes[0].component == "payments"
    inventory = next(c for c in causes if c.component == "inventory")
    assert any(e.kind == "container_log_error" for e in inventory.evidence), "the ended finding stays as evidence"
