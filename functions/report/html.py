"""Render a stored report body as one self-contained HTML page: inline CSS, no scripts, no external assets,
every value escaped. Links are kept only when they are http(s) or relative."""

from __future__ import annotations

import re
from html import escape
from typing import Any

from functions._platform.rendering import safe_url
from functions.report import charts, glance
from functions.report import code_review as review
from functions.report.dependency_path import path_svg
from functions.report.model import IncidentReport
from sreo_events.models import Cause

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'"

STYLE = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;background:#f6f7f9;color:#1d2330}
main{max-width:980px;margin:0 auto;padding:24px}
header{background:#1d2330;color:#fff;padding:20px 24px}header h1{margin:0 0 6px;font-size:22px}
.meta span{display:inline-block;margin-right:12px;opacity:.85}
section{background:#fff;border:1px solid #dfe3ea;border-radius:8px;padding:16px 20px;margin:16px 0}
h2{font-size:18px;margin:0 0 10px}h3{font-size:15px;margin:14px 0 6px}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#f0f2f5;border-radius:4px}
code{padding:1px 4px;word-break:break-all}pre{padding:8px;overflow-x:auto}pre code{padding:0;word-break:normal}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600;margin-left:6px}
.critical,.high{background:#fde2e1;color:#a4161a}.warning,.medium{background:#fff1d6;color:#8a5a00}
.info,.low{background:#e3f1e6;color:#1b6b32}.approval{background:#ede4ff;color:#5a2ca0}
.cause{font-size:17px}.muted{color:#5b6475}ul{padding-left:20px}li{margin:4px 0}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:4px 8px;border-bottom:1px solid #eef0f4}
.glance{border-left:6px solid #5b6475}.glance .headline{font-size:22px;font-weight:700;margin:0 0 6px}
.glance.conf-high{border-left-color:#1b6b32}.glance.conf-medium{border-left-color:#c77700}
.glance.conf-low{border-left-color:#a4161a}.conf{font-weight:600}.conf-high .conf{color:#1b6b32}
.conf-medium .conf{color:#8a5a00}.conf-low .conf{color:#a4161a}svg.chart{width:100%;height:auto;max-width:640px}
svg.path{width:100%;height:auto;max-width:860px}figure{margin:8px 0}
details summary{cursor:pointer;color:#5b6475}
"""


def _e(value: Any) -> str:
    """Escaped for HTML text and attributes, control characters (terminal escapes) dropped."""
    return escape(_CONTROL.sub("", "" if value is None else str(value)), quote=True)


def _link(url: str | None, text: str) -> str:
    href = safe_url(url)
    return f'<a href="{_e(href)}">{_e(text)}</a>' if href else _e(text)


def _badge(text: str, kind: str | None = None) -> str:
    return f'<span class="badge {_e(kind or text)}">{_e(text)}</span>'


def _section(section_id: str, title: str, inner: str) -> str:
    return f'<section id="{section_id}"><h2>{_e(title)}</h2>{inner}</section>'


def _items(items: list[str], empty: str = "") -> str:
    if not items:
        return f"<p class='muted'>{_e(empty)}</p>" if empty else ""
    return "<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


def _impact(report: IncidentReport) -> str:
    affected = report.affected
    items = [f"Symptom: {_e(s)}" for s in affected.symptoms]
    if affected.firing_alerts:
        items.append("Firing: " + ", ".join(f"<code>{_e(a)}</code>" for a in affected.firing_alerts))
    return _section("impact", "Impact", f"<p>{_e(report.impact)}</p>{_items(items)}")


def _glance(report: IncidentReport) -> str:
    causes = report.causes
    words, css = glance.confidence(causes[0].confidence) if causes else ("", "")
    conf = f"<p class='conf'>{_e(words.capitalize())}</p>" if words else ""
    figures = "".join(charts.cause_charts(causes[0].model_dump(mode="json"))) if causes else ""
    headline = glance.headline(report.dump())
    return (f'<section id="glance" class="glance {css}"><p class="headline">{_e(headline)}</p>'
            f"{conf}{figures}</section>")


def _cause(causes: list[Cause], path: str = "") -> str:
    if not causes:
        return _section("cause", "Most probable cause", "<p>No cause could be ranked from the evidence.</p>")
    top = causes[0]
    words, css = glance.confidence(top.confidence)
    confidence = f'<span class="badge {css}">{_e(words)}</span>'
    inner = (f'<p class="cause"><strong>{_e(top.component)}</strong> {_e(glance.kind_words(top.kind))} '
             f'{confidence}</p><p>{_e(top.reason)}</p>{path}')
    others = [f"<strong>{_e(c.component)}</strong> {_e(glance.kind_words(c.kind))} · "
              f"{_e(glance.confidence(c.confidence)[0])} — {_e(c.reason)}" for c in causes[1:]]
    if others:
        inner += "<h3>Other candidates</h3>" + _items(others)
    return _section("cause", "Most probable cause", inner)


def _path(report: IncidentReport) -> str:
    """The dependency path from the alerted service to the cause, when the graph connects them."""
    if not report.dependency_path:
        return ""
    return f"<h3>Dependency path</h3><figure>{path_svg(report.dependency_path)}</figure>"


def _evidence(report: IncidentReport) -> str:
    rows = []
    for entry in report.evidence:
        extra = []
        if entry.link:
            extra.append(_link(entry.link, "graph in Prometheus"))
        queries = []
        if entry.log_search:
            queries.append(f"log search: <code>{_e(entry.log_search.query)}</code>")
        if entry.query:
            queries.append(f"query: <code>{_e(entry.query)}</code>")
        if queries:  # folded: the query is for checking, not for reading first
            extra.append("<details><summary>how this was found</summary>" + "<br>".join(queries) + "</details>")
        symptom = f" on {_e(entry.subject)} <span class='muted'>(a symptom it explains)</span>" \
            if entry.is_symptom else ""
        rows.append(f"<strong>{_e(entry.component)}</strong> · <strong>{_e(entry.kind)}</strong>{symptom}"
                    f"{_badge(entry.severity)} <span class='muted'>{_e(entry.domain or '')}</span><br>"
                    f"{_e(entry.summary)}" + "".join(f"<br>{x}" for x in extra))
    return _section("evidence", "Evidence", _items(rows) or "<p>No evidence collected.</p>")


def _actions(report: IncidentReport) -> str:
    rows = []
    for action in report.actions:
        approval = _badge(f"requires approval: {action.approval}", "approval") if action.requires_approval else ""
        command = f"<br><code>{_e(action.command)}</code>" if action.command else ""
        risk = _badge("risk " + action.risk, action.risk)
        rows.append(f"<code>{_e(action.id)}</code> {_e(action.title)}{risk}{approval}{command}")
    note = ("<p class='muted'>Nothing is executed by the orchestrator; destructive actions need a responder's "
            "approval.</p>")
    return _section("actions", "What to do now", note + (_items(rows) or "<p>No action suggested.</p>"))


def _runbooks(report: IncidentReport) -> str:
    rows = [f"{_link(rb.path, rb.title)} for {_e(rb.component)}"
            + (f" — see {_link(rb.link, rb.section)}" if rb.section else "")
            for rb in report.runbooks]
    return _section("runbooks", "Runbooks", _items(rows) or "<p>No runbook matched.</p>")


def _code_finding(finding: dict[str, Any], severity: str = "") -> str:
    evidence = finding.get("evidence", {})
    facts = "".join(f" · {_e(value)}" for value in (evidence.get("cwe"),
                    f"fix risk {evidence['fix_risk']}" if evidence.get("fix_risk") else None) if value)
    item = (_badge(severity) + " " if severity else "") + (
        f"<strong>{_e(finding['kind'].removeprefix('code_'))}</strong>{facts}: {_e(finding.get('summary'))}")
    if evidence.get("patch"):
        item += (f"<br><span class='muted'>Patch ({_e(review.patch_status(evidence))}):</span>"
                 f"<pre><code>{_e(evidence['patch'])}</code></pre>")
    elif evidence.get("suggestion"):
        item += f"<br>Suggestion: {_e(evidence['suggestion'])}"
    return item


def _code_review(report: IncidentReport) -> str:
    """The same section as the Markdown's: the reviewed code's findings by severity, then the app-wide ones."""
    own, app_wide = review.split_app_wide(review.code_findings(report.dump()))
    if not own and not app_wide:
        return ""
    inner = "".join(f"<h3>{_e(severity.capitalize())} ({len(group)})</h3>" + _items([_code_finding(f) for f in group])
                    for severity, group in review.by_severity(own))
    if app_wide:
        inner += (f"<h3>App-wide ({len(app_wide)})</h3><p class='muted'>{_e(review.app_wide_note(app_wide))}</p>"
                  + _items([_code_finding(f, severity) for severity, group in review.by_severity(app_wide)
                            for f in group]))
    return _section("code-review", "Code review", inner)


def _unchecked(report: IncidentReport) -> str:
    rows = [f"<strong>{_e(i.domain)}</strong>: {_e(i.status)} — {_e(i.reason)}" for i in report.unchecked]
    return _section("unchecked", "Could not be checked", _items(rows) or "<p>Every expected domain answered.</p>")


def _timeline(report: IncidentReport) -> str:
    rows = "".join(f"<tr><td>{_e(t.at)}</td><td>{_e(t.actor)}</td><td>{_e(t.text)}</td></tr>"
                   for t in report.timeline)
    return _section("timeline", "Timeline", f"<table>{rows}</table>")


def _postmortem(report: IncidentReport) -> str:
    """The draft is its own document; the report only points at it, so the timeline is not read twice."""
    draft = report.postmortem
    if not draft:
        return ""
    link = f"/incidents/{report.incident_id}/report?format=postmortem"
    inner = (f"<p>{_e(draft.summary)}</p><p>{_link(link, 'Open the blameless post-mortem draft')} "
             f"<span class='muted'>(or <code>sreo incident show {_e(report.incident_id)} --format postmortem"
             "</code>)</span></p>")
    return _section("postmortem", "Post-mortem", inner)


def page(report: IncidentReport) -> str:
    healthy = _section("healthy", "Checked and healthy",
                       _items([_e(item) for item in report.healthy]) or "<p>Nothing recorded.</p>")
    narrative = _section("narrative", "Narrative (generated, check it against the evidence)",
                         f"<p>{_e(report.narrative)}</p>") if report.narrative else ""
    body = (_glance(report) + _impact(report) + _cause(report.causes, _path(report)) + _evidence(report) + _actions(report)
            + _runbooks(report) + _code_review(report) + healthy + _unchecked(report) + narrative + _timeline(report) + _postmortem(report))
    meta = "".join(f"<span>{_e(label)}: {_e(value)}</span>" for label, value in
                   (("incident", report.incident_id), ("severity", report.severity), ("status", report.status),
                    ("started", report.started_at), ("resolved", report.resolved_at)) if value)
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1">'
            f"<title>{_e(report.title)}</title><style>{STYLE}</style></head><body>"
            f"<header><h1>{_e(report.title)}</h1><div class='meta'>{meta}</div></header>"
            f"<main>{body}</main></body></html>\n")

