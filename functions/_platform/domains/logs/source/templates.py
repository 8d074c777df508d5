"""Cheap masking of variable tokens, so identical messages with different values share one key."""

from __future__ import annotations

import re
from functools import lru_cache

_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"), "<UUID>"),
    (re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b"), "<IP>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b|\b[0-9a-fA-F]{12,}\b"), "<HEX>"),
    (re.compile(r"(?<![A-Za-z])[-+]?\d+(?:\.\d+)?(?![A-Za-z])"), "<NUM>"),
)
MAX_TEMPLATE_CHARS = 200


@lru_cache(maxsize=8192)  # analyzers mask the same lines again for every incident and scan over a window
def mask_message(message: str) -> str:
    masked = message
    for pattern, token in _MASKS:
        masked = pattern.sub(token, masked)
    return " ".join(masked.split())[:MAX_TEMPLATE_CHARS]


DRAIN_MASKS: tuple[tuple[str, str], ...] = tuple((p.pattern, t.strip("<>")) for p, t in _MASKS)
