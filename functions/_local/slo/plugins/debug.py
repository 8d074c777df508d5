"""`sloth.dev/core/debug/v1` and `sloth.dev/core/noop/v1`: change nothing (debug logs its message)."""

from __future__ import annotations

import logging
from typing import Any

from ..model import SLORules
from .contract import PluginRequest

DEBUG_ID = "sloth.dev/core/debug/v1"
NOOP_ID = "sloth.dev/core/noop/v1"
log = logging.getLogger(__name__)


class DebugPlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        self.message = str(config.get("msg", ""))

    def process(self, request: PluginRequest, result: SLORules) -> None:
        log.debug("slo plugin debug: slo=%s msg=%s", request.slo.id, self.message)
