"""credential_stuffing: many distinct user names failing from a few sources, or one user failing from many."""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.auth.analyzers.attempts import AuthAttempt, attempts, counted
from functions._platform.domains.logs.analyzers.evidence import quoted, sample_lines, top_counts
from functions._platform.domains.logs.analyzers.windows import split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_DISTINCT_USERS = 10  # from one source
MIN_DISTINCT_SOURCES = 10  # against one user


CREDENTIAL_STUFFING = FindingKind(
    name="credential_stuffing", domain="auth",
    actions=(
        action("rate-limit-logins", "Rate-limit logins on {subject} and force resets for targeted accounts", None,
               "medium", True),
    ),
    mitigation=("Rate-limit by source and account, require MFA or CAPTCHA, and check for leaked credentials.",
                "Accounts whose passwords leaked elsewhere may be taken over."),
    runbook_alerts=("BruteForceLogin",),
)


class CredentialStuffing:
    kind = "credential_stuffing"
    kinds = (CREDENTIAL_STUFFING,)
    scopes = frozenset({"records"})

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        _, incident = split_windows(data, context)
        failures = counted(attempts(incident))
        findings: list[Finding] = []
        for (service, source), items in _group(failures, lambda a: a.source_ip).items():
            users = {i.user for i in items if i.user}
            if len(users) >= MIN_DISTINCT_USERS:
                findings.append(self._finding(service, "many_users_one_source", source, items, users, context))
        for (service, user), items in _group(failures, lambda a: a.user).items():
            sources = {i.source_ip for i in items if i.source_ip}
            if len(sources) >= MIN_DISTINCT_SOURCES:
                findings.append(self._finding(service, "one_user_many_sources", user, items, sources, context))
        return findings

    def _finding(
        self, service: str, pattern: str, key: str, items: list[AuthAttempt], spread: set[str],
        context: AnalysisContext,
    ) -> Finding:
        if pattern == "many_users_one_source":
            summary = f"{service}: {len(spread)} different user names failed from {quoted(key)}"
            detail = {"source_ip": key, "distinct_users": len(spread), "users": top_counts([i.user for i in items], 10)}
        else:
            summary = f"{service}: user {quoted(key)} failed from {len(spread)} different sources"
            detail = {"user": key, "distinct_sources": len(spread),
                      "sources": top_counts([i.source_ip for i in items], 10)}
        return context.finding(
            kind=self.kind,
            subject=service,
            severity="critical" if len(spread) >= 3 * MIN_DISTINCT_USERS else "warning",
            score=round(min(1.0, 0.5 + len(spread) / 60), 3),
            summary=summary,
            onset=items[0].timestamp,
            evidence={"pattern": pattern, **detail, "attempts": sum(i.weight for i in items),  # same count as brute_force
                      "sample": sample_lines([i.record for i in items], 3)},
        )


def _group(items: list[AuthAttempt], key) -> dict[tuple[str, str], list[AuthAttempt]]:
    grouped: dict[tuple[str, str], list[AuthAttempt]] = {}
    for item in items:
        value = key(item)
        if value:
            grouped.setdefault((item.service, value), []).append(item)
    return grouped
