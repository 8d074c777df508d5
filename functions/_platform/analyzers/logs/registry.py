"""The log analyzers. Adding one is a module and a line here."""

from __future__ import annotations

from functions._platform.analyzers.logs.base import LogAnalyzer
from functions._platform.analyzers.logs.error_classes import ErrorClassAnalyzer
from functions._platform.analyzers.logs.error_rate_spike import ErrorRateSpike
from functions._platform.analyzers.logs.log_flood import LogFlood
from functions._platform.analyzers.logs.log_latency import LogLatencyAnalyzer
from functions._platform.analyzers.logs.new_log_template import NewLogTemplate

ANALYZERS: tuple[LogAnalyzer, ...] = (ErrorRateSpike(), NewLogTemplate(), LogFlood(), ErrorClassAnalyzer(),
                                      LogLatencyAnalyzer())


def analyzers() -> tuple[LogAnalyzer, ...]:
    return ANALYZERS
