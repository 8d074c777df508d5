"""The orchestrator's own MCP server, for AI assistants: incidents, reports, threats, runbooks, topology.

It calls the same route tables as the REST API, so answers, errors and authentication rules are identical."""

from __future__ import annotations

import json
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp_types import ToolAnnotations

from functions._platform.httpapi import HttpRequest, Route, call_route
from functions._platform.runtime import Runtime
from functions.report.routes import ROUTES as REPORT_ROUTES
from functions.scan.routes import ROUTES as SCAN_ROUTES
from functions.triage.routes import ROUTES as TRIAGE_ROUTES

READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)
ROUTES = {(r.method, r.path): r for r in [*TRIAGE_ROUTES, *REPORT_ROUTES, *SCAN_ROUTES]}


def _call(runtime: Runtime, method: str, template: str, path: str, query: dict[str, str] | None = None,
          body: dict[str, Any] | None = None, params: dict[str, str] | None = None, lend_token: bool = True) -> Any:
    route: Route = ROUTES[(method, template)]
    token = next(iter(runtime.settings.token_set), None) if lend_token else None  # the local operator's own
    headers = {"content-type": "application/json", **({"authorization": f"Bearer {token}"} if token else {})}
    request = HttpRequest(method, path, headers, {k: str(v) for k, v in (query or {}).items()},
                          json.dumps(body).encode() if body is not None else b"", params or {})
    response = call_route(route, request, runtime.settings)
    if response.status >= 400:
        raise ToolError(response.body["error"]["message"])
    return response.body


def build(runtime: Runtime, local_client: bool = True) -> MCPServer:
    """``local_client``: the client is the operator (stdio, or HTTP on loopback), so writes use the operator's
    token; a remote client gets read-only tools plus writes only where the server's settings leave them open."""
    server = MCPServer("sreo", instructions="SRE Orchestrator: report incidents, read ranked diagnoses with "
                                            "evidence, list predictive threats, search runbooks.")

    @server.tool(annotations=READ_ONLY)
    def list_incidents(limit: int = 20, status: str | None = None) -> dict[str, Any]:
        """Incidents, newest first; status is open, correlated or reported."""
        return _call(runtime, "GET", "/incidents", "/incidents",
                     {"limit": limit, **({"status": status} if status else {})})

    @server.tool(annotations=READ_ONLY)
    def get_report(incident_id: str, format: str = "json") -> Any:
        """An incident's report: ranked causes with evidence, actions, runbooks (format json or markdown)."""
        return _call(runtime, "GET", "/incidents/{incident_id}/report", f"/incidents/{incident_id}/report",
                     {"format": format}, params={"incident_id": incident_id})

    @server.tool()
    def report_incident(text: str, service: str | None = None, namespace: str | None = None,
                        severity: str = "warning") -> dict[str, Any]:
        """Open an incident from plain words; agents investigate and a report follows."""
        body = {"text": text, "severity": severity, **({"service": service} if service else {}),
                **({"namespace": namespace} if namespace else {})}
        return _call(runtime, "POST", "/incidents", "/incidents", body=body, lend_token=local_client)

    @server.tool(annotations=READ_ONLY)
    def list_threats(hours: int = 24) -> dict[str, Any]:
        """Predictive threats seen recently (brute force, latency creep, error spikes, log floods)."""
        return _call(runtime, "GET", "/threats", "/threats", {"hours": hours})

    @server.tool(annotations=READ_ONLY)
    def search_runbooks(query: str, k: int = 5) -> dict[str, Any]:
        """Runbooks for free text, best first."""
        return _call(runtime, "GET", "/runbooks/search", "/runbooks/search", {"q": query, "k": k})

    @server.tool(annotations=READ_ONLY)
    def get_topology() -> dict[str, Any]:
        """The dependency graph the ranking uses."""
        return _call(runtime, "GET", "/topology", "/topology")

    return server
