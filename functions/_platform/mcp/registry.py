"""The project's own MCP servers, by name: each domain's server from its slice (see
functions/_platform/domains/registry.py), and the runbooks server. Each builder imports its server when called,
so a process loads only the servers it serves."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from functions._platform.config import Settings
from functions._platform.domains.registry import SLICES

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer


def _runbooks(settings: Settings) -> MCPServer:
    from functions._platform.mcp.servers.runbooks import build

    return build(settings)


SERVERS: dict[str, Callable[[Settings], MCPServer]] = dict(sorted({
    **{domain.server.name: domain.server.build for domain in SLICES.values() if domain.server},
    "runbooks": _runbooks,
}.items()))


def build_server(name: str, settings: Settings) -> MCPServer:
    if name not in SERVERS:
        raise KeyError(f"unknown MCP server {name!r}; known: {', '.join(sorted(SERVERS))}")
    return SERVERS[name](settings)
