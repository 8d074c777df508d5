"""Evidence always fits in one event, however much an agent found."""

from __future__ import annotations

from functions.agents.investigate import fit_to_event
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import EvidenceCollected, Finding


def _finding(i: int, bulk: int) -> Finding:
    return Finding(kind="container_log_error", subject=f"svc-{i}", severity="warning", score=i / 400,
                   summary=f"finding {i}", evidence={"lines": ["x" * 500] * bulk, "note": "y" * bulk * 100})


def test_bulky_evidence_is_trimmed_and_weakest_findings_dropped() -> None:
    evidence = EvidenceCollected(incident_id="inc-1", domain="kubernetes", status="success",
                                 findings=[_finding(i, 40) for i in range(200)])
    fitted = fit_to_event(evidence)
    make_event(types.EVIDENCE_COLLECTED, fitted, source="/t")  # raises when over the limit
    assert fitted.findings, "the strongest findings survive"
    assert fitted.findings[0].subject == "svc-199"
    assert len(fitted.findings) < 200 and "omitted" in fitted.checked[-1]


def test_small_evidence_is_untouched() -> None:
    evidence = EvidenceCollected(incident_id="inc-1", domain="logs", status="success", findings=[_finding(3, 1)])
    before = evidence.model_dump()
    assert fit_to_event(evidence).model_dump() == before
