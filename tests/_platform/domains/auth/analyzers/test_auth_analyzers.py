from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.analyzers.registry import analyzers
from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.auth.analyzers.credential_stuffing import CredentialStuffing
from functions._platform.domains.auth.analyzers.success_after_failures import SuccessAfterFailures
from functions._platform.domains.auth.analyzers.token_errors import TokenErrors, token_reason
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord

END = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
START = END - timedelta(hours=1)
CONTEXT = windows_before(START, END)


def http(at: datetime, status: int, ip: str, path: str = "/login", user: str | None = None,
         method: str = "POST") -> LogRecord:
    return LogRecord(timestamp=at, service="shop", message=f"{method} {path} {status}", status=status,
                     source_ip=ip, path=path, method=method, user=user)


def app(at: datetime, message: str, service: str = "gateway") -> LogRecord:
    return LogRecord(timestamp=at, service=service, message=message, level="warning")


def quiet_traffic() -> list[LogRecord]:
    """Seven hours of normal logins: mostly successes and the odd typo."""
    records = []
    at = CONTEXT.baseline.start
    i = 0
    while at < END:
        ip = f"192.0.2.{i % 50}"
        records.append(http(at, 401 if i % 40 == 0 else 302, ip, user=f"user{i % 50}"))
        records.append(http(at, 200, ip, path="/products", method="GET"))
        at += timedelta(seconds=60)
        i += 1
    return records


def test_quiet_traffic_gives_nothing() -> None:
    records = quiet_traffic()
    assert [f for a in analyzers("auth", "records") for f in a.analyze(records, CONTEXT)] == []


def test_http_401_burst_from_one_source_is_brute_force_and_spike() -> None:
    records = quiet_traffic()
    records += [http(START + timedelta(minutes=10, seconds=3 * i), 401, "203.0.113.50", user="alice")
                for i in range(60)]
    records.sort(key=lambda r: r.timestamp)
    brute = BruteForce().analyze(records, CONTEXT)
    assert [(f.subject, f.evidence["source_ip"], f.evidence["attempts"]) for f in brute] == [
        ("shop", "203.0.113.50", 60)]
    spike = AuthFailureSpike().analyze(records, CONTEXT)
    assert len(spike) == 1 and spike[0].evidence["path"] == "/login" and spike[0].evidence["failures"] >= 60


def test_many_users_from_one_source_is_credential_stuffing() -> None:
    records = quiet_traffic()
    records += [http(START + timedelta(seconds=20 * i), 401, "198.51.100.7", user=f"victim{i}") for i in range(25)]
    records.sort(key=lambda r: r.timestamp)
    findings = CredentialStuffing().analyze(records, CONTEXT)
    assert [(f.evidence["pattern"], f.evidence["source_ip"]) for f in findings] == [
        ("many_users_one_source", "198.51.100.7")]


def test_one_user_from_many_sources_is_credential_stuffing() -> None:
    records = [http(START + timedelta(seconds=30 * i), 401, f"100.64.0.{i}", user="ceo") for i in range(12)]
    findings = CredentialStuffing().analyze(records, CONTEXT)
    assert [(f.evidence["pattern"], f.evidence["user"]) for f in findings] == [("one_user_many_sources", "ceo")]


def test_success_after_failures_from_the_same_source() -> None:
    records = [http(START + timedelta(seconds=10 * i), 401, "203.0.113.77", user="bob") for i in range(8)]
    records.append(http(START + timedelta(minutes=3), 302, "203.0.113.77", user="bob"))
    findings = SuccessAfterFailures().analyze(records, CONTEXT)
    assert len(findings) == 1 and findings[0].severity == "critical"
    assert findings[0].evidence["failures_before"] == 8
    # the same success with too few failures before it is ordinary
    assert SuccessAfterFailures().analyze(records[5:], CONTEXT) == []


def test_token_errors_by_reason() -> None:
    assert token_reason("JWT validation failed: token is expired") == "expired"
    assert token_reason("oidc: id_token signature verification failed (kid abc)") == "bad_signature"
    assert token_reason("jwt: token used before issued (nbf), clock skew?") == "clock_skew"
    assert token_reason("payment expired for order 7") is None
    records = [app(START + timedelta(minutes=i), "JWT validation failed: token is expired") for i in range(12)]
    findings = TokenErrors().analyze(records, CONTEXT)
    assert len(findings) == 1 and findings[0].evidence["reasons"] == {"expired": 12}
    skew = [app(START + timedelta(minutes=i), "jwt rejected: token not yet valid (nbf)") for i in range(2)]
    assert TokenErrors().analyze(skew, CONTEXT)[0].evidence["reasons"] == {"clock_skew": 2}


def test_expired_tokens_at_the_usual_rate_are_not_a_finding() -> None:
    records = [app(CONTEXT.baseline.start + timedelta(minutes=5 * i), "jwt: token is expired") for i in range(84)]
    assert TokenErrors().analyze(records, CONTEXT) == []
