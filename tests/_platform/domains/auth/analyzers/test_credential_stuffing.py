from __future__ import annotations

from datetime import timedelta

from auth_traffic import CONTEXT, START, http, quiet_traffic

from functions._platform.domains.auth.analyzers.credential_stuffing import CredentialStuffing


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
