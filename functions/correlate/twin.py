"""The digital twin as correlate sees it: refreshed when stale, and used to place findings and give edges."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from events.models import EvidenceCollected
from functions._platform.config import Settings
from functions._platform.telemetry import log
from functions._platform.topology.builders.base import TopologyInputs
from functions._platform.topology.models import TopologyBuild
from functions._platform.topology.attach import attach
from functions.correlate.causes import named_hosts
from functions._platform.topology.store import load_graph, refresh

STALE_AFTER = timedelta(minutes=5)
FRESH_FOR_TRIAGE = timedelta(seconds=30)  # a new incident gets a graph at most this old


def refresh_if_stale(session: Session, settings: Settings, max_age: timedelta = STALE_AFTER) -> None:
    inputs = TopologyInputs.from_settings(settings)
    newest = session.scalar(select(func.max(TopologyBuild.attempted_at)))
    if newest is not None and datetime.now(timezone.utc) - newest < max_age:
        return
    try:
        refresh(session, inputs)
    except Exception as exc:  # noqa: BLE001 - a failed refresh keeps the last good graph
        log.warning("topology refresh failed", error=str(exc))


def place(session: Session, answers: list[EvidenceCollected]) -> tuple[list[EvidenceCollected], list[tuple[str, str]]]:
    """Findings renamed onto graph nodes (`payments-v2` -> `payments`), and the graph's edges."""
    graph = load_graph(session)
    if not graph.nodes:
        return answers, []
    subjects = {finding.subject for answer in answers for finding in answer.findings}
    hosts = {host for answer in answers for finding in answer.findings for host in named_hosts(finding)}
    placed = attach(graph, subjects | hosts)
    for answer in answers:
        for finding in answer.findings:
            finding.subject = placed.get(finding.subject, finding.subject)
            named = sorted({placed[h] for h in named_hosts(finding) if h in placed} - {finding.subject})
            if named:  # the failing dependency the finding names, as a graph node (`postgres` -> `postgres/shop`)
                finding.evidence = {**finding.evidence, "dependency": named}
    return answers, [(edge.caller, edge.callee) for edge in graph.edges]
