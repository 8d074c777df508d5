"""`sreo incident report|list|show|approve`."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Annotated

import typer

from functions._local.client import connect, fail_on_error, stderr
from functions._platform.config import get_settings

app = typer.Typer(help="Report incidents and read their diagnosis.", no_args_is_help=True)

UrlOption = Annotated[str | None, typer.Option("--url", envvar="SREO_URL",
                                                  help="A running `sreo serve`; omit to run in this process.")]
TokenOption = Annotated[str | None, typer.Option("--token", envvar="SREO_TOKEN", help="Bearer token for writes.")]


@app.command("report")
def report(
    text: Annotated[str, typer.Argument(help="What is wrong, in plain words.")],
    service: Annotated[str | None, typer.Option(help="Affected service.")] = None,
    namespace: Annotated[str | None, typer.Option(help="Kubernetes namespace.")] = None,
    severity: Annotated[str, typer.Option(help="info, warning or critical.")] = "warning",
    started_at: Annotated[datetime | None, typer.Option(help="When it began (ISO 8601).")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Wait for the report and print it.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """Open an incident from a free-text report; agents investigate and a report is stored."""
    body = {"text": text, "service": service, "namespace": namespace, "severity": severity,
            "started_at": started_at.isoformat() if started_at else None}
    with connect(url, token) as client:
        accepted = fail_on_error(client.request("POST", "/incidents",
                                                json={k: v for k, v in body.items() if v is not None}))
        incident_id = accepted["id"]
        stderr.print(f"Incident [bold]{incident_id}[/] opened; investigating {', '.join(accepted['domains'])}")
        if not (wait or client.in_process):
            print(json.dumps(accepted) if as_json else incident_id)
            return
        timeout = get_settings().correlation_deadline_s + 30
        stored = client.wait_for_report(incident_id, timeout)
        if stored is None:
            stderr.print(f"[yellow]no report after {timeout:.0f}s;[/] see `sreo incident show {incident_id}` later")
            sys.exit(4)
        if as_json:
            print(json.dumps(stored, indent=2))
        else:
            print(client.request("GET", f"/incidents/{incident_id}/report", params={"format": "markdown"}).text)


@app.command("list")
def list_command(
    status: Annotated[str | None, typer.Option(help="open, correlated, reported or resolved.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this service.")] = None,
    since: Annotated[str | None, typer.Option(help="Started within this long (24h, 7d) or after an ISO time.")]
    = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 50,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    url: UrlOption = None,
) -> None:
    """List incidents, newest first, with their status and top cause."""
    params = {k: v for k, v in {"status": status, "service": service, "since": since, "limit": limit}.items() if v}
    with connect(url, None) as client:
        listed = fail_on_error(client.request("GET", "/incidents", params=params))
    if as_json:
        print(json.dumps(listed, indent=2))
        return
    if not listed["items"]:
        stderr.print("no incidents match")
        return
    from rich.table import Table

    table = Table(box=None)
    for column in ("id", "status", "severity", "service", "started"):
        table.add_column(column, no_wrap=True)
    table.add_column("title", overflow="fold")
    for item in listed["items"]:
        table.add_row(item["id"], item["status"], item["severity"], item["service"] or "-",
                      item["started_at"][:16].replace("T", " "), item["title"])
    stderr.print(table)  # tables go to stderr; --json is the output for scripts
    stderr.print(f"{len(listed['items'])} of {listed['total']}; open one with `sreo incident show ID`")


@app.command("show")
def show(
    incident_id: Annotated[str, typer.Argument(help="Incident id, e.g. inc-20260101-1a2b3c4d.")],
    fmt: Annotated[str, typer.Option("--format", help="md, json, html (a self-contained page), postmortem or text.")]
    = "md",
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    url: UrlOption = None,
) -> None:
    """Print an incident's report."""
    from functions._platform.rendering import UnknownFormat
    from functions.report.renderers import RENDERERS

    try:
        fmt = RENDERERS.canonical("json" if as_json else fmt)
    except UnknownFormat as exc:
        stderr.print(f"[red]error:[/] --{exc}")
        raise typer.Exit(2) from None
    with connect(url, None) as client:
        response = client.request("GET", f"/incidents/{incident_id}/report", params={"format": fmt})
        if response.status_code >= 400:
            fail_on_error(response)
        print(json.dumps(response.json(), indent=2) if fmt == "json" else response.text)


@app.command("approve")
def approve(
    incident_id: Annotated[str, typer.Argument(help="Incident id.")],
    action_id: Annotated[str, typer.Argument(help="Action id from the report, e.g. rollback-payments.")],
    comment: Annotated[str | None, typer.Option(help="Why, for the audit record.")] = None,
    url: UrlOption = None,
    token: Annotated[str | None, typer.Option("--token", envvar="SREO_RESPONDER_TOKEN",
                                                 help="A responder token (SREO_RESPONDER_TOKENS on the server).")]
    = None,
) -> None:
    """Approve a destructive suggested action. It is recorded and audited; nothing is executed."""
    with connect(url, token) as client:
        body = {"comment": comment} if comment else {}
        approved = fail_on_error(client.request(
            "POST", f"/incidents/{incident_id}/actions/{action_id}/approve", json=body))
        stderr.print(f"approved [bold]{action_id}[/] on {incident_id}")
        print(json.dumps(approved, indent=2))
