"""The report's "Code review" section: the review's findings by severity, each with its patch or suggestion."""

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


def code_review_lines(report: dict[str, Any]) -> list[str]:
    findings = code_findings(report)
    if not findings:
        return []
    lines = ["## Code review", ""]
    for severity in ORDER:
        group = [f for f in findings if f.get("evidence", {}).get("issue_severity") == severity]
        if not group:
            continue
        lines += [f"### {severity.capitalize()} ({len(group)})", ""]
        for finding in group:
            evidence = finding["evidence"]
            cwe = f" · {t(evidence['cwe'])}" if evidence.get("cwe") else ""
            risk = f" · fix risk {t(evidence['fix_risk'])}" if evidence.get("fix_risk") else ""
            lines.append(f"- **{t(finding['kind'].removeprefix('code_'))}**{cwe}{risk}: {t(finding['summary'])}")
            patch = evidence.get("patch")
            if patch:
                verified = "checked: applies, parses, removes the finding" if evidence.get("patch_verified") \
                    else "not verified"
                fence = _fence(patch)
                lines += ["", f"  Patch ({verified}):", "", f"  {fence}diff"]
                lines += [f"  {line}" for line in patch.rstrip("\n").splitlines()] + [f"  {fence}", ""]
            elif evidence.get("suggestion"):
                lines.append(f"  Suggestion: {t(evidence['suggestion'])}")
    return lines + [""]
