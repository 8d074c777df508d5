"""The scan_copies migration matches its models on both stores, starts scan's copies from the rows of before the
upgrade (so a review in flight goes on), and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import inspect, select
from support.schema import schema_drift

from functions._platform.db.approvals import ActionApproval
from functions._platform.db.engine import _alembic_config, upgrade
from functions._platform.db.models import Incident, Report
from functions._platform.db.scan_copies import ScanApproval, ScanFix, ScanIncident

TABLES = {"scan_incidents", "scan_fixes", "scan_approvals"}
T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
FIX = {"id": "apply-fix-blog-app-py-34", "title": "Load posts with selectinload", "command": None, "risk": "low",
       "requires_approval": False}


def _store_before_upgrade(db) -> None:
    with db.session() as session:
        session.add(Incident(id="inc-old", title="latency creep on blog", description="", service="blog",
                             namespace=None, severity="critical", status="reported", source="cloudevent",
                             group_key="threat|latency_creep|blog|blog", domains=["code"], classification={},
                             started_at=T0, window_start=T0, window_end=T0, deadline_at=T0, created_at=T0,
                             fanned_out_at=T0, correlated_at=T0, reported_at=T0, resolved_at=None))
        session.flush()
        body = {"causes": [{"component": "blog", "actions": [{"id": "rollback-blog", "title": "Roll back",
                                                              "risk": "medium"}, FIX]}]}
        session.add(Report(incident_id="inc-old", body=body, markdown="", event_id="e", created_at=T0,
                           updated_at=T0))
        session.add(ActionApproval(incident_id="inc-old", action_id=FIX["id"], action_title=FIX["title"],
                                   command=None, approver="policy", comment="", client_address=None, approved_at=T0))


def test_model_matches_migration_back_fills_and_downgrade_removes_the_tables(make_orchestrator) -> None:
    db = make_orchestrator().db
    engine = db.engine
    assert schema_drift(engine, TABLES) == []
    command.downgrade(_alembic_config(engine), "0011_fan_in_reported")
    assert TABLES.isdisjoint(inspect(engine).get_table_names())
    _store_before_upgrade(db)
    upgrade(engine)
    with db.session() as session:
        incident = session.get(ScanIncident, "inc-old")
        assert (incident.group_key, incident.service, incident.accepted_at) == (
            "threat|latency_creep|blog|blog", "blog", T0)
        fixes = session.scalars(select(ScanFix)).all()
        assert [(f.incident_id, f.action_id, f.risk, f.requires_approval, f.published_at) for f in fixes] == [
            ("inc-old", FIX["id"], "low", False, T0)]
        approvals = session.scalars(select(ScanApproval)).all()
        assert [(a.incident_id, a.action_id, a.approver) for a in approvals] == [("inc-old", FIX["id"], "policy")]
    assert schema_drift(engine, TABLES) == []
