"""`GET /`: the incidents, newest first, filtered by status, service and time, each linked to its report."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

from functions.report.html import CONTENT_SECURITY_POLICY, STYLE

STATUSES = ("open", "correlated", "reported", "resolved")


def _e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def page(items: list[dict[str, Any]], total: int, status: str | None, service: str | None, since: str | None) -> str:
    options = "".join(f"<option value='{s}'{' selected' if s == status else ''}>{s}</option>"
                      for s in ("", *STATUSES))
    form = (f"<form method='get' action='/'><label>status <select name='status'>{options}</select></label> "
            f"<label>service <input name='service' value='{_e(service)}' size='14'></label> "
            f"<label>since <input name='since' value='{_e(since)}' placeholder='24h, 7d' size='8'></label> "
            "<button type='submit'>Filter</button></form>")
    rows = "".join(
        f"<tr><td><a href='/incidents/{quote(i['id'])}/report?format=html'>{_e(i['title'])}</a></td>"
        f"<td><span class='badge {_e(i['severity'])}'>{_e(i['severity'])}</span></td><td>{_e(i['status'])}</td>"
        f"<td>{_e(i['service'] or '-')}</td><td>{_e(i['started_at'][:16].replace('T', ' '))} UTC</td>"
        f"<td><code>{_e(i['id'])}</code></td></tr>" for i in items)
    table = (f"<table><tr><th>incident</th><th>severity</th><th>status</th><th>service</th><th>started</th>"
             f"<th>id</th></tr>{rows}</table>" if items else "<p class='muted'>No incident matches.</p>")
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">'
            f"<title>Incidents · SRE Orchestrator</title><style>{STYLE}</style></head><body>"
            f"<header><h1>Incidents</h1><div class='meta'><span>{len(items)} of {total}</span>"
            f"<span><a style='color:#fff' href='/docs'>API</a></span></div></header>"
            f"<main><section id='incidents'>{form}{table}</section></main></body></html>\n")
