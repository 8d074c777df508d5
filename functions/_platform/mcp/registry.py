"""The project's own MCP servers, by name. Each module exposes `build(settings) -> MCPServer`."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from functions._platform.config import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

SERVERS: dict[str, str] = {
    "code": "functions._platform.domains.code.server",
    "kubernetes": "functions._platform.domains.kubernetes.server",
    "logs": "functions._platform.domains.logs.server",
    "metrics": "functions._platform.domains.metrics.server",
    "postgres": "functions._platform.domains.database.server",
    "runbooks": "functions._platform.mcp.servers.runbooks",
    "traces": "functions._platform.domains.traces.server",
}


def build_server(name: str, settings: Settings) -> MCPServer:
    if name not in SERVERS:
        raise KeyError(f"unknown MCP server {name!r}; known: {', '.join(sorted(SERVERS))}")
    return importlib.import_module(SERVERS[name]).build(settings)
