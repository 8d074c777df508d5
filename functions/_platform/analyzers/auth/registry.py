"""The auth analyzers over log records (certificate expiry runs on TLS probes, see tls_cert_expiry)."""

from __future__ import annotations

from functions._platform.analyzers.auth.auth_failure_spike import AuthFailureSpike
from functions._platform.analyzers.auth.brute_force import BruteForce
from functions._platform.analyzers.auth.credential_stuffing import CredentialStuffing
from functions._platform.analyzers.auth.success_after_failures import SuccessAfterFailures
from functions._platform.analyzers.auth.token_errors import TokenErrors
from functions._platform.analyzers.logs.base import LogAnalyzer

ANALYZERS: tuple[LogAnalyzer, ...] = (
    AuthFailureSpike(),
    BruteForce(),
    CredentialStuffing(),
    SuccessAfterFailures(),
    TokenErrors(),
)


def analyzers() -> tuple[LogAnalyzer, ...]:
    return ANALYZERS
