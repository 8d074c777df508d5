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
    ("chan_iax2.c: Host 203.0.113.9 failed MD5 authentication for 'pbx' (e7df != 53ac)", "203.0.113.9"),
    (("pjsip_distributor.c: Request from '\"1000\" <sip:1000@10.0.0.1>' failed for '203.0.113.9:48336' "
     "(callid: 2766) - No matching endpoint found"), "203.0.113.9"),
    (('res_security_log.c: SecurityEvent="InvalidPassword",Service="SIP",AccountID="972",'
     'LocalAddress="IPV4/UDP/192.0.2.10/5060",RemoteAddress="IPV4/UDP/203.0.113.9/5084"'), "203.0.113.9"),
    (('SecurityEvent="ChallengeResponseFailed",LocalAddress="IPV4/TLS/192.0.2.10/5062",'
     'RemoteAddress="IPV4/TLS/203.0.113.9/30245"'), "203.0.113.9"),
    ("SOGoRootPage Login from '203.0.113.9' for user 'kiddy' might not have worked - password policy: 65535",
     "203.0.113.9"),
    # behind a local proxy the loopback address is the proxy; a user name may even carry a fake one
    ("IMAP Error: Login failed for admin from 127.0.0.1 from 203.0.113.9. AUTHENTICATE PLAIN: NO", "203.0.113.9"),
    ("IMAP Error: Login failed for admin from 203.0.113.9. AUTHENTICATE PLAIN: A0002 NO Login failed.",
     "203.0.113.9"),
])
def test_failed_logins_and_their_sources(message: str, source: str) -> None:
    assert _classified(message) == ("failure", source)


@pytest.mark.parametrize("message", [
    "imap-login: Disconnected: Connection closed: read(size=1026) failed: Connection reset by peer",  # a program name
    "backup job failed at 12:57:32 after 3 retries",
    "user cache refreshed: 1200 users loaded",
    # no credentials offered yet: the first half of an auth challenge, not a try
    "HttpRequest: access denied -- client 203.0.113.9: missing or invalid Authorization header",
    "HttpRequest: access denied -- client 203.0.113.9: empty username",
    "HttpRequest: access denied -- client 203.0.113.9: unknown user ''",
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


def test_a_loopback_peer_is_taken_only_when_it_is_the_only_one() -> None:
    assert _classified("FAILED login for alice from 127.0.0.1") == ("failure", "127.0.0.1")


def test_an_app_line_and_the_access_line_of_one_request_are_one_try() -> None:
    """An app that logs "login failed" and serves a 403 for the same request has seen one try, not two."""
    later = AT.replace(second=30)
    lines = [LogRecord(timestamp=at, service="sogo", message=f"Login from '203.0.113.9' for user 'u{i}' might not "
                       "have worked", raw="") for i, at in enumerate((AT, later))]
    lines += [LogRecord(timestamp=at.replace(microsecond=500), service="sogo", message="POST /SOGo/connect 403",
                        raw="", status=403, method="POST", path="/SOGo/connect", source_ip="203.0.113.9")
              for at in (AT, later)]
    assert failure_count(attempts(lines)) == 2


def test_a_basic_auth_challenge_is_not_a_try() -> None:
    """A GET answered 401 with no user name: the client sent no credentials yet. With one, or a POST, it tried."""
    def status(method: str, user: str | None) -> tuple[str, str | None] | None:
        attempt = classify(LogRecord(timestamp=AT, service="web", message=f"{method} /admin 401", raw="", status=401,
                                     method=method, path="/admin", source_ip="203.0.113.9", user=user))
        return (attempt.outcome, attempt.source_ip) if attempt else None

    assert status("GET", None) is None
    assert status("GET", "alice") == ("failure", "203.0.113.9")
    assert status("POST", None) == ("failure", "203.0.113.9")
