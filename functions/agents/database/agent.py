"""The database agent."""

from __future__ import annotations

from events.models import InvestigationRequested
from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from functions.agents.base import AgentResult


class DatabaseAgent:
    domain = "database"
    server = "postgres"

    def configured(self, settings: Settings) -> bool:
        return False

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        return AgentResult()
