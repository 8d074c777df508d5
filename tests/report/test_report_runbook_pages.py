"""Runbooks that open: served at /runbooks/{id} as a page, linked by that URL, the alert's own runbook first,
section pages skipped at ingest."""

from __future__ import annotations

from pathlib import Path

from report_cases import T0, WINDOW, store_incident
from sqlalchemy import select

from functions._platform.db.report_incidents import ReportAlert, ReportIncident
from functions._platform.runbooks.sources import runbook_files
from functions.report import incidents, publish
from sreo_events.models import IncidentAlert, IncidentUpdated

RUNBOOK = """# KubePodNotReady

## Meaning
A pod has been not ready for 15 minutes.

## Mitigation
Roll back the last release:

```sh
kubectl rollout undo deploy/payments
```

<script>alert(1)</script>
"""


def test_an_ingested_runbook_is_served_as_a_page_with_section_anchors(make_sqlite_served) -> None:
    served = make_sqlite_served()
    created = served.client.post("/runbooks", json={"name": "kubernetes/KubePodNotReady.md", "content": RUNBOOK})
    assert created.status_code == 201, created.text
    runbook_id = created.json()["id"]
    page = served.client.get(f"/runbooks/{runbook_id}")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "id='mitigation'" in page.text and "<code" in page.text and "kubectl rollout undo" in page.text
    assert "<script>" not in page.text and "default-src 'none'" in page.headers["content-security-policy"]
    missing = served.client.get("/runbooks/kubernetes/NoSuchAlert")
    assert missing.status_code == 404 and "sreo runbooks ingest" in missing.json()["error"]["message"]


def test_report_links_open_the_served_runbook_and_the_alerts_own_runbook_comes_first(make_sqlite_served) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    with served.db.session() as session:
        alert = session.scalar(select(ReportAlert).filter_by(incident_id="inc-1"))
        annotations = {**alert.annotations, "runbook_url": "https://wiki.example.com/OrdersLatencyHigh"}
        incidents.record_updated(session, IncidentUpdated(  # the alert, repeated with its runbook_url
            incident_id="inc-1", started_at=T0, window=WINDOW, alerts=[IncidentAlert(
                fingerprint="fp", alertname=alert.alertname, status="firing", count=2, labels=alert.labels,
                annotations=annotations, starts_at=alert.starts_at)]))
    with served.db.session() as session:
        publish.refresh(session, "inc-1")
        body = publish.build(session, session.get(ReportIncident, "inc-1"), None).dump()
    runbooks = body["runbooks"]
    assert runbooks[0]["link"] == "https://wiki.example.com/OrdersLatencyHigh"
    assert all(rb["link"].startswith(("/runbooks/", "https://")) for rb in runbooks if rb.get("link"))


def test_section_index_pages_are_not_runbooks(tmp_path: Path) -> None:
    (tmp_path / "kubernetes").mkdir()
    (tmp_path / "kubernetes" / "_index.md").write_text("# Kubernetes runbooks\n")
    (tmp_path / "kubernetes" / "KubePodNotReady.md").write_text(RUNBOOK)
    (tmp_path / "README.md").write_text("# about\n")
    assert [f.path.name for f in runbook_files([tmp_path])] == ["KubePodNotReady.md"]
