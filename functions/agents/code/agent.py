"""The code agent: a static review of the affected service's source through the `code` MCP tools, narrowed
to the endpoint and the revisions that triage or the supervisor named in the request's hints."""

from __future__ import annotations

import re

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from functions.agents.base import AgentResult, SourceNotConfigured
from sreo_events.models import Finding, InvestigationRequested

ENDPOINT_HINT = re.compile(r"^endpoint[ =](\S+)$")
REVISIONS_HINT = re.compile(r"^revisions[ =](\S+?)\.\.(\S+)$")


def review_arguments(request: InvestigationRequested) -> dict[str, str]:
    arguments = {"service": request.service or ""}
    for hint in request.hints:
        if match := ENDPOINT_HINT.match(hint):
            arguments["endpoint"] = match.group(1)
        elif match := REVISIONS_HINT.match(hint):
            arguments["base"], arguments["head"] = match.groups()
    return arguments


class CodeAgent:
    domain = "code"
    server = "code"

    def configured(self, settings: Settings) -> bool:
        return bool(settings.code_repos) or self.server in settings.mcp_targets

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        settings = tools.settings
        if not request.service or (request.service not in settings.code_repos
                                   and self.server not in settings.mcp_targets):
            raise SourceNotConfigured(f"no repository configured for {request.service or 'the incident'}")
        answer = await tools.call("review_code", review_arguments(request))
        findings = [Finding.model_validate(item) for item in answer.get("findings", [])]
        return AgentResult(findings=findings, checked=list(answer.get("checked", [])), status="success")
