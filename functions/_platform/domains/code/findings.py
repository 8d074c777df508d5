"""Review issues as the standard finding shape, so they join an incident's causes through the same ranking."""

from __future__ import annotations

from functions._platform.analyzers.kinds import FindingKind, Risk, action
from functions._platform.domains.code.model import CodeIssue
from sreo_events.models import Finding

SEVERITY = {"critical": "critical", "high": "critical", "medium": "warning", "low": "info"}
SCORE = {"critical": 0.8, "high": 0.7, "medium": 0.5, "low": 0.3}
PATCH_LIMIT = 6000
FIX_KEY = "apply-fix"
FIX_ACTION = f"{FIX_KEY}-"  # the id prefix of every code fix action
APP_WIDE_KEY = "app_wide"  # evidence flag: the flaw is in the setup code of the app (see CodeIssue.app)
# The action is to apply the reviewed patch, or follow the written suggestion; the fix's risk sets the action's. A
# finding whose fix the review policy does not approve by itself carries `requires_approval` in its evidence (see
# to_finding), so a responder must approve it. An app-wide finding (in the setup code of the app, not in the code
# under review) always does: its fix changes every endpoint the app serves, which no policy on the reviewed code's
# fixes covers.
FIX_RISK: dict[str, Risk] = {
    "sql_injection": "medium", "xss": "medium", "csrf": "high", "permissive_cors": "high",
    "unsafe_deserialisation": "medium", "weak_auth": "medium", "command_injection": "medium", "code_injection": "medium", "path_traversal": "medium",
    "ssrf": "medium", "weak_crypto": "medium", "n_plus_one": "low", "unbounded_query": "low", "sync_io_in_async": "low",
    "missing_timeout": "low"}


def _code_kind(rule: str, risk: Risk) -> FindingKind:
    return FindingKind(name=f"code_{rule}", domain="code", actions=(
        action(FIX_KEY, "Fix the {rule} flaw in {subject} at {file}:{line} (patch or suggestion in the evidence)",
               None, risk, risk == "high", "file", "line"),))


CODE_KINDS: tuple[FindingKind, ...] = tuple(_code_kind(rule, risk) for rule, risk in FIX_RISK.items())


def kind_of(issue: CodeIssue) -> str:
    return f"code_{issue.rule}"


def auto_approved(policy: str) -> frozenset[str]:
    """The fix risks the supervisor approves by itself (`SREO_REVIEW_AUTO_APPROVE`, e.g. `low,medium`)."""
    return frozenset(part.strip() for part in policy.split(",") if part.strip())


def to_finding(issue: CodeIssue, service: str, query: str, endpoint: str | None = None,
               revision: str | None = None, policy: frozenset[str] = frozenset()) -> Finding:
    # a performance or resilience flaw on the endpoint that degrades is the likeliest cause of the degradation
    boost = 0.15 if endpoint and issue.category in ("performance", "resilience") and not issue.app else 0.0
    fix = issue.fix
    evidence = {
        "file": issue.file, "line": issue.line, "cwe": issue.cwe, "rule": issue.rule, "category": issue.category,
        "issue_severity": issue.severity, "engine": issue.engine, "test_id": issue.test_id or None,
        "symbol": issue.symbol or None, "endpoint": endpoint, "revision": revision,
        "fix_risk": fix.risk if fix else None, "suggestion": fix.suggestion if fix else None,
        "patch": issue.patch[:PATCH_LIMIT] if issue.patch else None, "patch_verified": issue.patch_verified,
        "requires_approval": bool(fix) and (fix.risk not in policy or bool(issue.app)),  # type: ignore[union-attr]
        APP_WIDE_KEY: bool(issue.app) or None, "app": issue.app or None,
    }
    where = f"{issue.file}:{issue.line}" + (f" ({issue.symbol})" if issue.symbol else "")
    return Finding(kind=kind_of(issue), subject=service, severity=SEVERITY[issue.severity],  # type: ignore[arg-type]
                   score=min(1.0, SCORE[issue.severity] + boost), summary=f"{where}: {issue.message}",
                   evidence={k: v for k, v in evidence.items() if v is not None}, query=query)
