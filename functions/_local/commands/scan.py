"""`sreo scan`: run the predictive scan once and print the threats.

Exposed both as `scan_command` (register with `app.command("scan")(scan_command)`) and as a Typer app with a
callback (`main_app.add_typer(scan.app, name="scan")`)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated

import typer

LEVEL_STYLE = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "dim"}


def scan_command(
    since: Annotated[str, typer.Option(help="How far back to look: 30s, 15m, 1h, 1d, 2w, 1y.")] = "1h",
    until: Annotated[datetime | None, typer.Option(
        help="End of the scan window, RFC 3339. Default: now, or where the stored logs end when they ended "
             "earlier (a historical file is scanned over its own last SINCE).")] = None,
    service: Annotated[str | None, typer.Option(help="Scan only this service's logs.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"threats": [...]} on stdout.')] = False,
    record: Annotated[bool, typer.Option(help="Store the threats so GET /threats and `sreo serve` see them.")]
    = True,
) -> None:
    """Scan logs, auth events, certificates and metrics for threats in the last SINCE.

    The baseline is the six windows before the scan window, but never earlier than the first stored line."""
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.table import Table

    from functions._platform.config import get_settings
    from functions._platform.domains.logs.source.timeparse import parse_duration, parse_time
    from functions.scan.threats import run_scan

    try:
        parse_duration(since)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from exc
    console = Console(stderr=True)
    settings = get_settings()
    with Progress(TextColumn("[bold]scan[/bold] {task.fields[service]}"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("scan", total=None, service="")

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, service=escape(terminal_safe(name)))

        result = run_scan(settings, since, parse_time(until) if until else None, service=service,
                          progress=progress, follow_logs=True)
    if record and result.threats:
        from functions._platform.db.engine import Database
        from functions.scan.store import record_threats

        database = Database(settings)
        with database.session() as session:
            record_threats(session, result.threats)
        database.dispose()
    if as_json:
        typer.echo(json.dumps({"threats": [t.model_dump(mode="json") for t in result.threats]}))
    window = result.window
    title = f"threats {window.start.isoformat()} .. {window.end.isoformat()}" if window else f"threats since {since}"
    table = Table(title=escape(title), show_lines=False)
    for column in ("level", "kind", "subject", "summary"):
        table.add_column(column)
    for threat in result.threats:
        style = LEVEL_STYLE.get(threat.level, "")
        # everything but the level came from log lines: shown as text, never as markup or terminal controls
        table.add_row(f"[{style}]{threat.level}[/{style}]", escape(terminal_safe(threat.kind)),
                      escape(terminal_safe(threat.subject)),
                      escape(terminal_safe(str(threat.evidence.get("summary", "")))[:120]))
    console.print(table if result.threats else "no threats found")
    for note in result.notes:
        console.print(f"[dim]{escape(terminal_safe(note))}[/dim]")


def terminal_safe(text: str) -> str:
    """Text from a log line without control characters (ANSI escapes, carriage returns) a terminal would obey."""
    return "".join(ch if ch.isprintable() else "\ufffd" for ch in text)


app = typer.Typer(help="Predictive scan for threats.", invoke_without_command=True)
app.callback()(scan_command)
