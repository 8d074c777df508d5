"""The one status writer: an incident's status only moves right, and each step's time is stamped once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.db.models import Incident
from functions._platform.db.status import advance


def _incident(session, incident_id: str, at: datetime) -> None:
    session.add(Incident(id=incident_id, title="t", description="", service=None, namespace=None, severity="warning",
                         status="open", source="http", group_key=None, domains=["logs"], classification={},
                         started_at=at, window_start=at, window_end=at, deadline_at=at, created_at=at))


def test_status_moves_only_forward_and_each_step_is_stamped_once(make_orchestrator) -> None:
    db = make_orchestrator().db
    t0 = datetime.now(UTC).replace(microsecond=0)
    with db.session() as session:
        _incident(session, "inc-20260101-000stat", t0)
    steps = [("reported", t0 + timedelta(seconds=1)), ("correlated", t0 + timedelta(seconds=2)),
             ("reported", t0 + timedelta(seconds=3)), ("resolved", t0 + timedelta(seconds=4)),
             ("reported", t0 + timedelta(seconds=5))]
    firsts = []
    for status, at in steps:
        with db.session() as session:
            firsts.append(advance(session, "inc-20260101-000stat", status, at))
    with db.session() as session:
        incident = session.get(Incident, "inc-20260101-000stat")
        assert incident.status == "resolved"
        assert (incident.reported_at, incident.correlated_at, incident.resolved_at) == (
            t0 + timedelta(seconds=1), t0 + timedelta(seconds=2), t0 + timedelta(seconds=4))
    assert firsts == [True, True, False, True, False]
