"""The error vocabulary reads failures the way programs phrase them, names the peer, and reads durations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
from functions._platform.domains.logs.analyzers.log_latency import LogLatencyAnalyzer
from functions._platform.domains.logs.analyzers.vocabulary import (
    classify,
    classify_lines,
    duration_seconds,
    peer_of,
)
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord

LINES = [
    ("no available connection (tried: prod-db:3333)", "cannot_connect", "prod-db:3333"),
    ("ERROR 2003 (HY000): Can't connect to MySQL server on 'mysql.shop.svc' (111)", "connection_refused",
     "mysql.shop.svc"),
    ("SQLSTATE[HY000] [2002] Can't connect to MySQL server on 'catalog-db' (115)", "cannot_connect", "catalog-db"),
    ("curl: (6) Could not resolve host: payments.shop.svc.cluster.local", "dns_failure",
     "payments.shop.svc.cluster.local"),
    ('dial tcp: lookup orders-db on 10.96.0.10:53: no such host', "dns_failure", "orders-db"),
    ('psql: error: could not translate host name "orders-db" to address: Name or service not known', "dns_failure",
     "orders-db"),
    ("Error: getaddrinfo ENOTFOUND inventory", "dns_failure", "inventory"),
    ('/bin/sh: syntax error: unexpected "("', "config_error", None),
    ("Error: connect ECONNREFUSED 10.96.12.4:6379", "connection_refused", "10.96.12.4:6379"),
    ('connection to server at "orders-db" (10.1.2.3), port 5432 failed: Connection refused', "connection_refused",
     "orders-db:5432"),
    ("Failed to connect to payments port 8080: Connection refused", "connection_refused", "payments:8080"),
    ("reserve stock failed: dial tcp inventory:8080: connect: connection refused", "connection_refused",
     "inventory:8080"),
    ('Get "http://payments:8080/charge": context deadline exceeded', "timeout", "payments:8080"),
    ("x509: certificate signed by unknown authority", "tls_error", None),
    ('FATAL:  password authentication failed for user "app"', "auth_failure", None),
    ("java.lang.OutOfMemoryError: Java heap space", "out_of_memory", None),
    ("Error: required environment variable DATABASE_URL is not set", "missing_env_var", None),
    ("redis.exceptions.ConnectionError: Error 111 connecting to redis:6379. Connection refused.",
     "connection_refused", "redis:6379"),
    ("upstream connect error or disconnect/reset before headers. reset reason: connection failure",
     "cannot_connect", None),
    ("could not write to file \"pg_wal/xlogtemp.31\": No space left on device", "disk_full", None),
]


@pytest.mark.parametrize(("line", "category", "peer"), LINES, ids=[c for _, c, _ in LINES])
def test_a_line_is_classified_and_its_peer_named(line, category, peer):
    found = classify(line)
    assert found is not None and found.category == category
    if found.names_peer:
        assert peer_of(line, category) == peer


def test_ordinary_lines_are_not_errors():
    for line in ("GET /healthz 200 1.2ms", "retrying in 5s", "connected to orders-db:5432", "cache warmed"):
        assert classify(line) is None


@pytest.mark.parametrize(("line", "seconds"), [
    ("Database call completed in 8.01 seconds", 8.01), ("GET /api/cart took 8.01 s", 8.01),
    ("request completed in 812ms", 0.812), ('msg="query done" duration=1.25s', 1.25), ("elapsed: 350 ms", 0.35),
    ("retrying in 5s", None), ("listening on :8080", None),
])
def test_a_duration_written_in_text_is_read(line, seconds):
    found = duration_seconds(line)
    assert found == pytest.approx(seconds) if seconds is not None else found is None


def test_lines_of_one_mined_template_share_one_class():
    lines = [f"reserve {n} failed: dial tcp 10.0.0.{n}:8080: connect: connection refused" for n in range(5)]
    classified = classify_lines(lines + ["cache warmed in 3ms"])
    assert [c.error.category if c else None for c in classified] == ["connection_refused"] * 5 + [None]
    assert len({c.template for c in classified[:5]}) == 1
    assert classified[0].peer == "10.0.0.0:8080"


START = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _records(service: str, messages: list[str], start: datetime, step_s: float = 20) -> list[LogRecord]:
    return [LogRecord(timestamp=start + timedelta(seconds=step_s * i), service=service, message=m, level="error")
            for i, m in enumerate(messages)]


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


def test_durations_in_log_text_are_latency_samples():
    context = windows_before(START, START + timedelta(minutes=10))
    usual = _records("orders", [f"Database call completed in 0.0{n % 4 + 2} seconds" for n in range(30)],
                     START - timedelta(minutes=40), 60)
    slow = _records("orders", [f"Database call completed in 8.0{n} seconds" for n in range(6)], START)
    finding, = LogLatencyAnalyzer().analyze(usual + slow, context)
    assert finding.subject == "orders" and finding.evidence["robust_z"] > 10
    assert finding.evidence["median_s"] == pytest.approx(8.025, abs=0.01)
    assert not LogLatencyAnalyzer().analyze(usual, context)


def test_a_peer_that_logs_nothing_is_seen_through_its_callers_durations():
    context = windows_before(START, START + timedelta(minutes=10))
    records = []
    for caller in ("checkout", "cart"):
        records += _records(caller, [f"GET http://pricing:8080/v2/quote completed in {30 + n}ms" for n in range(30)],
                            START - timedelta(minutes=40), 60)
        records += _records(caller, [f"GET http://pricing:8080/v2/quote completed in 7.{n} s" for n in range(8)],
                            START)
    findings = {f.subject: f for f in LogLatencyAnalyzer().analyze(sorted(records, key=lambda r: r.timestamp),
                                                                     context)}
    assert set(findings) == {"checkout", "cart", "pricing"}
    assert findings["checkout"].evidence["target"] == {"pricing:8080": 8}
    assert findings["pricing"].evidence["seen_by"] == ["cart", "checkout"]
    assert findings["pricing"].evidence["robust_z"] > 10
