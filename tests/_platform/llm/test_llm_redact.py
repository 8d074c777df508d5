"""Redaction: every kind of secret, token, email and address goes; ordinary operational text stays."""

from __future__ import annotations

import pytest
from llm_support import SECRETS, leaky_report

from functions._platform.llm import redact
from functions._platform.llm.prompts import narrative_prompt

CASES = [
    ("AWS key AKIAIOSFODNN7EXAMPLE used", "AKIAIOSFODNN7EXAMPLE", "aws_access_key"),
    ("temporary ASIAY34FZKBOKMUTVV7A seen", "ASIAY34FZKBOKMUTVV7A", "aws_access_key"),
    ("secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY here", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
     "aws_secret_key"),
    ("aws_secret_access_key = abcdEFGH1234", "abcdEFGH1234", "secret"),
    ("t=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig_nature-1 end", "eyJzdWIiOiJ4In0", "jwt"),
    ("Authorization: Bearer abc.def-123", "abc.def-123", "authorization"),
    ('{"authorization": "Basic dXNlcjpwYXNz", "next": 1}', "dXNlcjpwYXNz", "authorization"),
    ("Cookie: session=6f1e2d3c4b5a", "6f1e2d3c4b5a", "cookie"),
    ("rejected Bearer 9f8e7d6c5b4a3f2e1d0c", "9f8e7d6c5b4a3f2e1d0c", "token"),
    ("dsn postgresql://app:S3cr3t!@db:5432/orders", "S3cr3t!", "password"),
    ("amqp://guest:gu3st-pw@rabbit/vhost", "gu3st-pw", "password"),
    ("redis://:only-pass@cache:6379", "only-pass", "password"),
    ("host=db user=app password=hunter22 sslmode=require", "hunter22", "secret"),
    ("PGPASSWORD=pgpw-123 psql -h db", "pgpw-123", "secret"),
    ('{"db_password": "two words"}', "two words", "secret"),
    ("api_key: live_51Habc123", "live_51Habc123", "secret"),
    ("X-Api-Key: 0123abcd0123abcd", "0123abcd0123abcd", "secret"),
    ("OPENAI sk-proj-Ab12Cd34Ef56Gh78Ij90 key", "sk-proj-Ab12Cd34Ef56Gh78Ij90", "api_key"),
    ("old sk-1234567890abcdefghij key", "sk-1234567890abcdefghij", "api_key"),
    ("gh token ghp_0123456789abcdefghijABCDEFGHIJ0123", "ghp_0123456789abcdefghijABCDEFGHIJ0123", "api_key"),
    ("slack xoxb-1234-5678-abcdefghij", "xoxb-1234-5678-abcdefghij", "api_key"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n-----END OPENSSH PRIVATE KEY-----",
     "b3BlbnNzaC1rZXk", "private_key"),
    ("cut off -----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkq", "MIIEvQIBADANBgkq", "private_key"),
    ("mail ops@example.com now", "ops@example.com", "email"),
    ("to Jane.Doe+sre@corp.example.co.uk.", "Jane.Doe+sre@corp.example.co.uk", "email"),
    ("from 10.0.12.7 port 22", "10.0.12.7", "ipv4"),
    ("peer 192.168.1.254:8080", "192.168.1.254", "ipv4"),
    ("net 10.0.0.0/8 blocked", "10.0.0.0/8", "ipv4"),
    ("ip=172.16.0.1,", "172.16.0.1", "ipv4"),
    ("client 2001:db8:85a3::8a2e:370:7334 failed", "2001:db8:85a3::8a2e:370:7334", "ipv6"),
    ("dial [fe80::1%eth0]:5432", "fe80::1", "ipv6"),
    ("mapped ::ffff:10.1.2.3 seen", "10.1.2.3", "ipv6"),
    ("loopback ::1 only", "::1", "ipv6"),
]


@pytest.mark.parametrize(("text", "raw", "label"), CASES, ids=[c[2] + "-" + c[1][:12] for c in CASES])
def test_each_kind_is_replaced_by_its_placeholder(text: str, raw: str, label: str) -> None:
    out = redact(text)
    assert raw not in out
    assert f"[REDACTED:{label}]" in out


KEPT = [
    "at 10:30:45 UTC on 2024-05-01T10:30:45+00:00",
    "commit 3f5ffb9a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f deployed",
    "mac aa:bb:cc:dd:ee:ff on eth0",
    "pod checkout-7d9f8b-x2x9z restarted 14 times (CrashLoopBackOff)",
    "std::vector and Module::method",
    "token expired for 3 users; auth: timeout after 5s",
    "p99 latency 1.25s over 0.3s SLO; error rate 4.1%",
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE state = 'idle in transaction';",
    "kubectl rollout undo deployment/checkout -n shop",
    "Authorization failed for role orders_app",
    "https://grafana.example.org:3000/d/abc?orgId=1",
]


@pytest.mark.parametrize("text", KEPT)
def test_ordinary_operational_text_is_kept(text: str) -> None:
    assert redact(text) == text


def test_the_context_around_a_secret_survives() -> None:
    out = redact("connect postgresql://orders_app:pw-123@db.internal:5432/orders failed")
    assert out == "connect postgresql://orders_app:[REDACTED:password]@db.internal:5432/orders failed"
    assert redact("Authorization: Bearer abcdefgh123\nnext line") == \
        "Authorization: [REDACTED:authorization]\nnext line"


def test_redaction_is_idempotent() -> None:
    once = redact("\n".join(c[0] for c in CASES) + "\n" + narrative_prompt(leaky_report()))
    assert redact(once) == once


def test_the_report_corpus_leaves_no_raw_value_in_the_prompt() -> None:
    prompt = redact(narrative_prompt(leaky_report()))
    assert [name for name, raw in SECRETS.items() if raw in prompt] == []
    # the prompt still says what happened
    assert "postgres/orders" in prompt and "db_connection_saturation" in prompt


@pytest.mark.parametrize("unit", ["1.", "a-", "a:", "a@", "a://", "a= ", "x" * 7 + "_"])
def test_long_unbroken_runs_pass_through(unit: str) -> None:
    # each rule's cost per position is bounded, so 60 kB of near-misses is as quick as any text
    text = unit * (60_000 // len(unit))
    assert "[REDACTED:" not in redact(text)
