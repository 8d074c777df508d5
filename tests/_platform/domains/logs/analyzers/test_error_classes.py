from __future__ import annotations

from datetime import timedelta

from log_lines import START
from log_lines import records as _records

from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
from functions._platform.domains.logs.analyzers.windows import windows_before


def test_the_logs_agent_names_the_dependency_a_service_cannot_reach():
    context = windows_before(START, START + timedelta(minutes=10))
    quiet = _records("checkout", ["order placed"] * 20, START - timedelta(minutes=30), 60)
    failing = _records("checkout", ["payment failed: no available connection (tried: prod-db:3333)"] * 12, START)
    findings = ErrorClassAnalyzer().analyze(quiet + failing, context)
    assert [(f.subject, f.evidence["category"]) for f in findings] == [("checkout", "cannot_connect")]
    assert findings[0].evidence["target"] == {"prod-db:3333": 12} and findings[0].severity == "critical"


def test_an_error_the_baseline_already_had_is_chronic():
    context = windows_before(START, START + timedelta(minutes=10))
    before = _records("checkout", ["x509: certificate signed by unknown authority"] * 40,
                      START - timedelta(minutes=60), 60)
    now = _records("checkout", ["x509: certificate signed by unknown authority"] * 5, START, 60)
    finding, = ErrorClassAnalyzer().analyze(before + now, context)
    assert finding.severity == "info" and finding.score < 0.5
    assert finding.onset == START - timedelta(minutes=60), "dated by its first line in the baseline: it began before"


def test_a_class_that_rose_in_the_window_is_dated_there():
    context = windows_before(START, START + timedelta(minutes=10))
    before = _records("checkout", ["x509: certificate signed by unknown authority"] * 2,
                      START - timedelta(minutes=60), 60)
    now = _records("checkout", ["x509: certificate signed by unknown authority"] * 12, START + timedelta(minutes=2))
    finding, = ErrorClassAnalyzer().analyze(before + now, context)
    assert finding.onset == START + timedelta(minutes=2) and finding.severity != "info"
