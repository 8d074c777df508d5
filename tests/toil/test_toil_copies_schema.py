"""The toil_copies migration matches its models on both stores, starts toil's facts from the rows of before the
upgrade (so a deployed system's weekly report keeps its history), and downgrades cleanly."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from sqlalchemy import inspect, select
from support.schema import schema_drift

from functions._platform.db.engine import Database, _alembic_config, upgrade
from functions._platform.db.models import AlertRecord, EvidenceRecord, Incident, Investigation, Report
from functions._platform.db.toil_copies import ToilAlert, ToilDomain, ToilIncident
from functions.toil.build import build_report

TABLES = {"toil_incidents", "toil_alerts", "toil_domains"}
T0 = datetime(2026, 3, 4, 2, 30, tzinfo=UTC)


def _incident(incident_id: str, reported: bool) -> Incident:
    return Incident(id=incident_id, title="payments down", description="", service="payments", namespace="shop",
                    severity="critical", status="reported" if reported else "open", source="alertmanager",
                    group_key=None, domains=["logs", "metrics"], classification={}, started_at=T0,
                    window_start=T0, window_end=T0, deadline_at=T0, created_at=T0 + timedelta(seconds=5),
                    fanned_out_at=T0, correlated_at=None, reported_at=T0 + timedelta(seconds=45) if reported else None,
                    resolved_at=T0 + timedelta(hours=2) if reported else None)


def _store_before_upgrade(db: Database) -> None:
    with db.session() as session:
        session.add_all([_incident("inc-old", True), _incident("inc-open", False)])
        session.flush()
        for fingerprint, alertname, count in (("fp-pay", "PaymentsDown", 3), ("fp-err", "PaymentsErrors", 1)):
            session.add(AlertRecord(incident_id="inc-old", fingerprint=fingerprint, alertname=alertname,
                                    status="resolved", labels={}, annotations={}, starts_at=T0, received_at=T0,
                                    count=count))
        session.add(Investigation(incident_id="inc-old", domain="logs", status="requested", requested_at=T0))
        session.add(Investigation(incident_id="inc-old", domain="metrics", status="error", requested_at=T0))
        session.add(EvidenceRecord(incident_id="inc-old", domain="metrics", status="error", event_id="e",
                                   payload={"error": "prometheus: connection refused"}, collected_at=T0))
        body = {"causes": [{"component": "payments-gw", "kind": "crash_loop"}, {"component": "db", "kind": "x"}]}
        session.add(Report(incident_id="inc-old", body=body, markdown="", event_id="e", created_at=T0,
                           updated_at=T0 + timedelta(seconds=45)))
        session.add(Report(incident_id="inc-open", body={"causes": []}, markdown="", event_id="e", created_at=T0,
                           updated_at=T0))


def test_model_matches_migration_back_fills_and_downgrade_removes_the_tables(database: Database) -> None:
    engine = database.engine
    assert schema_drift(engine, TABLES) == []
    command.downgrade(_alembic_config(engine), "0012_scan_copies")
    assert TABLES.isdisjoint(inspect(engine).get_table_names())
    _store_before_upgrade(database)
    upgrade(engine)
    assert schema_drift(engine, TABLES) == []
    with database.session() as session:
        old = session.get(ToilIncident, "inc-old")
        assert (old.service, old.severity, old.created_at, old.reported_at, old.top_component, old.top_kind) == (
            "payments", "critical", T0 + timedelta(seconds=5), T0 + timedelta(seconds=45), "payments-gw", "crash_loop")
        assert session.get(ToilIncident, "inc-open").reported_at is None
        alerts = session.scalars(select(ToilAlert).order_by(ToilAlert.position)).all()
        assert [(a.fingerprint, a.count, a.position) for a in alerts] == [("fp-pay", 3, 0), ("fp-err", 1, 1)]
        domains = session.scalars(select(ToilDomain).order_by(ToilDomain.domain)).all()
        assert [(d.domain, d.status, d.error) for d in domains] == [
            ("logs", "requested", None), ("metrics", "error", "prometheus: connection refused")]
        report = build_report(session, "7d", T0 + timedelta(days=1))
    assert (report.totals.incidents, report.totals.pages, report.totals.notifications) == (2, 2, 4)
    assert [(c.component, c.incidents) for c in report.recurring_causes] == [("payments-gw", 1)]
    assert report.time_to_report.p50_s == 40
    assert report.on_call[0].alertname == "PaymentsDown"
    assert [(d.domain, d.errors, d.missing) for d in report.domains] == [("logs", 0, 1), ("metrics", 1, 0)]
