"""Read a log file, parse it into records (any layout, see `reader.py`) and index them in bulk."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path

from functions._platform.domains.logs.source import parse_process
from functions._platform.domains.logs.source.parsers import ParseContext, detect_format
from functions._platform.domains.logs.source.paths import names_of
from functions._platform.domains.logs.source.reader import Entry, ReadStats, RecordReader
from functions._platform.domains.logs.source.record import FIELD_NAMES
from functions._platform.search import LOGS_INDEX, SearchBackend
from functions._platform.search.bulk import BulkLoader, split_write

BATCH_SIZE = 5000  # the first batch: writing starts early, so the two halves overlap from the start
MAX_BATCH_SIZE = 20_000  # batches double up to this: in a large store each commit rewrites the index pages it
# touched, and ids are hashes, so 5,000 rows touch about as many pages of the id index as 20,000 do
SNIFF_LINES = 200
MAX_RAW_CHARS = 4000
PARSE_APART_BYTES = 1 << 20  # below this a second process costs more than it saves

Progress = Callable[["IngestStats"], None]


@dataclass
class IngestStats:
    file: str
    format: str
    lines: int = 0
    indexed: int = 0
    skipped: int = 0  # kept for scripts: no line is skipped any more
    bytes_read: int = 0
    services: dict[str, int] = field(default_factory=dict)
    read: ReadStats = field(default_factory=ReadStats)
    file_time: datetime | None = None

    def summary(self) -> dict:
        read = self.read
        return {
            "file": self.file, "format": self.format, "lines": self.lines, "indexed": self.indexed,
            "records": read.records, "joined_lines": read.joined, "blank_lines": read.blank,
            "lines_without_timestamp": read.untimed, "skipped": self.skipped,
            "timed_by_file_mtime": read.file_time_used,
            "first_time": read.first_time.isoformat() if read.first_time else None,
            "last_time": read.last_time.isoformat() if read.last_time else None,
            "format_share": read.format_share(), "services": self.services,
        }


def document(record, line_no: int) -> dict:
    """The indexed document: the normalised record and a stable id, so re-ingesting a file upserts.

    A message that ends the raw line is stored as its offset (`message_at`), not as a second copy; full-text
    search still finds its words in `raw`. Templates are mined where they are needed (the analyzers,
    `sreo logs templates`), not on the way in."""
    doc = {name: value for name in FIELD_NAMES if (value := getattr(record, name)) is not None}
    # the time stays a datetime (the backend formats it; no need to print and parse it again)
    raw = doc["raw"] = record.raw[:MAX_RAW_CHARS]
    message = record.message
    if message and message != raw and raw.endswith(message):  # the usual case: keep the text once
        del doc["message"]
        doc["message_at"] = len(raw) - len(message)
    identity = f"{record.file}\n{line_no}\n{record.raw}".encode("utf-8", "replace")
    doc["_id"] = base64.urlsafe_b64encode(hashlib.blake2b(identity, digest_size=12).digest()).decode()
    return doc


def _counted(lines: Iterable[str], stats: IngestStats) -> Iterator[str]:
    for line in lines:
        stats.lines += 1
        stats.bytes_read += len(line)
        yield line


def _documents(entries: Iterator[Entry], stats: IngestStats) -> Iterator[dict]:
    services = stats.services
    for entry in entries:
        service = entry.record.service
        services[service] = services.get(service, 0) + 1
        yield document(entry.record, entry.line_no)


def _batches(docs: Iterator[dict], size: int, largest: int) -> Iterator[list[dict]]:
    while batch := list(islice(docs, size)):
        yield batch
        size = min(size * 2, largest)


def file_time(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)


def prepare(path: Path, fmt: str, service: str | None, context: ParseContext | None) -> tuple[str, ParseContext]:
    """The format (sniffed when `auto`) and the parse context of one file; year-less dates end by its mtime."""
    context = context or ParseContext(now=min(datetime.now(UTC), file_time(path)))
    context.service = service or context.service
    default_service, context.file = names_of(path)
    context.default_service = default_service or context.default_service
    if fmt == "auto":
        with path.open(encoding="utf-8", errors="replace") as sample:
            fmt = detect_format(islice(sample, SNIFF_LINES), context)
    return fmt, context


@dataclass
class _Source:
    """One file of an ingest: where it is, how its lines are read, and what was counted."""
    path: Path
    reader: RecordReader
    stats: IngestStats

    @classmethod
    def open(cls, path: Path, fmt: str, service: str | None, context: ParseContext | None) -> _Source:
        fmt, context = prepare(path, fmt, service, context)
        stats = IngestStats(file=context.file or path.name, format=fmt, file_time=file_time(path))
        reader = RecordReader(fmt, context, stats.file_time)
        stats.read = reader.stats
        return cls(path, reader, stats)

    def batches(self) -> Iterator[list[dict]]:
        with self.path.open(encoding="utf-8", errors="replace") as handle:
            records = self.reader.read(_counted(handle, self.stats))
            yield from _batches(_documents(records, self.stats), BATCH_SIZE, MAX_BATCH_SIZE)


def ingest_file(
    path: Path,
    backend: SearchBackend,
    *,
    service: str | None = None,
    fmt: str = "auto",
    context: ParseContext | None = None,
    index: str = LOGS_INDEX,
    progress: Progress | None = None,
    parse_apart: bool = False,
) -> IngestStats:
    """Index the file's records. `parse_apart` lets a large file be parsed in a forked second process while this
    one writes: only for a caller that forks safely (the CLI), never from a server whose other threads could
    hold a lock the child needs."""
    sources = [_Source.open(path, fmt, service, context)]
    return _ingest(sources, backend, index, progress, parse_apart)[0]


def ingest_files(
    paths: Sequence[Path],
    backend: SearchBackend,
    *,
    service: str | None = None,
    fmt: str = "auto",
    index: str = LOGS_INDEX,
    progress: Progress | None = None,
    parse_apart: bool = False,
) -> list[IngestStats]:
    """Index several files as one pipeline: the next file is parsed while the last batch of one is written, so
    the writer does not wait at every file's start and the parser at its end. One summary per file, in order."""
    sources = [_Source.open(path, fmt, service, None) for path in paths]
    return _ingest(sources, backend, index, progress, parse_apart)


def _ingest(sources: list[_Source], backend: SearchBackend, index: str, progress: Progress | None,
            parse_apart: bool) -> list[IngestStats]:
    backend.ensure_index(index)
    split = split_write(backend)
    size = sum(source.path.stat().st_size for source in sources)
    if parse_apart and parse_process.available() and size >= PARSE_APART_BYTES:
        # the child parses and prepares each batch, and this process writes it
        def produce() -> Iterator[tuple[int, object, IngestStats]]:
            for number, source in enumerate(sources):
                for batch in source.batches():
                    yield number, (split[0](index, batch) if split else batch), source.stats

        for number, batch, counted in parse_process.run_apart(produce):
            stats = sources[number].stats
            written = split[1](index, batch) if split else backend.index_documents(index, batch)
            vars(stats).update(vars(counted), indexed=stats.indexed + written)
            if progress:
                progress(stats)
    else:
        # one batch is written while the next is parsed (see `BulkLoader`)
        with BulkLoader(backend, index) as loader:
            for source in sources:
                stats = source.stats
                for batch in source.batches():
                    loader.add(batch, lambda written, stats=stats: setattr(stats, "indexed", stats.indexed + written))
                    if progress:
                        progress(stats)
    for source in sources:
        if progress:
            progress(source.stats)
    return [source.stats for source in sources]
