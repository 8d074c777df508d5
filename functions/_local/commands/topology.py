"""`sreo topology show|refresh`: the digital twin (dependency graph) in the store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(help="The dependency graph of the system (the digital twin).", no_args_is_help=True)


def _database() -> Any:
    from functions._platform.config import get_settings
    from functions._platform.db.engine import Database

    return Database(get_settings())


@app.command("show")
def show_command(
    as_json: Annotated[bool, typer.Option("--json", help="Print nodes, edges and sources as JSON on stdout.")] = False,
) -> None:
    """Print the stored graph: its nodes, its edges and when each source was built."""
    from rich.console import Console
    from rich.table import Table

    from functions._platform.topology import topology_document

    database = _database()
    try:
        with database.session() as session:
            document = topology_document(session)
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps(document, default=str))
    console = Console(stderr=True)
    sources = Table(title="sources")
    for column in ("source", "status", "built at", "nodes", "edges", "detail"):
        sources.add_column(column)
    for source, build in document["sources"].items():
        sources.add_row(source, build["status"], build["built_at"] or "-", str(build["nodes"]), str(build["edges"]),
                        build["detail"][:80])
    edges = Table(title=f"{len(document['nodes'])} nodes, {len(document['edges'])} edges")
    for column in ("caller", "kind", "callee", "source"):
        edges.add_column(column)
    for edge in document["edges"]:
        edges.add_row(edge["caller"], edge["kind"], edge["callee"], edge["source"])
    if not document["sources"]:
        console.print("no topology stored yet; run `sreo topology refresh`")
        return
    console.print(sources)
    console.print(edges)


@app.command("refresh")
def refresh_command(
    topology_file: Annotated[Path | None, typer.Option(
        "--topology-file", envvar="SREO_TOPOLOGY_FILE", help="Declared topology YAML (services, databases, externals).",
    )] = None,
    source: Annotated[list[str] | None, typer.Option(
        "--source", help="Only these sources (kubernetes, topology_file, traces, trace_spans); all configured ones by default.",
    )] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print each source's outcome as JSON on stdout.")] = False,
) -> None:
    """Rebuild the graph from the configured sources: SREO_KUBE_SNAPSHOT or SREO_KUBE_LIVE, the topology file,
    SREO_PROMETHEUS_URL (or SREO_METRICS_FILES) for trace service-graph metrics, and SREO_TEMPO_URL,
    SREO_JAEGER_URL or SREO_TRACES_FILES for edges from trace spans."""
    from rich.console import Console

    from functions._platform.config import get_settings
    from functions._platform.topology import TopologyInputs, refresh
    from functions._platform.topology.builders.registry import BUILDERS

    unknown = sorted(set(source or []) - set(BUILDERS))
    if unknown:
        raise typer.BadParameter(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(BUILDERS)}",
                                 param_hint="--source")
    inputs = TopologyInputs.from_settings(get_settings(), topology_file)
    database = _database()
    try:
        with database.session() as session:
            result = refresh(session, inputs, source or None)
    finally:
        database.dispose()
    if as_json:
        typer.echo(json.dumps({"sources": [vars(outcome) for outcome in result.outcomes]}))
    console = Console(stderr=True)
    for outcome in result.outcomes:
        if outcome.status == "ok":
            console.print(f"{outcome.source}: {outcome.nodes} nodes, {outcome.edges} edges")
        elif outcome.status == "error":
            console.print(f"[red]{outcome.source}: failed, kept the last graph: {outcome.detail}[/red]")
        else:
            console.print(f"[dim]{outcome.source}: not configured[/dim]")
    if result.failed:
        raise typer.Exit(1)
    if all(outcome.status == "not_configured" for outcome in result.outcomes):
        console.print("no source configured: set SREO_KUBE_SNAPSHOT or SREO_KUBE_LIVE, SREO_TOPOLOGY_FILE, "
                      "SREO_PROMETHEUS_URL, or SREO_TEMPO_URL / SREO_JAEGER_URL / SREO_TRACES_FILES")
        raise typer.Exit(2)
