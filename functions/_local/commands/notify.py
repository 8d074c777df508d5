"""`sreo notify test`: send a test notification through the routes file, or show what would be sent."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from functions._local.client import stderr

app = typer.Typer(help="Notifications: check the routes file and its destinations.", no_args_is_help=True)


@app.callback()
def notify_group() -> None:
    """Keeps `test` a sub-command rather than the app itself."""


@app.command("test")
def test_command(
    destination: Annotated[list[str] | None, typer.Option(
        "--destination", "-d", help="Send to this destination of the routes file (repeatable). "
                                    "Default: the destinations the routes select for the options below.")] = None,
    severity: Annotated[str, typer.Option(help="Severity of the sample report: info, warning or critical.")]
    = "warning",
    service: Annotated[str | None, typer.Option(help="Service of the sample report, for routes by service.")] = None,
    namespace: Annotated[str | None, typer.Option(help="Namespace of the sample report.")] = None,
    routes_file: Annotated[Path | None, typer.Option(
        "--routes", metavar="FILE",
        help="Routes file (default: SREO_NOTIFY_ROUTES). Secrets still come from the environment.")]
    = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Build each payload and print it; send nothing.")]
    = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
) -> None:
    """Send a sample report, marked as a test, to the destinations a real one with this severity, service and
    namespace would reach (or to those named), through the same notifiers. Exits 1 when one refuses or is busy."""
    import os

    import httpx
    from pydantic import ValidationError

    from functions._platform.config import get_settings
    from functions.notify import trial
    from functions.notify.config import NotifySettings, RoutesError, load_routes

    settings = NotifySettings(**({"notify_routes": routes_file} if routes_file else {}))
    if settings.notify_routes is None:
        raise typer.BadParameter("no routes file: set SREO_NOTIFY_ROUTES or pass --routes FILE", param_hint="--routes")
    try:
        report = trial.sample_report(severity, service, namespace)
    except ValidationError as exc:
        raise typer.BadParameter(exc.errors()[0]["msg"], param_hint="--severity") from None
    try:
        destinations = trial.chosen(load_routes(settings, os.environ), report, destination or [])
    except RoutesError as exc:
        stderr.print(f"sreo: {exc}", markup=False)
        raise typer.Exit(2) from None
    if not destinations:
        stderr.print(f"sreo: no route selects severity={severity} service={service} namespace={namespace}, "
                     "and the routes file has no default", markup=False)
        raise typer.Exit(1)
    with httpx.Client(timeout=settings.notify_timeout_s, follow_redirects=False) as client:
        results = trial.run(client, destinations, report, get_settings().public_url, dry_run,
                            settings.notify_max_wait_s)
    if as_json or dry_run:
        print(json.dumps([{"destination": r.destination, "kind": r.kind, "outcome": r.outcome, "detail": r.detail,
                           **({"payload": r.payload} if dry_run else {})} for r in results], indent=2))
    else:
        table = Table("destination", "kind", "outcome", "detail")
        for r in results:
            table.add_row(r.destination, r.kind, r.outcome, r.detail, style="red" if r.failed else None)
        stderr.print(table)
    if any(r.failed for r in results):
        raise typer.Exit(1)
