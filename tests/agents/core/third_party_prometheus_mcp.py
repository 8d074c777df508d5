"""A stand-in for a third-party Prometheus MCP server: its own tool names, Prometheus API JSON out.

The series it serves are computed from the request (a steady 1% error ratio that jumps to 40% in the last
ten minutes), so the metrics agent has something real to find."""

from __future__ import annotations

import sys

from mcp.server.mcpserver import MCPServer

server = MCPServer("third-party-prometheus")


def _matrix(start: float, end: float, step: float) -> dict:
    result = []
    for code, normal, failing in (("200", 99.0, 60.0), ("500", 1.0, 40.0)):
        values, total, at = [], 0.0, start
        while at <= end:
            total += failing if at >= end - 600 else normal
            values.append([at, str(total)])
            at += step
        result.append({"metric": {"__name__": "http_requests_total", "service": "checkout", "code": code},
                       "values": values})
    return {"status": "success", "data": {"resultType": "matrix", "result": result}}


@server.tool()
def execute_range_query(query: str, start: str, end: str, step: str) -> dict:
    """PromQL range query."""
    return _matrix(float(start), float(end), float(step.rstrip("s")))


@server.tool()
def get_label_values(label: str, start: str = "", end: str = "", match: str = "") -> dict:
    """Label values."""
    return {"status": "success", "data": ["checkout"] if label in ("service", "job") else []}


if __name__ == "__main__":
    server.run("stdio")
    sys.exit(0)
