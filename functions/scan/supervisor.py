"""The supervisor loop over predicted threats on services with a repository (SREO_CODE_REPOS).

1. A latency creep or error spike opens a review task, scoped to the endpoint whose latency rose most (the
   threat's evidence gains `endpoint`, which triage hands to the code agent) or to the rollout's revisions.
2. When the incident's report is published with the review's fixes (`report.published`, or when its
   `incident.reported` comes after it, or on the next scan), those the policy approves by risk
   (SREO_REVIEW_AUTO_APPROVE, default low,medium) are approved as `policy` through `action.approved`, which
   report records and shows at once; the others wait for a responder
   (`POST /incidents/{id}/actions/{action}/approve`). Report audits both and announces each (`approval.recorded`).
3. After a fix is marked applied (`POST /incidents/{id}/actions/{action}/applied`), each scan re-checks the
   metric and records "normalised" or "still degraded" on the incident.

Incidents, fixes and approvals are read from scan's own copies of those events (`copies`), never from the
tables of triage or report.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from functions._platform.config import Settings
from functions._platform.db.review_tasks import ReviewTask
from functions._platform.db.timeline import add_entry
from functions._platform.domains.code.findings import auto_approved
from functions._platform.domains.code.rollout import last_rollout
from functions._platform.domains.metrics.analyzers.mapping import MetricsMapping
from functions._platform.outbox import stage
from functions._platform.runtime import Runtime
from functions.scan import copies
from functions.scan.review_metrics import latency_over, slowest_endpoint
from functions.scan.threats import threat_key
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import ActionApproved, IncidentReported, ReportPublished, ThreatDetected

WATCHED = frozenset({"latency_creep", "error_ratio_spike", "error_rate_spike"})
RECHECK_SPAN = timedelta(minutes=15)
MIN_RECHECK_STEPS = 5
ACTOR = "supervisor"
SOURCE = "/sreo/scan/supervisor"


def supervise(runtime: Runtime, threats: list[ThreatDetected], until: datetime | None = None) -> list[ThreatDetected]:
    """Run one round of the loop after a scan; returns the threats (scoped for review) to record and announce."""
    settings = runtime.settings
    if not settings.code_repos:
        return threats
    now = until or datetime.now(UTC)
    watched = [t for t in threats if t.kind in WATCHED and t.subject in settings.code_repos]
    for threat in watched:
        scope(settings, threat)
    current = {(t.kind, t.subject) for t in threats}
    with runtime.db.session() as session:
        for threat in watched:
            open_task(session, threat, now)
        for task in session.scalars(select(ReviewTask).where(ReviewTask.status.in_(("requested", "proposed",
                                                                                      "applied")))):
            advance(session, settings, task, current, now)
    return threats


def scope(settings: Settings, threat: ThreatDetected) -> None:
    """Narrow the review: a latency creep to the endpoint that slowed, an error spike to the last rollout."""
    evidence = threat.evidence
    if threat.kind == "latency_creep" and not evidence.get("endpoint"):
        endpoint = slowest_endpoint(settings, threat.subject, threat.window)
        if endpoint:
            evidence["endpoint"] = endpoint
    if threat.kind != "latency_creep" and not evidence.get("new_revision"):
        try:
            revisions = last_rollout(settings, threat.subject)
        except Exception as exc:  # noqa: BLE001 - an unreadable cluster leaves the review unscoped, not failed
            evidence["review_scope_note"] = f"rollout unknown: {type(exc).__name__}: {exc}"[:300]
            revisions = None
        if revisions:
            evidence["old_revision"], evidence["new_revision"] = revisions


def open_task(session: Session, threat: ThreatDetected, now: datetime) -> None:
    key = threat_key(threat)
    task = session.get(ReviewTask, key)
    if task is not None:
        if task.status in ("normalised", "still_degraded") and task.verdict_at and task.verdict_at < now:
            task.status, task.updated_at = "requested", now  # it came back: review again
        return
    old, new = threat.evidence.get("old_revision"), threat.evidence.get("new_revision")
    session.add(ReviewTask(id=key, service=threat.subject, threat_kind=threat.kind,
                           endpoint=threat.evidence.get("endpoint"), revisions=f"{old}..{new}" if old and new else None,
                           status="requested", threat=threat.model_dump(mode="json"), created_at=now, updated_at=now))
    session.flush()


def advance(session: Session, settings: Settings, task: ReviewTask, current: set | None, now: datetime) -> None:
    """One step of a task: link it to its incident, approve the fixes its report suggests, and after a fix is
    applied re-check the metric (on a scan, `current`)."""
    incident_id = copies.incident_for(session, task)
    if incident_id is None:
        return
    if task.incident_id is None:
        task.incident_id = incident_id
        add_entry(session, incident_id, f"review:{task.id}", ACTOR,
                  f"Predicted {task.threat_kind.replace('_', ' ')} on {task.service}: code review requested"
                  + (f" for endpoint {task.endpoint}" if task.endpoint else "")
                  + (f" over revisions {task.revisions}" if task.revisions else ""), now)
    fixes = copies.fixes(session, incident_id)
    if task.status == "requested" and fixes:
        approve_by_policy(session, settings, incident_id, fixes, now)
        task.status, task.updated_at = "proposed", now
    elif task.status == "applied" and current is not None:
        recheck(session, settings, task, current, now)


def _advance_waiting(runtime: Runtime, service: str, kind: str | None = None) -> None:
    """Tasks of `service` (and `kind`) still waiting for their incident's fixes take a step now, in a transaction
    after the one that stored the copy: whichever of two concurrent deliveries commits last sees both."""
    now = datetime.now(UTC)
    query = select(ReviewTask).where(ReviewTask.service == service, ReviewTask.status == "requested")
    with runtime.db.session() as session:
        for task in session.scalars(query if kind is None else query.where(ReviewTask.threat_kind == kind)):
            advance(session, runtime.settings, task, None, now)


def on_report(runtime: Runtime, published: ReportPublished) -> None:
    """A report was just published: a review waiting on it gets its fixes approved now, not at the next scan."""
    with runtime.db.session() as session:
        named = copies.record_fixes(session, published, datetime.now(UTC))
    if named and published.service in runtime.settings.code_repos:
        _advance_waiting(runtime, published.service)


def on_incident(runtime: Runtime, reported: IncidentReported) -> None:
    """An incident was opened: a threat's review links to it, and approves fixes a report published first."""
    with runtime.db.session() as session:
        copies.record_incident(session, reported)
    threat = copies.threat_of(reported.group_key)
    if threat is not None and threat[1] in runtime.settings.code_repos:
        _advance_waiting(runtime, threat[1], threat[0])


def approve_by_policy(session: Session, settings: Settings, incident_id: str, actions: list[dict[str, Any]],
                      now: datetime) -> None:
    """Fixes the policy approves by their risk are announced (`action.approved`, which report records on the
    incident and its report at once); the others wait for a responder."""
    policy = auto_approved(settings.review_auto_approve)
    approved = copies.approved(session, incident_id)
    announced = []
    for action in actions:
        if action["id"] in approved:
            continue
        if action["requires_approval"]:
            add_entry(session, incident_id, f"awaiting:{action['id']}", ACTOR,
                      f"Fix {action['id']} ({action['risk']} risk) needs a responder: POST /incidents/{incident_id}"
                      f"/actions/{action['id']}/approve", now)
            continue
        comment = f"{action['risk']} risk is approved by policy (SREO_REVIEW_AUTO_APPROVE={','.join(sorted(policy))})"
        data = ActionApproved(incident_id=incident_id, action_id=action["id"], action_title=action["title"],
                              command=action.get("command"), risk=action["risk"], approver="policy",
                              comment=comment, approved_at=now)
        announced.append(make_event(types.ACTION_APPROVED, data, source=SOURCE, subject=incident_id,
                                    correlationid=incident_id,
                                    event_id=derived_id(incident_id, "approved", action["id"])))
    stage(session, announced)


def recheck(session: Session, settings: Settings, task: ReviewTask, current: set, now: datetime) -> None:
    """After the fix: the threat gone and latency back within the analyzer's own tolerance of the baseline."""
    if task.applied_at is None or now - task.applied_at < timedelta(minutes=MIN_RECHECK_STEPS):
        return
    still = (task.threat_kind, task.service) in current
    start = max(task.applied_at, now - RECHECK_SPAN)
    detail = ""
    if task.threat_kind == "latency_creep":
        measured, steps = latency_over(settings, task.service, start, now)
        baseline = task.threat.get("evidence", {}).get("baseline_median_seconds")
        if measured is None or steps < MIN_RECHECK_STEPS:
            return  # not enough metrics since the fix yet
        tolerance = MetricsMapping().thresholds.latency_min_rise
        if baseline:
            still = still or measured > baseline * (1 + tolerance)
            detail = (f": latency {measured * 1000:.0f} ms since the fix, baseline {baseline * 1000:.0f} ms "
                      f"(tolerance {tolerance:.0%})")
    task.status = "still_degraded" if still else "normalised"
    task.verdict = ("still degraded" if still else "normalised") + detail
    task.verdict_at = task.updated_at = now
    add_entry(session, task.incident_id, f"verdict:{task.id}:{now.isoformat()}", ACTOR,  # type: ignore[arg-type]
              f"After {task.applied_action}: {task.service} {task.verdict}", now)
