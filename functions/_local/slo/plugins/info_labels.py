"""`sloth.dev/contrib/info_labels/v1`: add labels to the SLO info recording (or another metadata metric)."""

from __future__ import annotations

from typing import Any

from ..model import SLORules
from ..promql import merge_labels
from .contract import PluginError, PluginRequest
from .metadata_rules import INFO_METRIC

PLUGIN_ID = "sloth.dev/contrib/info_labels/v1"


class InfoLabelsPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        labels = config.get("labels") or {}
        if not isinstance(labels, dict) or not labels:
            raise PluginError(f"{PLUGIN_ID}: at least one label is required")
        self.labels = {str(k): str(v) for k, v in labels.items()}
        self.metric = str(config.get("metricName") or INFO_METRIC)

    def process(self, request: PluginRequest, result: SLORules) -> None:
        for rule in result.metadata.rules:
            if rule.record == self.metric:
                rule.labels = merge_labels(rule.labels, self.labels)
                break
