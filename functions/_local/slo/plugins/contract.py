"""The SLO plugin interface: each plugin reads the SLO and edits the rules produced so far."""

from __future__ import annotations

from typing import Any, Protocol

from pydantic import BaseModel

from ..model import SLO, BurnAlertGroup, SLORules, SourceInfo


class PluginError(ValueError):
    pass


class PluginRequest(BaseModel):
    slo: SLO
    alerts: BurnAlertGroup
    source: SourceInfo


class SLOPlugin(Protocol):
    def process(self, request: PluginRequest, result: SLORules) -> None: ...


class PluginFactory(Protocol):
    def __call__(self, config: dict[str, Any]) -> SLOPlugin: ...


def config_flag(config: dict[str, Any], key: str) -> bool:
    """Plugin configs keep YAML scalars as text; `"false"` must stay false."""
    value = config.get(key, False)
    if isinstance(value, str):
        return value.strip().lower() in ("true", "yes", "on", "1")
    return bool(value)
