"""narrate() and route(): optional, bounded, never raising, never touching the ranked causes."""

from __future__ import annotations

import copy
import subprocess
import sys
import threading

import pytest
import structlog
from llm_support import chat_completion, leaky_report
from support.paths import REPO_ROOT

from functions._platform.llm import LLMSettings, get_llm, narrate, reset_llm, route
from functions._platform.llm.narrative import MAX_NARRATIVE
from functions._platform.llm.prompts import MAX_CAUSES, MAX_PROMPT, narrative_prompt

DOMAINS = ["kubernetes", "database", "auth", "logs", "metrics"]


class ScriptedLLM:
    """An in-process LLM that answers from a script and keeps what it was asked."""

    name = "scripted"

    def __init__(self, answer: str) -> None:
        self.answer = answer
        self.calls: list[tuple[str, str, int]] = []

    def complete(self, system: str, prompt: str, max_tokens: int) -> str:
        self.calls.append((system, prompt, max_tokens))
        return self.answer


def openai_settings(url: str, **overrides) -> LLMSettings:
    return LLMSettings(provider="openai", model="qwen2.5:7b", base_url=url + "/v1", **overrides)


def test_without_a_provider_nothing_is_called_and_the_answer_is_none(serve) -> None:
    server = serve(chat_completion("never"))
    assert narrate(leaky_report()) is None
    assert narrate(leaky_report(), LLMSettings()) is None
    assert route("orders db is slow", DOMAINS, LLMSettings()) is None
    assert server.received == []


def test_settings_come_from_the_sreo_llm_environment(serve, monkeypatch: pytest.MonkeyPatch) -> None:
    server = serve(chat_completion("From the environment."))
    monkeypatch.setenv("SREO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SREO_LLM_MODEL", "llama3.1")
    monkeypatch.setenv("SREO_LLM_BASE_URL", server.url + "/v1")
    monkeypatch.setenv("SREO_LLM_API_KEY", "env-key-123")
    monkeypatch.setenv("SREO_LLM_TIMEOUT_S", "7.5")
    settings = LLMSettings()
    assert (settings.provider, settings.model, settings.timeout_s) == ("openai", "llama3.1", 7.5)
    assert "env-key-123" not in repr(settings)
    assert narrate(leaky_report()) == "From the environment."
    assert server.received[0].json()["model"] == "llama3.1"


def test_a_misconfigured_provider_means_no_narrative_and_a_warning(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SREO_LLM_PROVIDER", "bedrock")  # no model
    with structlog.testing.capture_logs() as logs:
        assert narrate(leaky_report()) is None
    assert any(entry["event"] == "llm narrative failed" and "SREO_LLM_MODEL" in entry["error"]
               for entry in logs)


@pytest.mark.parametrize("status", [500, 503, 401, 404])
def test_a_failing_server_means_no_narrative_and_a_warning(serve, status: int) -> None:
    server = serve(lambda path, body: (status, {"error": {"message": "nope"}}))
    with structlog.testing.capture_logs() as logs:
        assert narrate(leaky_report(), openai_settings(server.url)) is None
        assert route("checkout 500s", DOMAINS, openai_settings(server.url)) is None
    assert [entry["log_level"] for entry in logs] == ["warning", "warning"]
    assert str(status) in logs[0]["error"]


def test_a_malformed_answer_means_no_narrative(serve) -> None:
    server = serve(lambda path, body: (200, {"choices": []}))
    assert narrate(leaky_report(), openai_settings(server.url)) is None


def test_a_server_that_does_not_answer_in_time_means_no_narrative(serve) -> None:
    server = serve(chat_completion("too late"))
    server.stall = threading.Event()
    assert narrate(leaky_report(), openai_settings(server.url, timeout_s=0.2)) is None
    assert len(server.received) == 1


def test_an_unreachable_server_means_no_narrative() -> None:
    assert narrate(leaky_report(), openai_settings("http://127.0.0.1:1")) is None  # nothing listens on port 1


def test_the_report_is_left_exactly_as_it_was() -> None:
    report = leaky_report()
    before = copy.deepcopy(report)
    llm = ScriptedLLM("The orders database is the likeliest cause; checkout is a symptom.")
    assert narrate(report, llm=llm) == llm.answer
    assert report == before
    assert [c["component"] for c in report["causes"]] == ["postgres/orders", "checkout"]


def test_the_prompt_lists_causes_in_rank_order_with_reasons_evidence_actions_and_gaps() -> None:
    llm = ScriptedLLM("ok")
    narrate(leaky_report(), llm=llm)
    [(system, prompt, max_tokens)] = llm.calls
    assert "order is final" in system
    assert max_tokens == LLMSettings().max_tokens
    first, second = prompt.index("1. postgres/orders"), prompt.index("2. checkout")
    assert first < second
    assert "db_connection_saturation (critical) on postgres/orders" in prompt
    assert "Rotate the key" in prompt and "Pool exhausted" in prompt
    assert "auth: failed" in prompt and "logs: no data" in prompt
    assert "CheckoutErrors" in prompt and "partial" in prompt
    assert "[REDACTED:email]" in prompt


def test_the_prompt_stays_bounded_for_a_huge_report() -> None:
    report = leaky_report()
    cause = report["causes"][0]
    cause["evidence"] = cause["evidence"] * 50
    cause["reason"] = "very long reason " * 500
    report["causes"] = [dict(cause, component=f"svc-{i}") for i in range(40)]
    prompt = narrative_prompt(report)
    assert len(prompt) <= MAX_PROMPT
    assert f"{MAX_CAUSES}. svc-{MAX_CAUSES - 1}" in prompt and f"{MAX_CAUSES + 1}. svc-" not in prompt
    assert "(+37 lower-ranked causes)" in prompt


def test_the_narrative_is_trimmed_and_an_empty_answer_is_none() -> None:
    narrative = narrate(leaky_report(), llm=ScriptedLLM("  word " * 2000))
    assert narrative is not None and len(narrative) <= MAX_NARRATIVE
    assert narrate(leaky_report(), llm=ScriptedLLM("   \n ")) is None


def test_a_report_with_no_causes_still_narrates() -> None:
    llm = ScriptedLLM("Nothing could be ranked yet.")
    report = {"title": "Slow checkout", "severity": "warning", "summary": "Investigation in progress.",
              "impact": "checkout is affected.", "causes": [], "domains": {}, "alerts": []}
    assert narrate(report, llm=llm) == "Nothing could be ranked yet."
    assert "none could be ranked" in llm.calls[0][1]


@pytest.mark.parametrize(("answer", "expected"), [
    ('["database", "auth"]', ["database", "auth"]),
    ('Sure! ["network", "DATABASE", "database", "dns"]', ["database"]),
    ("database and logs, I think", ["database", "logs"]),
    ("[]", []),
    ("none of them", []),
])
def test_route_returns_only_given_domains(answer: str, expected: list[str]) -> None:
    llm = ScriptedLLM(answer)
    assert route("orders db refuses connections", DOMAINS, llm=llm) == expected
    system = llm.calls[0][0]
    assert all(domain in system for domain in DOMAINS)


def test_route_over_http_redacts_and_filters(serve) -> None:
    server = serve(chat_completion('["metrics", "auth", "made-up"]'))
    text = "login storm from 203.0.113.9 against admin@example.com, p99 up"
    assert route(text, DOMAINS, openai_settings(server.url)) == ["metrics", "auth"]
    sent = server.received[0].body.decode()
    assert "203.0.113.9" not in sent and "admin@example.com" not in sent
    assert server.received[0].json()["max_tokens"] <= 100


def test_route_with_no_domains_asks_nothing() -> None:
    llm = ScriptedLLM('["database"]')
    assert route("anything", [], llm=llm) == []
    assert llm.calls == []


def test_a_directly_given_backend_is_still_redacted() -> None:
    llm = ScriptedLLM("ok")
    route("key AKIAIOSFODNN7EXAMPLE from 10.9.8.7", DOMAINS, llm=llm)
    assert "AKIAIOSFODNN7EXAMPLE" not in llm.calls[0][1] and "10.9.8.7" not in llm.calls[0][1]
    wrapped = get_llm(LLMSettings(provider="openai", model="m", base_url="http://127.0.0.1:1/v1"))
    assert type(wrapped).__name__ == "RedactingLLM"


def test_importing_the_package_loads_no_cloud_sdk() -> None:
    code = ("import sys, functions._platform.llm as llm; llm.get_llm(llm.LLMSettings()); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('boto3', 'botocore') "
            "or m.startswith('google.genai')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=REPO_ROOT).stdout.strip()
    assert out == "[]"


def test_the_default_backend_is_read_once_until_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    assert get_llm() is None
    monkeypatch.setenv("SREO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SREO_LLM_MODEL", "m")
    monkeypatch.setenv("SREO_LLM_BASE_URL", "http://127.0.0.1:1/v1")
    assert get_llm() is None  # settings are read once, at start-up
    reset_llm()
    first = get_llm()
    assert first is not None and first.name == "openai" and get_llm() is first
