"""What one evidence domain declares about itself, once, in its slice (`<domain>/slice.py`). The analyzer and
MCP server registries and triage's classifier read these declarations from `registry.SLICES`.

Builders import what they build when called, so a process that only needs a domain's triage hints does not load
its analyzers or its MCP server."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from functions._platform.analyzers.contract import AnalysisContext, Analyzer
    from functions._platform.config import Settings
    from sreo_events.models import Finding

# always: every investigation asks it; on_signal: asked on a keyword or label, and when nothing points anywhere;
# opt_in: asked only on a signal, never by default
Asked = Literal["always", "on_signal", "opt_in"]


@dataclass(frozen=True)
class TriageHints:
    asked: Asked = "on_signal"
    keywords: re.Pattern[str] | None = None  # matched in the incident text and in alert names
    labels: tuple[str, ...] = ()  # alert label names that point at the domain


@dataclass(frozen=True)
class ServerEntry:
    name: str  # the MCP server's public name (`sreo mcp serve NAME`)
    build: Callable[[Settings], MCPServer]


@dataclass(frozen=True)
class DomainSlice:
    name: str  # the `domain` of its investigation and evidence events
    triage: TriageHints
    analyzers: Callable[[], tuple[Analyzer[Any], ...]] | None = None  # in the order they run
    order: Callable[[Finding, AnalysisContext], Any] | None = None  # sort key of its findings; else analyzer order
    server: ServerEntry | None = None  # the MCP server the slice ships, if it ships one
