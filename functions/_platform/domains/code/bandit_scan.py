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
    "B614": "unsafe_deserialisation", "B615": "unsafe_deserialisation",  # torch.load; a model hub download unpinned
    "B105": "weak_auth", "B106": "weak_auth", "B107": "weak_auth", "B303": "weak_auth", "B324": "weak_auth",
    "B501": "weak_auth", "B201": "weak_auth", "B323": "weak_auth", "B507": "weak_auth",
    "B701": "xss", "B702": "xss", "B703": "xss", "B704": "xss", "B308": "xss",
    "B601": "command_injection", "B602": "command_injection", "B604": "command_injection",
    "B605": "command_injection", "B609": "command_injection",
    "B307": "code_injection", "B102": "code_injection", "B612": "code_injection",  # logging.config.listen
    "B202": "path_traversal",  # tarfile.extractall with no members filter
    "B310": "ssrf",
    "B113": "missing_timeout",  # a request without a timeout
    # broken or weak ciphers, keys, TLS/SSL versions, SNMP; telnet and FTP send credentials in clear
    "B304": "weak_crypto", "B305": "weak_crypto", "B311": "weak_crypto", "B312": "weak_crypto",
    "B321": "weak_crypto", "B502": "weak_crypto", "B503": "weak_crypto", "B504": "weak_crypto",
    "B505": "weak_crypto", "B508": "weak_crypto", "B509": "weak_crypto",
}
# Checks the review leaves out, each with why; every bandit check is either mapped above or listed here (a test
# holds it so), and an unknown one (a newer bandit's) is left out too rather than reported under no declared kind.
LEFT_OUT = {
    "B104": "a service in a container must listen on every interface",
    "B108": "a container's /tmp is its own, not shared with other users",
    "B306": "tempfile.mktemp races only with other users of a shared /tmp (see B108)",
    "B103": "file modes protect against other users of one host; a container's files have one user",
    "B101": "an assert is an invariant, not a flaw (only one guarding access would be, and that needs intent)",
    "B110": "error handling style, not a flaw", "B112": "error handling style, not a flaw",
    "B310": "the ssrf rule reports the URLs that come from the request; B310 audits every non-literal urlopen",
    "B603": "an argument list with no shell is the safe form", "B606": "an argument list with no shell",
    "B607": "a program named without its path matters only where PATH is the attacker's",
    "B313": "the standard library's XML parsers resolve no external entity (Python 3.7.1+, expat 2.4.1+)",
    "B314": "as B313", "B315": "as B313", "B316": "as B313", "B317": "as B313", "B318": "as B313",
    "B319": "as B313",
    "B613": "bidirectional control characters are for a diff review of the source, not a flaw of the app",
    **{test: "an import is not a use: the call checks report the use" for test in (
        "B401", "B402", "B403", "B404", "B405", "B406", "B407", "B408", "B409", "B411")},
    "B412": "the CGI handler is a deployment choice (httpoxy), no code pattern",
    "B413": "an unmaintained dependency, which dependency audits (pip-audit) report",
    "B415": "IPMI through pyghmi is an infrastructure protocol, out of the review's application scope",
}
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
            kind = KIND_OF_TEST.get(item.test_id, f"bandit_{item.test_id.lower()}")
            found.append(CodeIssue(
                rule=kind, category="resilience" if kind == "missing_timeout" else "security",
                file=path, line=item.lineno, severity=SEVERITY.get(item.severity, "low"),  # type: ignore[arg-type]
                message=f"{item.text} (bandit {item.test_id})", cwe=f"CWE-{cwe}" if cwe else None,
                engine="bandit", test_id=item.test_id,
                fix=Fix(f"See bandit {item.test_id}: {item.text}", "medium")))
    return found


def merge(ours: list[CodeIssue], theirs: list[CodeIssue]) -> list[CodeIssue]:
    """Our issues, plus bandit's that no rule of ours reported on the same line with the same kind."""
    seen = {(i.file, i.line, i.rule) for i in ours}
    return ours + [i for i in theirs if (i.file, i.line, i.rule) not in seen]
