"""`sloth.dev/core/alert_rules/v1`: multi-window multi-burn-rate page and ticket alerts."""

from __future__ import annotations

from typing import Any

from ..model import (
    LABEL_SERVICE,
    LABEL_SEVERITY,
    LABEL_SLO,
    LABEL_WINDOW,
    SLO,
    AlertMeta,
    BurnAlert,
    Rule,
    SLORules,
    sli_error_metric,
)
from ..promql import go_float, label_filter, merge_labels
from .contract import PluginRequest

PLUGIN_ID = "sloth.dev/core/alert_rules/v1"


def _condition(slo: SLO, window: str, alert: BurnAlert) -> str:
    selector = sli_error_metric(window) + label_filter(slo.id_labels())
    budget_ratio = go_float(alert.error_budget_percent / 100)
    return f"max({selector} > ({go_float(alert.factor)} * {budget_ratio})) without ({LABEL_WINDOW})"


def burn_alert_expr(slo: SLO, quick: BurnAlert, slow: BurnAlert) -> str:
    """Fires while both windows of either pair burn faster than the pair's factor."""
    return (
        "(\n"
        f"    {_condition(slo, quick.short_window, quick)}\n"
        "    and\n"
        f"    {_condition(slo, quick.long_window, quick)}\n"
        ")\n"
        "or\n"
        "(\n"
        f"    {_condition(slo, slow.short_window, slow)}\n"
        "    and\n"
        f"    {_condition(slo, slow.long_window, slow)}\n"
        ")\n"
    )


def burn_alert_rule(slo: SLO, meta: AlertMeta, quick: BurnAlert, slow: BurnAlert) -> Rule:
    severity = quick.severity
    service, name = f"{{{{$labels.{LABEL_SERVICE}}}}}", f"{{{{$labels.{LABEL_SLO}}}}}"
    defaults = {
        "title": f"({severity}) {service} {name} SLO error budget burn rate is too fast.",
        "summary": f"{service} {name} SLO error budget burn rate is over expected.",
    }
    return Rule(
        alert=meta.name,
        expr=burn_alert_expr(slo, quick, slow),
        labels=merge_labels({LABEL_SEVERITY: severity}, meta.labels),
        annotations=merge_labels(defaults, meta.annotations),
    )


class AlertRulesPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def process(self, request: PluginRequest, result: SLORules) -> None:
        slo, alerts = request.slo, request.alerts
        rules = []
        if not slo.page_alert.disable:
            rules.append(burn_alert_rule(slo, slo.page_alert, alerts.page_quick, alerts.page_slow))
        if not slo.ticket_alert.disable:
            rules.append(burn_alert_rule(slo, slo.ticket_alert, alerts.ticket_quick, alerts.ticket_slow))
        result.alerts.rules = rules
