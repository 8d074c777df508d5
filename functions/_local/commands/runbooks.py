"""`sreo runbooks ingest|search|match`: the runbook knowledge base from the command line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from functions._platform.runbooks import RunbookHit, RunbookKnowledgeBase

app = typer.Typer(help="Ingest, search and match runbooks.", no_args_is_help=True)
stderr = Console(stderr=True)

JsonOption = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]


def knowledge_base() -> RunbookKnowledgeBase:
    from functions._platform.runbooks import knowledge_base_for

    return knowledge_base_for(local_roots=[Path.cwd()])


def fail(message: str, code: int = 2) -> typer.Exit:
    stderr.print(f"[red]error:[/] {message}")
    return typer.Exit(code)


def hits_table(title: str, hits: list[RunbookHit]) -> Table:
    table = Table(title=title)
    for column in ("#", "id", "title", "section", "score", "path"):
        table.add_column(column, overflow="fold")
    for rank, hit in enumerate(hits, start=1):
        table.add_row(str(rank), hit.id, hit.title, hit.section, f"{hit.score:.3f}", hit.path)
    return table


@app.command("ingest")
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Runbook files or folders (.md, .txt, .html).")],
    as_json: JsonOption = False,
) -> None:
    """Parse runbooks into sections and index them; a runbook ingested again is replaced."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise fail(f"no such file or folder: {', '.join(missing)}")
    runbooks = knowledge_base().ingest_paths(paths)
    if not runbooks:
        raise fail("no runbook files found (expected .md, .markdown, .txt or .html)")
    table = Table(title=f"Ingested {len(runbooks)} runbooks")
    for column in ("id", "title", "sections", "path"):
        table.add_column(column, overflow="fold")
    for runbook in runbooks:
        table.add_row(runbook.id, runbook.title, ", ".join(s.heading for s in runbook.sections), runbook.path)
    stderr.print(table)
    if as_json:
        summary = [
            {"id": r.id, "title": r.title, "path": r.path, "sections": [s.heading for s in r.sections]}
            for r in runbooks
        ]
        print(json.dumps({"runbooks": summary}, indent=2))


@app.command("search")
def search(
    query: Annotated[str, typer.Argument(help="Free text, e.g. an alert's summary.")],
    k: Annotated[int, typer.Option("--k", min=1, max=100, help="How many runbooks.")] = 5,
    as_json: JsonOption = False,
) -> None:
    """Runbooks that best match free text, best first."""
    hits = knowledge_base().search(query, k=k)
    stderr.print(hits_table(f"Runbooks for {query!r}", hits))
    if as_json:
        print(json.dumps({"runbooks": [h.model_dump() for h in hits]}, indent=2))


def alerts_in(payload: Any) -> list[dict[str, Any]]:
    """Alerts of a webhook payload (`alerts`), a list of alerts, or one alert (`labels`)."""
    if isinstance(payload, dict) and isinstance(payload.get("alerts"), list):
        items = payload["alerts"]
    elif isinstance(payload, list):
        items = payload
    else:
        items = [payload]
    alerts = [a for a in items if isinstance(a, dict) and isinstance(a.get("labels"), dict)]
    if not alerts:
        raise fail(
            "no alerts found: expected an Alertmanager webhook, a list of alerts or one alert with labels"
        )
    return alerts


@app.command("match")
def match(
    alert_file: Annotated[Path, typer.Argument(help="Alertmanager webhook JSON, or alerts with labels.")],
    as_json: JsonOption = False,
) -> None:
    """The runbook for each alert: by runbook_url, then alertname, then by text."""
    if not alert_file.is_file():
        raise fail(f"no such file: {alert_file}")
    try:
        payload = json.loads(alert_file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise fail(f"{alert_file} is not JSON: {exc}") from exc
    kb = knowledge_base()
    matches = []
    for alert in alerts_in(payload):
        labels = {str(k): str(v) for k, v in alert["labels"].items()}
        annotations = {str(k): str(v) for k, v in (alert.get("annotations") or {}).items()}
        result = kb.match(labels, annotations)
        name = labels.get("alertname", "?")
        stderr.print(hits_table(f"{name}: matched by {result.method}", result.runbooks))
        matches.append({"alertname": name, **result.model_dump()})
    if as_json:
        print(json.dumps({"matches": matches}, indent=2))
