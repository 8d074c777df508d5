"""The interface every LLM backend implements."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class LLMError(RuntimeError):
    """The backend could not produce an answer (transport, auth, quota, empty or malformed reply)."""


@runtime_checkable
class LLM(Protocol):
    """One chat turn: a system instruction and a user prompt in, plain text out.

    Implementations raise `LLMError` (or let the SDK's own exception escape) on failure;
    callers in this package turn failures into `None`.
    """

    name: str

    def complete(self, system: str, prompt: str, max_tokens: int) -> str: ...
