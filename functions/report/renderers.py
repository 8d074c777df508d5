"""Every format an incident report is read in, in one registry: REST (`format=`), the CLI (`--format`) and
anything else that shows a report asks here."""

from __future__ import annotations

import json

from functions._platform.rendering import HTML, JSON, MARKDOWN, TEXT, Format, Renderers, plain_text
from functions.report import glance, html, postmortem, render
from functions.report.model import IncidentReport


class NoPostmortem(LookupError):
    """The report has no post-mortem draft to render."""


def as_json(report: IncidentReport) -> str:
    return json.dumps(report.dump(), default=str)


def as_postmortem(report: IncidentReport) -> str:
    if not report.postmortem:
        raise NoPostmortem(f"the report of {report.incident_id!r} has no post-mortem draft")
    return postmortem.markdown(report.postmortem.model_dump(mode="json"))


def as_text(report: IncidentReport) -> str:
    """Plain text for a terminal or a chat line: no markup, each value on its own line."""
    lines = [report.title, glance.headline(report.dump())]
    if report.causes:
        top = report.causes[0]
        lines += [f"Cause: {top.component} {glance.kind_words(top.kind)}, {glance.confidence(top.confidence)[0]}",
                  f"Why: {top.reason}"]
        lines += [f"Evidence: {entry.summary}" for entry in report.evidence if entry.cause_rank == 1][:3]
    lines += [f"Do: {action.title}" + (f" ({action.command})" if action.command else "")
              + (" [requires approval]" if action.requires_approval else "") for action in report.actions[:5]]
    lines += [f"Not checked: {item.domain} ({item.status}: {item.reason})" for item in report.unchecked]
    lines.append(f"Report: /incidents/{report.incident_id}/report")
    return "\n".join(plain_text(line) for line in lines) + "\n"


RENDERERS: Renderers[IncidentReport] = Renderers([
    Format("json", JSON, as_json, data=IncidentReport.dump),
    Format("markdown", MARKDOWN, render.markdown, aliases=("md",)),
    Format("html", HTML, html.page, headers={"Content-Security-Policy": html.CONTENT_SECURITY_POLICY}),
    Format("postmortem", MARKDOWN, as_postmortem),
    Format("text", TEXT, as_text),
])
