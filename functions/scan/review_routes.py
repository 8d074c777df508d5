"""The supervisor's HTTP surface: mark an approved fix applied, and list review tasks."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from functions._platform.db.review_tasks import ReviewTask
from functions._platform.db.timeline import add_entry
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, parse_json
from functions._platform.runtime import Runtime
from functions.scan import copies


class AppliedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Field(default=None, max_length=2000, description="How it was rolled out (PR, release).")


def task_view(task: ReviewTask) -> dict[str, Any]:
    return {"id": task.id, "service": task.service, "threat_kind": task.threat_kind, "endpoint": task.endpoint,
            "revisions": task.revisions, "incident_id": task.incident_id, "status": task.status,
            "applied_action": task.applied_action,
            "applied_at": task.applied_at.isoformat() if task.applied_at else None, "verdict": task.verdict,
            "verdict_at": task.verdict_at.isoformat() if task.verdict_at else None,
            "created_at": task.created_at.isoformat()}


def mark_applied(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    incident_id, action_id = request.path_params["incident_id"], request.path_params["action_id"]
    payload = parse_json(request, AppliedRequest, runtime.settings.max_body_bytes) if request.body.strip() \
        else AppliedRequest()
    at = datetime.now(UTC)
    with runtime.db.session() as session:
        if not copies.known(session, incident_id):
            raise ApiError(404, "incident_not_found", f"no incident {incident_id!r}")
        action = next((a for a in copies.fixes(session, incident_id) if a["id"] == action_id), None)
        if action is None:
            raise ApiError(404, "action_not_found", f"incident {incident_id!r} proposes no fix {action_id!r}")
        approval = copies.approval(session, incident_id, action_id)
        if approval is None:
            raise ApiError(409, "not_approved", f"fix {action_id!r} is not approved yet" + (
                f"; a responder approves it with POST /incidents/{incident_id}/actions/{action_id}/approve"
                if action["requires_approval"] else "; the supervisor approves it on its next scan"))
        tasks = session.scalars(select(ReviewTask).filter_by(incident_id=incident_id)).all()
        for task in tasks:
            task.status, task.applied_action, task.applied_at, task.updated_at = "applied", action_id, at, at
        note = f": {payload.comment}" if payload.comment else ""
        add_entry(session, incident_id, f"applied:{action_id}", "responder",
                  f"Fix {action_id} marked applied (approved by {approval.approver}){note}", at)
        views = [task_view(t) for t in tasks]
    return HttpResponse(200, {"incident_id": incident_id, "action_id": action_id, "applied_at": at.isoformat(),
                              "review_tasks": views})


def list_reviews(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    with runtime.db.session() as session:
        tasks = session.scalars(select(ReviewTask).order_by(ReviewTask.created_at.desc()).limit(200)).all()
        return HttpResponse(200, {"reviews": [task_view(t) for t in tasks]})


ROUTES = [
    Route("POST", "/incidents/{incident_id}/actions/{action_id}/applied", mark_applied,
          "Mark an approved code fix applied; the next scans check the metric it should bring back.",
          AppliedRequest, write=True, body_optional=True),
    Route("GET", "/reviews", list_reviews, "The supervisor's review tasks: threat, fix, verdict."),
]
