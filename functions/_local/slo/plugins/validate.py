"""`sloth.dev/core/validate/v1`: reject SLOs that would produce broken rules."""

from __future__ import annotations

from typing import Any

from ..model import SLO, SLORules
from ..promql import is_valid_label_name, render_window
from .contract import PluginError, PluginRequest

PLUGIN_ID = "sloth.dev/core/validate/v1"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def check_query_shape(query: str) -> None:
    """Balanced brackets outside string literals: the mistakes that survive YAML but break PromQL."""
    stack: list[str] = []
    quote: str | None = None
    escaped = False
    for char in query:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
            continue
        if char in "\"'`":
            quote = char
        elif char in "([{":
            stack.append(char)
        elif char in _PAIRS and (not stack or stack.pop() != _PAIRS[char]):
            raise PluginError(f"unbalanced {char!r} in query: {query.strip()}")
    if quote or stack:
        raise PluginError(f"unclosed {quote or stack[-1]!r} in query: {query.strip()}")


def sli_queries(slo: SLO) -> list[str]:
    if slo.sli.events is not None:
        return [slo.sli.events.error_query, slo.sli.events.total_query]
    if slo.sli.raw is not None:
        return [slo.sli.raw.error_ratio_query]
    raise PluginError(f"SLO {slo.id}: an SLI (events, raw or plugin) is required")


def validate_slo(slo: SLO) -> None:
    if not 0 < slo.objective <= 100:
        raise PluginError(f"SLO {slo.id}: objective {slo.objective} must be in (0, 100]")
    for query in sli_queries(slo):
        check_query_shape(render_window(query, "1m"))
    for key in slo.labels:
        if not is_valid_label_name(key):
            raise PluginError(f"SLO {slo.id}: invalid label name {key!r}")
    for severity, meta in (("page", slo.page_alert), ("ticket", slo.ticket_alert)):
        if not meta.disable and not meta.name:
            raise PluginError(f"SLO {slo.id}: {severity} alert needs alerting.name")


class ValidatePlugin:
    def __init__(self, config: dict[str, Any]) -> None:
        pass

    def process(self, request: PluginRequest, result: SLORules) -> None:
        try:
            validate_slo(request.slo)
        except PluginError as exc:
            raise PluginError(f"invalid SLO {request.slo.id!r}: {exc}") from exc
