"""Which log lines read like alerts: a severe level on a line that states a fault, not a diagnostic dump."""

from __future__ import annotations

import re

from functions._platform.domains.logs.source.record import LEVEL_RANK, LogRecord

FAULT_WORDS = re.compile(
    r"\b(error|errors|fail(?:ed|ure|s)?|fault|exception|panic|fatal|abort(?:ed)?|crash(?:ed)?|refused|denied|"
    r"timed? ?out|unreachable|severed|reset|corrupt(?:ed|ion)?|terminated|killed|oom|interrupt|unavailable|"
    r"invalid|cannot|can't|unable)\b",
    re.IGNORECASE,
)
_FILLER = re.compile(r"\.{3,}")
_VALUE = re.compile(r"^(?:0x[0-9a-fA-F]+|[0-9a-fA-F]{6,}|[-+]?\d+(?:\.\d+)?|\(?\w*[=:]\S*\)?)$")


def is_state_dump(message: str) -> bool:
    """A register or field dump (`name.....0`, `lr:0000 cr:2824`, `data address: 0x00000002`), not a sentence."""
    if _FILLER.search(message):
        return True
    tokens = message.split()
    if not tokens or message.rstrip().endswith(":"):  # header of a dump that follows
        return True
    values = sum(bool(_VALUE.match(token)) for token in tokens)
    if values * 2 >= len(tokens):
        return True
    head, sep, tail = message.rpartition(":")
    return bool(sep) and bool(tail.strip()) and all(_VALUE.match(t) for t in tail.split()) and not FAULT_WORDS.search(head)


def is_alert_line(record: LogRecord) -> bool:
    """Critical or fatal level, and the message states a fault rather than dumping state."""
    if LEVEL_RANK.get(record.level or "info", 0) < LEVEL_RANK["critical"]:
        return False
    return not is_state_dump(record.message)


def reads_as_error(record: LogRecord) -> bool:
    return LEVEL_RANK.get(record.level or "info", 0) >= LEVEL_RANK["error"] or bool(FAULT_WORDS.search(record.message))
