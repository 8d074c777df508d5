"""log_flood: a service (or one of its templates) logs far more lines per minute than in its baseline."""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.logs.analyzers.evidence import sample_lines
from functions._platform.domains.logs.analyzers.rate_series import lines_per_minute
from functions._platform.domains.logs.analyzers.stats import mad, median, poisson_sf, surprise_score
from functions._platform.domains.logs.analyzers.windows import from_first_line, per_service
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.domains.logs.source.templates import mask_message
from sreo_events.models import Finding

MIN_LINES = 100
MIN_FACTOR = 5.0  # lines per minute against the baseline's median minute
MAD_UNITS = 8.0
TEMPLATE_MIN_SHARE = 0.2
MIN_BASELINE_MINUTES = 5


def _per_minute(records: Sequence[LogRecord], context: AnalysisContext) -> list[int]:
    start = context.baseline.start
    minutes = max(int(context.baseline_minutes), 1)
    counts = [0] * minutes
    for record in records:
        slot = int((record.timestamp - start).total_seconds() // 60)
        if 0 <= slot < minutes:
            counts[slot] += 1
    return counts


LOG_FLOOD = FindingKind(
    name="log_flood", domain="logs",
    actions=(
        action("lower-log-level", "Find the noisy template in {subject}; lower its log level", None, "low"),
    ),
    mitigation=("Find the flooding template, fix or rate-limit its source, and check log pipeline backpressure.",
                "Log storage and ingest cost grow; the pipeline may drop or delay other services' logs."),
)


class LogFlood:
    kind = "log_flood"
    kinds = (LOG_FLOOD,)

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        context = from_first_line(context, min((r.timestamp for r in data), default=None))
        if context.baseline_minutes < MIN_BASELINE_MINUTES:
            return []
        return per_service(data, context, self._service)

    def _service(
        self, service: str, records: list[LogRecord], history: list[LogRecord], context: AnalysisContext
    ) -> Finding | None:
        if len(records) < MIN_LINES or not history:
            return None
        minutes = _per_minute(history, context)
        typical = max(median(minutes), len(history) / context.baseline_minutes, 1 / 60)
        threshold = max(MIN_FACTOR * typical, median(minutes) + MAD_UNITS * mad(minutes))
        rate = len(records) / context.window_minutes
        templates = self._templates(records, history, context)
        if rate >= threshold:
            factor = rate / typical
            p_value = poisson_sf(len(records), typical * context.window_minutes)
            subject_of_flood = "service"
        elif templates and templates[0]["factor"] >= MIN_FACTOR * 2:
            factor = templates[0]["factor"]
            p_value = poisson_sf(templates[0]["lines"], templates[0]["expected"])
            subject_of_flood = "template"
        else:
            return None
        what = "log volume" if subject_of_flood == "service" else "one log template"
        return context.finding(
            kind=self.kind,
            subject=service,
            severity="warning" if factor < 20 else "critical",
            score=surprise_score(p_value, factor / 50),
            summary=f"{service}: {what} at {factor:.0f}x its baseline rate ({rate:.0f} lines/min in the window)",
            onset=records[0].timestamp,
            evidence={
                "flooding": subject_of_flood,
                "lines": len(records),
                "lines_per_minute": round(rate, 2),
                "baseline_lines_per_minute": round(typical, 3),
                "factor": round(factor, 1),
                "top_templates": templates[:3],
                "sample": sample_lines(records, 2),
                **lines_per_minute(history + records, context),
            },
        )

    def _templates(
        self, records: list[LogRecord], history: list[LogRecord], context: AnalysisContext
    ) -> list[dict]:
        counts: dict[str, int] = {}
        for record in records:
            key = mask_message(record.message)
            counts[key] = counts.get(key, 0) + 1
        before: dict[str, int] = {}
        for record in history:
            key = mask_message(record.message)
            if key in counts:
                before[key] = before.get(key, 0) + 1
        ranked = []
        for template, lines in counts.items():
            if lines < MIN_LINES or lines < TEMPLATE_MIN_SHARE * len(records):
                continue
            base_rate = (before.get(template, 0) + 1) / context.baseline_minutes
            expected = base_rate * context.window_minutes
            ranked.append({"template": template, "lines": lines, "expected": round(expected, 2),
                           "factor": round(lines / expected, 1)})
        ranked.sort(key=lambda item: -item["factor"])
        return ranked
