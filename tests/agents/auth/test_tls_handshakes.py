"""Real TLS handshakes against local servers with certificates made in the test."""

from __future__ import annotations

import socket
import ssl
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from functions._platform.config import Settings
from functions._platform.domains.auth.analyzers.tls_cert_expiry import TlsCertExpiry, healthy
from functions._platform.domains.auth.source.tls_probe import parse_endpoints, probe
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions.agents.investigate import collect_evidence
from sreo_events.models import InvestigationRequested, TimeWindow

PROBED = windows_before(datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 1, 0, 1, tzinfo=UTC))

def make_cert(directory: Path, name: str, valid_for: timedelta, started: timedelta) -> tuple[Path, Path]:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - started)
            .not_valid_after(now - started + valid_for)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = directory / f"{name}.pem", directory / f"{name}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class TlsServer:
    def __init__(self, cert: Path, key: Path):
        self.context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.context.load_cert_chain(cert, key)
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stopped = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            try:
                with self.context.wrap_socket(conn, server_side=True) as tls:
                    tls.recv(1)
            except (OSError, ssl.SSLError):
                pass

    def close(self) -> None:
        self.stopped = True
        self.sock.close()


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[dict[str, TlsServer]]:
    pytest.importorskip("cryptography")
    made = {
        "soon": TlsServer(*make_cert(tmp_path, "soon", timedelta(days=90), timedelta(days=87))),
        "fine": TlsServer(*make_cert(tmp_path, "fine", timedelta(days=365), timedelta(days=1))),
        "expired": TlsServer(*make_cert(tmp_path, "expired", timedelta(days=30), timedelta(days=40))),
    }
    yield made
    for server in made.values():
        server.close()


def test_parse_endpoints() -> None:
    assert parse_endpoints("a.example:8443, b.example ,[::1]:443") == [
        ("a.example", 8443), ("b.example", 443), ("::1", 443)]


def test_probe_reads_validity_and_flags_near_and_past_expiry(servers: dict[str, TlsServer]) -> None:
    probes = {name: probe("127.0.0.1", s.port) for name, s in servers.items()}
    assert all(p.ok for p in probes.values())
    assert probes["fine"].trusted is False and probes["fine"].verify_error  # self-signed
    findings = {f.subject: f for f in TlsCertExpiry().analyze(list(probes.values()), PROBED)}
    soon, expired = f"127.0.0.1:{servers['soon'].port}", f"127.0.0.1:{servers['expired'].port}"
    assert set(findings) == {soon, expired}
    assert findings[soon].severity == "critical" and 2 < findings[soon].evidence["days_left"] < 4
    assert findings[expired].evidence["days_left"] < 0 and "expired" in findings[expired].summary
    assert findings[soon].baseline and findings[soon].baseline.end > findings[soon].window.start
    assert healthy(list(probes.values())) and "valid until" in healthy(list(probes.values()))[0]


def test_unreachable_endpoint_is_reported_not_raised() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    result = probe("127.0.0.1", port, timeout=2)
    assert not result.ok and result.error


def test_auth_agent_checks_certificates(servers: dict[str, TlsServer], tmp_path: Path) -> None:
    endpoints = ",".join(f"127.0.0.1:{s.port}" for s in servers.values())
    now = datetime.now(UTC)
    request = InvestigationRequested(incident_id="i", domain="auth", window=TimeWindow(
        start=now - timedelta(hours=1), end=now), deadline=now + timedelta(minutes=1))
    evidence = collect_evidence(request, Settings(home=tmp_path / "h", tls_endpoints=endpoints))
    assert evidence.status == "success", evidence.error
    assert sorted(f.kind for f in evidence.findings) == ["tls_cert_expiry", "tls_cert_expiry"]
    assert any("valid until" in c for c in evidence.checked)
