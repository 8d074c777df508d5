"""The supervisor learns incidents, fixes and approvals from events alone, whatever order they come in and however
often: report.published before incident.reported, each delivered twice (the same id, and again under another id,
as a resolution republishes it), then a responder's approval.recorded, twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from functions._platform.consumer import consume
from functions._platform.db.approvals import ActionApproval
from functions._platform.db.models import Incident, TimelineEntry
from functions._platform.db.review_tasks import ReviewTask
from functions._platform.db.scan_copies import ScanApproval, ScanFix, ScanIncident
from functions.scan.events import HANDLERS
from functions.scan.supervisor import open_task
from sreo_events import types
from sreo_events.envelope import make_event
from sreo_events.models import (
    Action,
    ApprovalRecorded,
    IncidentReported,
    PublishedCause,
    ReportPublished,
    ThreatDetected,
    TimeWindow,
)

T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)
WINDOW = TimeWindow(start=T0 - timedelta(minutes=30), end=T0)
INCIDENT = "inc-creep"
GROUP = "threat|latency_creep|blog|blog"
LOW_FIX = Action(id="apply-fix-blog-app-py-34", title="Load posts with selectinload", risk="low")
HIGH_FIX = Action(id="apply-fix-blog-app-py-80", title="Add CSRF middleware", risk="high", requires_approval=True)


def _threat() -> ThreatDetected:
    return ThreatDetected(kind="latency_creep", subject="blog", level="high", window=WINDOW,
                          evidence={"endpoint": "/api/get_posts", "baseline_median_seconds": 0.1},
                          mitigation="find what slowed /api/get_posts")


def _reported() -> IncidentReported:
    return IncidentReported(incident_id=INCIDENT, title="latency creep on blog", service="blog", started_at=T0,
                            window=WINDOW, domains=["metrics", "code"], deadline=T0, source="cloudevent",
                            group_key=GROUP, accepted_at=T0)


def _published() -> ReportPublished:
    """The low-risk fix on a top cause (and in `fixes`); the high-risk one on a cause below the top three."""
    cause = PublishedCause(component="blog", kind="code_n_plus_one", confidence=0.8,
                           actions=[Action(id="rollback-blog", title="Roll back", risk="medium"), LOW_FIX])
    return ReportPublished(incident_id=INCIDENT, title="latency creep on blog", url=f"/incidents/{INCIDENT}/report",
                           service="blog", causes=[cause], fixes=[LOW_FIX, HIGH_FIX])


def _deliver(runtime, event_type: str, data, event_id: str, source: str) -> None:
    consume("scan", make_event(event_type, data, source=source, event_id=event_id, correlationid=INCIDENT),
            HANDLERS, runtime)


def _store_triage_incident(db) -> None:
    """Triage's row, which the shared timeline refers to; scan never reads it."""
    with db.session() as session:
        session.add(Incident(id=INCIDENT, title="latency creep on blog", description="", service="blog",
                             namespace=None, severity="critical", status="open", source="cloudevent", group_key=GROUP,
                             domains=["metrics", "code"], classification={}, started_at=T0,
                             window_start=WINDOW.start, window_end=WINDOW.end, deadline_at=T0, created_at=T0,
                             fanned_out_at=T0, correlated_at=None, reported_at=None, resolved_at=None))


def test_out_of_order_and_repeated_events_link_the_review_and_approve_its_fix_once(make_orchestrator, tmp_path):
    orchestrator = make_orchestrator(code_repos={"blog": str(tmp_path)}, review_auto_approve="low,medium")
    runtime, db, client = orchestrator.host.runtime, orchestrator.db, orchestrator.client
    _store_triage_incident(db)
    with db.session() as session:
        open_task(session, _threat(), T0)

    for event_id in ("published-1", "published-1", "published-on-resolve"):  # before the incident is known
        _deliver(runtime, types.REPORT_PUBLISHED, _published(), event_id, "/sreo/report")
    with db.session() as session:
        task = session.scalars(select(ReviewTask)).one()
        assert (task.incident_id, task.status) == (None, "requested"), "no incident to link yet"
        assert sorted(session.scalars(select(ScanFix.action_id))) == [LOW_FIX.id, HIGH_FIX.id]

    for event_id in ("reported-1", "reported-1", "reported-again"):
        _deliver(runtime, types.INCIDENT_REPORTED, _reported(), event_id, "/sreo/triage")
    orchestrator.settle(60)  # the policy's approval goes to report, which records it and announces it back
    with db.session() as session:
        task = session.scalars(select(ReviewTask)).one()
        assert (task.incident_id, task.status) == (INCIDENT, "proposed")
        assert session.scalars(select(ScanIncident.group_key)).all() == [GROUP]
        recorded = session.scalars(select(ActionApproval).filter_by(incident_id=INCIDENT)).all()
        assert [(a.action_id, a.approver) for a in recorded] == [(LOW_FIX.id, "policy")]
        assert [(a.action_id, a.approver) for a in session.scalars(select(ScanApproval))] == [(LOW_FIX.id, "policy")]
        timeline = list(session.scalars(select(TimelineEntry.text).filter_by(incident_id=INCIDENT)))
    assert sum("code review requested for endpoint /api/get_posts" in text for text in timeline) == 1
    assert sum(f"Fix {HIGH_FIX.id} (high risk) needs a responder" in text for text in timeline) == 1

    early = client.post(f"/incidents/{INCIDENT}/actions/{HIGH_FIX.id}/applied")
    assert early.status_code == 409 and early.json()["error"]["code"] == "not_approved"
    approval = ApprovalRecorded(incident_id=INCIDENT, action_id=HIGH_FIX.id, approver="responder:alice",
                                approved_at=T0 + timedelta(minutes=5))
    for event_id in ("recorded-1", "recorded-1", "recorded-replayed"):
        _deliver(runtime, types.APPROVAL_RECORDED, approval, event_id, "/sreo/report")
    with db.session() as session:
        assert sorted((a.action_id, a.approver) for a in session.scalars(select(ScanApproval))) == [
            (LOW_FIX.id, "policy"), (HIGH_FIX.id, "responder:alice")]

    answer = client.post(f"/incidents/{INCIDENT}/actions/{HIGH_FIX.id}/applied", json={"comment": "PR 7"})
    assert answer.status_code == 200, answer.text
    assert [t["status"] for t in answer.json()["review_tasks"]] == ["applied"]
    unknown = client.post(f"/incidents/{INCIDENT}/actions/rollback-blog/applied")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "action_not_found"
    with db.session() as session:
        applied = session.scalars(select(TimelineEntry.text).filter_by(incident_id=INCIDENT, key=f"applied:{HIGH_FIX.id}"))
        assert list(applied) == [f"Fix {HIGH_FIX.id} marked applied (approved by responder:alice): PR 7"]
