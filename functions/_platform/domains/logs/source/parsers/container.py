"""Container logs: `kubectl logs` (with `--timestamps` or without) and containerd/CRI-O files (`<time> stdout F ...`).

The container's own line inside is read again for its level and fields (JSON, logfmt or plain text); the
runtime's timestamp wins over one the application wrote.
"""

from __future__ import annotations

import re

from functions._platform.domains.logs.source.parsers.contract import CONTINUED, ParseContext, Parsed
from functions._platform.domains.logs.source.parsers.jsonl import JsonLinesParser
from functions._platform.domains.logs.source.parsers.logfmt import LogfmtParser
from functions._platform.domains.logs.source.parsers.text import TextParser, find_level
from functions._platform.domains.logs.source.record import LogRecord
from functions._platform.domains.logs.source.timestamps import parse_iso

_CRI = re.compile(r"^(?P<time>\d{4}-\d\d-\d\dT\S+) (?P<stream>stdout|stderr) (?P<tag>[FP])(?: (?P<msg>.*))?$")
_KUBECTL = re.compile(r"^(?P<time>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)) (?P<msg>.*)$")
_INNER = (JsonLinesParser(), LogfmtParser())
_TEXT = TextParser()


def inner_record(message: str, line: str, context: ParseContext, stamp) -> LogRecord:
    """The application's record inside a runtime line; `stamp` None leaves the time to the reader."""
    for parser in _INNER:
        record = parser.parse(message, context)
        if record is not None:
            break
    else:
        record = _TEXT.parse(message, context) if stamp is None else None
    if record is None:
        level, start = find_level(message, 0)
        record = LogRecord(timestamp=stamp, service=context.service or context.default_service,
                           message=message[start:].strip() or message if level else message, level=level or "info",
                           file=context.file)
    if stamp is not None:
        record.timestamp = stamp
    record.raw = line
    return record


class KubectlParser:
    name = "kubectl"

    def parse(self, line: str, context: ParseContext) -> Parsed:
        match = _KUBECTL.match(line)
        stamp = parse_iso(match["time"]) if match else None
        message = match["msg"] if match and stamp else line
        return inner_record(message, line, context, stamp)


class CriParser:
    name = "cri"

    def parse(self, line: str, context: ParseContext) -> Parsed:
        match = _CRI.match(line)
        stamp = parse_iso(match["time"]) if match else None
        if match is None or stamp is None:
            return None
        message = match["msg"] or ""
        if match["tag"] == "P":  # a partial line: the runtime split a long line, the rest follows
            context.partial += message
            return CONTINUED
        message, context.partial = context.partial + message, ""
        return inner_record(message, line, context, stamp)
