"""`/docs` without a CDN: the OpenAPI document as one static page (the interactive Swagger UI needs the network)."""

from __future__ import annotations

from html import escape
from typing import Any

STYLE = ("body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1d2330}"
         "code{background:#f0f2f5;padding:1px 4px;border-radius:4px}.m{display:inline-block;width:4.5rem;"
         "font-weight:700}td{padding:4px 8px;border-bottom:1px solid #eef0f4;vertical-align:top}"
         "table{border-collapse:collapse;width:100%}.lock{color:#8a5a00}")


def page(schema: dict[str, Any]) -> str:
    rows = []
    for path, operations in sorted(schema.get("paths", {}).items()):
        for method, operation in operations.items():
            params = ", ".join(f"<code>{escape(p['name'])}</code>" for p in operation.get("parameters", [])
                               if p.get("in") == "query")
            lock = " <span class='lock'>(bearer token)</span>" if operation.get("security") else ""
            rows.append(f"<tr><td><span class='m'>{escape(method.upper())}</span><code>{escape(path)}</code></td>"
                        f"<td>{escape(operation.get('summary', ''))}{lock}"
                        + (f"<br>query: {params}" if params else "") + "</td></tr>")
    info = schema.get("info", {})
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{escape(info.get('title', 'API'))}"
            f"</title><style>{STYLE}</style></head><body><h1>{escape(info.get('title', 'API'))} "
            f"{escape(info.get('version', ''))}</h1><p>{escape(info.get('description', ''))}</p>"
            "<p>The machine-readable document is at <a href='/openapi.json'>/openapi.json</a>; "
            "<a href='/'>incidents</a>.</p>"
            f"<table>{''.join(rows)}</table></body></html>\n")
