from __future__ import annotations

from datetime import timedelta

from log_lines import START

from functions._platform.domains.logs.analyzers.new_log_template import NewLogTemplate
from functions._platform.domains.logs.analyzers.windows import windows_before
from functions._platform.domains.logs.source.record import LogRecord

CONTEXT = windows_before(START, START + timedelta(minutes=10))


def lines(messages: list[str], start, step_s: float = 30, level: str = "info") -> list[LogRecord]:
    return [LogRecord(timestamp=start + timedelta(seconds=step_s * i), service="api", message=m, level=level)
            for i, m in enumerate(messages)]


def usual(start, count: int) -> list[LogRecord]:
    return lines([f"GET /orders/{n} served in {n % 7 + 2}ms" for n in range(count)], start)


def test_a_template_never_seen_in_the_baseline_is_new_in_its_service() -> None:
    history = usual(CONTEXT.baseline.start, 60)
    now = usual(START, 10) + lines([f"payment gateway timeout after {n}s for order {n}" for n in range(6)],
                                   START + timedelta(minutes=2), level="error")
    [finding] = NewLogTemplate().analyze(history + now, CONTEXT)
    assert (finding.kind, finding.subject, finding.severity) == ("new_log_template", "api", "warning")
    assert "payment gateway timeout" in finding.evidence["template"] and finding.evidence["occurrences"] == 6
    assert finding.onset == START + timedelta(minutes=2)


def test_templates_the_baseline_had_and_too_short_a_history_give_nothing() -> None:
    assert NewLogTemplate().analyze(usual(CONTEXT.baseline.start, 60) + usual(START, 10), CONTEXT) == []
    fresh = lines([f"payment gateway timeout after {n}s" for n in range(6)], START, level="error")
    assert NewLogTemplate().analyze(usual(CONTEXT.baseline.start, 5) + fresh, CONTEXT) == []
