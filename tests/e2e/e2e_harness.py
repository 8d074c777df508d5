"""Scenario runs through the whole pipeline in-process: offline sources in, stored report out.

`run_scenario` configures the agents' sources like a user would (Kubernetes snapshot, OpenMetrics files,
logs ingested into the embedded search, PostgreSQL DSNs to diagnose, a topology file), starts the local
runtime on the store under test (SQLite or PostgreSQL), posts the alert and returns the stored report
together with the evidence each domain answered.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from support.orchestrator import orchestrators

from functions._platform.config import Settings
from functions._platform.db.models import EvidenceRecord
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.search import get_search_backend


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


@pytest.fixture
def run_scenario(tmp_path: Path, database_url: str | None) -> Iterator[Callable[..., ScenarioRun]]:
    common = {"database_url": database_url, "opensearch_url": None, "prometheus_url": None, "api_tokens": None,
              "correlation_deadline_s": 60, "agent_timeout_s": 30}
    with orchestrators(**common) as start:
        homes = (tmp_path / f"home{n}" for n in itertools.count())

        def run(sources: ScenarioSources, *, alert: Path | None = None, incident: dict | None = None) -> ScenarioRun:
            options = {"home": next(homes), "kube_snapshot": sources.kube_snapshot,
                       "metrics_files": ",".join(str(p) for p in sources.metrics_files) or None,
                       "topology_file": sources.topology_file, "diag_postgres_dsns": sources.diag_postgres_dsns}
            if sources.logs:
                backend = get_search_backend(Settings(**common, **options))
                try:
                    for path, service in sources.logs:
                        assert ingest_file(path, backend, service=service).indexed > 0, f"nothing ingested from {path}"
                finally:
                    backend.close()
            orchestrator = start(**options)
            client = orchestrator.client
            if alert is not None:
                answer = client.post("/alerts/alertmanager", content=alert.read_bytes(),
                                     headers={"content-type": "application/json"})
                assert answer.status_code == 202, answer.text
                incident_id = answer.json()["incidents"][0]["id"]
            else:
                answer = client.post("/incidents", json=incident)
                assert answer.status_code == 202, answer.text
                incident_id = answer.json()["id"]
            report = orchestrator.report(incident_id, timeout=90)
            with orchestrator.db.session() as session:
                evidence = {row.domain: dict(row.payload)
                            for row in session.scalars(select(EvidenceRecord).filter_by(incident_id=incident_id))}
            topology = client.get("/topology").json()
            return ScenarioRun(report, evidence, {(e["caller"], e["callee"]) for e in topology["edges"]})

        yield run
