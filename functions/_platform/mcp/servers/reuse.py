"""Built MCP servers, kept and served again while the settings that built them are unchanged.

Every agent run opens an in-process session, and building a server derives a pydantic model and a JSON
schema per tool, which costs more than most investigations' queries. One server can serve many sessions at
once: each in-process session gets its own lifespan and dispatcher. A server may be kept only when its
state is safe to share across threads and event loops (no loop-bound HTTP clients).
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

from functions._platform.config import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

KEPT = 8
T = TypeVar("T")

_lock = threading.Lock()
_kept: OrderedDict[tuple[str, str], MCPServer] = OrderedDict()


def reused(name: str, settings: Settings, build: Callable[[Settings], MCPServer]) -> MCPServer:
    """The server `build(settings)` made earlier for equal settings, or a new one, kept for next time."""
    key = (name, settings.model_dump_json())
    with _lock:
        server = _kept.get(key)
        if server is not None:
            _kept.move_to_end(key)
            return server
    server = build(settings)
    with _lock:
        server = _kept.setdefault(key, server)  # a concurrent build of the same key loses to the first kept
        _kept.move_to_end(key)
        while len(_kept) > KEPT:
            _kept.popitem(last=False)
    return server



class PerSession(Generic[T]):
    """A value made once per event loop, for state a kept server must not share between sessions.

    Every in-process session runs in its own event loop (one `asyncio.run` per agent run), so this is once
    per session; a standalone server (stdio, HTTP) has one loop and makes the value once. A failed `make`
    is not kept: the next call tries again.
    """

    def __init__(self, make: Callable[[], T]):
        self._make = make
        self._lock = threading.Lock()
        self._values: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, T] = weakref.WeakKeyDictionary()

    def get(self) -> T:
        loop = asyncio.get_running_loop()
        with self._lock:
            if loop in self._values:
                return self._values[loop]
        value = self._make()
        with self._lock:
            return self._values.setdefault(loop, value)
