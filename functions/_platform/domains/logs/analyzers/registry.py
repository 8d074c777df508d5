"""The log analyzers. Adding one is a module and a line here."""

from __future__ import annotations

from functions._platform.domains.logs.analyzers.base import LogAnalyzer
from functions._platform.domains.logs.analyzers.error_classes import ErrorClassAnalyzer
from functions._platform.domains.logs.analyzers.error_rate_spike import ErrorRateSpike
from functions._platform.domains.logs.analyzers.log_flood import LogFlood
from functions._platform.domains.logs.analyzers.log_latency import LogLatencyAnalyzer
from functions._platform.domains.logs.analyzers.new_log_template import NewLogTemplate

ANALYZERS: tuple[LogAnalyzer, ...] = (ErrorRateSpike(), NewLogTemplate(), LogFlood(), ErrorClassAnalyzer(),
                                      LogLatencyAnalyzer())


def analyzers() -> tuple[LogAnalyzer, ...]:
    return ANALYZERS
