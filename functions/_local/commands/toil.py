"""`sreo toil report`: where on-call time went, computed now from the store (no server needed)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(help="Toil: where on-call time goes.", no_args_is_help=True)

EXIT_BAD_INPUT = 2


@app.callback()
def toil_group() -> None:
    """Keeps `report` a sub-command rather than the app itself."""


@app.command("report")
def report_command(
    since: Annotated[str, typer.Option(help="Length of the period, e.g. 7d, 24h, 2w.")] = "7d",
    until: Annotated[datetime | None, typer.Option(help="End of the period (default: now), RFC 3339.")] = None,
    fmt: Annotated[str, typer.Option("--format", help="md, json or html.")] = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    zone: Annotated[str, typer.Option("--timezone", help="IANA zone for night and time-of-day figures.")] = "UTC",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
    save: Annotated[bool, typer.Option("--save", help="Also store it as the latest report (GET /toil/reports/latest).")]
    = False,
) -> None:
    """Incidents, alert noise, time to report, recurring causes and night pages over SINCE, with suggestions."""
    from pydantic import ValidationError

    from functions._platform.config import get_settings
    from functions._platform.db.engine import Database
    from functions._platform.domains.logs.source.timeparse import parse_time
    from functions._platform.rendering import UnknownFormat
    from functions.toil import store
    from functions.toil.build import build_report
    from functions.toil.capacity import with_capacity
    from functions.toil.render import RENDERERS
    from functions.toil.schema import ToilOptions

    try:
        fmt = RENDERERS.canonical("json" if as_json else fmt)
    except UnknownFormat as exc:
        raise typer.BadParameter(str(exc), param_hint="--format") from None
    try:
        options = ToilOptions(timezone=zone)
    except ValidationError as exc:
        raise typer.BadParameter(exc.errors()[0]["msg"], param_hint="--timezone") from exc
    settings = get_settings()
    database = Database(settings)
    try:
        with database.session() as session:
            try:
                report = build_report(session, since, parse_time(until) if until else None, options)
            except ValueError as exc:
                raise typer.BadParameter(str(exc), param_hint="--since") from exc
        report = with_capacity(report, settings)
        with database.session() as session:
            if save:
                store.save(session, report, f"cli-{report.generated_at:%Y%m%dT%H%M%S%f}", "cli")
    finally:
        database.dispose()
    text = RENDERERS.render(fmt, report)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        typer.echo(f"wrote the {fmt} toil report to {output}", err=True)
