"""The `sreo` command line."""

from __future__ import annotations

from typing import Annotated

import typer

from functions._local.commands import (
    alerts,
    capacity,
    db,
    demo,
    events,
    incident,
    logs,
    mcp,
    notify,
    runbooks,
    scan,
    serve,
    slo,
    toil,
    topology,
)
from functions._platform.telemetry import configure_logging

app = typer.Typer(
    name="sreo", no_args_is_help=True, pretty_exceptions_show_locals=False,
    help="SRE Orchestrator: a virtual SRE. Triage incidents, gather evidence, rank causes, write reports.\n\n"
         "Commands that talk to the orchestrator use a running `sreo serve` when --url/SREO_URL is given, "
         "otherwise they run the pipeline in-process on the embedded store (SREO_HOME, default ~/.sreo).",
)
def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            print(f"sreo {version('sre-orchestrator')}")
        except PackageNotFoundError:
            print("sreo (version unknown: not installed as a package)")
        raise typer.Exit()


@app.callback()
def _root(
    show_version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                               help="Print the version and exit.")] = False,
) -> None:
    """SRE Orchestrator: a virtual SRE."""


app.command("demo")(demo.demo)
app.command("serve")(serve.serve)
app.command("scan")(scan.scan_command)
for name, sub_app in {
    "incident": incident.app, "alerts": alerts.app, "events": events.app, "runbooks": runbooks.app,
    "logs": logs.app, "slo": slo.app, "mcp": mcp.app, "db": db.app, "topology": topology.app, "toil": toil.app,
    "capacity": capacity.app, "notify": notify.app,
}.items():
    app.add_typer(sub_app, name=name)


def main() -> None:
    from typer.main import get_command

    from functions._local.help import tidy

    configure_logging(level="WARNING")
    tidy(get_command(app))(prog_name="sreo")


if __name__ == "__main__":
    main()
