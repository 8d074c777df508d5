"""Files written by the test are ingested into each backend, read back, and analysed."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from support import logs_scenario as scenario

from functions._platform.analyzers.registry import analyzers
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.ingest import ingest_file
from functions._platform.domains.logs.source.parsers import ParseContext
from functions._platform.domains.logs.source.store import LogStore
from functions._platform.search import SearchBackend


def _ingest(backend: SearchBackend, directory: Path, incident: bool) -> None:
    for path, service in scenario.write_all(directory, incident):
        context = ParseContext(now=scenario.END + timedelta(minutes=1))
        stats = ingest_file(path, backend, service=service, context=context)
        assert stats.skipped == 0 and stats.indexed > 0


def _findings(backend: SearchBackend) -> list:
    store = LogStore(backend)
    context = windows_before(scenario.INCIDENT_START, scenario.END)
    findings = []
    for term in store.services(context.baseline.start, context.window.end):
        records, truncated = store.records(str(term.value), context.baseline.start, context.window.end)
        assert not truncated
        for analyzer in (*analyzers("logs"), *analyzers("auth", "records")):
            findings.extend(analyzer.analyze(records, context))
    return findings


def test_injected_faults_give_the_right_findings(backend: SearchBackend, tmp_path: Path) -> None:
    _ingest(backend, tmp_path, incident=True)
    found = {(f.kind, f.subject) for f in _findings(backend)}
    assert ("error_rate_spike", "web") in found
    assert ("new_log_template", "api") in found
    assert ("brute_force", "sshd") in found
    assert ("success_after_failures", "sshd") in found
    findings = _findings(backend)
    spike = next(f for f in findings if f.kind == "error_rate_spike" and f.subject == "web")
    assert spike.evidence["statuses"] == {"503": spike.evidence["errors"]} or "503" in spike.evidence["statuses"]
    assert spike.window and spike.baseline and spike.baseline.end == spike.window.start
    template = next(f for f in findings if f.kind == "new_log_template")
    assert "payment gateway timeout" in template.evidence["template"]
    brute = next(f for f in findings if f.kind == "brute_force")
    assert brute.evidence["source_ip"] == scenario.ATTACKER and brute.evidence["attempts"] == 40


def test_quiet_baseline_gives_no_findings(backend: SearchBackend, tmp_path: Path) -> None:
    _ingest(backend, tmp_path, incident=False)
    assert _findings(backend) == []


def test_reingest_does_not_duplicate(backend: SearchBackend, tmp_path: Path) -> None:
    path = scenario.access_log(tmp_path / "web.log", incident=False)
    first = ingest_file(path, backend, service="web")
    ingest_file(path, backend, service="web")
    assert LogStore(backend).count("web", scenario.START, scenario.END) == first.indexed
