"""bandit over the reviewed Python files, as a library. Its issues are mapped onto the review's kinds so that
one flaw reported by both engines is reported once."""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path

from functions._platform.domains.code.model import CodeIssue, Fix, Project

KIND_OF_TEST = {
    "B608": "sql_injection", "B610": "sql_injection", "B611": "sql_injection",
    "B301": "unsafe_deserialisation", "B302": "unsafe_deserialisation", "B506": "unsafe_deserialisation",
    "B105": "weak_auth", "B106": "weak_auth", "B107": "weak_auth", "B303": "weak_auth", "B324": "weak_auth",
    "B501": "weak_auth", "B201": "weak_auth",
    "B701": "xss", "B702": "xss", "B703": "xss", "B704": "xss", "B308": "xss",
    "B602": "command_injection", "B604": "command_injection", "B605": "command_injection",
    "B609": "command_injection", "B307": "code_injection", "B102": "code_injection",
}
# Checks the review leaves out: a service in a container must listen on every interface (B104), and its /tmp is
# its own, not shared with other users (B108).
NOT_FOR_SERVICES = frozenset({"B104", "B108"})
SEVERITY = {"LOW": "low", "MEDIUM": "medium", "HIGH": "high"}
RANK = {"UNDEFINED": 0, "LOW": 1, "MEDIUM": 2, "HIGH": 3}


def bandit_issues(project: Project, paths: set[str] | None = None, min_severity: str = "LOW",
                  min_confidence: str = "LOW") -> list[CodeIssue]:
    from bandit.core import config, manager

    logging.getLogger("bandit").setLevel(logging.ERROR)
    logging.getLogger("stevedore").setLevel(logging.CRITICAL)  # bandit's optional formatters (sarif) are not installed
    wanted = [m for m in project.python() if paths is None or m.path in paths]
    if not wanted:
        return []
    with tempfile.TemporaryDirectory(prefix="sreo-bandit-") as scratch:
        for module in wanted:
            target = Path(scratch, module.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(module.text)
        runner = manager.BanditManager(config.BanditConfig(), "file", quiet=True)
        runner.discover_files([scratch], recursive=True)
        runner.run_tests()
        found = []
        for item in runner.get_issue_list(sev_level="LOW", conf_level="LOW"):
            if RANK[item.severity] < RANK[min_severity] or RANK[item.confidence] < RANK[min_confidence]:
                continue
            path = str(Path(item.fname).relative_to(scratch))
            cwe = getattr(getattr(item, "cwe", None), "id", None)
            found.append(CodeIssue(
                rule=KIND_OF_TEST.get(item.test_id, f"bandit_{item.test_id.lower()}"), category="security",
                file=path, line=item.lineno, severity=SEVERITY.get(item.severity, "low"),  # type: ignore[arg-type]
                message=f"{item.text} (bandit {item.test_id})", cwe=f"CWE-{cwe}" if cwe else None,
                engine="bandit", test_id=item.test_id,
                fix=Fix(f"See bandit {item.test_id}: {item.text}", "medium")))
    return found


def merge(ours: list[CodeIssue], theirs: list[CodeIssue]) -> list[CodeIssue]:
    """Our issues, plus bandit's that no rule of ours reported on the same line with the same kind."""
    seen = {(i.file, i.line, i.rule) for i in ours}
    return ours + [i for i in theirs if (i.file, i.line, i.rule) not in seen]
