"""The auth agent: auth analyzers over the logs (through the logs MCP server) and certificate checks of
SREO_TLS_ENDPOINTS (through the same server's `check_certificates` tool)."""

from __future__ import annotations

from functions._platform.analyzers.registry import analyzers
from functions._platform.analyzers.runner import run
from functions._platform.config import Settings
from functions._platform.domains.auth.analyzers.tls_cert_expiry import healthy
from functions._platform.domains.auth.source.tls_probe import CertificateProbe
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.mcp.client import ToolSession, describe_call
from functions._platform.search.registry import sqlite_search_path
from functions.agents.contract import AgentResult
from sreo_events.models import InvestigationRequested

RECORD_LIMIT = 20_000


class AuthAgent:
    domain = "auth"
    server = "logs"

    def configured(self, settings: Settings) -> bool:
        has_logs = bool(settings.opensearch_url or "logs" in settings.mcp_targets
                        or sqlite_search_path(settings).exists())
        return has_logs or bool(settings.tls_endpoints)

    async def investigate(self, request: InvestigationRequested, tools: ToolSession) -> AgentResult:
        result = AgentResult()
        context = windows_before(request.window.start, request.window.end)
        # attacks rarely name the service that pages, so every service's auth lines are read
        arguments = {"start": context.baseline.start.isoformat(), "end": context.window.end.isoformat(),
                     "limit": RECORD_LIMIT}
        fetched = await tools.call("fetch_records", arguments)
        context.query = describe_call("fetch_records", arguments)
        records = [LogRecord.from_doc(doc) for doc in fetched["records"]]
        for analyzer in analyzers("auth", "records"):
            findings = run("auth", records, context, only=(analyzer,))
            result.findings.extend(findings)
            if records and not findings:
                result.checked.append(f"auth: no {analyzer.kind.replace('_', ' ')} in {len(records)} log lines")
        if tools.settings.tls_endpoints:
            probes = await tools.call("check_certificates", {})
            certificates = [CertificateProbe.model_validate(c) for c in probes["certificates"]]
            probed = context.but(query=describe_call("check_certificates", {}))
            result.findings.extend(run("auth", certificates, probed, scope="certificates"))
            result.checked.extend(healthy(certificates))
            result.checked.extend(f"tls {c.endpoint}: unreachable ({c.error})" for c in certificates if not c.ok)
        if not records and not result.findings and not result.checked:
            result.status = "no_data"
        return result
