"""db_connection_errors: log lines where clients fail to reach a database, grouped by database host.

Pure over the lines it is given (from any service's logs, or an agent's own failed connection).
A line counts when it names a connection failure *and* is about PostgreSQL (a driver, a DSN, port 5432,
a `FATAL:` from the server itself). Lines inside the baseline window are counted separately; a host is
reported when its window count reaches the threshold and clearly exceeds its baseline.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.database.analyzers.grading import make_finding, strength, truncate
from functions._platform.domains.database.source.redact import redact_dsn
from sreo_events.models import Finding

REASONS: dict[str, re.Pattern[str]] = {
    "too_many_connections": re.compile(
        r"too many (?:connections|clients)|remaining connection slots are reserved|connection limit exceeded", re.IGNORECASE),
    "connection_refused": re.compile(r"connection refused|ECONNREFUSED", re.IGNORECASE),
    "could_not_connect": re.compile(
        r"could not connect|unable to connect|can't connect|cannot connect|connection to server .{0,80}failed"
        r"|timeout expired|could not translate host name|server closed the connection unexpectedly"
        r"|the database system is (?:starting up|shutting down|in recovery mode)", re.IGNORECASE),
}
_POSTGRES_CONTEXT = re.compile(
    r"postgres|psql|psycopg|libpq|\bpg\b|pg[_-]|sqlalchemy|jdbc|hikari|\bdatabase\b|\bdb\b|:5432\b|:6432\b"
    r"|FATAL:|sorry, too many clients", re.IGNORECASE)
_HOST_PATTERNS = [
    re.compile(r'connection to server at "(?P<host>[^"]+)"', re.IGNORECASE),
    re.compile(r'on host "(?P<host>[^"]+)"', re.IGNORECASE),
    re.compile(r"postgres(?:ql)?://(?:[^@/\s]+@)?(?P<host>[A-Za-z0-9_.\-]+)", re.IGNORECASE),
    re.compile(r"\bhost=(?P<host>[A-Za-z0-9_.\-]+)", re.IGNORECASE),
    re.compile(r"(?P<host>[A-Za-z0-9_.\-]*[A-Za-z0-9])(?::|, port )(?:5432|6432)\b", re.IGNORECASE),
]
SAMPLE_LINES = 5


class LogLine(BaseModel):
    model_config = ConfigDict(extra="ignore")

    text: str
    timestamp: datetime | None = None
    service: str | None = None


def classify(text: str) -> str | None:
    if not _POSTGRES_CONTEXT.search(text):
        return None
    for reason, pattern in REASONS.items():
        if pattern.search(text):
            return reason
    return None


def database_host(text: str) -> str | None:
    for pattern in _HOST_PATTERNS:
        match = pattern.search(text)
        if match:
            return match["host"].lower()
    return None


DB_CONNECTION_ERRORS = FindingKind(
    name="db_connection_errors", domain="database",
    actions=(
        action("check-db-reachable", "Check that {subject} accepts connections and has free slots",
               "SELECT count(*), current_setting('max_connections') FROM pg_stat_activity;", "low"),
    ),
    runbook_alerts=("PostgresTooManyConnections",),
)


class ConnectionErrorsAnalyzer:
    kind = "db_connection_errors"
    kinds = (DB_CONNECTION_ERRORS,)
    scopes = frozenset({"log_lines"})

    def _subject(self, host: str | None, context: AnalysisContext) -> str:
        if context.scope.subject:
            return context.scope.subject
        if host and host in context.scope.host_subjects:
            return context.scope.host_subjects[host]
        return f"postgres/{host or 'unknown'}"

    def analyze(self, data: Iterable[LogLine | str], context: AnalysisContext) -> list[Finding]:
        t = context.scope.thresholds
        window: dict[str, list[tuple[LogLine, str]]] = defaultdict(list)
        baseline: Counter[str] = Counter()
        for raw in data:
            line = raw if isinstance(raw, LogLine) else LogLine(text=str(raw))
            reason = classify(line.text)
            if reason is None:
                continue
            subject = self._subject(database_host(line.text), context)
            ts = line.timestamp
            if ts is not None and context.baseline.start <= ts < context.baseline.end:
                baseline[subject] += 1
            elif ts is None or context.window.start <= ts < context.window.end:
                window[subject].append((line, reason))
        findings = []
        for subject, hits in sorted(window.items()):
            count, before = len(hits), baseline[subject]
            if count < t.connection_errors_min or count <= 2 * before:
                continue
            findings.append(self._finding(subject, hits, before, context))
        return findings

    def _finding(self, subject: str, hits: list[tuple[LogLine, str]], before: int,
                 context: AnalysisContext) -> Finding:
        t = context.scope.thresholds
        reasons = Counter(reason for _, reason in hits)
        services = Counter(line.service for line, _ in hits if line.service)
        stamps = sorted(line.timestamp for line, _ in hits if line.timestamp is not None)
        critical = reasons["too_many_connections"] > 0 or len(hits) >= 10 * t.connection_errors_min
        top_reason = reasons.most_common(1)[0][0].replace("_", " ")
        summary = (f"{subject}: {len(hits)} connection error(s) ({top_reason})"
                   + (f" from {', '.join(s for s, _ in services.most_common(3))}" if services else "")
                   + f"; {before} in the baseline")
        evidence = {"count": len(hits), "baseline_count": before, "reasons": dict(reasons),
                    "services": dict(services.most_common(10)),
                    "first_seen": stamps[0].isoformat() if stamps else None,
                    "last_seen": stamps[-1].isoformat() if stamps else None,
                    "sample_lines": [truncate(redact_dsn(line.text), 300) for line, _ in hits[:SAMPLE_LINES]]}
        score = strength(len(hits), t.connection_errors_min, 10 * t.connection_errors_min)
        return make_finding(self.kind, subject, "critical" if critical else "warning", score, summary,
                            context, evidence, "log lines matching: " + " | ".join(REASONS),
                            onset=stamps[0] if stamps else None)
