"""What the tools of a server over one configured source share: the source opened once per session, time spans
as tools take them, and the source's errors answered as tool errors (a model sees the message, not a crash)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

from functions._platform.domains.metrics.source.models import to_unix
from functions._platform.mcp.servers.reuse import PerSession

P = TypeVar("P")
R = TypeVar("R")


def tool_error(message: str) -> Exception:
    from mcp.server.mcpserver.exceptions import ToolError

    return ToolError(message)


class SourceTools(Generic[P]):
    def __init__(self, open_source: Callable[[], P | None], source_error: type[Exception], unconfigured: str):
        self._open_source = open_source
        self._source_error = source_error
        self._unconfigured = unconfigured
        # a file source is opened (from the parsed-file cache) once per session, so a rewritten file is read again
        self._opened = PerSession(self._open)

    def _open(self) -> P:
        try:
            opened = self._open_source()
        except self._source_error as exc:
            raise tool_error(str(exc)) from exc
        if opened is None:
            raise tool_error(self._unconfigured)
        return opened

    def provider(self) -> P:
        return self._opened.get()

    @staticmethod
    def span(start: str | None, end: str | None, default_s: float = 3600.0) -> tuple[float, float]:
        """[start, end] in unix seconds; `end` defaults to now and `start` to `default_s` before it."""
        try:
            end_s = to_unix(end) if end else time.time()
            start_s = to_unix(start) if start else end_s - default_s
        except ValueError as exc:
            raise tool_error(f"bad time: {exc}") from exc
        if start_s > end_s:
            raise tool_error("start is after end")
        return start_s, end_s

    async def guarded(self, call: Awaitable[R]) -> R:
        try:
            return await call
        except self._source_error as exc:
            raise tool_error(str(exc)) from exc
