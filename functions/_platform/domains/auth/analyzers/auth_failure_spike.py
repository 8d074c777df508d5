"""auth_failure_spike: 401/403 responses (per service and path) or failed logins (per service) far above the
baseline's rate."""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.auth.analyzers.attempts import AuthAttempt, attempts, counted, failure_count
from functions._platform.domains.logs.analyzers.evidence import quoted, sample_lines, top_counts
from functions._platform.domains.logs.analyzers.stats import poisson_sf, surprise_score
from functions._platform.domains.logs.analyzers.windows import from_first_line, split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_FAILURES = 10
MIN_LIFT = 3.0
MAX_P_VALUE = 1e-4
MAX_FINDINGS = 10
MIN_BASELINE_MINUTES = 5  # a spike needs a baseline; at the start of a file there is none


def _key(item: AuthAttempt) -> tuple[str, str | None]:
    return item.service, item.path if item.method == "http" else None


AUTH_FAILURE_SPIKE = FindingKind(
    name="auth_failure_spike", domain="auth",
    actions=(
        action("auth-failures", "Find what changed for {subject}'s logins (identity provider, secrets, clients)",
               None, "low"),
    ),
    mitigation=(("Look at the failing sources and paths; block abusive sources and check identity "
                 "provider health."),
                "Legitimate users may be locked out; an attack may be under way."),
)


class AuthFailureSpike:
    kind = "auth_failure_spike"
    kinds = (AUTH_FAILURE_SPIKE,)
    scopes = frozenset({"records"})

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        context = from_first_line(context, min((r.timestamp for r in data), default=None))
        if context.baseline_minutes < MIN_BASELINE_MINUTES:
            return []
        baseline, incident = split_windows(data, context)
        now: dict[tuple[str, str | None], list[AuthAttempt]] = {}
        before: dict[tuple[str, str | None], list[AuthAttempt]] = {}
        for item in attempts(incident):
            if item.outcome == "failure":
                now.setdefault(_key(item), []).append(item)
        for item in attempts(baseline):
            if item.outcome == "failure":
                before.setdefault(_key(item), []).append(item)
        findings = []
        for (service, path), lines in now.items():
            items = counted(lines)
            failures = sum(item.weight for item in items)
            prior = failure_count(before.get((service, path), []))
            # failures per minute, the baseline smoothed so an empty one is not a rate of zero
            base_rate = (prior + 0.5) / (context.baseline_minutes + 1)
            expected = base_rate * context.window_minutes
            p_value = poisson_sf(failures, expected)
            if failures < MIN_FAILURES or failures < MIN_LIFT * expected or p_value > MAX_P_VALUE:
                continue
            findings.append(self._finding(service, path, items, failures, prior, expected, p_value, context))
        findings.sort(key=lambda f: -f.score)
        return findings[:MAX_FINDINGS]

    def _finding(
        self, service: str, path: str | None, items: list[AuthAttempt], failures: int, prior: int,
        expected: float, p_value: float, context: AnalysisContext,
    ) -> Finding:
        where = f"{service} {quoted(path)}" if path else service
        lift = failures / max(expected, 1e-9)
        return context.finding(
            kind=self.kind,
            subject=service,
            severity="critical" if lift >= 20 and failures >= 100 else "warning",
            score=surprise_score(p_value, lift / 50),
            summary=f"{where}: {failures} authentication failures against {expected:.1f} expected from the baseline",
            onset=items[0].timestamp,
            evidence={
                "path": path,
                "failures": failures,
                "baseline_failures": prior,
                "expected": round(expected, 2),
                "p_value": float(f"{p_value:.3g}"),
                "sources": top_counts([i.source_ip for i in items], 5, [i.weight for i in items]),
                "users": top_counts([i.user for i in items], 5, [i.weight for i in items]),
                "statuses": top_counts([i.record.status for i in items]),
                "sample": sample_lines([i.record for i in items], 3),
            },
        )
