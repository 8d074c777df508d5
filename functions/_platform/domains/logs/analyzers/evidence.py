"""What log findings quote as evidence: error lines, sample lines, counted values, values fit for a summary."""

from __future__ import annotations

from collections.abc import Sequence

from functions._platform.domains.logs.source.record import LogRecord, is_error_level

MAX_SAMPLE_CHARS = 300


def is_error(record: LogRecord) -> bool:
    """An error line: a 5xx response in an access log, or an error level or worse in an application log."""
    if record.status is not None:
        return record.status >= 500
    return is_error_level(record.level)


MAX_QUOTED_CHARS = 80


def quoted(value: object) -> str:
    """A value taken from a log line, fit to sit inside a summary: one line, no control characters, bounded,
    in backticks so Markdown shows it as code (renderers still escape it for HTML and terminals)."""
    text = "".join(ch if ch.isprintable() else " " for ch in str(value)).replace("`", "'")
    if len(text) > MAX_QUOTED_CHARS:
        text = text[: MAX_QUOTED_CHARS - 1] + "…"
    return f"`{text}`"


def sample_lines(records: Sequence[LogRecord], limit: int = 5) -> list[str]:
    return [(record.raw or record.message)[:MAX_SAMPLE_CHARS] for record in records[:limit]]


def top_counts(values: Sequence[object], limit: int = 5, weights: Sequence[int] | None = None) -> dict[str, int]:
    counts: dict[str, int] = {}
    for index, value in enumerate(values):
        if value is not None:
            counts[str(value)] = counts.get(str(value), 0) + (weights[index] if weights else 1)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return dict(ranked[:limit])
