"""`GET /runbooks/{id}`: an ingested runbook as a page, with an anchor per section, so report links open."""

from __future__ import annotations

import html
import re
from typing import Any

from functions._platform.httpapi import ApiError, HttpRequest, HttpResponse, Route
from functions._platform.runbooks.attach import knowledge_base
from functions._platform.runtime import Runtime

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
STYLE = ("body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1f24}"
         "pre,code{background:#f3f4f6;border-radius:4px}pre{padding:.75rem;overflow-x:auto}"
         "h2{border-bottom:1px solid #d0d7de;padding-bottom:.2rem;margin-top:2rem}.meta{color:#57606a}")


def anchor(heading: str) -> str:
    return re.sub(r"[^a-z0-9 -]", "", heading.lower()).strip().replace(" ", "-")


def url_of(runbook_id: str, section: str | None = None) -> str:
    """Where the orchestrator serves an ingested runbook (and the section to open)."""
    return f"/runbooks/{runbook_id}" + (f"#{anchor(section)}" if section else "")


def _markdown(text: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).render(text)  # raw HTML in a runbook is shown, not run


def page(sections: list[dict[str, Any]]) -> str:
    first = sections[0]
    title = first.get("runbook_title") or first["id"]
    parts = [f"<h1>{html.escape(title)}</h1><p class='meta'>{html.escape(first['id'])}"
             + (f" · source {html.escape(first['path'])}" if first.get("path") else "") + "</p>"]
    for section in sections:
        heading = section.get("heading") or ""
        if heading and heading != title:
            parts.append(f"<h2 id='{anchor(heading)}'>{html.escape(heading)}</h2>")
        parts.append(_markdown(section.get("markdown") or section.get("text") or ""))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'><style>{STYLE}</style></head>"
            f"<body>{''.join(parts)}</body></html>\n")


def get_runbook(runtime: Runtime, request: HttpRequest) -> HttpResponse:
    runbook_id = f"{request.path_params['component']}/{request.path_params['name']}".removesuffix(".md")
    base = knowledge_base(runtime.settings)
    base.ensure_seeded()
    sections = [hit.source for hit in base.sections_of(id=runbook_id)]
    if not sections:
        raise ApiError(404, "runbook_not_found", f"no runbook {runbook_id!r}; ingest it with `sreo runbooks ingest`")
    return HttpResponse(200, page(sections), content_type="text/html; charset=utf-8",
                        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


ROUTES = [Route("GET", "/runbooks/{component}/{name}", get_runbook, "An ingested runbook as a page (HTML).")]
