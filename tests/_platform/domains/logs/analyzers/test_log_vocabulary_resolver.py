"""A resolver that does not answer is told apart from a name that does not exist, and names the DNS server."""

from __future__ import annotations

import pytest

from functions._platform.domains.logs.analyzers.vocabulary import (
    classify,
    classify_lines,
    peer_of,
    resolver_of,
)

RESOLVER_FAILURES = [
    # Go's resolver: the server timed out, failed, or refused
    (('Post "http://payments.shop.svc.cluster.local:8080/v1/charges": dial tcp: lookup payments.shop.svc.cluster.local'
      " on 172.20.0.10:53: read udp 10.0.2.31:36766->172.20.0.10:53: i/o timeout"), "172.20.0.10:53"),
    ("dial tcp: lookup orders-db on 10.96.0.10:53: i/o timeout", "10.96.0.10:53"),
    ("dial tcp: lookup orders-db on 10.96.0.10:53: server misbehaving", "10.96.0.10:53"),
    ("lookup cart on 10.96.0.10:53: dial udp 10.96.0.10:53: connect: connection refused", "10.96.0.10:53"),
    ("lookup cart on [fd00:10:96::a]:53: read udp [fd00::5]:4000->[fd00:10:96::a]:53: i/o timeout", "fd00:10:96::a:53"),
    # Go naming no server (the cgo resolver, a dial's lookup): the lookup timed out, not the host it looked up
    ('Put "https://api.partner.example.com/v2/shipments": dial tcp: lookup api.partner.example.com: i/o timeout', None),
    # Node, glibc, Java, Python: the server is not named
    ("Error: getaddrinfo EAI_AGAIN cart-redis.shop.svc.cluster.local", None),
    ("java.net.UnknownHostException: catalog-db.shop.svc.cluster.local: Temporary failure in name resolution", None),
    ("socket.gaierror: [Errno -3] Temporary failure in name resolution", None),
    ('could not translate host name "orders-db" to address: Temporary failure in name resolution', None),
    (";; connection timed out; no servers could be reached", None),
    ("Host orders-db.shop.svc not found: 2(SERVFAIL)", None),
    ("curl: (28) Resolving timed out after 5000 milliseconds", None),
]

MISSING_NAMES = [  # NXDOMAIN: the server answered that the name does not exist
    ("dial tcp: lookup orders-dbb on 10.96.0.10:53: no such host", "orders-dbb"),
    ("Error: getaddrinfo ENOTFOUND cart-redsi", "cart-redsi"),
    ("java.net.UnknownHostException: catalog-dbx", "catalog-dbx"),
    ('could not translate host name "orders-db" to address: Name or service not known', "orders-db"),
    ("socket.gaierror: [Errno -2] Name or service not known", None),
]


@pytest.mark.parametrize(("line", "server"), RESOLVER_FAILURES)
def test_a_resolver_failure_names_the_dns_server_never_the_looked_up_host(line: str, server: str | None) -> None:
    error = classify(line)
    assert error is not None and error.category == "dns_resolver_failure", line
    assert peer_of(line, error.category) == server


@pytest.mark.parametrize(("line", "name"), MISSING_NAMES)
def test_a_missing_name_stays_a_dns_failure_naming_the_name(line: str, name: str | None) -> None:
    error = classify(line)
    assert error is not None and error.category == "dns_failure", line
    assert peer_of(line, error.category) == name


def test_a_lookup_timing_out_is_not_read_as_a_slow_peer() -> None:
    line = "dial tcp: lookup payments on 10.96.0.10:53: read udp 10.0.2.31:36766->10.96.0.10:53: i/o timeout"
    assert classify(line).category != "timeout"


def test_a_connection_timing_out_to_a_peer_on_port_53_is_still_a_timeout() -> None:
    assert classify("dial tcp 10.0.4.7:8080: i/o timeout").category == "timeout"
    assert resolver_of("dial tcp 10.0.4.7:8080: i/o timeout") is None


def test_lines_of_one_template_name_each_their_own_server() -> None:
    lines = [f"dial tcp: lookup svc-{n} on 10.96.0.{n}:53: read udp 10.0.0.1:{4000 + n}->10.96.0.{n}:53: i/o timeout"
             for n in range(1, 5)]
    classified = classify_lines(lines)
    assert {c.error.category for c in classified} == {"dns_resolver_failure"}
    assert [c.peer for c in classified] == [f"10.96.0.{n}:53" for n in range(1, 5)]
