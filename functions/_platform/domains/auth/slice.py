"""The auth domain: its analyzers and its triage hints. Its agent reads the `logs` MCP server."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, TriageHints

if TYPE_CHECKING:
    from functions._platform.analyzers.contract import Analyzer


def _analyzers() -> tuple[Analyzer[Any], ...]:  # scopes: "records" (log records) or "certificates" (TLS probes)
    from functions._platform.domains.auth.analyzers.auth_failure_spike import AuthFailureSpike
    from functions._platform.domains.auth.analyzers.brute_force import BruteForce
    from functions._platform.domains.auth.analyzers.credential_stuffing import CredentialStuffing
    from functions._platform.domains.auth.analyzers.success_after_failures import SuccessAfterFailures
    from functions._platform.domains.auth.analyzers.tls_cert_expiry import TlsCertExpiry
    from functions._platform.domains.auth.analyzers.token_errors import TokenErrors

    return (
        AuthFailureSpike(), BruteForce(), CredentialStuffing(), SuccessAfterFailures(), TokenErrors(), TlsCertExpiry(),
    )


AUTH = DomainSlice(
    name="auth",
    triage=TriageHints(
        keywords=re.compile(
            r"\b(auth\w*|login\w*|log ?in|sign ?in|password\w*|401|403|unauthori[sz]ed|forbidden|token\w*|jwt|oidc|"
            r"oauth\w*|sso|saml|cert\w*|tls|ssl|brute|credential\w*|session\w*|identity|keycloak|ldap)\b",
            re.IGNORECASE),
        labels=("issuer", "client_id", "realm"),
    ),
    analyzers=_analyzers,
)
