"""The auth analyzers over log records (certificate expiry runs on TLS probes, see tls_cert_expiry)."""

from __future__ import annotations

from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
from functions._platform.domains.auth.analyzers.brute_force import BruteForce
from functions._platform.domains.auth.analyzers.credential_stuffing import CredentialStuffing
from functions._platform.domains.auth.analyzers.success_after_failures import SuccessAfterFailures
from functions._platform.domains.auth.analyzers.token_errors import TokenErrors
from functions._platform.domains.logs.analyzers.base import LogAnalyzer

ANALYZERS: tuple[LogAnalyzer, ...] = (
    AuthFailureSpike(),
    BruteForce(),
    CredentialStuffing(),
    SuccessAfterFailures(),
    TokenErrors(),
)


def analyzers() -> tuple[LogAnalyzer, ...]:
    return ANALYZERS
