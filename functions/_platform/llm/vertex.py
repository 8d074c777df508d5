"""Vertex AI through `google-genai` (`genai.Client(vertexai=True)`), imported lazily.

Credentials come from Application Default Credentials unless an API key (Vertex express mode)
or an explicit google-auth credentials object is given; `base_url` points at a private endpoint.
"""

from __future__ import annotations

from typing import Any

from .config import LLMSettings
from .contract import LLMError


class VertexLLM:
    name = "vertex"

    def __init__(self, settings: LLMSettings, credentials: Any = None) -> None:
        if not settings.model:
            raise LLMError("the Vertex AI backend needs a model name")
        self.model = settings.model
        self._settings = settings
        self._credentials = credentials
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            from google import genai
            from google.genai import types

            settings = self._settings
            http_options = types.HttpOptions(base_url=settings.base_url,
                                             timeout=int(settings.timeout_s * 1000))  # milliseconds
            auth: dict[str, Any] = {"api_key": settings.api_key_value}
            if not settings.api_key_value:
                auth = {"project": settings.project, "location": settings.location or "global",
                        "credentials": self._credentials}
            self._client = genai.Client(vertexai=True, http_options=http_options, **auth)
        return self._client

    def complete(self, system: str, prompt: str, max_tokens: int) -> str:
        from google.genai import errors, types

        config = types.GenerateContentConfig(system_instruction=system, max_output_tokens=max_tokens,
                                             temperature=0.2)
        try:
            response = self.client.models.generate_content(model=self.model, contents=prompt, config=config)
        except errors.APIError as exc:
            raise LLMError(f"vertex generateContent {self.model}: {exc}") from exc
        text = (response.text or "").strip()
        if not text:
            raise LLMError(f"vertex generateContent {self.model} returned no text")
        return text
