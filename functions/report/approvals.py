"""Approval of a suggested destructive action by a responder. Nothing is executed: the orchestrator stays
read-only, and the approval is an audited record a human or an automation acts on."""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from functions._platform.db.approvals import ActionApproval
from functions._platform.db.models import Report
from functions._platform.db.timeline import add_entry
from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route, parse_json
from functions._platform.outbox import stage
from functions._platform.runtime import Runtime
from functions.report import compose, incidents, publish
from sreo_events import types
from sreo_events.envelope import derived_id, make_event
from sreo_events.models import ActionApproved, ApprovalRecorded

_ADDRESS_HEADERS = ("x-forwarded-for", "x-real-ip")
SOURCE = "/sreo/report"


class ApprovalRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    comment: str | None = Field(default=None, max_length=2000, description="Why, or what will be done.")


def approver_id(token: str) -> str:
    """Who approved, without storing the token: a short hash of it."""
    return "responder:" + hashlib.sha256(token.encode()).hexdigest()[:12]


def responder(request: HttpRequest, allowed: frozenset[str]) -> str:
    """The approving responder's id. Approvals are refused outright when no responder tokens exist."""
    if not allowed:
        raise ApiError(403, "approvals_disabled", "approvals are disabled: no responder tokens are configured "
                                                  "(set SREO_RESPONDER_TOKENS)")
    scheme, _, token = (request.header("authorization") or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "unauthorized", "a responder bearer token is required to approve actions")
    for candidate in allowed:
        name, secret = token_name(candidate)
        if hmac.compare_digest(token, secret):
            return f"responder:{name}" if name else approver_id(token)
    raise ApiError(403, "forbidden", "this token may not approve actions; a responder token is required")


_TOKEN_NAME = re.compile(r"^([A-Za-z][\w.@-]{0,63}):(.+)$")


def token_name(entry: str) -> tuple[str | None, str]:
    """`alice:s3cret` in SREO_RESPONDER_TOKENS names the token, so the audit trail says who approved."""
    found = _TOKEN_NAME.match(entry)
    return (found.group(1), found.group(2)) if found else (None, entry)


def client_address(request: HttpRequest) -> str | None:
    """The peer, and who a proxy says it forwarded for (headers can be forged, so both are kept)."""
    forwarded = next((value.split(",")[0].strip()[:200] for name in _ADDRESS_HEADERS
                      if (value := request.header(name))), None)
    if forwarded and request.client and forwarded != request.client:
        return f"{forwarded} via {request.client}"
    return forwarded or request.client


def _body(request: HttpRequest, max_bytes: int) -> ApprovalRequest:
    if not request.body.strip():
        return ApprovalRequest()
    return parse_json(request, ApprovalRequest, max_bytes)  # type: ignore[return-value]


def record(session: Session, incident_id: str, action_id: str, title: str, command: str | None, approver: str,
           comment: str | None, at: datetime, actor: str, address: str | None = None) -> None:
    """Store one approval, say so on the timeline, bring the stored report up to date and announce it
    (`approval.recorded`), in one transaction."""
    session.add(ActionApproval(incident_id=incident_id, action_id=action_id, action_title=title, command=command,
                               approver=approver, comment=comment, client_address=address, approved_at=at))
    session.flush()
    recorded = ApprovalRecorded(incident_id=incident_id, action_id=action_id, approver=approver, approved_at=at)
    stage(session, [make_event(types.APPROVAL_RECORDED, recorded, source=SOURCE, subject=incident_id,
                               correlationid=incident_id, event_id=derived_id(incident_id, "recorded", action_id))])
    note = f": {comment}" if comment else ""
    add_entry(session, incident_id, f"approval:{action_id}", actor,
              f"Action {action_id} ({title}) approved by {approver}{note}", at)
    session.flush()
    publish.refresh(session, incident_id)


def record_policy_approval(session: Session, approved: ActionApproved) -> None:
    """The supervisor's approval by policy (`action.approved`); a redelivery or an earlier approval is a no-op."""
    if session.scalar(select(ActionApproval.id).filter_by(incident_id=approved.incident_id,
                                                          action_id=approved.action_id)):
        return
    record(session, approved.incident_id, approved.action_id, approved.action_title, approved.command,
           approved.approver, approved.comment, approved.approved_at, actor="supervisor")


def _find_action(body: dict[str, Any], action_id: str) -> dict[str, Any] | None:
    return next((a for cause in body.get("causes", []) for a in cause.get("actions", []) if a["id"] == action_id),
                None)


def approve(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    who = responder(request, runtime.settings.responder_token_set)
    payload = _body(request, runtime.settings.max_body_bytes)
    incident_id, action_id = request.path_params["incident_id"], request.path_params["action_id"]
    at = datetime.now(UTC)
    try:
        with runtime.db.session() as session:
            if not incidents.known(session, incident_id):
                raise ApiError(404, "incident_not_found", f"no incident {incident_id!r}")
            report = session.get(Report, incident_id)
            action = _find_action(report.body, action_id) if report is not None else None
            if action is None:
                raise ApiError(404, "action_not_found", f"incident {incident_id!r} suggests no action {action_id!r}")
            if not action["requires_approval"]:
                raise ApiError(409, "approval_not_required", f"action {action_id!r} does not require approval")
            if session.scalar(select(ActionApproval.id).filter_by(incident_id=incident_id, action_id=action_id)):
                raise ApiError(409, "already_approved", f"action {action_id!r} is already approved")
            record(session, incident_id, action_id, action["title"], action.get("command"), who, payload.comment,
                   at, actor="responder", address=client_address(request))
            stored = next(a for a in compose.approval_records(session, incident_id) if a["action_id"] == action_id)
    except IntegrityError as exc:  # a concurrent approval of the same action won the race
        raise ApiError(409, "already_approved", f"action {action_id!r} is already approved") from exc
    return HttpResponse(201, {"incident_id": incident_id, **stored, "executed": False})


ROUTES = [
    Route("POST", "/incidents/{incident_id}/actions/{action_id}/approve", approve,
          "Approve a destructive suggested action (responder token; audited; nothing is executed).",
          ApprovalRequest, body_optional=True, auth="responder",
          responses={201: "Approved (recorded; nothing is executed).",
                     409: "The action needs no approval, or is already approved."}),
]
