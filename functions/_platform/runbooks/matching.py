"""Deterministic alert-to-runbook matching, with text search as the last resort."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from ..search import Hit
from .models import MatchMethod, RunbookHit, RunbookMatch
from .sources import fetch_runbook, is_within, local_path, url_segments

if TYPE_CHECKING:
    from .knowledge_base import RunbookKnowledgeBase

URL_ANNOTATIONS = ("runbook_url", "runbook", "runbook_link")
TEXT_ANNOTATIONS = ("summary", "description", "message", "title")
# Labels that often name the component a runbook folder is called after.
COMPONENT_LABELS = ("component", "service", "job", "app", "container")


class RunbookMatcher:
    def __init__(self, kb: RunbookKnowledgeBase, *, local_roots: Iterable[Path], fetch_remote: bool) -> None:
        self.kb = kb
        self.local_roots = [Path(r) for r in local_roots]
        self.fetch_remote = fetch_remote

    def match(self, labels: Mapping[str, str], annotations: Mapping[str, str], k: int) -> RunbookMatch:
        alertname = str(labels.get("alertname") or "").strip()
        url = next((str(annotations[a]).strip() for a in URL_ANNOTATIONS if annotations.get(a)), "")
        hints = [str(labels[name]).lower() for name in COMPONENT_LABELS if labels.get(name)]
        found = self._deterministic(url, alertname, hints)
        text = " ".join(str(annotations[a]) for a in TEXT_ANNOTATIONS if annotations.get(a))
        searched = self.kb.search(text or alertname, k=k) if (text or alertname) else []
        if found is None:
            return RunbookMatch(method="search" if searched else "none", runbooks=searched)
        method, first = found
        rest = [h for h in searched if h.id != first.id]
        return RunbookMatch(method=method, runbooks=[first, *rest][:k])

    def _deterministic(self, url: str, alertname: str, hints: list[str]) -> tuple[MatchMethod, RunbookHit] | None:
        """The runbook the alert's URL names, else the one for its alertname, else the URL's page ingested."""
        if url and (hit := self._known_reference(url, hints)):
            return "runbook_url", hit
        if alertname and (hit := self._by_alert(alertname, hints)):
            return "alertname", hit
        if url and (hit := self._ingest_reference(url, alertname)):
            return "runbook_url_fetched", hit
        return None

    def _first_section(self, sections: list[Hit]) -> RunbookHit:
        source = sections[0].source
        return RunbookHit(
            id=source["id"],
            title=source.get("runbook_title") or source.get("title", ""),
            section=source.get("section", ""),
            score=1.0,
            path=source.get("path", ""),
        )

    def _by_alert(self, alert: str, component_hints: list[str]) -> RunbookHit | None:
        sections = self.kb.sections_of(alert_key=alert.lower())
        if not sections:
            return None
        by_id: dict[str, list[Hit]] = {}
        for hit in sections:
            by_id.setdefault(hit.source["id"], []).append(hit)
        exact = [i for i in by_id if by_id[i][0].source["alert"] == alert]
        candidates = sorted(exact or by_id)
        preferred = [i for i in candidates if by_id[i][0].source["component"].lower() in component_hints]
        return self._first_section(by_id[(preferred or candidates)[0]])

    def _known_reference(self, reference: str, component_hints: list[str]) -> RunbookHit | None:
        """A runbook URL or path that names a runbook already in the index."""
        by_path = self.kb.sections_of(path=reference)
        if by_path:
            return self._first_section(by_path)
        segments, fragment = url_segments(reference)
        folder = [segments[-2].lower()] if len(segments) > 1 else []
        # An anchor names the alert on pages that hold several runbooks; otherwise the last segment does.
        keys = [fragment.replace("-", ""), fragment] if fragment else []
        keys += segments[-1:]
        for key in keys:
            hit = self._by_alert(key, folder + component_hints)
            if hit:
                return hit
        return None

    def _ingest_reference(self, reference: str, alertname: str) -> RunbookHit | None:
        """A local runbook file under an allowed root, or a reachable URL: ingest it and return it."""
        path = local_path(reference)
        if path is not None:
            if not path.is_file() or not is_within(path, self.local_roots):
                return None
            runbook = self.kb.ingest_paths([path])[0]
        elif self.fetch_remote:
            document = fetch_runbook(reference)
            if document is None:
                return None
            segments, _ = url_segments(reference)
            stem = alertname if alertname and segments and segments[-1].lower() == alertname.lower() else None
            name = "/".join(
                [*segments[-2:-1], stem or (segments[-1] if segments else alertname or "runbook")]
            )
            runbook = self.kb.ingest_document(name, document.text, document.content_type)
        else:
            return None
        return self._first_section(self.kb.sections_of(id=runbook.id))
