"""`sloth.dev/contrib/rule_intervals/v1`: set the evaluation interval of each generated rule group."""

from __future__ import annotations

from typing import Any

from ..model import SLORules
from ..promql import format_duration, parse_duration
from .contract import PluginError, PluginRequest

PLUGIN_ID = "sloth.dev/contrib/rule_intervals/v1"


def _duration(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        return format_duration(parse_duration(str(value)))
    except ValueError as exc:
        raise PluginError(f"{PLUGIN_ID}: {exc}") from exc


class RuleIntervalsPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        interval = config.get("interval") or {}
        self.default = _duration(interval.get("default"))
        if self.default is None:
            raise PluginError(f"{PLUGIN_ID}: at least interval.default is required")
        self.sli = _duration(interval.get("sliError")) or self.default
        self.metadata = _duration(interval.get("metadata")) or self.default
        self.alert = _duration(interval.get("alert")) or self.default

    def process(self, request: PluginRequest, result: SLORules) -> None:
        result.sli.interval = self.sli
        result.metadata.interval = self.metadata
        result.alerts.interval = self.alert
