"""With an OpenAI-compatible LLM configured, free-text reports may gain domains; never lose any; nothing leaks."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from functions._platform.llm import reset_llm


@pytest.fixture
def chat_server(monkeypatch) -> Iterator[list[dict]]:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            received.append(body)
            answer = {"choices": [{"message": {"role": "assistant", "content": '["auth"]'}}]}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("SREO_LLM_PROVIDER", "openai")
    monkeypatch.setenv("SREO_LLM_MODEL", "local-model")
    monkeypatch.setenv("SREO_LLM_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}/v1")
    reset_llm()
    try:
        yield received
    finally:
        server.shutdown()
        reset_llm()


def test_llm_adds_a_domain_the_keywords_missed(orchestrator, chat_server) -> None:
    text = "customers at jane.doe@example.com say the shop kicks them out since 10.1.2.3 changed"
    accepted = orchestrator.client.post("/incidents", json={"text": text}).json()
    assert "auth" in accepted["domains"]
    assert {"logs", "metrics"} <= set(accepted["domains"]), "deterministic domains stay"
    sent = json.dumps(chat_server)
    assert "jane.doe@example.com" not in sent and "10.1.2.3" not in sent
    report = orchestrator.report(accepted["id"])
    assert "auth" in report["domains"]["answered"]
