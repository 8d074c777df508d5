"""Run one agent for one investigation; whatever happens, produce evidence."""

from __future__ import annotations

import asyncio
import time

from events.models import EvidenceCollected, InvestigationRequested
from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession
from functions.agents.base import SourceNotConfigured
from functions.agents.registry import get_agent


async def _investigate(request: InvestigationRequested, settings: Settings) -> EvidenceCollected:
    agent = get_agent(request.domain)
    if not agent.configured(settings):
        return EvidenceCollected(
            incident_id=request.incident_id, domain=request.domain, status="no_data",
            error=f"no {request.domain} source is configured",
        )
    async with ToolSession(agent.server, settings) as tools:
        result = await agent.investigate(request, tools)
    return EvidenceCollected(
        incident_id=request.incident_id, domain=request.domain, status=result.resolved_status(),
        findings=result.findings[:200], checked=result.checked[:100],
    )


def collect_evidence(request: InvestigationRequested, settings: Settings) -> EvidenceCollected:
    started = time.monotonic()
    try:
        evidence = asyncio.run(asyncio.wait_for(_investigate(request, settings), settings.agent_timeout_s))
    except SourceNotConfigured as exc:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain,
                                     status="no_data", error=str(exc))
    except ToolCallError as exc:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=exc.message, failed_query=exc.call)
    except TimeoutError:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=f"agent timed out after {settings.agent_timeout_s:g}s")
    except Exception as exc:  # an agent bug must still yield evidence, never a lost investigation
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=f"{type(exc).__name__}: {exc}")
    evidence.duration_ms = round((time.monotonic() - started) * 1000, 1)
    return evidence
