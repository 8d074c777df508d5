"""Failed logins as many programs phrase them, and the remote address each line names, however it writes it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from functions._platform.domains.auth.analyzers.addresses import remote_address
from functions._platform.domains.auth.analyzers.attempts import attempts, classify, failure_count
from functions._platform.domains.logs.source.record import LogRecord

AT = datetime(2026, 3, 14, 10, 0, tzinfo=UTC)


def _classified(message: str) -> tuple[str, str | None] | None:
    attempt = classify(LogRecord(timestamp=AT, service="svc", message=message, raw=message))
    return (attempt.outcome, attempt.source_ip) if attempt else None


@pytest.mark.parametrize(("message", "source"), [
    ("[client 198.51.100.7:40122] AH01618: user admin not found: /private", "198.51.100.7"),  # Apache basic auth
    ("[client 198.51.100.7] Digest: user root: password mismatch: /digest/", "198.51.100.7"),
    ("[client [2001:db8::7]:40122] AH01630: client denied by server configuration: /admin", "2001:db8::7"),
    ("chan_sip.c: Registration from '<sip:200@pbx.example.org>' failed for '203.0.113.9:5060' - Wrong password",
     "203.0.113.9"),  # the SIP URI's host is the domain claimed, not the peer
    ("manager.c: 203.0.113.9 failed to authenticate as 'admin'", "203.0.113.9"),
    ("auth: passwd-file(bob,203.0.113.9): unknown user", "203.0.113.9"),
    (("imap-login: Aborted login (auth failed, 3 attempts): user=<bob>, method=PLAIN, rip=203.0.113.9, "
     "lip=192.0.2.10, TLS"), "203.0.113.9"),  # the server's own address (lip) is not the peer
    ("authentication failed: no such user: carol - 203.0.113.9", "203.0.113.9"),
    ("[Warning] Access denied for user 'root'@'203.0.113.9' (using password: YES)", "203.0.113.9"),
    ("IMAP Error: FAILED login for dave from 203.0.113.9", "203.0.113.9"),
    ("WARN o.a.g.AuthenticationService - Authentication attempt from 203.0.113.9 for user \"eve\" failed.",
     "203.0.113.9"),
    ("LOGIN FAILED, user=frank, ip=[::ffff:203.0.113.9], port=[4321]", "203.0.113.9"),  # IPv4-mapped
    ("F2B: failure from 203.0.113.9", "203.0.113.9"),
])
def test_failed_logins_and_their_sources(message: str, source: str) -> None:
    assert _classified(message) == ("failure", source)


@pytest.mark.parametrize("message", [
    "imap-login: Disconnected: Connection closed: read(size=1026) failed: Connection reset by peer",  # a program name
    "backup job failed at 12:57:32 after 3 retries",
    "user cache refreshed: 1200 users loaded",
])
def test_lines_that_are_not_failed_logins(message: str) -> None:
    assert _classified(message) is None


def test_a_clock_or_a_version_is_never_an_address() -> None:
    assert remote_address("retry at 12:57:32, client v2.4.1 gave up") is None
    assert remote_address("two peers 192.0.2.1 and 192.0.2.2 disagree") is None  # ambiguous: no guess
    assert remote_address("relay=::ffff:192.0.2.3,port=43632") == "192.0.2.3"


def test_generic_phrasings_of_one_ssh_try_do_not_count_it_twice() -> None:
    """sshd and pam log one try four ways; the two generic ones ("invalid user", "user unknown") add nothing."""
    lines = ["Invalid user support from 203.0.113.9", "input_userauth_request: invalid user support [preauth]",
             "pam_unix(sshd:auth): check pass; user unknown",
             "Failed password for invalid user support from 203.0.113.9 port 33310 ssh2"]
    records = [LogRecord(timestamp=AT, service="sshd", message=line, raw=line, pid=4242, host="bastion")
               for line in lines]
    assert failure_count(attempts(records)) == 1
