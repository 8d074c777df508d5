"""Fixtures: local protocol servers and an environment with no ambient cloud configuration."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from llm_support import LocalServer, Reply

from functions._platform.llm import reset_llm


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[str, dict[str, Any]], Reply]], LocalServer]]:
    started: list[tuple[LocalServer, ThreadingHTTPServer]] = []

    def start(reply: Callable[[str, dict[str, Any]], Reply]) -> LocalServer:
        local = LocalServer(reply)
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), local.handler())
        httpd.daemon_threads = True
        threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        local.url = f"http://127.0.0.1:{httpd.server_address[1]}"
        started.append((local, httpd))
        return local

    yield start
    for local, httpd in started:
        if local.stall is not None:
            local.stall.set()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture(autouse=True)
def offline_cloud_env(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No ambient cloud configuration leaks into the tests, and no SDK reaches for a metadata server."""
    for name in ("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_CLOUD_PROJECT", "GOOGLE_CLOUD_LOCATION",
                 "GOOGLE_GENAI_USE_VERTEXAI", "GOOGLE_GENAI_USE_ENTERPRISE", "GOOGLE_APPLICATION_CREDENTIALS",
                 "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    for name in list(os.environ):
        if name.startswith("SREO_LLM_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    reset_llm()
    yield
    reset_llm()
