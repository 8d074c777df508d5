"""brute_force: many failed logins from one source (an address, pam's remote host, or `local:<user>` for su/sudo).

A source is flagged when it fails `BURST_ATTEMPTS` times within `BURST_SPAN` (fail2ban's findtime/maxretry
idea) or `SLOW_ATTEMPTS` times across the whole window (a slow, patient attack).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.auth.analyzers.attempts import AuthAttempt, attempts, counted
from functions._platform.domains.logs.analyzers.evidence import quoted, sample_lines, top_counts
from functions._platform.domains.logs.analyzers.rate_series import weighted_per_minute
from functions._platform.domains.logs.analyzers.windows import split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

BURST_ATTEMPTS = 5
BURST_SPAN = timedelta(minutes=10)
SLOW_ATTEMPTS = 20
CRITICAL_ATTEMPTS = 50
MAX_FINDINGS = 50


def densest_burst(failures: Sequence[AuthAttempt], span: timedelta) -> int:
    """Most failed attempts inside any `span`-long stretch (failures sorted by time)."""
    best = 0
    total = 0
    left = 0
    for right, item in enumerate(failures):
        total += item.weight
        while item.timestamp - failures[left].timestamp > span:
            total -= failures[left].weight
            left += 1
        best = max(best, total)
    return best


BRUTE_FORCE = FindingKind(
    name="brute_force", domain="auth",
    actions=(
        action("block-source", "Block {source_ip} at the edge", None, "medium", True, "source_ip"),
    ),
    mitigation=("Block or rate-limit the source address (fail2ban, WAF, security group); enforce key-only or MFA login.",
                "A weak or reused password on the targeted accounts may be guessed."),
    runbook_alerts=("BruteForceLogin",),
)


def _failures_by_source(records: Sequence[LogRecord]) -> dict[tuple[str, str], list[AuthAttempt]]:
    by_source: dict[tuple[str, str], list[AuthAttempt]] = {}
    for item in attempts(records):
        if item.outcome == "failure" and item.source_ip:
            by_source.setdefault((item.service, item.source_ip), []).append(item)
    return by_source


class BruteForce:
    kind = "brute_force"
    kinds = (BRUTE_FORCE,)
    scopes = frozenset({"records"})

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        flagged = []
        for (service, source), lines in _failures_by_source(incident).items():
            items = counted(lines)
            total = sum(item.weight for item in items)
            burst = densest_burst(items, BURST_SPAN)
            if burst >= BURST_ATTEMPTS or total >= SLOW_ATTEMPTS:
                flagged.append((service, source, items, total, burst))
        before = _failures_by_source(baseline) if flagged else {}  # only for the charts of what is flagged
        findings = [self._finding(service, source, items, total, burst, context,
                                  counted(before.get((service, source), [])) + items)
                    for service, source, items, total, burst in flagged]
        findings.sort(key=lambda f: (-f.evidence["attempts"], f.evidence["source_ip"]))
        return findings[:MAX_FINDINGS]

    def _finding(self, service: str, source: str, items: list[AuthAttempt], total: int, burst: int,
                 context: AnalysisContext, history: list[AuthAttempt]) -> Finding:
        users = top_counts([i.user for i in items], 10, [i.weight for i in items])
        distinct_users = len({i.user for i in items if i.user})
        return context.finding(
            kind=self.kind,
            subject=service,
            severity="critical" if total >= CRITICAL_ATTEMPTS else "warning",
            score=round(min(1.0, 0.5 + total / (2 * CRITICAL_ATTEMPTS)), 3),
            summary=f"{service}: {total} failed logins from {quoted(source)} ({distinct_users} user names), "
                    f"up to {burst} in 10 min",
            onset=items[0].timestamp,
            evidence={
                "source_ip": source,
                "attempts": total,
                "max_in_10m": burst,
                "distinct_users": distinct_users,
                "users": users,
                "methods": top_counts([i.method for i in items], 5, [i.weight for i in items]),
                "first_seen": items[0].timestamp.isoformat(),
                "last_seen": items[-1].timestamp.isoformat(),
                "sample": sample_lines([i.record for i in items], 3),
                **weighted_per_minute(history, context),
            },
        )
