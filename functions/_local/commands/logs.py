"""`sreo logs`: ingest log files into the search backend (SQLite FTS5 embedded, or OpenSearch)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Logs: ingest files for the logs and auth analyzers and for `sreo scan`.",
                  no_args_is_help=True)


@app.callback()
def logs_group() -> None:
    """Keeps `ingest` a sub-command rather than the app itself."""


@app.command()
def ingest(
    files: Annotated[list[Path], typer.Argument(exists=True, dir_okay=False, readable=True, help=(
        "Log files to ingest (several at once, e.g. a shell glob, are read as one pipeline: faster than one "
        "call per file)."))],
    service: Annotated[str | None, typer.Option(help="Service name for every line (default: per format, else "
                                                     "the file's name before its first dot).")] = None,
    format: Annotated[str, typer.Option(
        "--format", help="auto (sniffed from each file's first lines) | json | logfmt | cri | kubectl | combined "
                         "| syslog | text. Lines the format cannot read still go in: any timestamp layout is looked "
                         "for, and lines with none take the previous line's time.")] = "auto",
    as_json: Annotated[bool, typer.Option("--json", help="Print each file's ingest summary as a JSON object on "
                                                         "stdout, one line per file.")] = False,
) -> None:
    """Parse each FILE line by line and index it in bulk; re-ingesting the same file does not duplicate lines.

    No file is refused for its layout: continuation lines (stack traces) are joined to the record above them,
    and lines without a timestamp are kept and counted (`lines_without_timestamp` in `--json`)."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from functions._platform.config import get_settings
    from functions._platform.domains.logs.source.ingest import IngestStats, ingest_files
    from functions._platform.domains.logs.source.parsers import FORMATS
    from functions._platform.search import get_search_backend

    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    console = Console(stderr=True)
    backend = get_search_backend(get_settings())
    size = max(sum(file.stat().st_size for file in files), 1)
    label = f"ingest {files[0].name}" if len(files) == 1 else f"ingest {len(files)} files"
    with Progress(TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.fields[lines]} lines"),
                  TimeElapsedColumn(), console=console, transient=False) as progress:
        task = progress.add_task(label, total=size, lines=0)
        seen: dict[int, IngestStats] = {}

        def report(stats: IngestStats) -> None:
            seen[id(stats)] = stats
            progress.update(task, completed=min(sum(s.bytes_read for s in seen.values()), size),
                            lines=sum(s.indexed for s in seen.values()))

        try:
            results = ingest_files(files, backend, service=service, fmt=format, progress=report, parse_apart=True)
        finally:
            backend.close()
        progress.update(task, completed=size)
    for stats in results:
        _print_summary(console, stats, backend.name, as_json)
    if len(results) > 1:
        console.print(f"{sum(s.indexed for s in results)} records from {sum(s.lines for s in results)} lines in "
                      f"{len(results)} files", markup=False, highlight=False)


def _print_summary(console, stats, backend: str, as_json: bool) -> None:
    summary = {**stats.summary(), "backend": backend}
    if as_json:
        typer.echo(json.dumps(summary))
    read = stats.read
    span = f"{summary['first_time']} .. {summary['last_time']}" if read.first_time else "no time span"
    console.print(f"{stats.file}: indexed {stats.indexed} records from {stats.lines} lines as {stats.format} "
                  f"({span}; {', '.join(f'{k}: {v}' for k, v in stats.services.items())}) into {backend}",
                  markup=False, highlight=False)
    if read.joined:
        console.print(f"  {read.joined} continuation lines (stack traces, wrapped text) joined to the record above",
                      markup=False, highlight=False)
    if read.untimed:
        note = (f"; {read.file_time_used} before the first timestamp took the file's modification time "
                f"{stats.file_time.isoformat() if stats.file_time else ''}") if read.file_time_used else ""
        console.print(f"  {read.untimed} records had no timestamp and took the previous record's time{note}",
                      markup=False, highlight=False)


@app.command()
def templates(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="Log file to mine.")],
    format: Annotated[str, typer.Option("--format", help="As for `ingest`.")] = "auto",
    top: Annotated[int, typer.Option(help="Templates to show in the table (all are in --json).")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Templates and the template id of every line, on stdout.")]
    = False,
) -> None:
    """Mine the message templates of FILE and count their lines; nothing is stored.

    With --json: {"templates": [{"id", "template", "count"}], "lines": [template id of line 1, 2, ...]}
    (0 for a blank line; a continuation line has the id of the record it was joined to)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    from functions._platform.domains.logs.source.ingest import file_time, prepare
    from functions._platform.domains.logs.source.mining import TemplateMiner
    from functions._platform.domains.logs.source.parsers import FORMATS
    from functions._platform.domains.logs.source.reader import RecordReader

    if format not in FORMATS:
        raise typer.BadParameter(f"choose one of {', '.join(FORMATS)}", param_hint="--format")
    fmt, context = prepare(file, format, None, None)
    reader = RecordReader(fmt, context, file_time(file))
    miner = TemplateMiner()
    line_ids: list[int] = []
    with file.open(encoding="utf-8", errors="replace") as handle:
        for entry in reader.read(handle):
            template_id = miner.add(entry.record.message.split("\n", 1)[0])
            line_ids.extend([0] * (entry.line_no - 1 - len(line_ids)))
            line_ids.extend([template_id] * entry.line_count)
    line_ids.extend([0] * (reader.stats.lines - len(line_ids)))
    ranked = sorted(miner.templates, key=lambda t: (-t.count, t.id))
    if as_json:
        typer.echo(json.dumps({"format": fmt, "templates": [{"id": t.id, "template": t.text, "count": t.count}
                                                            for t in ranked], "lines": line_ids}))
    console = Console(stderr=True)
    table = Table(title=escape(f"{len(ranked)} templates in {file.name} ({reader.stats.lines} lines, {fmt})"))
    for column in ("id", "count", "template"):
        table.add_column(column)
    for template in ranked[:top]:
        table.add_row(str(template.id), str(template.count), escape(template.text[:160]))
    console.print(table)
