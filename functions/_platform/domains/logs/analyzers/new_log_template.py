"""new_log_template: message templates (mined with drain3) that never appeared in the baseline and now burst."""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.analyzers.contract import AnalysisContext
from functions._platform.analyzers.kinds import FindingKind, action
from functions._platform.domains.logs.analyzers.drain import TemplateMiner, TemplateStats
from functions._platform.domains.logs.analyzers.evidence import quoted, sample_lines
from functions._platform.domains.logs.analyzers.severity import is_alert_line, reads_as_error
from functions._platform.domains.logs.analyzers.windows import by_service, split_windows
from functions._platform.domains.logs.source.record import LogRecord
from sreo_events.models import Finding

MIN_OCCURRENCES = 3
MIN_BASELINE_LINES = 20  # with less history, every template would look new
MAX_PER_SERVICE = 5


NEW_LOG_TEMPLATE = FindingKind(
    name="new_log_template", domain="logs",
    actions=(
        action("new-message", "Read where {subject} logs the new message; it is often the error itself", None, "low"),
    ),
    mitigation=("Read the new message and correlate it with the latest change; it may be a new failure mode.",
                "An unseen failure mode may grow into an outage."),
)


class NewLogTemplate:
    kind = "new_log_template"
    kinds = (NEW_LOG_TEMPLATE,)

    def analyze(self, data: Sequence[LogRecord], context: AnalysisContext) -> list[Finding]:
        baseline, incident = split_windows(data, context)
        baseline_by_service = by_service(baseline)
        findings: list[Finding] = []
        for service, records in sorted(by_service(incident).items()):
            history = baseline_by_service.get(service, [])
            if len(history) < MIN_BASELINE_LINES:
                continue
            findings.extend(self._service(service, history, records, context))
        return findings

    def _service(
        self, service: str, history: list[LogRecord], records: list[LogRecord], context: AnalysisContext
    ) -> list[Finding]:
        miner = TemplateMiner()
        miner.feed(history, in_incident=False)
        miner.feed(records, in_incident=True)
        fresh = [s for s in miner.stats.values() if s.baseline == 0 and s.incident >= MIN_OCCURRENCES]
        fresh.sort(key=lambda s: (-_weight(s), s.cluster_id))
        return [self._finding(service, miner.template(s.cluster_id), s, len(records), context) for s in fresh[:MAX_PER_SERVICE]]

    def _finding(
        self, service: str, template: str, stats: TemplateStats, lines: int, context: AnalysisContext
    ) -> Finding:
        alert = any(is_alert_line(r) for r in stats.records)
        error = any(reads_as_error(r) for r in stats.records)
        severity = "critical" if alert else "warning" if error else "info"
        share = stats.incident / max(lines, 1)
        score = min(1.0, (0.5 if error else 0.25) + 0.5 * min(1.0, stats.incident / 50) + (0.2 if alert else 0.0))
        return context.finding(
            kind=self.kind,
            subject=service,
            severity=severity,
            score=round(score, 3),
            summary=f"{service}: new log template seen {stats.incident} times, never in the baseline: {quoted(template)}",
            onset=stats.records[0].timestamp if stats.records else None,
            evidence={
                "template": template[:300],
                "occurrences": stats.incident,
                "share_of_lines": round(share, 4),
                "reads_as_error": error,
                "sample": sample_lines(stats.records, 3),
            },
        )


def _weight(stats: TemplateStats) -> float:
    error_bonus = 100 if any(reads_as_error(r) for r in stats.records) else 0
    return stats.incident + error_bonus
