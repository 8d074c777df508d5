"""tls_cert_expiry: a served certificate is expired or close to expiry.

The "baseline" of a certificate is its validity period; the window is the moment of the check (the
context gives only the query that probed it).
"""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.auth.source.tls_probe import CertificateProbe
from sreo_events.models import Finding, TimeWindow

WARNING_DAYS = 30
CRITICAL_DAYS = 7


TLS_CERT_EXPIRY = FindingKind(
    name="tls_cert_expiry", domain="auth",
    actions=(
        action("renew-cert", "Renew the certificate for {subject} and reload whatever serves it", None, "low"),
    ),
    mitigation=(("Renew and deploy the certificate (check cert-manager or the ACME client), then confirm the "
                 "served chain."),
                "Clients refuse the connection once the certificate expires."),
    runbook_alerts=("CertificateExpiringSoon",),
)


class TlsCertExpiry:
    kind = "tls_cert_expiry"
    kinds = (TLS_CERT_EXPIRY,)
    scopes = frozenset({"certificates"})

    def analyze(self, data: Sequence[CertificateProbe], context: AnalysisContext) -> list[Finding]:
        findings = []
        for cert in data:
            if not cert.ok or cert.not_after is None or cert.not_before is None:
                continue
            days_left = (cert.not_after - cert.checked_at).total_seconds() / 86400
            if days_left > WARNING_DAYS:
                continue
            expired = days_left <= 0
            state = "expired" if expired else f"expires in {days_left:.1f} days"
            findings.append(Finding(
                kind=self.kind,
                subject=cert.endpoint,
                severity="critical" if days_left <= CRITICAL_DAYS else "warning",
                score=round(1.0 if expired else min(1.0, 0.5 + (WARNING_DAYS - days_left) / (2 * WARNING_DAYS)), 3),
                summary=f"certificate served by {cert.endpoint} {state} ({cert.not_after.isoformat()})",
                window=TimeWindow(start=cert.checked_at, end=cert.checked_at),
                baseline=TimeWindow(start=cert.not_before, end=cert.not_after),
                onset=cert.not_after if expired else None,
                evidence={"days_left": round(days_left, 2), "subject": cert.subject, "issuer": cert.issuer,
                          "not_after": cert.not_after.isoformat(), "trusted": cert.trusted,
                          "verify_error": cert.verify_error},
                query=context.query,
            ))
        return findings


def healthy(data: Sequence[CertificateProbe]) -> list[str]:
    return [
        f"tls {c.endpoint}: valid until {c.not_after.date().isoformat()}"
        for c in data
        if c.ok and c.not_after and (c.not_after - c.checked_at).total_seconds() / 86400 > WARNING_DAYS
    ]
