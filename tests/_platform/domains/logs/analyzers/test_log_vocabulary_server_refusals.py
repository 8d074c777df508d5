"""A server's own refusal (a full Redis, a blocked index) is the dependency's fault, told apart from the caller's
memory, and says which protocol's server sent it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from log_lines import START
from log_lines import records as _records

from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
from functions._platform.domains.logs.analyzers.vocabulary import classify, peer_of, refusing_protocol
from functions._platform.domains.logs.analyzers.windows import windows_before

REFUSALS = [
    ("failed to create session: ReplyError: OOM command not allowed when used memory > 'maxmemory'.", "redis"),
    (("cache write failed: redis.exceptions.OutOfMemoryError: OOM command not allowed when used memory > "
      "'maxmemory'."), "redis"),
    ("MISCONF Redis is configured to save RDB snapshots, but it's currently unable to persist to disk.", "redis"),
    ("READONLY You can't write against a read only replica.", "redis"),
    (('index failed: {"type":"cluster_block_exception","reason":"index [products] blocked by: [TOO_MANY_REQUESTS/12/'
      'disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];"}'), "elasticsearch"),
    (("org.apache.kafka.common.errors.NotEnoughReplicasException: Messages are rejected since there are fewer in-sync "
      "replicas than required."), "kafka"),
]


@pytest.mark.parametrize(("line", "protocol"), REFUSALS)
def test_a_server_refusal_is_the_dependencys_and_names_its_protocol(line: str, protocol: str) -> None:
    assert classify(line).category == "dependency_refused"
    assert refusing_protocol(line) == protocol


@pytest.mark.parametrize(("line", "protocol", "category"), [
    ("kafka.zookeeper.ZooKeeperClientTimeoutException: Timed out waiting for connection while in state: CONNECTING",
     "zookeeper", "timeout"),
    ("io.lettuce.core.RedisCommandTimeoutException: Command timed out after 1 minute(s)", "redis", "timeout"),
    (("pymongo.errors.ServerSelectionTimeoutError: No replica set members match selector, Timeout: 30s"), "mongodb",
     "timeout"),
])
def test_a_client_librarys_failure_names_the_protocol_of_the_server_it_could_not_reach(
        line: str, protocol: str, category: str) -> None:
    assert classify(line).category == category and refusing_protocol(line) == protocol


@pytest.mark.parametrize("line", ["java.lang.OutOfMemoryError: Java heap space",
                                  "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"])
def test_the_callers_own_memory_stays_out_of_memory(line: str) -> None:
    assert classify(line).category == "out_of_memory" and refusing_protocol(line) is None


def test_the_finding_carries_the_protocol_of_the_refusing_server() -> None:
    context = windows_before(START, START + timedelta(minutes=10))
    quiet = _records("session-api", ["session created"] * 20, START - timedelta(minutes=30), 60)
    refusal = "failed to create session: OOM command not allowed when used memory > 'maxmemory'."
    failing = _records("session-api", [refusal] * 12, START)
    finding, = ErrorClassAnalyzer().analyze(quiet + failing, context)
    assert (finding.evidence["category"], finding.evidence["protocol"]) == ("dependency_refused", "redis")
    assert "target" not in finding.evidence


CONNECTION_LIMITS = [
    ("2026-03-14 10:05:00.000 UTC [25640] FATAL:  sorry, too many clients already", "postgres"),
    ("FATAL:  remaining connection slots are reserved for roles with the SUPERUSER attribute", "postgres"),
    (("HikariPool-1 - Pool is empty, failed to create/setup connection (org.postgresql.util.PSQLException: FATAL: "
      "sorry, too many clients already)"), "postgres"),
    ("ERROR: no more connections allowed (max_client_conn)", "postgres"),  # PgBouncer
    ("pymysql.err.OperationalError: (1040, 'Too many connections')", "mysql"),
    ("ERR max number of clients reached", "redis"),
    ("connection refused because too many open connections: 819", "mongodb"),
]


@pytest.mark.parametrize(("line", "protocol"), CONNECTION_LIMITS)
def test_a_server_at_its_connection_limit_is_told_apart_from_an_unreachable_one(line: str, protocol: str) -> None:
    assert classify(line).category == "connection_limit"
    assert refusing_protocol(line) == protocol


def test_a_caller_that_cannot_connect_stays_cannot_connect() -> None:
    line = "failed to connect to `host=orders-db user=app`: dial error (dial tcp 10.0.0.9:5432: connect: timeout)"
    assert classify(line).category != "connection_limit" and refusing_protocol(line) is None


ERROR_RESPONSES = [
    (("WARN o.s.c.c.c.ConfigServerConfigDataLoader : Could not locate PropertySource ([ConfigServerConfigDataResource"
     "@5e0e82ae uris = array<String>['http://config-server.platform.svc.cluster.local:8888']]): 404 Not Found"),
     "config-server.platform.svc.cluster.local:8888"),
    ('Caused by: org.springframework.web.client.HttpClientErrorException$NotFound: 404 : "{"status":404}"', None),
    ("URL: PUT http://vault.vault.svc:8200/v1/auth/kubernetes/login Code: 503. Errors:", "vault.vault.svc:8200"),
    ("AxiosError: Request failed with status code 502 calling http://pricing:8080/quote", "pricing:8080"),
    ("inventory client: unexpected status code 503 from http://inventory.shop:9000/stock", "inventory.shop:9000"),
]


@pytest.mark.parametrize(("line", "peer"), ERROR_RESPONSES)
def test_a_dependency_answering_with_an_error_status_is_named(line: str, peer: str | None) -> None:
    assert classify(line).category == "error_response"
    assert peer_of(line, "error_response") == peer


@pytest.mark.parametrize("line", ['10.1.0.7 - - [14/Mar/2026:10:10:49 +0000] "GET /loyalty-service/prod HTTP/1.1" 404 153',
                                  "GET /healthz 200 1.2ms"])
def test_a_servers_own_access_line_is_not_an_error_response(line: str) -> None:
    found = classify(line)
    assert found is None or found.category != "error_response"
