"""`sreo demo`: a bundled incident, end to end, on the embedded defaults. No cluster, no network."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated

import typer

from functions._local.client import stderr


def _this_run(alert: bytes) -> bytes:
    """Each run is its own incident: the store under SREO_HOME keeps earlier runs, which must not absorb it."""
    import uuid

    payload, run = json.loads(alert), uuid.uuid4().hex[:8]
    payload["groupKey"] = f"{payload.get('groupKey', '')}:demo-{run}"
    for item in payload.get("alerts", []):
        item["fingerprint"] = f"{item.get('fingerprint', '')}-{run}"
    return json.dumps(payload).encode()


def demo(
    as_json: Annotated[bool, typer.Option("--json", help="Print the stored report as JSON on stdout.")] = False,
    workdir: Annotated[Path | None, typer.Option(help="Write the scenario's input files here (default: a temp dir).")]
    = None,
) -> None:
    """Payments rolls out a bad release; checkout starts failing. Watch the pipeline find the cause.

    The incident is kept in the embedded store under SREO_HOME, so `sreo incident show ID` opens it later."""
    from fastapi.testclient import TestClient

    from functions._local.api import create_app
    from functions._local.client import ApiClient
    from functions._local.demo import scenario
    from functions._local.host import LocalHost
    from functions._platform.config import Settings, get_settings
    from functions._platform.domains.logs.source.ingest import ingest_file
    from functions._platform.search import get_search_backend

    folder = workdir or Path(tempfile.mkdtemp(prefix="sreo-demo-"))
    with stderr.status("Writing the scenario: Kubernetes snapshot, logs, metrics, alert…"):
        written = scenario.write(folder)
    settings = Settings(home=get_settings().home, kube_snapshot=written.snapshot, metrics_files=str(written.metrics),
                        database_url=None, opensearch_url=None, prometheus_url=None, api_tokens=None,
                        correlation_deadline_s=30)
    with stderr.status("Ingesting logs into the embedded search index…"):
        backend = get_search_backend(settings)
        try:
            for path, service in written.logs:
                stats = ingest_file(path, backend, service=service or None)
                stderr.print(f"  ingested {stats.indexed} lines from {path.name}")
        finally:
            backend.close()
    host = LocalHost(settings, tick_s=2).start()
    try:
        with TestClient(create_app(host.runtime, host.broker)) as http:
            client = ApiClient(http, in_process=True)
            accepted = http.post("/alerts/alertmanager", content=_this_run(written.alert.read_bytes()),
                                 headers={"content-type": "application/json"}).json()
            incident_id = accepted["incidents"][0]["id"]
            stderr.print(f"Alertmanager webhook accepted: incident [bold]{incident_id}[/]")
            report = client.wait_for_report(incident_id, timeout_s=settings.correlation_deadline_s + 30)
            if report is None:
                stderr.print("[red]no report was produced in time[/]")
                raise typer.Exit(1)
            markdown = http.get(f"/incidents/{incident_id}/report", params={"format": "markdown"}).text
    finally:
        host.stop()
    top = report["causes"][0]["component"] if report["causes"] else "none"
    verdict = "matches" if top == scenario.ROOT_CAUSE else "does NOT match"
    stderr.print(f"Top cause: [bold]{top}[/] ({verdict} the scenario's known root cause, "
                 f"{scenario.ROOT_CAUSE}). Scenario files: {folder}")
    print(json.dumps(report, indent=2) if as_json else markdown)
    stderr.print(f"Open it again with: [bold]sreo incident show {incident_id}[/]"
                 f" (store: {settings.home / 'sreo.db'})", soft_wrap=True)
