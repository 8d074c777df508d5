"""The analyzer on probe results built here; real handshakes are in tests/agents/auth/test_tls_handshakes.py."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from functions._platform.domains.auth.analyzers.tls_cert_expiry import (
    CRITICAL_DAYS,
    WARNING_DAYS,
    TlsCertExpiry,
)
from functions._platform.domains.auth.source.tls_probe import CertificateProbe
from functions._platform.domains.logs.analyzers.windows import windows_before

CHECKED = datetime(2026, 1, 1, tzinfo=UTC)
CONTEXT = windows_before(CHECKED - timedelta(minutes=1), CHECKED)


def served(endpoint: str, days_left: float, ok: bool = True) -> CertificateProbe:
    not_after = CHECKED + timedelta(days=days_left)
    return CertificateProbe(endpoint=endpoint, ok=ok, subject="CN=shop", issuer="CN=ca",
                            not_before=not_after - timedelta(days=90), not_after=not_after, trusted=True,
                            checked_at=CHECKED, error=None if ok else "timed out")


def test_certificates_near_or_past_expiry_are_found_by_endpoint() -> None:
    probes = [served("shop:443", CRITICAL_DAYS - 4), served("api:443", WARNING_DAYS - 10),
              served("old:443", -2), served("fine:443", WARNING_DAYS + 60)]
    found = {f.subject: f for f in TlsCertExpiry().analyze(probes, CONTEXT)}
    assert set(found) == {"shop:443", "api:443", "old:443"}
    assert all(f.kind == "tls_cert_expiry" for f in found.values())
    assert found["shop:443"].severity == "critical" and found["old:443"].severity == "critical"
    assert found["api:443"].severity == "warning"
    assert found["old:443"].evidence["days_left"] < 0 and "expired" in found["old:443"].summary
    assert found["old:443"].onset == CHECKED - timedelta(days=2)  # an expired certificate broke when it expired
    assert found["shop:443"].score > found["api:443"].score


def test_valid_certificates_and_failed_probes_give_nothing() -> None:
    probes = [served("fine:443", WARNING_DAYS + 1), served("down:443", 1, ok=False),
              CertificateProbe(endpoint="blank:443", ok=True, checked_at=CHECKED)]
    assert TlsCertExpiry().analyze(probes, CONTEXT) == []
