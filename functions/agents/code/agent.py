"""The code agent: a static review of the affected service's source through the `code` MCP tools, narrowed
to the endpoint and the revisions that triage or the supervisor named in the request's hints, else to the
service's recent rollout when the Kubernetes source shows one."""

from __future__ import annotations

import asyncio
import re

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolSession
from functions.agents.contract import AgentResult, SourceNotConfigured
from sreo_events.models import Finding, InvestigationRequested

ENDPOINT_HINT = re.compile(r"^endpoint[ =](\S+)$")
REVISIONS_HINT = re.compile(r"^revisions[ =](\S+?)\.\.(\S+)$")


def recent_rollout(settings: Settings, request: InvestigationRequested) -> tuple[str, str] | None:
    """The service's rollout that could have caused this incident: one made inside the investigation window or
    the baseline window just before it (what the Kubernetes analyzers call recent)."""
    from functions._platform.domains.code.rollout import last_rollout

    since = request.window.start - (request.window.end - request.window.start)
    try:
        return last_rollout(settings, request.service or "", request.namespace, since=since)
    except Exception:  # noqa: BLE001 - an unreadable cluster leaves the review unscoped, not failed
        return None


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
        arguments = review_arguments(request)
        if "base" not in arguments and "endpoint" not in arguments:  # an ordinary incident: scope it to the rollout
            revisions = await asyncio.to_thread(recent_rollout, settings, request)
            if revisions:
                arguments["base"], arguments["head"] = revisions
        answer = await tools.call("review_code", arguments)
        findings = [Finding.model_validate(item) for item in answer.get("findings", [])]
        return AgentResult(findings=findings, checked=list(answer.get("checked", [])), status="success")
