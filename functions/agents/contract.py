"""The small interface every domain agent implements."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from sreo_events.models import EvidenceStatus, Finding, InvestigationRequested


class SourceNotConfigured(Exception):
    """The agent's data source is not configured here; the agent answers `no_data`."""


@dataclass
class AgentResult:
    findings: list[Finding] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)
    unjudged: list[str] = field(default_factory=list)  # had data, could not judge (e.g. too little history)
    status: EvidenceStatus | None = None  # derived from findings when None

    def resolved_status(self) -> EvidenceStatus:
        if self.status:
            return self.status
        return "success" if self.findings or self.checked or self.unjudged else "no_data"


class Agent(Protocol):
    domain: str
    server: str  # name of the MCP server it calls (see functions._platform.mcp.registry)

    def configured(self, settings: Settings) -> bool:
        """False when the data source is absent, so the agent can answer no_data without connecting."""

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        """Call tools, run the deterministic analyzers, return findings."""
