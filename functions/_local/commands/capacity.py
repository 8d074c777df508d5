"""`sreo capacity report`: per workload and node, how fast CPU, memory, disk and database connections trend
toward their limits, and when each is projected to run out (with a 95% interval)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated

import typer

app = typer.Typer(help="Capacity forecasts: resource use trending toward its limits.", no_args_is_help=True)


@app.command("report")
def report(
    since: Annotated[str, typer.Option(help="History to fit the trends on, e.g. 6h, 7d.")] = "24h",
    until: Annotated[datetime | None, typer.Option(help="End of the history (default: now), RFC 3339.")] = None,
    service: Annotated[list[str] | None, typer.Option(help="Workload to include beyond those the HTTP metrics "
                                                           "name; repeatable.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help='Print {"forecasts": [...]} on stdout.')] = False,
) -> None:
    """Project when each workload's CPU and memory, each node's disks and each database's connections run out."""
    from rich.console import Console
    from rich.table import Table

    from functions._platform.config import get_settings
    from functions._platform.domains.logs.source.timeparse import parse_duration, parse_time

    try:
        history = parse_duration(since)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--since") from exc
    end = parse_time(until) if until else datetime.now(UTC)
    from functions._platform.domains.metrics.capacity import NoMetricsSource, capacity_forecasts

    try:
        result = capacity_forecasts(get_settings(), history, end, service)
    except NoMetricsSource as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        typer.echo(json.dumps(result))
    table = Table(title=f"capacity over the last {since}")
    for column in ("subject", "resource", "where", "now", "per day", "full around (UTC)", "95% interval"):
        table.add_column(column)
    for row in result["forecasts"]:
        interval = (f"{(row['earliest'] or '?')[:16]} .. {(row['latest'] or 'unbounded')[:16]}"
                    if row["exhausted_at"] else "")
        table.add_row(row["subject"], row["resource"], row["where"], f"{row['current_utilisation']:.0%}",
                      f"{row['slope_per_day']:+.1%}", (row["exhausted_at"] or "no upward trend")[:16], interval)
    Console(stderr=True).print(table if result["forecasts"] else "no resource with a known limit was found")
