"""Per-edge evidence (dependency_degraded) makes the callee outrank the caller that merely suffers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions.correlate.causes import rank_causes
from sreo_events.models import EvidenceCollected, Finding

T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
EDGES = [("frontend", "checkout"), ("checkout", "payments"), ("checkout", "cart")]


def finding(kind: str, subject: str, severity: str, score: float, **evidence) -> Finding:
    return Finding(kind=kind, subject=subject, severity=severity, score=score, summary=f"{subject} {kind}",
                   onset=T0, evidence=evidence)


def caller_symptoms() -> list[Finding]:
    return [finding("error_ratio_spike", "checkout", "critical", 0.9, robust_z=40.0),
            finding("latency_creep", "checkout", "critical", 0.8),
            finding("error_ratio_spike", "frontend", "warning", 0.6, robust_z=6.0)]


def edge_findings(severity: str, score: float) -> list[Finding]:
    """What dependency_degraded emits for a slow checkout -> payments edge: the callee, and the caller naming it."""
    edge = {"client": "checkout", "server": "payments", "client_latency_baseline_seconds": 0.1,
            "client_latency_window_seconds": 0.9, "server_latency_baseline_seconds": 0.02,
            "server_latency_window_seconds": 0.02, "requests_window": 3600.0}
    return [finding("dependency_degraded", "payments", severity, score, **edge),
            finding("dependency_degraded", "checkout", "info", 0.3, dependency="payments", client="checkout",
                    server="payments", role="client")]


def ranked(findings: list[Finding]) -> list[str]:
    answer = EvidenceCollected(incident_id="i", domain="metrics", status="success", findings=findings)
    return [cause.component for cause in rank_causes([answer], edges=EDGES)]


@pytest.mark.parametrize(("severity", "score"), [("critical", 1.0), ("warning", 0.5)])
def test_the_degraded_callee_ranks_above_its_suffering_caller(severity: str, score: float):
    order = ranked(caller_symptoms() + edge_findings(severity, score))
    assert order[0] == "payments"
    assert order.index("payments") < order.index("checkout")


def test_without_the_edge_evidence_the_caller_ranks_first():
    assert ranked(caller_symptoms())[0] == "checkout"


def test_the_callee_finding_alone_does_not_explain_a_stronger_caller():
    """The companion naming the dependency is what hands the caller's blame down."""
    order = ranked(caller_symptoms() + edge_findings("warning", 0.5)[:1])
    assert order[0] == "checkout"


def test_the_cause_lists_the_caller_symptoms_it_explains():
    answer = EvidenceCollected(incident_id="i", domain="metrics", status="success",
                               findings=caller_symptoms() + edge_findings("critical", 1.0))
    (top, *_) = rank_causes([answer], edges=EDGES)
    assert top.component == "payments" and top.evidence[0].kind == "dependency_degraded"
    assert "explains the anomalies of checkout" in top.reason
    assert any(f.subject == "checkout" and f.evidence.get("dependency") == "payments" for f in top.evidence)
