"""Scan's copies of the incidents, suggested fixes and approvals other functions announce, and what the
supervisor asks of them. Writes are insert-unless-present, so a redelivery or a late duplicate changes nothing."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from functions._platform.db.review_tasks import ReviewTask
from functions._platform.db.scan_copies import ScanApproval, ScanFix, ScanIncident
from functions._platform.db.upsert import upsert
from functions._platform.domains.code.findings import FIX_ACTION
from sreo_events.models import ApprovalRecorded, IncidentReported, ReportPublished

THREAT_GROUP = "threat"


def record_incident(session: Session, reported: IncidentReported) -> None:
    upsert(session, ScanIncident, {"id": reported.incident_id, "group_key": reported.group_key,
                                   "service": reported.service,
                                   "accepted_at": reported.accepted_at or reported.started_at}, ["id"])


def record_fixes(session: Session, published: ReportPublished, at: datetime) -> int:
    """The fixes (`apply-fix-*` actions) the report suggests (`fixes`; a report published before the field
    existed names them only in its causes); returns how many it names."""
    named = [*published.fixes, *(a for cause in published.causes for a in cause.actions)]
    actions = list({a.id: a for a in named if a.id.startswith(FIX_ACTION)}.values())
    for action in actions:
        upsert(session, ScanFix, {"incident_id": published.incident_id, "action_id": action.id,
                                  "title": action.title, "command": action.command, "risk": action.risk,
                                  "requires_approval": action.requires_approval, "published_at": at},
               ["incident_id", "action_id"])
    return len(actions)


def record_approval(session: Session, recorded: ApprovalRecorded) -> None:
    upsert(session, ScanApproval, {"incident_id": recorded.incident_id, "action_id": recorded.action_id,
                                   "approver": recorded.approver, "approved_at": recorded.approved_at},
           ["incident_id", "action_id"])


def threat_of(group_key: str | None) -> tuple[str, str] | None:
    """(kind, subject) of a predicted threat's incident, from the group key triage gave it."""
    parts = (group_key or "").split("|")
    return (parts[1], parts[2]) if len(parts) >= 3 and parts[0] == THREAT_GROUP else None


def incident_for(session: Session, task: ReviewTask) -> str | None:
    """The incident the task's threat opened: the one linked, else the newest of the threat's group."""
    if task.incident_id:
        return task.incident_id
    group = f"{THREAT_GROUP}|{task.threat_kind}|{task.service}"  # triage appends the affected workload
    return session.scalars(select(ScanIncident.id).where(or_(
        ScanIncident.group_key == group, ScanIncident.group_key.startswith(f"{group}|", autoescape=True)))
        .order_by(ScanIncident.accepted_at.desc())).first()


def known(session: Session, incident_id: str) -> bool:
    return session.get(ScanIncident, incident_id) is not None


def fixes(session: Session, incident_id: str) -> list[dict[str, Any]]:
    rows = session.scalars(select(ScanFix).filter_by(incident_id=incident_id).order_by(ScanFix.action_id))
    return [{"id": r.action_id, "title": r.title, "command": r.command, "risk": r.risk,
             "requires_approval": r.requires_approval} for r in rows]


def approved(session: Session, incident_id: str) -> set[str]:
    return set(session.scalars(select(ScanApproval.action_id).filter_by(incident_id=incident_id)))


def approval(session: Session, incident_id: str, action_id: str) -> ScanApproval | None:
    return session.get(ScanApproval, (incident_id, action_id))
