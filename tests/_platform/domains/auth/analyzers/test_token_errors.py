from __future__ import annotations

from datetime import timedelta

from auth_traffic import CONTEXT, START, app

from functions._platform.domains.auth.analyzers.token_errors import TokenErrors, token_reason


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
