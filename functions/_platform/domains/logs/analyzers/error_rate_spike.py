"""error_rate_spike: a service's share of error lines jumps well above its own baseline.

An error is a 5xx in an access log or an error-or-worse level in an application log. The incident
count is tested against the baseline ratio with a Poisson tail, and a finding also needs a minimum
number of errors and a minimum error share, so a handful of 500s among thousands of lines never pages.
"""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.logs.analyzers.evidence import is_error, sample_lines, top_counts
from functions._platform.domains.logs.analyzers.rate_series import error_share
from functions._platform.domains.logs.analyzers.stats import poisson_sf, surprise_score
from functions._platform.domains.logs.analyzers.windows import per_service
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.domains.logs.source.templates import mask_message
from sreo_events.models import Finding

MIN_ERRORS = 5
MIN_ERROR_SHARE = 0.01  # at least 1% of the window's lines
MIN_LIFT = 3.0  # and at least three times the baseline share
MAX_P_VALUE = 1e-4
CRITICAL_SHARE = 0.2


ERROR_RATE_SPIKE = FindingKind(
    name="error_rate_spike", domain="logs",
    actions=(
        action("what-changed", "Look at what changed in {subject} just before the spike (deploys, config, "
               "dependencies)", None, "low"),
    ),
    mitigation=("Check the service's recent deploys and dependencies; roll back or fail over if errors persist.",
                "Users see failed requests; error-budget burn pages soon if the share holds."),
    runbook_alerts=("HighErrorRate",),
)


class ErrorRateSpike:
    kind = "error_rate_spike"
    kinds = (ERROR_RATE_SPIKE,)

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        return per_service(data, context, self._service)

    def _service(
        self, service: str, records: list[LogRecord], baseline: list[LogRecord], context: AnalysisContext
    ) -> Finding | None:
        errors = [r for r in records if is_error(r)]
        base_errors = sum(is_error(r) for r in baseline)
        # Jeffreys-style smoothing: an empty or clean baseline still has a small, non-zero error share
        base_share = (base_errors + 0.5) / (len(baseline) + 1)
        share = len(errors) / len(records)
        expected = len(records) * base_share
        p_value = poisson_sf(len(errors), expected)
        if (
            len(errors) < MIN_ERRORS
            or share < MIN_ERROR_SHARE
            or share < MIN_LIFT * base_share
            or p_value > MAX_P_VALUE
        ):
            return None
        return context.finding(
            kind=self.kind,
            subject=service,
            severity="critical" if share >= CRITICAL_SHARE else "warning",
            score=surprise_score(p_value, share / CRITICAL_SHARE),
            summary=(
                f"{service}: {len(errors)} errors in {len(records)} lines ({share:.1%}) against "
                + (f"{base_errors}/{len(baseline)} ({base_errors / len(baseline):.2%}) in the baseline"
                   if baseline else "no lines in the baseline")
            ),
            onset=errors[0].timestamp,
            evidence={
                "errors": len(errors),
                "lines": len(records),
                "error_share": round(share, 4),
                "baseline_errors": base_errors,
                "baseline_lines": len(baseline),
                "baseline_share": round(base_share, 5),
                "p_value": float(f"{p_value:.3g}"),
                "statuses": top_counts([r.status for r in errors]),
                "paths": top_counts([r.path for r in errors]),
                "templates": top_counts([mask_message(r.message) for r in errors], 3),
                "sample": sample_lines(errors, 3),
                **error_share(baseline + records, context, is_error),
            },
        )
