"""The toil function: a PingSource tick consumed, the report stored and served over its route table, both through
the consumer directly and through the functions-framework target; and flapping seen through real triage."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import functions_framework
import pytest
from cloudevents.http import CloudEvent
from sqlalchemy import func, select
from support.orchestrator import Orchestrator
from support.paths import REPO_ROOT
from toil_week import seed_week

from functions._platform.consumer import PoisonEvent, consume
from functions._platform.db.toil import ToilReportRecord
from functions._platform.httpapi import HttpRequest, HttpResponse, dispatch
from functions._platform.runtime import Runtime
from functions.toil.build import build_report
from functions.toil.events import HANDLERS
from functions.toil.routes import ROUTES
from functions.triage.intake import accept_alerts
from sreo_events.envelope import PING_TYPE, encode
from sreo_events.models import Alert, AlertReceived

FUNC_SOURCE = REPO_ROOT / "functions" / "toil" / "func.py"


def tick(data: dict | None = None, event_id: str = "tick-1") -> CloudEvent:
    return CloudEvent({"type": PING_TYPE, "source": "/apis/v1/namespaces/sreo/pingsources/toil", "id": event_id,
                       "sreorequest": "toil", "datacontenttype": "application/json"}, data or {"since": "7d"})


def get(path: str, runtime: Runtime, **query: str) -> HttpResponse:
    return dispatch(ROUTES, HttpRequest("GET", path, {}, query), runtime)


def stored_reports(runtime: Runtime) -> int:
    with runtime.db.session() as session:
        return session.scalar(select(func.count()).select_from(ToilReportRecord)) or 0


def test_no_report_yet_is_a_404(runtime: Runtime) -> None:
    response = get("/toil/reports/latest", runtime)
    assert response.status == 404
    assert response.body["error"]["code"] == "toil_report_not_found"


def test_tick_computes_stores_and_serves_every_format(runtime: Runtime) -> None:
    seed_week(runtime, end=datetime.now(UTC))
    consume("toil", tick(), HANDLERS)
    assert runtime.emitter.events == []
    body = get("/toil/reports/latest", runtime).body
    assert body["totals"]["incidents"] == 11
    assert any(s["rule"] == "auto_resolving" for s in body["suggestions"])
    markdown = get("/toil/reports/latest", runtime, format="markdown")
    assert markdown.content_type.startswith("text/markdown") and markdown.body.startswith("# Toil report")
    page = get("/toil/reports/latest", runtime, format="html")
    assert page.content_type.startswith("text/html") and "CheckoutErrorRate" in page.body
    assert get("/toil/reports/latest", runtime, format="pdf").status == 422


def test_redelivered_tick_is_stored_once(runtime: Runtime) -> None:
    consume("toil", tick(event_id="same"), HANDLERS)
    consume("toil", tick(event_id="same"), HANDLERS)
    assert stored_reports(runtime) == 1
    consume("toil", tick(event_id="next"), HANDLERS)
    assert stored_reports(runtime) == 2


def test_options_ride_in_the_tick_data(runtime: Runtime) -> None:
    consume("toil", tick({"since": "14d", "timezone": "Europe/Paris", "auto_resolve_minutes": 5}), HANDLERS)
    body = get("/toil/reports/latest", runtime).body
    assert body["options"]["timezone"] == "Europe/Paris"
    assert body["options"]["auto_resolve_minutes"] == 5
    period = datetime.fromisoformat(body["period_end"]) - datetime.fromisoformat(body["period_start"])
    assert period == timedelta(days=14)


@pytest.mark.parametrize("data", [{"since": "forever"}, {"timezone": "Mars/Olympus_Mons"}, {"since": "0d"},
                                  {"night_start_hour": 25}])
def test_a_tick_that_can_never_work_is_poison(runtime: Runtime, data: dict) -> None:
    with pytest.raises(PoisonEvent):
        consume("toil", tick(data, event_id=f"bad-{json.dumps(data)}"), HANDLERS)
    assert stored_reports(runtime) == 0


def test_functions_framework_target_consumes_and_serves(runtime: Runtime) -> None:
    client = functions_framework.create_app("toil_http", str(FUNC_SOURCE)).test_client()
    assert client.get("/toil/reports/latest").status_code == 404
    headers, body = encode(tick(event_id="via-http"))
    assert client.post("/", headers=headers, data=body).status_code == 204
    response = client.get("/toil/reports/latest?format=html")
    assert response.status_code == 200 and response.content_type.startswith("text/html")
    assert client.get("/toil/reports/latest").get_json()["totals"]["incidents"] == 0
    assert client.post("/toil/reports/latest").status_code == 405


def test_flapping_alert_through_real_triage(orchestrator: Orchestrator) -> None:
    """Triage's events reach toil through the local broker, routed by toil's Triggers."""
    runtime = orchestrator.host.runtime

    def send(status: str) -> None:
        alert = Alert(status=status, labels={"alertname": "QueueBacklog", "service": "worker", "severity": "warning"},
                      fingerprint="fp-queue")
        with runtime.db.session() as session:
            accept_alerts(session, runtime.settings, AlertReceived(source_kind="alertmanager", alerts=[alert]))

    for status in ("firing", "firing", "resolved", "firing", "resolved", "firing"):
        send(status)
    orchestrator.settle()
    with runtime.db.session() as session:
        report = build_report(session, "1h")
    queue = next(a for a in report.alerts if a.alertname == "QueueBacklog")
    assert (queue.episodes, queue.flaps, queue.auto_resolved) == (3, 2, 2)
    assert queue.notifications == 6
    assert report.totals.unresolved == 1


def test_a_reported_incident_reaches_toil_through_the_broker(orchestrator: Orchestrator) -> None:
    """incident.reported, evidence.collected and report.published reach toil by its Triggers: its figures are what
    the REST API says of the incident and its report."""
    incident_id = orchestrator.client.post("/incidents", json={"text": "login page errors"}).json()["id"]
    stored = orchestrator.report(incident_id)
    orchestrator.settle()
    incident = orchestrator.client.get(f"/incidents/{incident_id}").json()
    with orchestrator.db.session() as session:
        report = build_report(session, "1h")
    created, reported = (datetime.fromisoformat(incident[key]) for key in ("created_at", "reported_at"))
    assert (report.totals.incidents, report.time_to_report.reported) == (1, 1)
    assert report.time_to_report.max_s == (reported - created).total_seconds()
    assert incident["domains"] and sorted(d.domain for d in report.domains) == sorted(incident["domains"])
    assert sum(d.errors for d in report.domains) == len(stored["domains"]["failed"])
    assert sum(d.missing for d in report.domains) == len(stored["domains"]["missing"])
    top = [(c["component"], c["kind"]) for c in stored["causes"][:1]]
    assert [(c.component, c.kind) for c in report.recurring_causes] == top
