"""Report's own record of each incident (report_incidents, report_alerts): the migration back-fills it from
triage's rows, the events keep it current (alerts that join later included), and the alerts travel in events of
bounded size."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from alembic import command
from report_cases import T0, WINDOW, causes
from sqlalchemy import select
from support.schema import schema_drift

from functions._platform.consumer import consume
from functions._platform.db.engine import _alembic_config, upgrade
from functions._platform.db.incident_view import summary
from functions._platform.db.models import AlertRecord, Incident, TimelineEntry
from functions._platform.db.report_incidents import ReportAlert, ReportIncident
from functions.report import compose, incidents, publish
from functions.report import events as report_events
from functions.report.events import HANDLERS
from functions.triage import alert_news
from sreo_events import types
from sreo_events.envelope import MAX_EVENT_BYTES, make_event
from sreo_events.models import IncidentAlert, IncidentCorrelated, IncidentReported, IncidentUpdated

TABLES = {"report_incidents", "report_alerts", "report_waiting_correlations"}


def _alert(fingerprint: str, count: int = 1, status: str = "firing", starts: datetime = T0,
           note: str = "orders p95 above 2s") -> IncidentAlert:
    return IncidentAlert(fingerprint=fingerprint, alertname="OrdersLatencyHigh", status=status, count=count,
                         labels={"alertname": "OrdersLatencyHigh", "pod": fingerprint}, annotations={"summary": note},
                         starts_at=starts)


def test_the_migration_matches_the_models_and_back_fills_from_triages_rows(make_served) -> None:
    served = make_served()
    engine = served.db.engine
    assert schema_drift(engine, TABLES) == []
    command.downgrade(_alembic_config(engine), "0009_fan_ins")
    with served.db.session() as session:  # a store of before the upgrade: only triage's rows
        session.add(Incident(
            id="inc-old", title="orders are slow", description="d", service="orders", namespace="shop",
            severity="critical", status="reported", source="alertmanager", group_key="g", domains=["metrics"],
            classification={"metrics": ["alertname OrdersLatencyHigh"]}, runbooks=[], started_at=T0,
            window_start=WINDOW.start, window_end=WINDOW.end, deadline_at=T0, created_at=T0, fanned_out_at=T0,
            correlated_at=T0, reported_at=T0 + timedelta(seconds=1), resolved_at=None))
        session.flush()
        for fingerprint, count in (("fp-b", 3), ("fp-a", 1)):
            session.add(AlertRecord(incident_id="inc-old", fingerprint=fingerprint, alertname="OrdersLatencyHigh",
                                    status="firing", labels={"alertname": "OrdersLatencyHigh"}, annotations={},
                                    starts_at=T0, received_at=T0, count=count))
        session.flush()
        expected = summary(session.get(Incident, "inc-old"))
    upgrade(engine)
    listed = served.client.get("/incidents").json()
    assert listed["items"] == [expected]
    with served.db.session() as session:
        alerts = compose.alert_summaries(session, "inc-old")
        assert [(a["count"], a["alertname"]) for a in alerts] == [(3, "OrdersLatencyHigh"), (1, "OrdersLatencyHigh")]
        assert session.get(ReportIncident, "inc-old").alertnames == ["OrdersLatencyHigh"]
    command.downgrade(_alembic_config(engine), "0009_fan_ins")
    upgrade(engine)


def test_alerts_that_join_later_reach_the_report_and_the_newest_word_wins(make_sqlite_served) -> None:
    db = make_sqlite_served().db
    reported = IncidentReported(incident_id="inc-j", title="orders are slow", severity="critical", started_at=T0,
                                window=WINDOW, domains=["metrics"], deadline=T0, source="alertmanager",
                                accepted_at=T0, alerts=[_alert("fp-1")])
    earlier = T0 - timedelta(minutes=3)
    with db.session() as session:  # an update may arrive before incident.reported does: it waits for it
        incidents.record_updated(session, IncidentUpdated(incident_id="inc-j", started_at=T0, window=WINDOW,
                                                          alerts=[_alert("fp-2", starts=earlier)]))
    with db.session() as session:
        incidents.record_reported(session, reported, T0)
        incidents.record_updated(session, IncidentUpdated(incident_id="inc-j", started_at=T0, window=WINDOW, alerts=[
            _alert("fp-1", count=3, status="resolved", note="newer")]))
        incidents.record_updated(session, IncidentUpdated(incident_id="inc-j", started_at=T0, window=WINDOW, alerts=[
            _alert("fp-1", count=2, note="late")]))  # a late, older word changes nothing
    with db.session() as session:
        rows = {row.fingerprint: row for row in session.scalars(select(ReportAlert).filter_by(incident_id="inc-j"))}
        assert (rows["fp-1"].count, rows["fp-1"].status, rows["fp-1"].annotations) == (3, "resolved",
                                                                                        {"summary": "newer"})
        record = session.get(ReportIncident, "inc-j")
        assert record.started_at == earlier and record.status == "open" and record.created_at == T0


def test_alerts_joining_an_announced_incident_reach_reports_copy(make_served) -> None:
    orchestrator = make_served()
    client = orchestrator.client

    def webhook(*fingerprints: str) -> dict:
        return {"version": "4", "groupKey": '{}:{alertname="OrdersLatencyHigh"}', "status": "firing",
                "receiver": "sreo", "groupLabels": {}, "commonLabels": {"service": "orders"},
                "alerts": [{"status": "firing", "labels": {"alertname": "OrdersLatencyHigh", "service": "orders",
                                                           "pod": fp}, "annotations": {"summary": fp},
                            "startsAt": "2026-01-01T10:00:00Z", "fingerprint": fp} for fp in fingerprints]}

    incident_id = client.post("/alerts/alertmanager", json=webhook("fp-1")).json()["incidents"][0]["id"]
    orchestrator.settle()
    assert client.post("/alerts/alertmanager", json=webhook("fp-1", "fp-2")).status_code == 202
    orchestrator.settle()
    with orchestrator.db.session() as session:
        triage = [(a.fingerprint, a.status, a.count) for a in session.scalars(
            select(AlertRecord).filter_by(incident_id=incident_id).order_by(AlertRecord.id))]
        copy = [(a.fingerprint, a.status, a.count) for a in incidents.alerts_of(session, incident_id)]
    assert copy == triage == [("fp-1", "firing", 2), ("fp-2", "firing", 1)]
    assert [item["id"] for item in client.get("/incidents").json()["items"]] == [incident_id]


def test_many_alerts_travel_in_events_that_stay_under_the_bound() -> None:
    big = "x" * 2000
    alerts = [_alert(f"fp-{i:03}", note=big) for i in range(120)] + [_alert("huge", note="y" * 70_000)]
    incident = Incident(id="inc-big", started_at=T0, window_start=WINDOW.start, window_end=WINDOW.end)
    carried, more = alert_news.for_reported(incident, [alert_news.summary(_row(a)) for a in alerts], 2_000, None)
    assert 0 < len(carried) <= 50
    sent = [*carried, *(IncidentAlert(**a) for event in more for a in event.data["alerts"])]
    assert [a.fingerprint for a in sent] == [a.fingerprint for a in alerts]  # all of them, in order
    assert all(len(str(event.data)) < MAX_EVENT_BYTES for event in more)
    assert len(sent[-1].annotations["summary"]) == alert_news.CLIP  # one alert too large for an event is clipped


def _row(alert: IncidentAlert) -> AlertRecord:
    return AlertRecord(incident_id="inc-big", fingerprint=alert.fingerprint, alertname=alert.alertname,
                       status=alert.status, labels=alert.labels, annotations=alert.annotations,
                       starts_at=alert.starts_at, received_at=datetime.now(UTC), count=alert.count)


def test_a_correlation_that_comes_before_the_record_waits_for_it_then_is_published(make_served) -> None:
    """Deliveries are concurrent: correlate may finish before report has consumed `incident.reported`. The
    correlation waits in report's own table (no redelivery needed) and is published when the record opens."""
    served = make_served()
    runtime = served.host.runtime
    correlated = IncidentCorrelated(incident_id="inc-early", causes=causes(), answered=["database", "kubernetes"],
                                    complete=True)
    reported = IncidentReported(incident_id="inc-early", title="orders are timing out", service="checkout",
                                namespace="shop", severity="critical", started_at=T0, window=WINDOW,
                                domains=["database", "kubernetes"], deadline=T0, source="alertmanager",
                                accepted_at=T0, alerts=[_alert("fp-a")])
    with served.db.session() as session:  # triage's row, which triage stores before it announces anything
        session.add(Incident(
            id="inc-early", title=reported.title, description="", service="checkout", namespace="shop",
            severity="critical", status="correlated", source="alertmanager", group_key=None, domains=reported.domains,
            classification={}, runbooks=[], started_at=T0, window_start=WINDOW.start, window_end=WINDOW.end,
            deadline_at=T0, created_at=T0, fanned_out_at=T0, correlated_at=T0, reported_at=None, resolved_at=None))
    consume("report", make_event(types.INCIDENT_CORRELATED, correlated, source="/sreo/correlate", event_id="c-1"),
            HANDLERS, runtime)
    assert served.client.get("/incidents/inc-early/report").status_code == 404
    with served.db.session() as session:
        assert incidents.waiting(session, "inc-early") is not None
    consume("report", make_event(types.INCIDENT_REPORTED, reported, source="/sreo/triage", event_id="r-1"),
            HANDLERS, runtime)
    body = served.client.get("/incidents/inc-early/report").json()
    assert body["top_cause"]["component"] == "postgres/orders"
    assert body["domains"]["answered"] == ["database", "kubernetes"]
    with served.db.session() as session:
        assert incidents.waiting(session, "inc-early") is None
        assert session.get(ReportIncident, "inc-early").status == "reported"


def test_when_the_record_opens_between_a_correlation_s_look_and_its_wait_the_correlation_publishes(
        make_served) -> None:
    """The interleaving that lost reports: the correlation finds no record and waits; `incident.reported` opens the
    record and looks before that wait commits, so it sees nothing. The correlation's own look after its commit
    publishes it, and a second look finds nothing left to publish."""
    served = make_served()
    runtime = served.host.runtime
    correlated = IncidentCorrelated(incident_id="inc-race", causes=causes(), answered=["database"], complete=True)
    reported = IncidentReported(incident_id="inc-race", title="orders are timing out", service="checkout",
                                namespace="shop", severity="critical", started_at=T0, window=WINDOW,
                                domains=["database"], deadline=T0, source="alertmanager", accepted_at=T0)
    with served.db.session() as session:
        session.add(Incident(
            id="inc-race", title=reported.title, description="", service="checkout", namespace="shop",
            severity="critical", status="correlated", source="alertmanager", group_key=None, domains=["database"],
            classification={}, runbooks=[], started_at=T0, window_start=WINDOW.start, window_end=WINDOW.end,
            deadline_at=T0, created_at=T0, fanned_out_at=T0, correlated_at=T0, reported_at=None, resolved_at=None))
    with served.db.session() as session:  # the correlation: no record yet, so it waits
        assert publish.publish(session, correlated, "c-race", runtime.settings, T0) is None
    with served.db.session() as session:  # the record opens; its look came before the wait was visible
        publish.open_record(session, reported, "r-race")
    report_events._publish_waiting(runtime, "inc-race")  # the correlation's look after its commit
    report_events._publish_waiting(runtime, "inc-race")
    body = served.client.get("/incidents/inc-race/report").json()
    assert body["top_cause"]["component"] == "postgres/orders"
    with served.db.session() as session:
        assert incidents.waiting(session, "inc-race") is None
        entries = session.scalars(select(TimelineEntry).filter_by(incident_id="inc-race")).all()
    assert [e.text for e in entries].count("Report published") == 1
