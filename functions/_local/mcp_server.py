"""The orchestrator's own MCP server, for AI assistants: incidents, reports, approvals, threats, scans, logs,
runbooks and topology.

It calls the same route tables as the REST API, so answers, errors and authentication rules are identical."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, Literal

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations
from pydantic import Field

from functions._platform.httpapi import HttpRequest, Route, call_route
from functions._platform.runtime import Runtime
from functions.report.routes import ROUTES as REPORT_ROUTES
from functions.scan.routes import ROUTES as SCAN_ROUTES
from functions.triage.routes import ROUTES as TRIAGE_ROUTES

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)
ROUTES = {(r.method, r.path): r for r in [*TRIAGE_ROUTES, *REPORT_ROUTES, *SCAN_ROUTES]}

Status = Literal["open", "correlated", "reported", "resolved"]
Severity = Literal["info", "warning", "critical"]
ReportFormat = Literal["json", "markdown", "html", "postmortem"]
LogFormat = Literal["auto", "combined", "syslog", "json"]
IncidentId = Annotated[str, Field(description="Incident id, e.g. inc-20260101-1a2b3c4d (from list_incidents).")]


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("sre-orchestrator")
    except PackageNotFoundError:
        return "0.0.0"


def _call(runtime: Runtime, method: str, template: str, path: str, query: dict[str, Any] | None = None,
          body: dict[str, Any] | None = None, params: dict[str, str] | None = None, lend_token: bool = True,
          token: str | None = None, client: str = "mcp") -> Any:
    route: Route = ROUTES[(method, template)]
    token = token or (next(iter(runtime.settings.token_set), None) if lend_token else None)  # the operator's own
    headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
    request = HttpRequest(method, path, headers, {k: str(v) for k, v in (query or {}).items() if v is not None},
                          json.dumps(body).encode() if body is not None else b"", params or {}, client=client)
    response = call_route(route, request, runtime)
    if response.status >= 400:
        raise ToolError(response.body["error"]["message"])
    return response.body


def build(runtime: Runtime, local_client: bool = True, transport: str = "stdio") -> MCPServer:
    """``local_client``: the client is the operator (stdio, or HTTP on loopback), so writes use the operator's
    token and it may read local files (ingest_logs); a remote client gets read-only tools plus writes only where
    the server's settings leave them open."""
    server = MCPServer("sreo", version=_version(), instructions=(
        "SRE Orchestrator: report incidents, read ranked diagnoses with evidence, approve suggested actions "
        "(a responder token is required and every approval is audited), scan for threats, ingest logs, "
        "search runbooks."))
    caller = f"mcp:{transport}"

    @server.tool(annotations=READ_ONLY)
    def list_incidents(
        limit: Annotated[int, Field(ge=1, le=500, description="At most this many, newest first.")] = 20,
        status: Annotated[Status | None, Field(description="Only incidents in this state.")] = None,
        service: Annotated[str | None, Field(description="Only this service, e.g. checkout.")] = None,
        since: Annotated[str | None, Field(description="Started within this long (24h, 7d) or after an ISO time.")]
        = None,
    ) -> dict[str, Any]:
        """Incidents, newest first, with status, severity, service and links to their reports."""
        return _call(runtime, "GET", "/incidents", "/incidents",
                     {"limit": limit, "status": status, "service": service, "since": since})

    @server.tool(annotations=READ_ONLY)
    def get_report(
        incident_id: IncidentId,
        format: Annotated[ReportFormat, Field(description="json (structured), markdown (for chat and tickets), "
                                                          "html (a page) or postmortem (the blameless draft).")]
        = "json",
    ) -> Any:
        """An incident's report: ranked causes with evidence, actions, runbooks."""
        return _call(runtime, "GET", "/incidents/{incident_id}/report", f"/incidents/{incident_id}/report",
                     {"format": format}, params={"incident_id": incident_id})

    @server.tool()
    def report_incident(
        text: Annotated[str, Field(min_length=3, description="What is wrong, in plain words.")],
        service: Annotated[str | None, Field(description="Affected service, when known.")] = None,
        namespace: Annotated[str | None, Field(description="Kubernetes namespace, when known.")] = None,
        severity: Annotated[Severity, Field(description="How bad it is.")] = "warning",
    ) -> dict[str, Any]:
        """Open an incident from plain words; agents investigate and a report follows (poll get_report)."""
        body = {"text": text, "severity": severity, **({"service": service} if service else {}),
                **({"namespace": namespace} if namespace else {})}
        return _call(runtime, "POST", "/incidents", "/incidents", body=body, lend_token=local_client, client=caller)

    @server.tool(annotations=ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True))
    def approve_action(
        incident_id: IncidentId,
        action_id: Annotated[str, Field(description="Id of an action that requires approval, from the report.")],
        responder_token: Annotated[str, Field(description="A responder token (one of SREO_RESPONDER_TOKENS on "
                                                          "the server); the audit trail names its owner.")],
        comment: Annotated[str | None, Field(max_length=2000, description="Why, for the audit record.")] = None,
    ) -> dict[str, Any]:
        """Approve a destructive suggested action. It is recorded and audited; nothing is executed."""
        path = f"/incidents/{incident_id}/actions/{action_id}/approve"
        return _call(runtime, "POST", "/incidents/{incident_id}/actions/{action_id}/approve", path,
                     body={"comment": comment} if comment else {}, token=responder_token, client=caller,
                     params={"incident_id": incident_id, "action_id": action_id})

    @server.tool(annotations=READ_ONLY)
    def list_threats(
        hours: Annotated[int, Field(ge=1, le=24 * 31, description="Look back this many hours.")] = 24,
    ) -> dict[str, Any]:
        """Predictive threats seen recently (brute force, latency creep, error spikes, log floods)."""
        return _call(runtime, "GET", "/threats", "/threats", {"hours": hours})

    @server.tool(annotations=READ_ONLY)
    def run_scan(
        since: Annotated[str, Field(description="Scan this far back, e.g. 1h, 24h, 7d.")] = "1h",
    ) -> dict[str, Any]:
        """Scan ingested logs, auth events, certificates and metrics for threats now (nothing is stored)."""
        from functions.scan.threats import run_scan as scan

        try:
            result = scan(runtime.settings, since)
        except ValueError as exc:
            raise ToolError(str(exc)) from exc
        return {"threats": [t.model_dump(mode="json") for t in result.threats], "notes": result.notes}

    if local_client:
        @server.tool()
        def ingest_logs(
            path: Annotated[str, Field(description="A log file on the orchestrator's machine.")],
            service: Annotated[str | None, Field(description="Service the lines belong to (default: file name).")]
            = None,
            format: Annotated[LogFormat, Field(description="Line format; auto detects it.")] = "auto",
        ) -> dict[str, Any]:
            """Ingest a log file into the search index the logs agent and run_scan read."""
            from functions._platform.domains.logs.source.ingest import ingest_file
            from functions._platform.search import get_search_backend

            file = Path(path).expanduser()
            if not file.is_file():
                raise ToolError(f"no such file: {file}")
            backend = get_search_backend(runtime.settings)
            try:
                stats = ingest_file(file, backend, service=service, fmt=format)
            finally:
                backend.close()
            return {"file": stats.file, "format": stats.format, "lines": stats.lines, "indexed": stats.indexed,
                    "skipped": stats.skipped, "services": stats.services}

    @server.tool(annotations=READ_ONLY)
    def search_runbooks(
        query: Annotated[str, Field(min_length=1, description="Free text, e.g. an alert name or a symptom.")],
        k: Annotated[int, Field(ge=1, le=50, description="How many runbooks.")] = 5,
    ) -> dict[str, Any]:
        """Runbooks for free text, best first, each with the section to open and its /runbooks/{id} page."""
        return _call(runtime, "GET", "/runbooks/search", "/runbooks/search", {"q": query, "k": k})

    @server.tool(annotations=READ_ONLY)
    def get_topology() -> dict[str, Any]:
        """The dependency graph the ranking uses."""
        return _call(runtime, "GET", "/topology", "/topology")

    return server
