"""The logs domain: its analyzers, its MCP server and its triage hints. Every investigation asks it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from functions._platform.domains.contract import DomainSlice, ServerEntry, TriageHints

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import Analyzer
    from functions._platform.config import Settings


def _analyzers() -> tuple[Analyzer[Any], ...]:
    from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
    from functions._platform.domains.logs.analyzers.error_rate_spike import ErrorRateSpike
    from functions._platform.domains.logs.analyzers.log_flood import LogFlood
    from functions._platform.domains.logs.analyzers.log_latency import LogLatencyAnalyzer
    from functions._platform.domains.logs.analyzers.new_log_template import NewLogTemplate

    return ErrorRateSpike(), NewLogTemplate(), LogFlood(), ErrorClassAnalyzer(), LogLatencyAnalyzer()


def _server(settings: Settings) -> MCPServer:
    from functions._platform.domains.logs.server import build

    return build(settings)


LOGS = DomainSlice(
    name="logs",
    triage=TriageHints(
        asked="always",
        keywords=re.compile(r"\b(logs?|logging|exception\w*|stack ?trace|panic\w*|error\w*|fatal|5\d\ds?)\b",
                            re.IGNORECASE),
    ),
    analyzers=_analyzers,
    server=ServerEntry("logs", _server),
)
