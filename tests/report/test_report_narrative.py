"""The optional LLM narrative: added when a model answers, absent otherwise, and never a change to the causes."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import pytest
from report_cases import store_incident

from functions._platform.llm import reset_llm

NARRATIVE = "Orders time out because a billing job holds a row lock; the rollout is a bystander."


class ChatCompletions(BaseHTTPRequestHandler):
    """The OpenAI chat-completions protocol, as local model servers speak it."""

    prompts: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["content-length"])))
        ChatCompletions.prompts.append(json.dumps(body["messages"]))
        answer = {"choices": [{"message": {"role": "assistant", "content": NARRATIVE}}]}
        payload = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def model_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), ChatCompletions)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    monkeypatch.setenv("SREO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SREO_LLM_BASE_URL", url)
    monkeypatch.setenv("SREO_LLM_MODEL", "local-model")
    reset_llm()
    yield url
    server.shutdown()
    reset_llm()


def test_narrative_is_added_and_causes_stay_as_ranked(make_sqlite_served, model_server: str) -> None:
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    body = served.client.get("/incidents/inc-1/report").json()
    assert body["narrative"] == NARRATIVE
    assert [c["component"] for c in body["causes"]] == ["postgres/orders", "payments", "checkout"]
    assert ChatCompletions.prompts and "postgres/orders" in ChatCompletions.prompts[-1]
    markdown = served.client.get("/incidents/inc-1/report", params={"format": "markdown"}).text
    assert NARRATIVE in markdown


def test_no_narrative_without_a_model(make_sqlite_served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SREO_LLM_PROVIDER", "none")
    reset_llm()
    served = make_sqlite_served()
    store_incident(served.host.runtime)
    assert "narrative" not in served.client.get("/incidents/inc-1/report").json()
    reset_llm()
