"""Triage attaches runbooks when it opens an incident: the alert's own runbook (or what the report text is
about), opened at Diagnosis, on the incident, its timeline, the incident.reported event and every report, even
one with no probable cause. A knowledge base that cannot answer never costs the incident."""

from __future__ import annotations

from pathlib import Path

from functions._platform.config import Settings
from functions._platform.db.engine import Database
from functions.triage import accept, intake, runbooks
from sreo_events.models import Alert, AlertReceived


def _alert(alertname: str, **labels: str) -> Alert:
    return Alert(labels={"alertname": alertname, **labels},
                 annotations={"summary": f"{alertname} on {labels.get('service', 'a service')}"})


def test_an_alert_opens_its_incident_with_its_own_runbook(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    received = AlertReceived(source_kind="alertmanager", alerts=[
        _alert("KubePodCrashLooping", service="payments", namespace="shop")])
    matched = runbooks.for_alerts(settings, received.alerts)
    assert [ref.id for ref in matched[accept.fingerprint(received.alerts[0])]][:1] == ["kubernetes/KubePodCrashLooping"]

    db = Database(settings)
    with db.session() as session:
        accepted, = intake.accept_alerts(session, settings, received, None, matched)
        incident = accepted.incident
        assert incident.runbooks[0]["id"] == "kubernetes/KubePodCrashLooping"
        assert incident.runbooks[0]["section"] == "Diagnosis"
        reported = accepted.events[0]
        assert reported["type"] == "dev.sreo.incident.reported.v1"
        assert reported.data["runbooks"][0]["id"] == "kubernetes/KubePodCrashLooping"


def test_every_firing_alert_of_a_group_gets_the_runbook_and_resolved_ones_none(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    group = [_alert("KubePodCrashLooping", service="payments", pod=f"payments-{i}") for i in range(30)]
    resolved = Alert(status="resolved", labels={"alertname": "KubePodCrashLooping", "pod": "payments-old"})
    matched = runbooks.for_alerts(settings, [*group, resolved])
    assert set(matched) == {accept.fingerprint(alert) for alert in group}
    assert {refs[0].id for refs in matched.values()} == {"kubernetes/KubePodCrashLooping"}


def test_the_orchestrators_own_runbooks_only_for_its_own_alerts(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    own = _alert("SreoDeadLettersIncreasing", service="sreo-report")
    user = _alert("CheckoutErrorRate", service="checkout")
    matched = runbooks.for_alerts(settings, [own, user])
    assert matched[accept.fingerprint(own)][0].id == "sreo/SreoDeadLettersIncreasing"
    assert all(not ref.id.startswith("sreo/") for ref in matched[accept.fingerprint(user)])


def test_free_text_gets_only_runbooks_it_is_about(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home")
    about_db = runbooks.for_text(settings, "postgres says too many connections, clients are refused", "orders")
    assert about_db and about_db[0].id == "postgres/PostgresTooManyConnections"
    assert runbooks.for_text(settings, "the quarterly newsletter template looks odd", None) == []


def test_an_unreachable_knowledge_base_costs_only_the_early_link(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", opensearch_url="http://127.0.0.1:9")
    assert runbooks.for_alerts(settings, [_alert("KubePodCrashLooping")]) == {}
    assert runbooks.for_text(settings, "pods crash looping", None) == []


def test_the_report_keeps_triage_runbooks_when_no_cause_is_found(orchestrator) -> None:
    webhook = {"version": "4", "groupKey": "g", "status": "firing", "receiver": "sreo", "commonLabels": {},
               "alerts": [{"status": "firing", "labels": {"alertname": "KubePodCrashLooping", "service": "ghost",
                                                          "namespace": "nowhere"},
                           "annotations": {"summary": "ghost is crash looping"}, "fingerprint": "fp-ghost"}]}
    accepted = orchestrator.client.post("/alerts/alertmanager", json=webhook)
    assert accepted.status_code == 202, accepted.text
    incident_id = accepted.json()["incidents"][0]["id"]

    report = orchestrator.report(incident_id)
    entry = next(r for r in report["runbooks"] if r["id"] == "kubernetes/KubePodCrashLooping")
    assert entry["link"].endswith("#diagnosis") or entry["link"].endswith("#mitigation")
    assert report["causes"] == [] and report["summary"] == "No probable cause found."
    assert entry["cause_rank"] is None and entry["component"] == "ghost"
    assert any(t["actor"] == "triage" and "kubernetes/KubePodCrashLooping" in t["text"] for t in report["timeline"])
    markdown = orchestrator.client.get(f"/incidents/{incident_id}/report", params={"format": "markdown"}).text
    assert "KubePodCrashLooping" in markdown
