"""`sloth.dev/core/metadata_rules/v1`: objective, budget, period, burn rates and the SLO info series."""

from __future__ import annotations

from typing import Any

from ..model import LABEL_ID, LABEL_SERVICE, LABEL_SLO, Rule, SLORules, sli_error_metric
from ..promql import format_duration, go_float, go_float_fixed, label_filter, merge_labels
from .contract import PluginRequest

PLUGIN_ID = "sloth.dev/core/metadata_rules/v1"
OBJECTIVE_METRIC = "slo:objective:ratio"
ERROR_BUDGET_METRIC = "slo:error_budget:ratio"
PERIOD_DAYS_METRIC = "slo:time_period:days"
CURRENT_BURN_METRIC = "slo:current_burn_rate:ratio"
PERIOD_BURN_METRIC = "slo:period_burn_rate:ratio"
BUDGET_REMAINING_METRIC = "slo:period_error_budget_remaining:ratio"
INFO_METRIC = "sloth_slo_info"


def burn_rate_expr(sli_metric: str, selector: str) -> str:
    return (
        f"{sli_metric}{selector}\n"
        f"/ on({LABEL_ID}, {LABEL_SLO}, {LABEL_SERVICE}) group_left\n"
        f"{ERROR_BUDGET_METRIC}{selector}\n"
    )


class MetadataRulesPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def process(self, request: PluginRequest, result: SLORules) -> None:
        slo, alerts, source = request.slo, request.alerts, request.source
        labels = merge_labels(slo.id_labels(), slo.labels)
        selector = label_filter(slo.id_labels())
        ratio = slo.objective / 100
        period = format_duration(slo.period_seconds)
        info_labels = merge_labels(labels, {
            "sloth_version": source.version,
            "sloth_mode": source.mode,
            "sloth_spec": source.spec,
            "sloth_objective": go_float_fixed(slo.objective),
        })
        short_metric = sli_error_metric(alerts.page_quick.short_window)
        result.metadata.rules = [
            Rule(record=OBJECTIVE_METRIC, expr=f"vector({go_float(ratio)})", labels=labels),
            Rule(record=ERROR_BUDGET_METRIC, expr=f"vector(1-{go_float(ratio)})", labels=labels),
            Rule(record=PERIOD_DAYS_METRIC, expr=f"vector({go_float(slo.period_seconds / 86400)})", labels=labels),
            Rule(record=CURRENT_BURN_METRIC, expr=burn_rate_expr(short_metric, selector), labels=labels),
            Rule(record=PERIOD_BURN_METRIC, expr=burn_rate_expr(sli_error_metric(period), selector), labels=labels),
            Rule(record=BUDGET_REMAINING_METRIC, expr=f"1 - {PERIOD_BURN_METRIC}{selector}", labels=labels),
            Rule(record=INFO_METRIC, expr="vector(1)", labels=info_labels),
        ]
