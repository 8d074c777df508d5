"""MCP server `runbooks`: search the runbook knowledge base, match an alert, read a runbook's sections."""

from __future__ import annotations

from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from functions._platform.config import Settings

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)


def build(settings: Settings) -> MCPServer:
    from functions._platform.runbooks import knowledge_base_for

    server = MCPServer("runbooks", instructions="Runbooks: free-text search, alert matching, full sections.")
    base = knowledge_base_for(settings)

    @server.tool(annotations=READ_ONLY)
    def search_runbooks(query: str, k: int = 5) -> dict[str, Any]:
        """Runbook sections that best answer `query`, best first (id, title, section, score, path)."""
        if not query.strip():
            raise ToolError("query must not be empty")
        return {"results": [hit.model_dump() for hit in base.search(query, max(1, min(k, 50)))]}

    @server.tool(annotations=READ_ONLY)
    def match_alert(labels: dict[str, str], annotations: dict[str, str] | None = None, k: int = 3) -> dict[str, Any]:
        """The runbooks for an alert: by runbook_url or alert name first, then by its text."""
        return base.match(labels, annotations or {}, k).model_dump()

    @server.tool(annotations=READ_ONLY)
    def get_runbook(runbook_id: str) -> dict[str, Any]:
        """Every section of one runbook, by id `<component>/<AlertName>`."""
        base.ensure_seeded()
        sections = base.sections_of(id=runbook_id)
        if not sections:
            raise ToolError(f"no runbook {runbook_id!r}")
        first = sections[0].source
        return {"id": runbook_id, "title": first.get("runbook_title"), "path": first.get("path"),
                "sections": [{"section": h.source.get("section"), "body": h.source.get("body")} for h in sections]}

    return server
