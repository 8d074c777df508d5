"""`sreo alerts send FILE`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from functions._local.client import connect, fail_on_error, stderr
from functions._local.commands.incident import TokenOption, UrlOption

app = typer.Typer(help="Send alerts to triage.", no_args_is_help=True)


@app.command("send")
def send(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="Alertmanager webhook v4 JSON payload.")],
    wait: Annotated[bool, typer.Option("--wait", help="Wait for the reports.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")] = False,
    url: UrlOption = None,
    token: TokenOption = None,
) -> None:
    """POST an Alertmanager webhook payload to triage, as Alertmanager itself would."""
    try:
        payload = json.loads(file.read_text())
    except json.JSONDecodeError as exc:
        stderr.print(f"[red]error:[/] {file} is not JSON: {exc}")
        raise typer.Exit(2) from exc
    with connect(url, token) as client:
        accepted = fail_on_error(client.request("POST", "/alerts/alertmanager", json=payload))
        for item in accepted["incidents"]:
            stderr.print(f"{'opened' if item['created'] else 'joined'} incident [bold]{item['id']}[/]")
        if wait or client.in_process:
            accepted["reports"] = [client.wait_for_report(item["id"], 120) for item in accepted["incidents"]]
        if as_json:
            print(json.dumps(accepted, indent=2))
        elif wait:  # the reports themselves, as `incident report --wait` prints them
            for item in accepted["incidents"]:
                print(client.request("GET", f"/incidents/{item['id']}/report", params={"format": "markdown"}).text)
        else:
            print("\n".join(i["id"] for i in accepted["incidents"]))
        for item in accepted["incidents"]:
            stderr.print(f"open it again: sreo incident show {item['id']}", soft_wrap=True)
