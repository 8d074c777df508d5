"""The error vocabulary reads failures the way programs phrase them, names the peer, and reads durations."""

from __future__ import annotations

import pytest

from functions._platform.domains.logs.analyzers.vocabulary import (
    classify,
    classify_lines,
    duration_seconds,
    peer_of,
)

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
    ("Cookie file /var/lib/rabbitmq/.erlang.cookie must be accessible by owner only", "permission_denied", None),
    ('FATAL:  private key file "/certs/tls.key" has group or world access', "permission_denied", None),
    ("Permissions 0644 for '/home/git/.ssh/id_ed25519' are too open.", "permission_denied", None),
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
