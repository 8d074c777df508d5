"""Read a log file, parse it line by line and index it in bulk through the search backend."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from functions._platform.search import LOGS_INDEX, SearchBackend
from functions._platform.sources.logs.parsers import ParseContext, detect_format, get_parser
from functions._platform.sources.logs.record import LogRecord
from functions._platform.sources.logs.templates import mask_message

BATCH_SIZE = 2000
SNIFF_LINES = 50
MAX_RAW_CHARS = 4000

Progress = Callable[["IngestStats"], None]


@dataclass
class IngestStats:
    file: str
    format: str
    lines: int = 0
    indexed: int = 0
    skipped: int = 0
    bytes_read: int = 0
    services: dict[str, int] = field(default_factory=dict)
    unparsed_examples: list[str] = field(default_factory=list)


def document(record: LogRecord, line_no: int) -> dict:
    """The indexed document: the normalised record, its masked template and a stable id (re-ingest upserts)."""
    doc = record.to_doc()
    doc["raw"] = record.raw[:MAX_RAW_CHARS]
    doc["template"] = mask_message(record.message)
    identity = f"{record.file}\n{line_no}\n{record.raw}".encode("utf-8", "replace")
    doc["_id"] = hashlib.sha1(identity).hexdigest()
    return doc


def parse_lines(lines: Iterable[str], fmt: str, context: ParseContext, stats: IngestStats) -> Iterator[dict]:
    parser = get_parser(fmt)
    for line_no, line in enumerate(lines, start=1):
        stats.lines += 1
        stats.bytes_read += len(line)
        text = line.rstrip("\r\n")
        if not text.strip():
            continue
        record = parser.parse(text, context)
        if record is None:
            stats.skipped += 1
            if len(stats.unparsed_examples) < 5:
                stats.unparsed_examples.append(f"{line_no}: {text[:200]}")
            continue
        stats.services[record.service] = stats.services.get(record.service, 0) + 1
        yield document(record, line_no)


def _batches(docs: Iterator[dict], size: int) -> Iterator[list[dict]]:
    while batch := list(islice(docs, size)):
        yield batch


def ingest_file(
    path: Path,
    backend: SearchBackend,
    *,
    service: str | None = None,
    fmt: str = "auto",
    context: ParseContext | None = None,
    index: str = LOGS_INDEX,
    progress: Progress | None = None,
) -> IngestStats:
    context = context or ParseContext()
    context.service = service or context.service
    context.default_service = path.stem.split(".")[0] or context.default_service
    context.file = path.name
    if fmt == "auto":
        with path.open(encoding="utf-8", errors="replace") as sample:
            fmt = detect_format(islice(sample, SNIFF_LINES), context)
    stats = IngestStats(file=path.name, format=fmt)
    backend.ensure_index(index)
    with path.open(encoding="utf-8", errors="replace") as handle:
        for batch in _batches(parse_lines(handle, fmt, context, stats), BATCH_SIZE):
            stats.indexed += backend.index_documents(index, batch)
            if progress:
                progress(stats)
    if progress:
        progress(stats)
    return stats
