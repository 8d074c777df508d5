"""The traces domain: its analyzers, its MCP server and its triage hints. Triage keeps its keyword signals only
where a traces source is configured (see `functions/triage/classify.py`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import Analyzer
    from functions._platform.config import Settings


def _analyzers() -> tuple[Analyzer[Any], ...]:
    from functions._platform.domains.traces.analyzers.edge_degraded import TraceEdgeDegraded

    return (TraceEdgeDegraded(),)


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.traces.server import build

    return build(settings)


TRACES = DomainSlice(
    name="traces",
    triage=TriageHints(
        asked="opt_in",
        keywords=re.compile(
            r"\b(latenc\w*|slow\w*|p9\d|time[sd]? ?out\w*|timing out|deadline exceeded|5\d\ds?|error ?rate|"
            r"traces?|spans?|tempo|jaeger|upstream|dependenc\w*)\b", re.IGNORECASE),
    ),
    analyzers=_analyzers,
    server=ServerEntry("traces", _server),
)
