"""Line parsers by format name; `auto` picks, per file, the parser that reads most of a sample.

Whatever the format, a line the file's parser cannot read falls back to the generic text parser (any timestamp
layout in the line's head), and a line with no timestamp at all is kept (see `reader.py`).
"""

from __future__ import annotations

from collections.abc import Iterable

from functions._platform.domains.logs.source.parsers.combined import CombinedParser
from functions._platform.domains.logs.source.parsers.container import CriParser, KubectlParser
from functions._platform.domains.logs.source.parsers.contract import (
    CONTINUED,
    LineParser,
    ParseContext,
    Parsed,
)
from functions._platform.domains.logs.source.parsers.jsonl import JsonLinesParser
from functions._platform.domains.logs.source.parsers.logfmt import LogfmtParser
from functions._platform.domains.logs.source.parsers.syslog import SyslogParser
from functions._platform.domains.logs.source.parsers.text import TextParser

# most specific first: on a tie in detection the earlier one wins
PARSERS: dict[str, LineParser] = {
    "json": JsonLinesParser(),
    "cri": CriParser(),
    "combined": CombinedParser(),
    "syslog": SyslogParser(),
    "logfmt": LogfmtParser(),
    "text": TextParser(),
    "kubectl": KubectlParser(),
}
FORMATS = ("auto", *PARSERS)
_NOT_DETECTED = ("kubectl",)  # reads every line by design; `text` gives the same records for `--timestamps` output


def _reads(parser: LineParser, line: str, context: ParseContext) -> tuple[int, int]:
    """(read with a timestamp, read at all) for one line."""
    parsed = parser.parse(line, context)
    if parsed is CONTINUED:
        return 1, 1
    if parsed is None:
        return 0, 0
    return int(getattr(parsed, "timestamp", None) is not None), 1


def detect_format(sample: Iterable[str], context: ParseContext) -> str:
    """The format whose parser reads the most sample lines with a timestamp, then the most at all (JSON lines
    without times are still JSON); ties go to the more specific."""
    lines = [line.rstrip("\r\n") for line in sample if line.strip()]
    best, best_score = "text", (0, 0)
    for name, parser in PARSERS.items():
        if name in _NOT_DETECTED:
            continue
        probe = ParseContext(service=context.service, default_service=context.default_service, file=context.file,
                             now=context.now)
        scores = [_reads(parser, line, probe) for line in lines]
        score = (sum(s[0] for s in scores), sum(s[1] for s in scores))
        if score > best_score:
            best, best_score = name, score
    return best


def get_parser(name: str) -> LineParser:
    if name not in PARSERS:
        raise KeyError(f"unknown log format {name!r}; known: {', '.join(FORMATS)}")
    return PARSERS[name]


__all__ = ["CONTINUED", "FORMATS", "PARSERS", "LineParser", "ParseContext", "Parsed", "detect_format", "get_parser"]
