"""Run one agent for one investigation; whatever happens, produce evidence."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from functions._platform.config import Settings
from functions._platform.mcp.client import ToolCallError, ToolSession
from functions._platform.redact import redact_finding, redact_secrets
from functions.agents.contract import SourceNotConfigured
from functions.agents.registry import get_agent
from sreo_events.models import EvidenceCollected, InvestigationRequested


async def _investigate(request: InvestigationRequested, settings: Settings) -> EvidenceCollected:
    agent = get_agent(request.domain, settings)
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
        unjudged=result.unjudged[:100],
    )


EVENT_BUDGET_BYTES = 60_000  # under the 64 KiB event limit, with room for the envelope


def _shrink(value: Any, text_limit: int, list_limit: int) -> Any:
    if isinstance(value, str):
        return value if len(value) <= text_limit else value[:text_limit] + "…"
    if isinstance(value, list):
        return [_shrink(v, text_limit, list_limit) for v in value[:list_limit]]
    if isinstance(value, dict):
        return {k: _shrink(v, text_limit, list_limit) for k, v in list(value.items())[:list_limit * 2]}
    return value


def fit_to_event(evidence: EvidenceCollected) -> EvidenceCollected:
    """Keep evidence under the event size limit: trim bulky values first, then drop the weakest findings."""
    def size() -> int:
        return len(evidence.model_dump_json())

    for text_limit, list_limit in ((2000, 20), (500, 10), (200, 5)):
        if size() <= EVENT_BUDGET_BYTES:
            return evidence
        for finding in evidence.findings:
            finding.evidence = _shrink(finding.evidence, text_limit, list_limit)
        evidence.checked = [_shrink(item, text_limit, list_limit) for item in evidence.checked[:list_limit * 5]]
    evidence.findings.sort(key=lambda f: f.score, reverse=True)
    dropped = 0
    while size() > EVENT_BUDGET_BYTES and evidence.findings:
        evidence.findings.pop()
        dropped += 1
    if dropped:
        evidence.checked.append(f"{dropped} weaker finding(s) omitted to fit the event size limit")
    return evidence


def collect_evidence(request: InvestigationRequested, settings: Settings) -> EvidenceCollected:
    started = time.monotonic()
    try:
        evidence = asyncio.run(asyncio.wait_for(_investigate(request, settings), settings.agent_timeout_s))
    except SourceNotConfigured as exc:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain,
                                     status="no_data", error=str(exc))
    except ToolCallError as exc:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=exc.message, failed_query=redact_secrets(exc.call))
    except TimeoutError:
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=f"agent timed out after {settings.agent_timeout_s:g}s")
    except Exception as exc:  # noqa: BLE001 (an agent bug must still yield evidence, never a lost investigation)
        evidence = EvidenceCollected(incident_id=request.incident_id, domain=request.domain, status="error",
                                     error=f"{type(exc).__name__}: {exc}")
    evidence.duration_ms = round((time.monotonic() - started) * 1000, 1)
    return fit_to_event(without_secrets(evidence))


def without_secrets(evidence: EvidenceCollected) -> EvidenceCollected:
    """Credentials that log lines, queries or object specs carried are replaced before the evidence leaves."""
    evidence.findings = [redact_finding(finding) for finding in evidence.findings]
    evidence.checked = [redact_secrets(item) for item in evidence.checked]
    evidence.error = redact_secrets(evidence.error) if evidence.error else evidence.error
    return evidence
