"""`sloth.dev/contrib/validate_victoria_metrics/v1`: the core checks, without requiring PromQL-only syntax
(MetricsQL accepts e.g. `vector(1)[5m]`), which the shape check already tolerates."""

from __future__ import annotations

from typing import Any

from ..model import SLORules
from .contract import PluginError, PluginRequest
from .validate import validate_slo

PLUGIN_ID = "sloth.dev/contrib/validate_victoria_metrics/v1"


class ValidateVictoriaMetricsPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def process(self, request: PluginRequest, result: SLORules) -> None:
        try:
            validate_slo(request.slo)
        except PluginError as exc:
            raise PluginError(f"invalid SLO {request.slo.id!r} for VictoriaMetrics: {exc}") from exc
