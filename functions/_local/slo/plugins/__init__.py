"""SLO plugin registry. Adding a plugin means one module and one line here."""

from __future__ import annotations

from typing import Any

from . import (
    alert_rules,
    debug,
    denominator_corrected,
    info_labels,
    metadata_rules,
    rule_intervals,
    sli_rules,
    validate,
    validate_victoria_metrics,
)
from .contract import PluginError, PluginFactory, PluginRequest, SLOPlugin

REGISTRY: dict[str, PluginFactory] = {
    validate.PLUGIN_ID: validate.ValidatePlugin,
    sli_rules.PLUGIN_ID: sli_rules.SLIRulesPlugin,
    metadata_rules.PLUGIN_ID: metadata_rules.MetadataRulesPlugin,
    alert_rules.PLUGIN_ID: alert_rules.AlertRulesPlugin,
    debug.DEBUG_ID: debug.DebugPlugin,
    debug.NOOP_ID: debug.DebugPlugin,
    info_labels.PLUGIN_ID: info_labels.InfoLabelsPlugin,
    rule_intervals.PLUGIN_ID: rule_intervals.RuleIntervalsPlugin,
    denominator_corrected.PLUGIN_ID: denominator_corrected.DenominatorCorrectedPlugin,
    validate_victoria_metrics.PLUGIN_ID: validate_victoria_metrics.ValidateVictoriaMetricsPlugin,
}

DEFAULT_CHAIN: tuple[str, ...] = (validate.PLUGIN_ID, sli_rules.PLUGIN_ID, metadata_rules.PLUGIN_ID,
                                  alert_rules.PLUGIN_ID)


def create(plugin_id: str, config: dict[str, Any] | None = None) -> SLOPlugin:
    factory = REGISTRY.get(plugin_id)
    if factory is None:
        raise PluginError(f"unknown SLO plugin {plugin_id!r}; known: {', '.join(sorted(REGISTRY))}")
    return factory(config or {})


__all__ = ["DEFAULT_CHAIN", "REGISTRY", "PluginError", "PluginRequest", "SLOPlugin", "create"]
