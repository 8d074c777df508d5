"""`sloth.dev/core/sli_rules/v1`: one error-ratio recording per alert window, plus the whole SLO period."""

from __future__ import annotations

from typing import Any

from ..model import LABEL_WINDOW, SLO, BurnAlertGroup, Rule, SLORules, sli_error_metric
from ..promql import format_duration, label_filter, merge_labels, render_window
from .contract import PluginError, PluginRequest, config_flag

PLUGIN_ID = "sloth.dev/core/sli_rules/v1"


def sli_labels(slo: SLO, window: str) -> dict[str, str]:
    return merge_labels(slo.id_labels(), {LABEL_WINDOW: window}, slo.labels)


def period_windows(slo: SLO, alerts: BurnAlertGroup) -> list[str]:
    """Alert windows then the SLO period, which gets its own recording even when it repeats none."""
    return [*alerts.windows(), format_duration(slo.period_seconds)]


def period_from_short_window(slo: SLO, window: str, short_window: str) -> str:
    """Period ratio averaged from the shortest recording: cheaper than a 30d range over raw series.
    Sum of ratios divided by their count, not an average of averages."""
    selector = sli_error_metric(short_window) + label_filter(slo.id_labels())
    return (
        f"sum_over_time({selector}[{window}])\n"
        f"/ ignoring ({LABEL_WINDOW})\n"
        f"count_over_time({selector}[{window}])\n"
    )


def direct_sli_expr(slo: SLO, window: str) -> str:
    if slo.sli.events is not None:
        error = render_window(slo.sli.events.error_query, window)
        total = render_window(slo.sli.events.total_query, window)
        return f"({error})\n/\n({total})\n"
    if slo.sli.raw is not None:
        return f"({render_window(slo.sli.raw.error_ratio_query, window)})"
    raise PluginError(f"SLO {slo.id}: no SLI to record")


class SLIRulesPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        self.optimized = not config_flag(config, "disableOptimized")

    def process(self, request: PluginRequest, result: SLORules) -> None:
        slo, alerts = request.slo, request.alerts
        period = format_duration(slo.period_seconds)
        short = alerts.page_quick.short_window
        rules = []
        for window in period_windows(slo, alerts):
            if window == period and self.optimized and window != short:
                expr = period_from_short_window(slo, window, short)
            else:
                expr = direct_sli_expr(slo, window)
            rules.append(Rule(record=sli_error_metric(window), expr=expr, labels=sli_labels(slo, window)))
        result.sli.rules = rules
