"""OpenAI-compatible chat completions (Ollama, vLLM, llama.cpp server, LiteLLM, OpenAI itself) over httpx."""

from __future__ import annotations

from typing import Any

import httpx

from .config import LLMSettings
from .contract import LLMError


class OpenAICompatibleLLM:
    name = "openai"

    def __init__(self, settings: LLMSettings) -> None:
        if not settings.base_url or not settings.model:
            raise LLMError("the OpenAI-compatible backend needs a base URL and a model")
        self.url = settings.base_url.rstrip("/") + "/chat/completions"
        self.model = settings.model
        self.timeout_s = settings.timeout_s
        self.headers = {"Content-Type": "application/json"}
        if settings.api_key_value:
            self.headers["Authorization"] = f"Bearer {settings.api_key_value}"

    def request_body(self, system: str, prompt: str, max_tokens: int) -> dict[str, Any]:
        return {
            "model": self.model,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": prompt}],
            "max_tokens": max_tokens,
            "temperature": 0.2,
            "stream": False,
        }

    def complete(self, system: str, prompt: str, max_tokens: int) -> str:
        try:
            response = httpx.post(self.url, json=self.request_body(system, prompt, max_tokens),
                                  headers=self.headers, timeout=self.timeout_s)
        except httpx.HTTPError as exc:
            raise LLMError(f"{self.url}: {type(exc).__name__}: {exc}") from exc
        if response.status_code != 200:
            raise LLMError(f"{self.url} answered {response.status_code}: {response.text[:200]}")
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError) as exc:
            raise LLMError(f"{self.url} sent no chat completion: {response.text[:200]}") from exc
        if not isinstance(content, str) or not content.strip():
            raise LLMError(f"{self.url} sent an empty completion")
        return content.strip()
