"""success_after_failures: a login succeeds right after a burst of failures from the same source or for the
same user (a possible compromise)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.auth.analyzers.attempts import AuthAttempt, attempts, failure_count
from functions._platform.domains.logs.analyzers.evidence import quoted, sample_lines
from functions._platform.domains.logs.analyzers.windows import split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_FAILURES = 5
LOOKBACK = timedelta(minutes=30)


SUCCESS_AFTER_FAILURES = FindingKind(
    name="success_after_failures", domain="auth",
    actions=(
        action("contain-account", "Treat the account as compromised: revoke sessions, reset credentials", None,
               "high", True),
    ),
    mitigation=(("Treat the account as possibly compromised: revoke its sessions, rotate its credentials "
                 "and review what it did after the login."),
                "An attacker may already hold a valid session."),
)


class SuccessAfterFailures:
    kind = "success_after_failures"
    kinds = (SUCCESS_AFTER_FAILURES,)
    scopes = frozenset({"records"})

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        lookback_start = context.window.start - LOOKBACK
        history = [a for a in attempts(baseline) if a.timestamp >= lookback_start]
        current = attempts(incident)
        everything = history + current
        findings: list[Finding] = []
        seen: set[tuple[str, str | None, str | None]] = set()
        for success in (a for a in current if a.outcome == "success"):
            prior = [
                a for a in everything
                if a.outcome == "failure" and a.service == success.service
                and success.timestamp - LOOKBACK <= a.timestamp <= success.timestamp
                and ((success.source_ip and a.source_ip == success.source_ip)
                     or (success.user and a.user == success.user))
            ]
            failures = failure_count(prior)
            key = (success.service, success.source_ip, success.user)
            if failures < MIN_FAILURES or key in seen:
                continue
            seen.add(key)
            findings.append(self._finding(success, prior, failures, context))
        return findings

    def _finding(
        self, success: AuthAttempt, prior: list[AuthAttempt], failures: int, context: AnalysisContext
    ) -> Finding:
        who = f"user {quoted(success.user or '?')} from {quoted(success.source_ip or '?')}"
        return context.finding(
            kind=self.kind,
            subject=success.service,
            severity="critical",
            score=round(min(1.0, 0.7 + failures / 100), 3),
            summary=f"{success.service}: login succeeded for {who} after {failures} failures in 30 min",
            onset=success.timestamp,
            evidence={
                "source_ip": success.source_ip,
                "user": success.user,
                "failures_before": failures,
                "first_failure": prior[0].timestamp.isoformat(),
                "success_at": success.timestamp.isoformat(),
                "success_line": sample_lines([success.record], 1),
                "failure_sample": sample_lines([a.record for a in prior], 2),
            },
        )
