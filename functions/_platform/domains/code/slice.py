"""The code domain: its MCP server and its triage hints. It runs the review's rules (see `rules/registry.py`),
not analyzers, and is asked only when a label names it and the service has a configured repository."""

from __future__ import annotations

from typing import TYPE_CHECKING

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.config import Settings


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.code.server import build

    return build(settings)


CODE = DomainSlice(name="code", triage=TriageHints(asked="opt_in"), server=ServerEntry("code", _server))
