"""MCP server `code`: static review of a configured service's source (security, N+1, fixes as patches).

Run standalone: `python -m functions._platform.domains.code.server --transport stdio|http [--host --port]`.
"""

from __future__ import annotations

from typing import Any

from functions._platform.config import Settings
from functions._platform.mcp.servers.sdk import new_server, serve, serve_parser

MAX_FINDINGS = 150


def build(settings: Settings):
    from mcp.server.mcpserver.exceptions import ToolError

    server = new_server("code", (
        "Static review of a service's source code from SREO_CODE_REPOS: OWASP flaws (the project's rules and "
        "bandit), N+1 queries, unbounded queries, blocking I/O in async handlers; each with a checked patch or "
        "a suggestion. Narrow with an endpoint path or two revisions (image tag, version or commit)."
    ))

    @server.tool()
    def review_code(service: str, endpoint: str | None = None, base: str | None = None,
                    head: str | None = None) -> dict[str, Any]:
        """Review `service`; optionally only the code behind `endpoint` and/or changed between base and head."""
        from functions._platform.domains.code.findings import auto_approved, to_finding
        from functions._platform.domains.code.service import ReviewRequest, review_service
        from functions._platform.domains.code.source import SourceError

        request = ReviewRequest(service, endpoint, base, head)
        try:
            done = review_service(settings, request)
        except SourceError as exc:
            raise ToolError(str(exc)) from exc
        policy = auto_approved(settings.review_auto_approve)
        findings = [to_finding(issue, service, request.describe(), endpoint, done.revision, policy)
                    for issue in done.review.issues]
        findings.sort(key=lambda f: f.score, reverse=True)
        checked = [(f"code {service}: reviewed {done.review.files} file(s), {done.review.lines} lines "
                    f"({done.scope_note})")]
        return {"findings": [f.model_dump(mode="json") for f in findings[:MAX_FINDINGS]], "checked": checked,
                "revision": done.revision}

    return server


def main(argv: list[str] | None = None) -> None:
    args = serve_parser("Serve the code-review MCP server.", 8767).parse_args(argv)
    serve(build(Settings()), args)


if __name__ == "__main__":
    main()
