"""The report's "Code review" section: the review's findings by severity, each with its patch or suggestion; then
the app-wide ones (flaws in the setup of the app serving the reviewed code) in a sub-list of their own. The
grouping is shared with the HTML page, which renders the same section."""

from __future__ import annotations

import re
from typing import Any

from functions._platform.rendering import markdown_text as t

ORDER = ("critical", "high", "medium", "low")


def _fence(text: str) -> str:
    return "`" * max(3, max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)


def code_findings(report: dict[str, Any]) -> list[dict[str, Any]]:
    seen, found = set(), []
    for cause in report.get("causes", []):
        for finding in cause.get("evidence", []):
            evidence = finding.get("evidence", {})
            key = (finding["kind"], evidence.get("file"), evidence.get("line"))
            if finding["kind"].startswith("code_") and key not in seen:
                seen.add(key)
                found.append(finding)
    return found


def by_severity(findings: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(severity, findings) in ORDER, leaving out empty groups."""
    groups = [(s, [f for f in findings if f.get("evidence", {}).get("issue_severity") == s]) for s in ORDER]
    return [(severity, group) for severity, group in groups if group]


def split_app_wide(findings: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The reviewed code's own findings, and the app-wide ones."""
    own = [f for f in findings if not f.get("evidence", {}).get("app_wide")]
    return own, [f for f in findings if f not in own]


def app_wide_note(app_wide: list[dict[str, Any]]) -> str:
    apps = sorted({str(f["evidence"].get("app")) for f in app_wide})
    return (f"In the setup of {', '.join(apps)}, which serves the reviewed code: true of every endpoint it "
            "serves, so not taken as this incident's cause.")


def patch_status(evidence: dict[str, Any]) -> str:
    return "checked: applies, parses, removes the finding" if evidence.get("patch_verified") else "not verified"


def code_review_lines(report: dict[str, Any]) -> list[str]:
    findings = code_findings(report)
    if not findings:
        return []
    own, app_wide = split_app_wide(findings)
    lines = ["## Code review", ""]
    for severity, group in by_severity(own):
        lines += [f"### {severity.capitalize()} ({len(group)})", ""]
        for finding in group:
            lines += _finding_lines(finding)
    if app_wide:
        lines += [f"### App-wide ({len(app_wide)})", "", t(app_wide_note(app_wide)), ""]
        for severity, group in by_severity(app_wide):
            for finding in group:
                lines += _finding_lines(finding, f"{severity} · ")
    return lines + [""]


def _finding_lines(finding: dict[str, Any], prefix: str = "") -> list[str]:
    evidence = finding["evidence"]
    cwe = f" · {t(evidence['cwe'])}" if evidence.get("cwe") else ""
    risk = f" · fix risk {t(evidence['fix_risk'])}" if evidence.get("fix_risk") else ""
    lines = [f"- {prefix}**{t(finding['kind'].removeprefix('code_'))}**{cwe}{risk}: {t(finding['summary'])}"]
    patch = evidence.get("patch")
    if patch:
        verified = patch_status(evidence)
        fence = _fence(patch)
        lines += ["", f"  Patch ({verified}):", "", f"  {fence}diff"]
        lines += [f"  {line}" for line in patch.rstrip("\n").splitlines()] + [f"  {fence}", ""]
    elif evidence.get("suggestion"):
        lines.append(f"  Suggestion: {t(evidence['suggestion'])}")
    return lines
