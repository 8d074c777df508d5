"""The project's own MCP servers, by name. Each module exposes `build(settings) -> MCPServer`."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from functions._platform.config import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

SERVERS: dict[str, str] = {
    "code": "functions._platform.mcp.servers.code",
    "kubernetes": "functions._platform.mcp.servers.kubernetes",
    "logs": "functions._platform.mcp.servers.logs",
    "metrics": "functions._platform.mcp.servers.metrics",
    "postgres": "functions._platform.mcp.servers.postgres",
    "runbooks": "functions._platform.mcp.servers.runbooks",
}


def build_server(name: str, settings: Settings) -> MCPServer:
    if name not in SERVERS:
        raise KeyError(f"unknown MCP server {name!r}; known: {', '.join(sorted(SERVERS))}")
    return importlib.import_module(SERVERS[name]).build(settings)
