"""`sreo events dead-letters`, `sreo events pending`."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from functions._local.client import connect, fail_on_error, stderr
from functions._local.commands.incident import UrlOption

app = typer.Typer(help="Inspect the event pipeline.", no_args_is_help=True)


@app.command("dead-letters")
def dead_letters(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    url: UrlOption = None,
) -> None:
    """Events the broker gave up on after its retries, with the error each delivery returned."""
    with connect(url, None) as client:
        items = fail_on_error(client.request("GET", "/events/dead-letters", params={"limit": limit}))["items"]
    if as_json:
        print(json.dumps(items, indent=2))
        return
    if not items:
        stderr.print("No dead letters.")
        return
    table = Table("id", "when", "trigger", "type", "event id", "attempts", "error")
    for item in items:
        table.add_row(str(item["id"]), item["created_at"][:19], item["trigger"], item["type"], item["event_id"][:12],
                      str(item["attempts"]), item["error"][:80])
    stderr.print(table)


@app.command("pending")
def pending(
    limit: Annotated[int, typer.Option(min=1, max=1000, help="How many, oldest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    url: UrlOption = None,
) -> None:
    """Events accepted but not yet delivered (the outbox). Without --url, read straight from the store, so the
    queue of a stopped or crashed `sreo serve` can be inspected; a restart delivers it."""
    if url:
        with connect(url, None) as client:
            body = fail_on_error(client.request("GET", "/events/pending", params={"limit": limit}))
        total, items = body["total"], body["items"]
    else:
        from functions._platform.config import get_settings
        from functions._platform.db.engine import Database
        from functions._platform.outbox import pending as outbox_pending

        database = Database(get_settings())
        try:
            with database.session() as session:
                total, items = outbox_pending(session, limit)
        finally:
            database.dispose()
    if as_json:
        print(json.dumps({"total": total, "items": items}, indent=2))
        return
    if not items:
        stderr.print("Nothing pending: every accepted event was delivered.")
        return
    table = Table("id", "accepted", "type", "incident", "attempts", "next try", "last error")
    for item in items:
        table.add_row(str(item["id"]), item["created_at"][:19], item["type"].removeprefix("dev.sreo."),
                      item["incident_id"] or "", str(item["attempts"]), item["due_at"][11:19],
                      (item["last_error"] or "")[:60])
    stderr.print(table)
    stderr.print(f"{total} event(s) pending")
