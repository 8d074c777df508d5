"""The TLS client: one real handshake per endpoint, reading the served certificate's validity."""

from __future__ import annotations

import socket
import ssl
from datetime import UTC, datetime

from pydantic import BaseModel


class CertificateProbe(BaseModel):
    endpoint: str
    ok: bool
    error: str | None = None
    subject: str | None = None
    issuer: str | None = None
    not_before: datetime | None = None
    not_after: datetime | None = None
    trusted: bool | None = None
    verify_error: str | None = None
    checked_at: datetime


def parse_endpoints(value: str | None) -> list[tuple[str, int]]:
    endpoints = []
    for item in (value or "").split(","):
        item = item.strip()
        if not item:
            continue
        host, _, port = item.rpartition(":") if ":" in item else (item, "", "443")
        endpoints.append((host.strip("[]"), int(port or 443)))
    return endpoints


def _served_certificate(host: str, port: int, timeout: float) -> bytes:
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE  # read the certificate even when it is expired or self-signed
    with socket.create_connection((host, port), timeout=timeout) as raw, \
            context.wrap_socket(raw, server_hostname=host) as tls:
        return tls.getpeercert(binary_form=True) or b""


def _verification_error(host: str, port: int, timeout: float) -> str | None:
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                ssl.create_default_context().wrap_socket(raw, server_hostname=host):
            return None
    except ssl.SSLCertVerificationError as exc:
        return exc.verify_message or str(exc)
    except (OSError, ssl.SSLError) as exc:
        return str(exc)


def probe(host: str, port: int, timeout: float = 5.0) -> CertificateProbe:
    from cryptography import x509

    endpoint = f"{host}:{port}"
    now = datetime.now(UTC)
    try:
        der = _served_certificate(host, port, timeout)
    except (OSError, ssl.SSLError) as exc:
        return CertificateProbe(endpoint=endpoint, ok=False, error=f"{type(exc).__name__}: {exc}", checked_at=now)
    cert = x509.load_der_x509_certificate(der)
    verify_error = _verification_error(host, port, timeout)
    return CertificateProbe(
        endpoint=endpoint,
        ok=True,
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        trusted=verify_error is None,
        verify_error=verify_error,
        checked_at=now,
    )
