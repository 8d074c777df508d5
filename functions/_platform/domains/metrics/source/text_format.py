"""A tolerant, streaming reader of OpenMetrics and Prometheus text exposition files.

Backfill and export files break the strict parsers in ways that do not matter to us: histogram buckets listed
series by series over time, `_bucket` and `_count` lines of one series interleaved ("clashing name"),
fractional bucket counts (rates written as counts). We read every sample line on its own: a line that does not
parse is skipped and counted, so one bad family does not drop the rest. Timestamps are seconds in OpenMetrics
(a file ending with `# EOF`) and milliseconds in the Prometheus text format.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

_SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?:[^"}]|"(?:[^"\\]|\\.)*")*\})?\s+(\S+)(?:\s+([^\s#]\S*))?'
                     r"(?:\s+#.*)?\s*$")
_LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*=\s*"((?:[^"\\]|\\.)*)"\s*(,|$)')
_ESCAPE = re.compile(r"\\(.)")
_UNESCAPED = {"n": "\n", "\\": "\\", '"': '"'}
_VALUES = {"+Inf": math.inf, "-Inf": -math.inf, "NaN": math.nan}


@dataclass
class ReadStats:
    samples: int = 0
    skipped: int = 0
    first_bad: list[str] = field(default_factory=list)  # up to three `line N: text` examples


def is_openmetrics(path: Path) -> bool:
    """An OpenMetrics file ends with `# EOF` (read from the end, without reading the file)."""
    with path.open("rb") as handle:
        handle.seek(0, os.SEEK_END)
        handle.seek(max(0, handle.tell() - 64))
        return handle.read().rstrip().endswith(b"# EOF")


def _labels(text: str) -> dict[str, str] | None:
    body, labels, position = text[1:-1].strip().rstrip(","), {}, 0
    while position < len(body):
        found = _LABEL.match(body, position)
        if not found:
            return None
        labels[found.group(1)] = _ESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), found.group(2))
        position = found.end()
    return labels


def _number(text: str) -> float:
    return _VALUES[text] if text in _VALUES else float(text)


SeriesKey = tuple[tuple[str, str], ...]


def _known_series(line: str, keys: dict[str, SeriesKey | None]) -> tuple[SeriesKey, str, str | None] | None:
    """(key, value, timestamp) for a line of a series already read, without the full match: its `name{labels}`
    text, up to the first `} `, is one the full match accepted before (a `} ` inside a quoted label value leaves
    an unclosed quote in that text, which no accepted one has). None: read it with the full match."""
    end = line.find("} ")
    key = keys.get(line[:end + 1]) if end > 0 else None
    if key is None:
        return None
    parts = line[end + 2:].split()  # value, then a timestamp and an exemplar (`# ...`), each optional
    if not parts:
        return None
    stamp = parts[1] if len(parts) > 1 and parts[1][:1] != "#" else None
    rest = parts[2:] if stamp is not None else parts[1:]
    if rest and rest[0][:1] != "#":
        return None
    return key, parts[0], stamp


def read_samples(path: Path, default_time: float, stats: ReadStats) -> Iterator[tuple[SeriesKey, float, float]]:
    """(sorted label items with `__name__`, unix seconds, value) per sample line, streamed from the file."""
    divisor = 1.0 if is_openmetrics(path) else 1000.0
    keys: dict[tuple[str, str | None], SeriesKey | None] = {}  # a series' labels are parsed once
    labelled: dict[str, SeriesKey | None] = {}  # the same, by `name{labels}` text, for _known_series
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if line[:1] == "#" or not line.strip():
                continue
            known = _known_series(line, labelled)
            if known is not None:
                key, value_text, stamp_text = known
            else:
                found = _SAMPLE.match(line)
                key, value_text, stamp_text = None, None, None
                if found:
                    name, text = found.group(1), found.group(2)
                    if (name, text) not in keys:
                        labels = _labels(text) if text else {}
                        keys[(name, text)] = None if labels is None else tuple(
                            sorted({"__name__": name, **labels}.items()))
                        if text and labels is not None:
                            labelled[name + text] = keys[(name, text)]
                    key, value_text, stamp_text = keys[(name, text)], found.group(3), found.group(4)
            try:
                if key is None:
                    raise ValueError(line)
                value = _number(value_text)
                stamp = float(stamp_text) / divisor if stamp_text else default_time
            except ValueError:
                stats.skipped += 1
                if len(stats.first_bad) < 3:
                    stats.first_bad.append(f"line {number}: {line.strip()[:120]}")
                continue
            stats.samples += 1
            yield key, stamp, value
