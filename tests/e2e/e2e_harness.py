"""Scenario runs through the whole pipeline in-process: offline sources in, stored report out.

`run_scenario` configures the agents' sources like a user would (Kubernetes snapshot, OpenMetrics files,
logs ingested into the embedded search, PostgreSQL DSNs to diagnose, a topology file), starts the local
runtime on the store under test (SQLite or PostgreSQL), posts the alert and returns the stored report
together with the evidence each domain answered.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from functions._local.api import create_app
from functions._local.host import LocalHost
from functions._platform.config import Settings
from functions._platform.db.models import EvidenceRecord
from functions._platform.search import get_search_backend
from functions._platform.sources.logs.ingest import ingest_file


@dataclass
class ScenarioSources:
    kube_snapshot: Path | None = None
    metrics_files: list[Path] = field(default_factory=list)
    logs: list[tuple[Path, str | None]] = field(default_factory=list)  # (file, service or None: per line)
    topology_file: Path | None = None
    diag_postgres_dsns: str | None = None


@dataclass
class ScenarioRun:
    report: dict[str, Any]
    evidence: dict[str, dict[str, Any]]  # domain -> stored evidence payload
    edges: set[tuple[str, str]]  # the digital twin's (caller, callee) edges, as GET /topology serves them

    @property
    def top(self) -> dict[str, Any]:
        assert self.report["causes"], f"no causes in the report: {self.report}"
        return self.report["causes"][0]

    def components(self) -> list[str]:
        return [cause["component"] for cause in self.report["causes"]]

    def domains_of(self, finding: dict[str, Any]) -> set[str]:
        """Domains whose answer holds this finding (matched on kind, query and summary)."""
        return {domain for domain, payload in self.evidence.items()
                for own in payload.get("findings", [])
                if (own["kind"], own["query"], own["summary"]) == (finding["kind"], finding["query"],
                                                                  finding["summary"])}

    def backing_domains(self, cause: dict[str, Any]) -> set[str]:
        return {domain for finding in cause["evidence"] for domain in self.domains_of(finding)}


def _wait_for_report(client: TestClient, incident_id: str, timeout_s: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if client.get(f"/incidents/{incident_id}").json().get("status") == "reported":
            return client.get(f"/incidents/{incident_id}/report").json()
        time.sleep(0.05)
    raise AssertionError(f"no report for {incident_id} within {timeout_s}s")


@pytest.fixture
def run_scenario(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., ScenarioRun]]:
    hosts: list[LocalHost] = []

    def run(sources: ScenarioSources, *, alert: Path | None = None, incident: dict | None = None) -> ScenarioRun:
        settings = Settings(
            home=tmp_path / f"home{len(hosts)}", database_url=database_url, opensearch_url=None, prometheus_url=None,
            api_tokens=None, kube_snapshot=sources.kube_snapshot,
            metrics_files=",".join(str(p) for p in sources.metrics_files) or None,
            topology_file=sources.topology_file, diag_postgres_dsns=sources.diag_postgres_dsns,
            correlation_deadline_s=60, agent_timeout_s=30,
        )
        if sources.logs:
            backend = get_search_backend(settings)
            try:
                for path, service in sources.logs:
                    assert ingest_file(path, backend, service=service).indexed > 0, f"nothing ingested from {path}"
            finally:
                backend.close()
        host = LocalHost(settings, tick_s=0).start(ticking=False)
        hosts.append(host)
        client = TestClient(create_app(host.runtime, host.broker))
        if alert is not None:
            answer = client.post("/alerts/alertmanager", content=alert.read_bytes(),
                                 headers={"content-type": "application/json"})
            assert answer.status_code == 202, answer.text
            incident_id = answer.json()["incidents"][0]["id"]
        else:
            answer = client.post("/incidents", json=incident)
            assert answer.status_code == 202, answer.text
            incident_id = answer.json()["id"]
        report = _wait_for_report(client, incident_id, timeout_s=90)
        with host.runtime.db.session() as session:
            evidence = {row.domain: dict(row.payload)
                        for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident_id))}
        topology = client.get("/topology").json()
        return ScenarioRun(report, evidence, {(e["caller"], e["callee"]) for e in topology["edges"]})

    yield run
    for host in hosts:
        host.stop()
