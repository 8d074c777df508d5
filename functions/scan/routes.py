"""Scan's HTTP surface: the active threats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from functions._platform.db.models import Threat
from functions._platform.httpapi import HttpRequest, HttpResponse, Param, Route, int_param
from functions._platform.runtime import Runtime
from functions.scan.review_routes import ROUTES as REVIEW_ROUTES

ACTIVE_FOR = timedelta(hours=24)


def list_threats(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    """Threats seen within `hours` (default 24), most severe and most recent first."""
    since = datetime.now(UTC) - timedelta(hours=int_param(request, "hours", 24, 1, 24 * 90))
    order = {"critical": 0, "high": 1, "medium": 2, "low": 3}
    with runtime.db.session() as session:
        rows = session.scalars(select(Threat).where(Threat.last_seen >= since)).all()
        threats = [{**row.payload, "key": row.key, "first_seen": row.first_seen.isoformat(),
                    "last_seen": row.last_seen.isoformat(), "incident_id": row.incident_id} for row in rows]
    threats.sort(key=lambda t: (order.get(t["level"], 9), t["last_seen"]), reverse=False)
    return HttpResponse(200, {"threats": threats})


ROUTES = [Route("GET", "/threats", list_threats, "Active predictive threats (`hours`, default 24).",
                params=(Param("hours", {"type": "integer", "minimum": 1, "maximum": 24 * 90, "default": 24}),),
                response_schema={"type": "object", "required": ["threats"],
                                 "properties": {"threats": {"type": "array", "items": {"type": "object"}}}})]
ROUTES += REVIEW_ROUTES
