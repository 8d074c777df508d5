"""Line parsers by format name; `auto` picks, per file, the parser that reads most of a sample."""

from __future__ import annotations

from collections.abc import Iterable

from functions._platform.sources.logs.parsers.base import LineParser, ParseContext
from functions._platform.sources.logs.parsers.combined import CombinedParser
from functions._platform.sources.logs.parsers.jsonl import JsonLinesParser
from functions._platform.sources.logs.parsers.syslog import SyslogParser
from functions._platform.sources.logs.parsers.text import TextParser

PARSERS: dict[str, LineParser] = {
    "json": JsonLinesParser(),
    "combined": CombinedParser(),
    "syslog": SyslogParser(),
    "text": TextParser(),
}
FORMATS = ("auto", *PARSERS)


def detect_format(sample: Iterable[str], context: ParseContext) -> str:
    """The format whose parser reads the most sample lines; ties go to the more specific format."""
    lines = [line for line in sample if line.strip()]
    best, best_hits = "text", -1
    for name, parser in PARSERS.items():
        hits = sum(parser.parse(line, context) is not None for line in lines)
        if hits > best_hits:
            best, best_hits = name, hits
    return best


def get_parser(name: str) -> LineParser:
    if name not in PARSERS:
        raise KeyError(f"unknown log format {name!r}; known: {', '.join(FORMATS)}")
    return PARSERS[name]


__all__ = ["FORMATS", "PARSERS", "LineParser", "ParseContext", "detect_format", "get_parser"]
