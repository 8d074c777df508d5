"""The project's own MCP servers, by name: each builder imports its server when called, so a process loads
only the servers it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from functions._platform.config import Settings

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer


def _code(settings: Settings) -> MCPServer:
    from functions._platform.domains.code.server import build

    return build(settings)


def _kubernetes(settings: Settings) -> MCPServer:
    from functions._platform.domains.kubernetes.server import build

    return build(settings)


def _logs(settings: Settings) -> MCPServer:
    from functions._platform.domains.logs.server import build

    return build(settings)


def _metrics(settings: Settings) -> MCPServer:
    from functions._platform.domains.metrics.server import build

    return build(settings)


def _postgres(settings: Settings) -> MCPServer:
    from functions._platform.domains.database.server import build

    return build(settings)


def _runbooks(settings: Settings) -> MCPServer:
    from functions._platform.mcp.servers.runbooks import build

    return build(settings)


def _traces(settings: Settings) -> MCPServer:
    from functions._platform.domains.traces.server import build

    return build(settings)


SERVERS: dict[str, Callable[[Settings], MCPServer]] = {
    "code": _code,
    "kubernetes": _kubernetes,
    "logs": _logs,
    "metrics": _metrics,
    "postgres": _postgres,
    "runbooks": _runbooks,
    "traces": _traces,
}


def build_server(name: str, settings: Settings) -> MCPServer:
    if name not in SERVERS:
        raise KeyError(f"unknown MCP server {name!r}; known: {', '.join(sorted(SERVERS))}")
    return SERVERS[name](settings)
