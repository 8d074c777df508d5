"""`sloth.dev/contrib/denominator_corrected_rules/v1`: weight each window's errors by its share of the period's
traffic, so quiet windows with a few errors do not fire alerts meant for busy ones."""

from __future__ import annotations

import re
from typing import Any

from ..model import Rule, SLORules, sli_error_metric
from ..promql import format_duration, label_filter, merge_labels, render_window
from .contract import PluginError, PluginRequest, config_flag
from .sli_rules import period_from_short_window, period_windows, sli_labels

PLUGIN_ID = "sloth.dev/contrib/denominator_corrected_rules/v1"
CORRECTION_METRIC = "slo:numerator_correction:ratio"


_CALL_START = re.compile(r"^[a-zA-Z_:][\w:]*\s*\(")


def _closes_at_end(text: str, open_index: int) -> bool:
    depth = 0
    for index in range(open_index, len(text)):
        depth += {"(": 1, ")": -1}.get(text[index], 0)
        if depth == 0:
            return index == len(text) - 1
    return False


def operand(query: str) -> str:
    """The query as a multiplication operand: bare when it is one call or parenthesised group, else wrapped."""
    text = query.strip()
    call = _CALL_START.match(text)
    if call and _closes_at_end(text, call.end() - 1):
        return text
    if text.startswith("(") and _closes_at_end(text, 0):
        return text
    return f"({text})"


class DenominatorCorrectedPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        self.optimized = not config_flag(config, "disableOptimized")

    def process(self, request: PluginRequest, result: SLORules) -> None:
        slo, alerts = request.slo, request.alerts
        events = slo.sli.events
        if events is None:
            raise PluginError(f"{PLUGIN_ID}: SLO {slo.id} needs an events SLI")
        period = format_duration(slo.period_seconds)
        selector = label_filter(slo.id_labels())
        rules = []
        for window in period_windows(slo, alerts):
            error = render_window(events.error_query, window)
            total = render_window(events.total_query, window)
            if window != period:
                expr = f"(\n{CORRECTION_METRIC}{window}{selector}\n* on()\n{operand(error)}\n)\n/\n({total})\n"
            elif self.optimized:
                expr = period_from_short_window(slo, window, alerts.page_quick.short_window)
            else:
                expr = f"({error})\n/\n({total})\n"
            rules.append(Rule(record=sli_error_metric(window), expr=expr, labels=sli_labels(slo, window)))
        result.sli.rules = rules

        labels = merge_labels(slo.id_labels(), slo.labels)
        period_total = render_window(events.total_query, period)
        result.metadata.rules.extend(
            Rule(
                record=f"{CORRECTION_METRIC}{window}",
                expr=f"({render_window(events.total_query, window)})/({period_total})",
                labels=labels,
            )
            for window in alerts.windows()
        )
