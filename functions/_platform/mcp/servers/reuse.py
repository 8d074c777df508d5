"""Built MCP servers, kept and served again while the settings that built them are unchanged.

Every agent run opens an in-process session, and building a server derives a pydantic model and a JSON
schema per tool, which costs more than most investigations' queries. One server can serve many sessions at
once: each in-process session gets its own lifespan and dispatcher. A server may be kept only when its
state is safe to share across threads and event loops (no loop-bound HTTP clients).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING

from functions._platform.config import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

KEPT = 8

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

