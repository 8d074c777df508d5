"""The slow-payments scenario: payments' own time rises in the incident window, its callers only wait."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sreo_events.models import TimeWindow
from support.traces import Span, Timings, checkout_traces, otlp

WINDOW_START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
WINDOW = TimeWindow(start=WINDOW_START, end=WINDOW_START + timedelta(minutes=10))
SLOW_FROM = WINDOW_START + timedelta(minutes=2)


@dataclass
class TracesScenario:
    spans: list[Span]
    window: TimeWindow = field(default_factory=lambda: WINDOW)
    slow_from: datetime = SLOW_FROM


SLOW_PAYMENTS = Timings(payments_own=0.4)


def make_spans(errors: bool = False, history_min: int = 40, slow: Timings = SLOW_PAYMENTS) -> list[Span]:
    """A trace every 30 s from `history_min` before the window to its end, taking `slow` from SLOW_FROM on."""
    first = (WINDOW_START - timedelta(minutes=history_min)).timestamp()
    count = (history_min + 10) * 2
    errors_from = SLOW_FROM.timestamp() if errors else None
    return checkout_traces(first, count, 30.0, SLOW_FROM.timestamp(), slow, errors_from)


def write_otlp(spans: list[Span], path: Path, lines: bool = False) -> Path:
    """One document, or (`lines`) one export request per service per line as the collector's file exporter."""
    document = otlp(spans)
    if lines:
        path.write_text("\n".join(json.dumps({"resourceSpans": [rs]}) for rs in document["resourceSpans"]) + "\n")
    else:
        path.write_text(json.dumps(document))
    return path
