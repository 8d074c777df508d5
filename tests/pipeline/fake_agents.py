"""Agents that misbehave on purpose, installed through the agent registry (the Agent interface boundary)."""

from __future__ import annotations

import asyncio

from functions.agents.contract import AgentResult


class RaisingAgent:
    domain = "auth"
    server = "logs"

    def configured(self, settings) -> bool:
        return True

    async def investigate(self, request, tools) -> AgentResult:
        raise RuntimeError("identity provider API returned garbage")


class HangingAgent(RaisingAgent):
    async def investigate(self, request, tools) -> AgentResult:
        await asyncio.sleep(60)
        return AgentResult()
