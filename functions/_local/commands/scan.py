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
    since: Annotated[str, typer.Option(help="How far back to look, e.g. 15m, 1h, 1d.")] = "1h",
    until: Annotated[datetime | None, typer.Option(help="End of the scan window (default: now), RFC 3339.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"threats": [...]} on stdout.')] = False,
    record: Annotated[bool, typer.Option(help="Store the threats so GET /threats and `sreo serve` see them.")]
    = True,
) -> None:
    """Scan logs, auth events, certificates and metrics for threats in the last SINCE."""
    from rich.console import Console
    from rich.table import Table

    from functions._platform.config import get_settings
    from functions._platform.sources.logs.timeparse import parse_duration, parse_time
    from functions.scan.core import run_scan

    try:
        parse_duration(since)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from exc
    console = Console(stderr=True)
    settings = get_settings()
    result = run_scan(settings, since, parse_time(until) if until else None)
    if record and result.threats:
        from functions._platform.db.engine import Database
        from functions.scan.store import record_threats

        database = Database(settings)
        with database.session() as session:
            record_threats(session, result.threats)
        database.dispose()
    if as_json:
        typer.echo(json.dumps({"threats": [t.model_dump(mode="json") for t in result.threats]}))
    table = Table(title=f"threats since {since}", show_lines=False)
    for column in ("level", "kind", "subject", "summary"):
        table.add_column(column)
    for threat in result.threats:
        style = LEVEL_STYLE.get(threat.level, "")
        table.add_row(f"[{style}]{threat.level}[/{style}]", threat.kind, threat.subject,
                      str(threat.evidence.get("summary", ""))[:120])
    console.print(table if result.threats else "no threats found")
    for note in result.notes:
        console.print(f"[dim]{note}[/dim]")


app = typer.Typer(help="Predictive scan for threats.", invoke_without_command=True)
app.callback()(scan_command)
