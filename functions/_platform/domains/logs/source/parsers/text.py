"""Any line-oriented log: a timestamp somewhere in the line's head, an optional level word, then the message.

The timestamp layouts are in `timestamps.py` (ISO 8601, syslog, ctime, log4j, Android, HDFS, epoch...). Auth
fields (source address, user) are pulled from messages that mention them, whatever the layout.
"""

from __future__ import annotations

import re

from functions._platform.domains.logs.source.parsers.contract import (
    ParseContext,
    auth_fields,
    is_ip,
    level_from_status,
)
from functions._platform.domains.logs.source.record import LogRecord, normalise_level

_LEVEL_WORD = re.compile(
    r"(?:^|[\s\[(<|:])(DEBUG|INFO|NOTICE|WARN|WARNING|ERROR|ERR|SEVERE|CRITICAL|CRIT|FATAL|ALERT|EMERG|PANIC|FAILURE"
    r"|TRACE|FINE|FINER|FINEST|VERBOSE|Debug|Info|Notice|Warn|Warning|Error|Critical|Fatal|Trace"
    r"|debug|info|notice|warn|warning|error|crit|alert|emerg|fatal|trace)(?=[\]\s:|)>,]|$)"
)
_LETTER_LEVEL = re.compile(r"(?:^|\s)([VDIWEF])(?:\s+|/)[^\s:]+\s*(?:\(\s*\d+\))?:")
_LETTERS = {"V": "debug", "D": "debug", "I": "info", "W": "warning", "E": "error", "F": "fatal"}
_LEVEL_CHARS = 80  # the level word must sit near the timestamp, not inside the message
_FINE = {"fine": "debug", "finer": "debug", "finest": "debug", "verbose": "debug"}
# an access-log request in a line of another layout (an app server's own access lines among its messages)
_REQUEST = re.compile(r'"(?P<method>[A-Z]{3,7}) (?P<path>/\S*) HTTP/\d(?:\.\d)?" (?P<status>[1-5]\d\d)\b')


def find_level(line: str, after: int) -> tuple[str | None, int]:
    """The level spelled near position `after`, and where the message starts behind it."""
    match = _LEVEL_WORD.search(line, after, after + _LEVEL_CHARS)
    if match:
        word = match.group(1).lower()
        return _FINE.get(word) or normalise_level(word), match.end()
    letter = _LETTER_LEVEL.search(line, after, after + 40)
    if letter:
        return _LETTERS[letter.group(1)], letter.start(1) + 1
    return None, after


class TextParser:
    name = "text"

    def parse(self, line: str, context: ParseContext) -> LogRecord | None:
        found = context.finder().find(line)
        if found is None:
            return None
        level, start = find_level(line, found.end)
        if found.layout == "klog" and not level:
            level, start = _LETTERS[line[found.start]], found.end
        message = line[start:].strip(" ]-:|\t") if level else line[found.end:].strip(" ]-:|\t")
        source, user = auth_fields(message)
        record = LogRecord(
            timestamp=found.timestamp,
            service=context.service or context.default_service,
            message=message or line,
            raw=line,
            level=level or "info",
            source_ip=source,
            user=user,
            file=context.file,
        )
        if " HTTP/" in line and (request := _REQUEST.search(line)):
            _with_request(record, request, line)
        return record


def _with_request(record: LogRecord, request: re.Match, line: str) -> None:
    """The request's method, path and status; the client (and its user) lead the line when it is an address."""
    record.status = int(request["status"])
    record.method = request["method"]
    record.path = request["path"].split("?", 1)[0]
    client, _, rest = line.partition(" ")
    if is_ip(client):
        record.source_ip = client
        fields = rest.split(" ", 2)  # the access log's identity and user: `1.2.3.4 - alice [...`
        if len(fields) == 3 and fields[2].startswith("[") and fields[1] != "-":
            record.user = fields[1]
    if record.level == "info":
        record.level = level_from_status(record.status)
