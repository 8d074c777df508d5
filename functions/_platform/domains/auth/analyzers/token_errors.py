"""token_errors: JWT/OIDC validation failures in log lines: expired tokens, bad signatures, clock skew."""

from __future__ import annotations

import re
from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.logs.analyzers.evidence import sample_lines
from functions._platform.domains.logs.analyzers.stats import poisson_sf
from functions._platform.domains.logs.analyzers.windows import by_service, split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

_TOKEN = re.compile(r"\b(?:jwt|jws|jwks?|token|oidc|id_token|access_token|bearer|claims?)\b", re.IGNORECASE)
REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("clock_skew", re.compile(
        r"clock skew|not yet valid|\bnbf\b|used before|issued in the future|\biat\b.*future|before issued",
        re.IGNORECASE)),
    ("expired", re.compile(r"expired|\bexp\b claim|token is expired|expiry", re.IGNORECASE)),
    ("bad_signature", re.compile(
        r"signature (?:is )?invalid|invalid signature|signature verification failed|bad signature|"
        r"unable to verify|no matching key|unknown kid|key not found", re.IGNORECASE)),
    ("bad_claims", re.compile(r"invalid (?:issuer|audience)|\baud\b.*mismatch|\biss\b.*mismatch", re.IGNORECASE)),
    ("jwks_unavailable", re.compile(r"jwks.*(?:fetch|timeout|unreachable|failed)|discovery.*failed", re.IGNORECASE)),
)
MIN_ERRORS = 5
MIN_CLOCK_SKEW = 2  # skew means a broken clock somewhere; a couple of lines is enough to say so
MAX_P_VALUE = 1e-3


def token_reason(message: str) -> str | None:
    if not _TOKEN.search(message):
        return None
    for reason, pattern in REASONS:
        if pattern.search(message):
            return reason
    return None


TOKEN_ERRORS = FindingKind(
    name="token_errors", domain="auth",
    actions=(
        action("token-config", "Check {subject}'s token issuer keys (JWKS), audience and clock sync", None, "low"),
    ),
    mitigation=("Check clock sync (NTP) on issuers and validators, JWKS key rotation and token lifetimes.",
                "Clients fail authentication until tokens or clocks are fixed."),
)


class TokenErrors:
    kind = "token_errors"
    kinds = (TOKEN_ERRORS,)
    scopes = frozenset({"records"})

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        base_counts = {s: sum(token_reason(r.message) is not None for r in rs) for s, rs in by_service(baseline).items()}
        findings = []
        for service, records in sorted(by_service(incident).items()):
            hits = [(r, reason) for r in records if (reason := token_reason(r.message))]
            if not hits:
                continue
            reasons: dict[str, int] = {}
            for _, reason in hits:
                reasons[reason] = reasons.get(reason, 0) + 1
            prior = base_counts.get(service, 0)
            expected = (prior + 0.5) / (context.baseline_minutes + 1) * context.window_minutes
            p_value = poisson_sf(len(hits), expected)
            skew = reasons.get("clock_skew", 0) >= MIN_CLOCK_SKEW
            if not skew and (len(hits) < MIN_ERRORS or p_value > MAX_P_VALUE):
                continue
            top = max(reasons.items(), key=lambda item: item[1])[0]
            findings.append(context.finding(
                kind=self.kind,
                subject=service,
                severity="critical" if top == "bad_signature" or len(hits) >= 100 else "warning",
                score=round(min(1.0, 0.5 + len(hits) / 200 + (0.2 if skew else 0.0)), 3),
                summary=f"{service}: {len(hits)} token validation errors, mostly {top.replace('_', ' ')}",
                onset=hits[0][0].timestamp,
                evidence={"errors": len(hits), "reasons": reasons, "baseline_errors": prior,
                          "expected": round(expected, 2), "sample": sample_lines([r for r, _ in hits], 3)},
            ))
        return findings
