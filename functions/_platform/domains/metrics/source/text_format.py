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


def read_samples(path: Path, default_time: float, stats: ReadStats) -> Iterator[tuple[SeriesKey, float, float]]:
    """(sorted label items with `__name__`, unix seconds, value) per sample line, streamed from the file."""
    divisor = 1.0 if is_openmetrics(path) else 1000.0
    keys: dict[tuple[str, str | None], SeriesKey | None] = {}  # a series' labels are parsed once
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, start=1):
            if line[:1] == "#" or not line.strip():
                continue
            found = _SAMPLE.match(line)
            key = None
            if found:
                name, text = found.group(1), found.group(2)
                if (name, text) not in keys:
                    labels = _labels(text) if text else {}
                    keys[(name, text)] = None if labels is None else tuple(
                        sorted({"__name__": name, **labels}.items()))
                key = keys[(name, text)]
            try:
                if key is None:
                    raise ValueError(line)
                value = _number(found.group(3))
                stamp = float(found.group(4)) / divisor if found.group(4) else default_time
            except ValueError:
                stats.skipped += 1
                if len(stats.first_bad) < 3:
                    stats.first_bad.append(f"line {number}: {line.strip()[:120]}")
                continue
            stats.samples += 1
            yield key, stamp, value
