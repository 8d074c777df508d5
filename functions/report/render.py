"""Render a stored report body as Markdown."""

from __future__ import annotations

from typing import Any


def _evidence_line(finding: dict[str, Any]) -> str:
    query = f" — `{finding['query']}`" if finding.get("query") else ""
    return f"  - **{finding['kind']}** ({finding['severity']}, score {finding['score']:.2f}): {finding['summary']}{query}"


def markdown(report: dict[str, Any]) -> str:
    lines = [f"# {report['title']}", "",
             f"Incident `{report['incident_id']}` · severity **{report['severity']}** · status **{report['status']}**"
             f" · started {report['started_at']}", "", "## Impact", "", report["impact"], ""]
    causes = report["causes"]
    lines += ["## Most probable cause", ""]
    if causes:
        top = causes[0]
        lines += [f"**{top['component']}** — {top['kind']} (confidence {top['confidence']:.0%})", "", top["reason"], ""]
    else:
        lines += ["No cause could be ranked from the evidence collected.", ""]
    if causes:
        lines += ["## Ranked causes and evidence", ""]
        for rank, cause in enumerate(causes, 1):
            lines.append(f"{rank}. **{cause['component']}** · {cause['kind']} · score {cause['score']:.3f} · "
                         f"confidence {cause['confidence']:.0%}")
            lines.append(f"   {cause['reason']}")
            lines += [_evidence_line(finding) for finding in cause["evidence"]]
        lines.append("")
        actions = [action for cause in causes for action in cause["actions"]]
        if actions:
            lines += ["## What to do now", ""]
            for action in actions:
                approval = " · **requires approval**" if action["requires_approval"] else ""
                command = f": `{action['command']}`" if action.get("command") else ""
                lines.append(f"- [{action['id']}] {action['title']} (risk {action['risk']}{approval}){command}")
            lines.append("")
        runbooks = {rb["id"]: rb for cause in causes for rb in cause["runbooks"]}
        if runbooks:
            lines += ["## Runbooks", ""]
            lines += [f"- [{rb['title']}]({rb.get('path') or rb['id']})"
                      + (f" — see *{rb['section']}*" if rb.get("section") else "") for rb in runbooks.values()]
            lines.append("")
    domains = report["domains"]
    if report["healthy"]:
        lines += ["## Checked and healthy", ""] + [f"- {item}" for item in report["healthy"]] + [""]
    unchecked = [f"- {domain}: failed — {error}" for domain, error in domains["failed"].items()]
    unchecked += [f"- {domain}: never answered before the deadline" for domain in domains["missing"]]
    unchecked += [f"- {domain}: no data — {why}" for domain, why in domains.get("no_data", {}).items()]
    if unchecked:
        lines += ["## Could not be checked", ""] + unchecked + [""]
    if report["alerts"]:
        lines += ["## Alerts", ""] + [f"- {a['alertname']} ({a['status']}, ×{a['count']})" for a in report["alerts"]]
        lines.append("")
    lines += ["## Timeline", ""] + [f"- {entry['at']} · {entry['actor']} · {entry['text']}"
                                    for entry in report["timeline"]]
    return "\n".join(lines) + "\n"
