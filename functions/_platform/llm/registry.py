"""Picks the LLM backend named by `SREO_LLM_PROVIDER`; every backend it hands out redacts its input."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from ..redact import redact
from .config import LLMSettings, get_llm_settings
from .contract import LLM


def _bedrock(settings: LLMSettings) -> LLM:
    from .bedrock import BedrockLLM

    return BedrockLLM(settings)


def _vertex(settings: LLMSettings) -> LLM:
    from .vertex import VertexLLM

    return VertexLLM(settings)


def _openai(settings: LLMSettings) -> LLM:
    from .openai_compat import OpenAICompatibleLLM

    return OpenAICompatibleLLM(settings)


BACKENDS: dict[str, Callable[[LLMSettings], LLM]] = {
    "bedrock": _bedrock, "vertex": _vertex, "openai": _openai,
}


class RedactingLLM:
    """Wraps a backend so that the system instruction and the prompt are redacted before they are sent."""

    def __init__(self, inner: LLM) -> None:
        self.inner = inner
        self.name = inner.name

    def complete(self, system: str, prompt: str, max_tokens: int) -> str:
        return self.inner.complete(redact(system), redact(prompt), max_tokens)


def redacting(llm: LLM) -> LLM:
    return llm if isinstance(llm, RedactingLLM) else RedactingLLM(llm)


def get_llm(settings: LLMSettings | None = None) -> LLM | None:
    """The configured backend behind redaction, or None when the provider is `none`.

    Without `settings`, the process-wide backend built once from `SREO_LLM_*` (SDK clients are reused).
    """
    if settings is None:
        return _default_llm()
    if not settings.enabled:
        return None
    return redacting(BACKENDS[settings.provider](settings))


@lru_cache(maxsize=1)
def _default_llm() -> LLM | None:
    return get_llm(get_llm_settings())


def reset_llm() -> None:
    """Forget the settings and backend read at start-up (tests, reconfiguration)."""
    get_llm_settings.cache_clear()
    _default_llm.cache_clear()
