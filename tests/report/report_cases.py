"""Incidents with known findings, stored through the report's own publish path (no agents involved)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from functions._platform.db.models import AlertRecord, Incident, TimelineEntry
from functions._platform.runtime import Runtime
from functions.report import incidents, publish
from sreo_events.models import Cause, Finding, IncidentAlert, IncidentCorrelated, IncidentReported, TimeWindow

T0 = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=T0 - timedelta(minutes=15), end=T0 + timedelta(minutes=5))
RESPONDER_TOKEN = "responder-secret-1"
WRITER_TOKEN = "writer-secret-1"
HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> & `tick`'


def finding(kind: str, subject: str, summary: str, query: str = "", domain: str | None = None,
            **evidence: Any) -> Finding:
    """`domain`: the agent's domain, which correlate stamps on each finding it ranks."""
    return Finding(kind=kind, subject=subject, severity="critical", score=0.9, summary=summary, window=WINDOW,
                   onset=T0 - timedelta(minutes=10), evidence=evidence, query=query, domain=domain)


LOCK = finding("lock_contention", "postgres/orders",
               "postgres/orders: pid 4242 (billing-job, idle in transaction) blocks 7 session(s)",
               "blocking_chains()", "database", blocker={"pid": 4242, "application": "billing-job", "query": "UPDATE orders"})
ROLLOUT = finding("recent_rollout", "payments", "payments: rolled out revision 4", "list_deployments()",
                  "kubernetes", namespace="shop", old_revision=3, new_revision=4)
METRIC = finding("error_ratio_spike", "checkout", "checkout error ratio 60%",
                 'range_query({"query": "sum(rate(http_requests_total{code=~\\"5..\\"}[5m]))", '
                 '"start": "1772616600", "end": "1772618700", "step": "15s"})', "metrics")
LOGS = finding("new_log_template", "checkout", "checkout: new log template: charge failed: dial tcp <IP>",
               'fetch_records({"service": "checkout", "start": "2026-03-04T09:45:00+00:00", '
               '"end": "2026-03-04T10:05:00+00:00"})', "logs", template="charge failed: dial tcp <IP>")


def causes() -> list[Cause]:
    return [
        Cause(component="postgres/orders", kind="lock_contention", score=0.8, confidence=0.7,
              reason="blocking chain rooted at pid 4242", evidence=[LOCK]),
        Cause(component="payments", kind="recent_rollout", score=0.5, confidence=0.2, reason="rolled out just before",
              evidence=[ROLLOUT]),
        Cause(component="checkout", kind="error_ratio_spike", score=0.3, confidence=0.1, reason="symptom",
              evidence=[METRIC, LOGS]),
    ]


def store_incident(runtime: Runtime, incident_id: str = "inc-1", title: str = "orders are timing out",
                   failed: dict[str, str] | None = None, missing: list[str] | None = None,
                   cause_list: list[Cause] | None = None, healthy: list[str] | None = None) -> None:
    """An incident with alerts, evidence rows and a timeline (triage's rows, and report's copy as
    `incident.reported` gives it), then its correlated report published."""
    cause_list = causes() if cause_list is None else cause_list
    db = runtime.db
    domains = ["kubernetes", "database", "logs", "metrics", "auth"]
    with db.session() as session:
        session.add(Incident(
            id=incident_id, title=title, description="", service="checkout", namespace="shop", severity="critical",
            status="correlated", source="alertmanager", group_key=None, domains=domains, classification={},
            started_at=T0 - timedelta(minutes=5), window_start=WINDOW.start, window_end=WINDOW.end,
            deadline_at=T0 + timedelta(minutes=1), created_at=T0, fanned_out_at=T0, correlated_at=T0,
            reported_at=None, resolved_at=None))
        session.flush()
        session.add(AlertRecord(incident_id=incident_id, fingerprint="fp", alertname="OrdersLatencyHigh",
                                status="firing", labels={"alertname": "OrdersLatencyHigh", "service": "checkout"},
                                annotations={"summary": "orders p95 above 2s"}, starts_at=T0 - timedelta(minutes=4),
                                received_at=T0, count=1))
        session.add(TimelineEntry(incident_id=incident_id, key="opened", at=T0, actor="triage", text="opened"))
        incidents.record_reported(session, IncidentReported(
            incident_id=incident_id, title=title, service="checkout", namespace="shop", severity="critical",
            started_at=T0 - timedelta(minutes=5), window=WINDOW, domains=domains, deadline=T0 + timedelta(minutes=1),
            source="alertmanager", accepted_at=T0,
            alerts=[IncidentAlert(fingerprint="fp", alertname="OrdersLatencyHigh", status="firing", count=1,
                                  labels={"alertname": "OrdersLatencyHigh", "service": "checkout"},
                                  annotations={"summary": "orders p95 above 2s"}, starts_at=T0 - timedelta(minutes=4))],
        ), T0)
    correlated = IncidentCorrelated(
        incident_id=incident_id, causes=cause_list, answered=["kubernetes", "database", "logs", "metrics"],
        failed=failed or {}, missing=missing or [], healthy=healthy or ["deployment/frontend: 2/2 ready"],
        complete=not (failed or missing))
    with db.session() as session:
        published = publish.publish(session, correlated, f"evt-{incident_id}", runtime.settings, T0)
    if published:
        publish.add_narrative(db, incident_id)
