"""The one runner: a domain's analyzers over its inputs, in the domain's order, for agents and scans alike."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.registry import ANALYZERS, analyzer, analyzers
from functions._platform.analyzers.runner import run
from functions._platform.domains.database.analyzers.grading import database_context
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import TimeWindow

START = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=START, end=START + timedelta(minutes=10))


class Fixed:
    """An analyzer that finds what it is told to, to see what the runner does with findings."""

    def __init__(self, kind: str, findings: list[tuple[str, float]]):
        self.kind, self.kinds, self.findings = kind, (), findings

    def analyze(self, inputs: object, context: AnalysisContext) -> list:
        return [context.finding(kind=self.kind, subject=subject, severity="warning", score=score, summary=subject,
                                evidence={}) for subject, score in self.findings]


def test_kubernetes_findings_come_focus_first_then_strongest() -> None:
    context = AnalysisContext.around("kubernetes", WINDOW, focus={"checkout"})
    found = run("kubernetes", None, context, only=[Fixed("pod_crashloop", [("cart", 0.9), ("checkout", 0.2)]),
                                                   Fixed("probe_failure", [("ads", 0.95)])])
    assert [(f.subject, f.score) for f in found] == [("checkout", 0.2), ("ads", 0.95), ("cart", 0.9)]


def test_other_domains_keep_analyzer_order() -> None:
    context = windows_before(START, START + timedelta(minutes=10))
    found = run("logs", [], context, only=[Fixed("log_flood", [("b", 0.1)]), Fixed("error_rate_spike", [("a", 0.9)])])
    assert [f.kind for f in found] == ["log_flood", "error_rate_spike"]
    assert all(f.query == context.query and f.baseline == context.baseline for f in found)


def test_the_runner_runs_the_registered_analyzers_of_a_scope() -> None:
    lines = [f'{(START + timedelta(minutes=1, seconds=i)).isoformat()} ERROR could not connect to server: '
             f'connection to server at "orders-db", port 5432 failed: Connection refused' for i in range(5)]
    [finding] = run("database", lines, database_context(WINDOW), scope="log_lines")
    assert finding.kind == "db_connection_errors" and finding.subject == "postgres/orders-db"
    assert run("database", [], database_context(WINDOW), scope="log_lines") == []


def test_a_domain_whose_analyzers_read_different_inputs_must_be_given_a_scope() -> None:
    with pytest.raises(ValueError, match="scope"):
        run("database", [], database_context(WINDOW))


def test_scopes_split_a_domain_and_kinds_name_its_analyzers() -> None:
    assert {a.kind for a in analyzers("auth", "certificates")} == {"tls_cert_expiry"}
    assert len(analyzers("auth", "records")) + 1 == len(ANALYZERS["auth"])
    assert {a.kind for a in analyzers("metrics", "cluster")} <= {a.kind for a in ANALYZERS["metrics"]}
    assert analyzer("database", "replication_lag").kind == "replication_lag"
    with pytest.raises(KeyError):
        analyzer("database", "node_not_ready")


def test_log_records_run_through_logs_and_auth_alike() -> None:
    records = [LogRecord(timestamp=START + timedelta(seconds=i), service="sshd", message=f"Failed password for root "
                         f"from 203.0.113.9 port {4000 + i} ssh2", source_ip="203.0.113.9") for i in range(8)]
    context = windows_before(START, START + timedelta(minutes=10))
    kinds = {f.kind for f in run("auth", records, context, scope="records")}
    assert "brute_force" in kinds
